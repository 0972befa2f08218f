"""RDF and SPARQL building blocks: namespaces, formats, result writers, named queries."""
