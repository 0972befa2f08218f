"""`cckg query` and /sparql treat a query the same way: no PREFIX lines are added by
either, and a bad query gets the same one-line message with positions in the user's text
(shown as text, not a bytes repr), with advice matched to the error."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sparql_fixture import CCKG
from tests.services.launcher import LiveServer
from tests.services.process import free_port
from typer.testing import CliRunner

from cckg.cli import app

NO_PREFIX = "SELECT ?x WHERE { ?x a cckg:Province }\n"
BROKEN = "SELECT ?x WHERE { ?x ?y }\n"
runner = CliRunner()


def query_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my.rq"
    path.write_text(text, encoding="utf-8")
    return path


def cli(*args: str):
    return runner.invoke(app, ["query", *args], catch_exceptions=False)


def test_endpoint_names_the_undeclared_prefix_in_one_line(client: TestClient):
    response = client.post("/sparql", data={"query": NO_PREFIX})
    assert response.status_code == 400
    first, fix = response.text.strip().splitlines()
    assert first == (
        "The query is not valid SPARQL 1.1: line 1, column 37: the prefix 'cckg:' is not "
        "declared"
    )
    assert fix == f"How to fix: add this line at the top of the query: PREFIX cckg: <{CCKG}>"


def test_endpoint_never_suggests_service_or_lateral(client: TestClient):
    response = client.get("/sparql", params={"query": BROKEN})
    assert response.status_code == 400
    assert len(response.text.strip().splitlines()) == 2
    assert "line 1, column 26: syntax error near" in response.text
    assert "SERVICE" not in response.text and "LATERAL" not in response.text


def test_cli_adds_no_prefixes_and_says_the_same(tiny_dist: Path, tmp_path: Path):
    result = cli(str(query_file(tmp_path, NO_PREFIX)), "--dist", str(tiny_dist))
    assert result.exit_code == 2
    err = " ".join(result.stderr.split())
    assert "my.rq, line 1, column 37: the query is not valid SPARQL 1.1: the prefix 'cckg:' is" \
        " not declared" in err
    assert f"PREFIX cckg: <{CCKG}>" in err


def test_cli_runs_the_same_query_with_its_prefix(tiny_dist: Path, tmp_path: Path):
    path = query_file(tmp_path, f"PREFIX cckg: <{CCKG}>\n{NO_PREFIX}")
    result = cli(str(path), "--dist", str(tiny_dist), "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 5


def test_cli_endpoint_error_is_text_at_the_users_position(live: LiveServer, tmp_path: Path):
    result = cli(str(query_file(tmp_path, BROKEN)), "--endpoint", live.endpoint)
    assert result.exit_code == 2
    err = " ".join(result.stderr.split())
    assert "the endpoint refused the query: The query is not valid SPARQL 1.1: line 1, " in err
    assert "b'" not in err and "\\n" not in err and "17:" not in err
    assert "check the endpoint URL" not in err  # advice for the query, not the network
    assert "How to fix: correct the query there" in err


def test_cli_unreachable_endpoint_gets_network_advice(tmp_path: Path):
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    result = cli(str(query_file(tmp_path, BROKEN)), "--endpoint", endpoint)
    assert result.exit_code == 2
    err = " ".join(result.stderr.split())
    assert "the store did not answer the query: cannot reach the SPARQL engine" in err
    assert "that the server runs" in err


def test_missing_query_file_is_file_not_found(tmp_path: Path):
    result = cli(str(tmp_path / "missing.rq"))
    assert result.exit_code == 2
    assert "missing.rq: file not found" in " ".join(result.stderr.split())
    assert "no named query" not in result.stderr


def test_a_long_missing_path_keeps_its_file_name(tmp_path: Path):
    deep = tmp_path / ("d" * 150) / "missing.rq"  # was cut after 80 characters
    result = cli(str(deep))
    err = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "…" in err
    assert "missing.rq: file not found" in err
