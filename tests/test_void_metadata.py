"""The VoID/DCAT description says when the data changed, its version, and the SHA-256 of
every dump (spdx:checksum, as DCAT 3 does)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib import namespace as ns

from cckg import __version__
from cckg.pipeline.description import DCAT_VERSION, SPDX, Publication, void_graph
from cckg.store.embedded import EmbeddedStore

NQ = '<https://w3id.org/cckg/id/place/1> <http://www.w3.org/2000/01/rdf-schema#label> "x" ' \
     "<https://w3id.org/cckg/graph/data/ttl/places.ttl> .\n"


def test_void_has_modified_version_and_dump_checksums(tmp_path: Path) -> None:
    dump = tmp_path / "cckg.nq"
    dump.write_text(NQ, encoding="utf-8")
    os.utime(dump, (1_767_225_600, 1_767_225_600))  # 2026-01-01T00:00:00Z
    store = EmbeddedStore.in_memory()
    store.load_dataset_file(dump)
    at = Publication.at("https://w3id.org/cckg/", "http://127.0.0.1:8000/")
    graph = void_graph(store, tmp_path, at)
    ds = at.dataset_iri
    assert graph.value(ds, ns.DCTERMS.modified) == Literal(
        "2026-01-01T00:00:00Z", datatype=ns.XSD.dateTime
    )
    assert graph.value(ds, DCAT_VERSION) == Literal(__version__)
    assert graph.value(ds, ns.OWL.versionInfo) == Literal(__version__)
    distribution = next(
        d for d in graph.objects(ds, ns.DCAT.distribution)
        if graph.value(d, ns.DCAT.downloadURL) == URIRef(at.dump("cckg.nq"))
    )
    checksum = graph.value(distribution, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(
        NQ.encode("utf-8")
    ).hexdigest()
