"""Done when: `cckg ingest add` + `extract` + `accept` on a short Chinese plan written for
the tests (a peak target, a neutrality target, an intensity target, a city target with an
ambiguous name, a revision of an earlier target) give validated triples that the named
query cq16 lists over the built store and the server shows. The commands are the `$ cckg`
lines of docs/ingest.md, run in order on a copy of the project (CCKG_HOME)."""

from __future__ import annotations

import csv
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from cckg.ingest.accept import accept
from cckg.ingest.text import squeeze
from cckg.paths import PATHS, ProjectPaths
from cckg.rdf.namespaces import CCKG, ID

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # five CLI runs, each a build step
FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
DOC = "cn-peaking-plan-test"
CCKG_BIN = Path(sys.executable).with_name("cckg")


def walkthrough() -> list[list[str]]:
    """The commands of docs/ingest.md, in order."""
    text = (PATHS.root / "docs" / "ingest.md").read_text(encoding="utf-8")
    return [shlex.split(line[2:]) for line in text.splitlines() if line.startswith("$ cckg ")]


def copy_project(target: Path) -> ProjectPaths:
    """A fresh project tree: ontology, shapes, queries, data and the test plan. Without a
    committed gazetteer, two places named 朝阳 stand in for it (tests/fixtures/ingest)."""
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(PATHS.root / folder, target / folder)
    shutil.copytree(PATHS.data, target / "data" / "ttl")
    (target / "data" / "source").mkdir()
    shutil.copy(PATHS.report, target / "data" / "source" / "report.txt")
    if not (target / "data" / "ttl" / "gazetteer.ttl").exists():
        shutil.copy(FIXTURES / "chaoyang.ttl", target / "data" / "ttl" / "gazetteer.ttl")
    (target / "tests" / "fixtures" / "ingest").mkdir(parents=True)
    shutil.copy(FIXTURES / "plan.txt", target / "tests" / "fixtures" / "ingest" / "plan.txt")
    return ProjectPaths(target)


def review(sheet: Path) -> None:
    """What the reviewer of docs/ingest.md does: accept every row, choose 朝阳市 for 朝阳."""
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["status"] = "accept"
        if row["place_candidates"].startswith("朝阳:"):
            row["places"], row["status"] = "211300", "edit"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


class Run:
    def __init__(self, paths: ProjectPaths) -> None:
        self.paths = paths
        self.outputs: dict[str, str] = {}


