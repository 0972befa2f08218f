"""CCKG, the Climate Commitments Knowledge Graph.

`__version__` is the one version source: the package metadata, the ontology header
(`owl:versionInfo`, `owl:versionIRI`, stamped at load time) and the release path read it.
"""

__version__ = "0.2.0"
