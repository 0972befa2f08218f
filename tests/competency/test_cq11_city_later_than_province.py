"""CQ11: a city's peak year later than its province's overall peak year."""

import pyoxigraph as ox
from tests.competency.helpers import code_of, rows

from cckg.rdf.named_queries import load_query
from cckg.rdf.query_exec import run_named
from cckg.store.embedded import EmbeddedStore

PLANTED = """
@prefix cckg: <https://w3id.org/cckg/ontology#> .
<https://w3id.org/cckg/id/commitment/test-lanzhou-2035> a cckg:PeakTarget ;
    cckg:committedBy <https://w3id.org/cckg/id/place/620100> ;
    cckg:appliesTo <https://w3id.org/cckg/id/place/620100> ;
    cckg:targetYear 2035 .
"""


def test_the_report_has_no_such_conflict(run_cq):
    assert run_cq("cq11").rows == []


def test_a_planted_conflict_is_found(built_dist):
    graph = EmbeddedStore.in_memory()
    graph.load_dataset_file(built_dist / "cckg.nq")
    graph.store.load(PLANTED, format=ox.RdfFormat.TURTLE,
                     to_graph=ox.NamedNode("https://w3id.org/cckg/graph/test"))
    result = run_named(graph, load_query("cq11"), {})
    got = rows(result, "place", "placeYear", "province", "provinceYear")
    assert [(code_of(a), b, code_of(c), d) for a, b, c, d in got] == [
        ("620100", "2035", "620000", "2030")
    ]