@pytest.fixture(scope="module")
def done(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    paths = copy_project(tmp_path_factory.mktemp("project"))
    run = Run(paths)
    env = {**os.environ, "CCKG_HOME": str(paths.root), "COLUMNS": "200"}
    for command in walkthrough():
        if command[1:3] == ["ingest", "eval"]:
            continue  # measured in test_evaluate.py
        result = subprocess.run(
            [str(CCKG_BIN), *command[1:]],
            cwd=paths.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"{shlex.join(command)}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        run.outputs[" ".join(command[1:3])] = result.stdout
        if command[1:3] == ["ingest", "extract"]:
            review(paths.sheets / f"{DOC}.csv")
    yield run


def test_the_walkthrough_has_every_step() -> None:
    steps = [" ".join(c[1:3]) for c in walkthrough()]
    assert steps == ["ingest add", "ingest extract", "ingest accept", "query cq16", "ingest eval"]


def test_the_text_is_stored_simplified(done: Run) -> None:
    text = (done.paths.documents / f"{DOC}.txt").read_text(encoding="utf-8")
    assert "二氧化碳排放力争于2030年前达到峰值" in text and "達" not in text


def test_the_sheet_proposes_the_five_kinds_of_target(done: Run) -> None:
    with (done.paths.sheets / f"{DOC}.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    got = {i: (r["type"], r["target_year"], r["timing"], r["strength"]) for i, r in rows.items()}
    assert got == {
        "001": ("IntensityTarget", "2025", "by", "sets"),
        "002": ("PeakTarget", "2030", "before", "strives"),
        "003": ("NeutralityTarget", "2060", "before", "strives"),
        "004": ("PeakTarget", "2025", "before", "supports"),
    }
    assert rows["004"]["place_candidates"].startswith("朝阳: 110105 朝阳区 | 211300 朝阳市")
    assert rows["001"]["base_year"] == "2020" and rows["001"]["value"] == "18"


@pytest.fixture(scope="module")
def accepted(done: Run) -> Graph:
    return Graph().parse(done.paths.ingested / f"{DOC}.ttl", format="turtle")


def test_accepted_triples_are_modelled_like_the_curated_data(accepted: Graph) -> None:
    peak = ID[f"commitment/{DOC}-002"]
    assert (peak, RDF.type, CCKG.PeakTarget) in accepted
    assert accepted.value(peak, CCKG.targetYear) == Literal(2030)
    assert accepted.value(peak, CCKG.timing) == ID["timing/before"]
    assert accepted.value(peak, CCKG.statedIn) == ID[f"document/{DOC}"]
    city = ID[f"commitment/{DOC}-004"]
    assert list(accepted.objects(city, CCKG.appliesTo)) == [ID["place/211300"]]
    assert accepted.value(ID[f"commitment/{DOC}-003"], RDF.type) == CCKG.NeutralityTarget


def test_the_revision_of_an_earlier_target(accepted: Graph, done: Run) -> None:
    peak = ID[f"commitment/{DOC}-002"]
    assert accepted.value(peak, CCKG.revises) == ID["commitment/CN-peak-around-2030-paris-speech"]
    assert accepted.value(peak, CCKG.revisionChange) == ID["revision-change/changed-timing"]
    assert "revises (changed-timing)" in done.outputs["ingest accept"]
    # a 2025 intensity cut from 2020 is a new target, not a revision of the 2020 one
    assert accepted.value(ID[f"commitment/{DOC}-001"], CCKG.revises) is None


def test_every_quote_is_the_documents_words(accepted: Graph, done: Run) -> None:
    text = squeeze((done.paths.documents / f"{DOC}.txt").read_text(encoding="utf-8"))
    quotes = list(accepted.objects(None, CCKG.quote))
    assert len(quotes) == 4 and all(squeeze(str(q)) in text for q in quotes)


def test_cq16_lists_the_targets_document_by_document(done: Run) -> None:
    rows = list(csv.DictReader(done.outputs["query cq16"].splitlines()))
    peaks = [
        (r["issued"], r["year"], r["timing"], r["relation"], r["changes"])
        for r in rows
        if r["type"] == "PeakTarget"
        and r["commitment"].endswith(
            ("CN-peak-around-2030", "CN-peak-around-2030-paris-speech", f"{DOC}-002")
        )
    ]
    assert peaks == [
        ("2015-06-30", "2030", "around", "", ""),
        ("2015-11-30", "2030", "around", "", ""),
        ("2021-10-24", "2030", "before", "revises", "changed timing"),
    ]


def test_the_server_shows_the_accepted_commitment(done: Run, tmp_path: Path) -> None:
    from cckg.server.app import create_app
    from cckg.server.settings import Settings
    from cckg.store.embedded import EmbeddedStore

    store = EmbeddedStore.open(tmp_path / "store")
    store.load_dataset_file(done.paths.dist / "cckg.nq")
    settings = Settings(data_dir=tmp_path / "store", allowed_hosts=("testserver",))
    with TestClient(create_app(settings, store)) as client:
        page = client.get(f"/id/commitment/{DOC}-002", headers={"Accept": "text/turtle"})
    assert page.status_code == 200
    assert "revises" in page.text and "2030" in page.text


def test_accept_is_idempotent(done: Run) -> None:
    path = done.paths.ingested / f"{DOC}.ttl"
    before = path.read_bytes()
    accept(done.paths, DOC)
    assert path.read_bytes() == before
