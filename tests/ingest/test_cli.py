"""`cckg ingest` on bad input: a clear message and a non-zero exit, never a traceback, and
nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cckg.cli import app
from cckg.paths import PATHS, ProjectPaths

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
ADD = [
    "ingest",
    "add",
    str(FIXTURES / "plan.txt"),
    "--title",
    "测试方案",
    "--issuer",
    "CN",
    "--issued",
    "2021-10-24",
    "--type",
    "work-plan",
    "--key",
    "test-plan",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectPaths:
    shutil.copytree(PATHS.ontology, tmp_path / "ontology")
    shutil.copytree(PATHS.data, tmp_path / "data" / "ttl")
    shutil.copy(FIXTURES / "chaoyang.ttl", tmp_path / "data" / "ttl" / "gazetteer.ttl")
    paths = ProjectPaths(tmp_path)
    monkeypatch.setattr("cckg.cli.ingest.project", lambda: paths)
    return paths


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"--issuer": "999999"}, "--issuer '999999' is not a place of the graph"),
        ({"--issued": "2021-13-01"}, "is not a calendar date"),
        ({"--issued": "1850"}, "--issued year 1850 is outside 1990-2100"),
        ({"--type": "poem"}, "--type 'poem' is not a document type"),
        ({"--key": "Test Plan"}, "document key 'Test Plan' is not a slug"),
    ],
)
def test_add_refuses_bad_metadata(
    project: ProjectPaths, changes: dict[str, str], expected: str
) -> None:
    args = list(ADD)
    for option, value in changes.items():
        args[args.index(option) + 1] = value
    code, output = invoke(*args)
    assert code == 2 and expected in output and "How to fix" in output
    assert not project.documents.exists()


def test_add_refuses_a_file_that_is_not_utf8(project: ProjectPaths, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("二氧化碳排放力争于2030年前达到峰值".encode("gb18030"))
    args = list(ADD)
    args[2] = str(gbk)
    code, output = invoke(*args)
    assert code == 2 and "not UTF-8 text" in output and "iconv" in output


def test_add_keeps_a_registered_text(project: ProjectPaths, tmp_path: Path) -> None:
    assert invoke(*ADD)[0] == 0
    other = tmp_path / "other.txt"
    other.write_text("另一个文本：2035年前达峰。", encoding="utf-8")
    args = list(ADD)
    args[2] = str(other)
    code, output = invoke(*args)
    assert code == 2 and "already registered with another text" in output
    assert "二氧化碳" in (project.documents / "test-plan.txt").read_text(encoding="utf-8")


def test_extract_an_unknown_document(project: ProjectPaths) -> None:
    code, output = invoke("ingest", "extract", "no-such-doc")
    assert code == 2 and "no document 'no-such-doc' is registered" in output


def test_extract_keeps_a_reviewers_decisions(project: ProjectPaths) -> None:
    invoke(*ADD)
    assert invoke("ingest", "extract", "test-plan")[0] == 0
    sheet = project.sheets / "test-plan.csv"
    reviewed = sheet.read_text(encoding="utf-8-sig").replace("\n001,,", "\n001,reject,", 1)
    sheet.write_text(reviewed, encoding="utf-8-sig")
    code, output = invoke("ingest", "extract", "test-plan")
    assert code == 2 and "already holds a reviewer's decisions" in output
    assert sheet.read_text(encoding="utf-8-sig") == reviewed


def test_accept_a_bad_sheet_names_rows_and_columns(project: ProjectPaths) -> None:
    invoke(*ADD)
    invoke("ingest", "extract", "test-plan")
    sheet = project.sheets / "test-plan.csv"
    text = sheet.read_text(encoding="utf-8-sig")
    text = text.replace("\n001,,IntensityTarget,CN,", "\n001,accept,IntensityTarget,123456,", 1)
    text = text.replace(",2060,", ",2160,", 1)
    sheet.write_text(text, encoding="utf-8-sig")
    code, output = invoke("ingest", "accept", "test-plan")
    assert code == 2
    assert "row 2, column committer: '123456' is not a place of the graph" in output
    assert "row 4, column target_year: '2160' is not a year from 1990 to 2100" in output
    assert not (project.ingested / "test-plan.ttl").exists()
