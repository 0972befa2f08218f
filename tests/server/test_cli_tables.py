"""`cckg query` tables show prefixed names (id:place/110000), full IRIs with --full-iris."""

from __future__ import annotations

from pathlib import Path

from sparql_fixture import CCKG
from typer.testing import CliRunner

from cckg.cli import app

QUERY = f"PREFIX cckg: <{CCKG}>\nSELECT ?target ?province WHERE {{\n" \
    "  ?target cckg:committedBy ?province } ORDER BY ?province LIMIT 1\n"


def table(tiny_dist: Path, tmp_path: Path, *extra: str) -> str:
    path = tmp_path / "t.rq"
    path.write_text(QUERY, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["query", str(path), "--dist", str(tiny_dist), *extra], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_tables_show_prefixed_names(tiny_dist: Path, tmp_path: Path) -> None:
    text = table(tiny_dist, tmp_path)
    assert "id:place/110000" in text and "id:commitment/110000-overall-peak" in text
    assert "https://w3id.org" not in text


def test_full_iris_opts_out(tiny_dist: Path, tmp_path: Path) -> None:
    text = table(tiny_dist, tmp_path, "--full-iris")
    assert "https://w3id.org/cckg/id/place/110000" in text
