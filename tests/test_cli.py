"""The `cckg` command line: real commands on the real graph, and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from cckg.cli import app
from cckg.paths import PATHS

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_build_writes_all_five_dumps_and_a_report(built_dist: Path):
    for name in ("cckg.ttl", "cckg.nt", "cckg.nq", "cckg.jsonld", "cckg.rdf"):
        assert (built_dist / name).stat().st_size > 100_000, name
    report = json.loads((built_dist / "build-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["Province"] == 31
    assert report["inferred_triples"] > 0
    assert set(report["seconds"]) == {"load", "validate", "reason", "publish"}


def test_query_cq01_prints_the_nine_provinces(built_dist: Path):
    result = invoke("query", "cq01", "--dist", str(built_dist), "--format", "csv")
    assert result.exit_code == 0
    names = [line.split(",")[1] for line in result.stdout.strip().splitlines()[1:]]
    nine = ["北京", "天津", "云南", "山东", "重庆", "山西", "海南", "甘肃", "新疆"]
    assert sorted(names) == sorted(nine)


def test_query_json_is_sparql_results_json(built_dist: Path):
    result = invoke("query", "cq10", "--dist", str(built_dist), "--format", "json")
    body = json.loads(result.stdout)
    assert len(body["results"]["bindings"]) == 4
    assert "province" in body["head"]["vars"]


def test_query_parameter_by_code(built_dist: Path):
    result = invoke("query", "cq07", "--dist", str(built_dist), "-p", "jurisdiction=630000",
                    "--format", "csv")
    assert result.exit_code == 0
    assert "开展青海省碳排放峰值研究" in result.stdout


def test_queries_lists_every_named_query():
    result = invoke("queries")
    assert result.exit_code == 0
    for n in range(1, 16):
        assert f"cq{n:02d}" in result.stdout


def test_unknown_query_lists_the_known_ones(built_dist: Path):
    result = invoke("query", "cq99", "--dist", str(built_dist))
    assert result.exit_code == 2
    assert "no named query 'cq99'" in result.stderr
    assert "cq01" in result.stderr
    assert "Traceback" not in result.output


def test_missing_and_malformed_parameters(built_dist: Path):
    bad = invoke("query", "cq07", "--dist", str(built_dist), "-p", "jurisdiction")
    assert bad.exit_code == 2 and "malformed parameter 'jurisdiction'" in bad.stderr
    wrong = invoke("query", "cq07", "--dist", str(built_dist), "-p", "jurisdiction=甘肃 省")
    assert wrong.exit_code == 2 and "GB/T 2260 code" in wrong.stderr
    unknown = invoke("query", "cq01", "--dist", str(built_dist), "-p", "year=2030")
    assert unknown.exit_code == 2 and "has no parameter 'year'" in unknown.stderr
    nowhere = invoke("query", "cq07", "--dist", str(built_dist), "-p", "jurisdiction=999999")
    assert nowhere.exit_code == 2
    assert "no place 999999 is in the graph (unknown code)" in " ".join(nowhere.stderr.split())
    assert "--param jurisdiction=620000" in nowhere.stderr


def test_broken_turtle_names_the_file_and_line(tmp_path: Path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix cckg: <https://w3id.org/cckg/ontology#> .\n\n"
        "<https://w3id.org/cckg/id/place/1> a cckg:Province\n"
        "<https://w3id.org/cckg/id/place/2> a cckg:Province .\n",
        encoding="utf-8",
    )
    result = invoke("validate", str(broken))
    assert result.exit_code == 2
    assert re.search(r"broken\.ttl:[34]\b", result.stderr), result.stderr
    assert "not valid Turtle" in result.stderr
    assert "Traceback" not in result.output


def test_a_shape_violation_names_file_node_path_and_message(tmp_path: Path):
    bad = tmp_path / "bad-commitment.ttl"
    bad.write_text(
        "@prefix cckg: <https://w3id.org/cckg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/cckg/id/commitment/test-no-committer> a cckg:PeakTarget ;\n"
        '    rdfs:label "test"@en, "测试"@zh ; cckg:targetYear 2030 .\n',
        encoding="utf-8",
    )
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    assert "bad-commitment.ttl" in result.stderr
    listed = [line for line in result.stderr.splitlines() if " — " in line]
    assert listed and all(line.startswith("bad-commitment.ttl: ") for line in listed)
    assert "commitment/test-no-committer" in result.stderr
    assert "committedBy" in result.stderr


def test_the_real_data_validates():
    result = invoke("validate")
    assert result.exit_code == 0, result.stderr
    assert "conforms" in result.stdout


def test_validate_files_with_the_rest_of_the_data_and_shows_progress():
    """zones.ttl alone gave 16 false violations and appendix.ttl 248: their references
    to places, documents and passages in other files did not resolve."""
    data = PATHS.root / "data" / "ttl"
    result = invoke("validate", str(data / "zones.ttl"), str(data / "appendix.ttl"))
    assert result.exit_code == 0, result.stderr
    assert "conforms" in result.stdout
    assert re.search(r"validating with SHACL\s+\d:\d\d:\d\d", result.stdout)


def test_validate_missing_file_is_file_not_found(tmp_path: Path):
    result = invoke("validate", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 2
    assert "nope.ttl: file not found" in " ".join(result.stderr.split())


def test_every_command_is_documented():
    documented = (PATHS.root / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"cckg {name}" in documented, f"`cckg {name}` is not in docs/cli.md"


def test_qc_finds_no_problems_in_the_real_graph():
    result = invoke("qc")
    assert result.exit_code == 0, result.stderr
    assert "unsourced-fact-violation" in result.stdout
    assert "no quality-control problems" in result.stdout
    assert re.search(r"quality-control queries\s.*(\d+)/\1\s+\d:\d\d:\d\d", result.stdout)


def test_build_describes_the_dataset_with_void_and_documents_the_ontology(built_dist: Path):
    from rdflib import Dataset, Graph, URIRef
    from rdflib.namespace import VOID

    void = Graph().parse(built_dist / "void.ttl")
    dataset = URIRef("https://w3id.org/cckg/dataset")
    quads = len(Dataset().parse(built_dist / "cckg.nq", format="nquads"))
    assert int(void.value(dataset, VOID.triples)) == quads
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("https://w3id.org/cckg/sparql")
    dumps = {str(d).rsplit("/", 1)[-1] for d in void.objects(dataset, VOID.dataDump)}
    assert {"cckg.nq", "cckg.ttl", "cckg.nt", "cckg.jsonld", "cckg.rdf"} <= dumps
    html = (built_dist / "ontology.html").read_text(encoding="utf-8")
    assert 'id="PeakTarget"' in html and 'id="committedBy"' in html
