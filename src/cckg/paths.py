"""Where the project's source folders are (ontology, data, shapes, queries, dist)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The repository root: CCKG_HOME if set, else the checkout this package is installed from.
PROJECT_ROOT = Path(os.environ.get("CCKG_HOME", Path(__file__).resolve().parents[2]))


@dataclass(frozen=True)
class ProjectPaths:
    """The folders of one CCKG project tree."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def data(self) -> Path:
        return self.root / "data" / "ttl"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def qc_queries(self) -> Path:
        return self.root / "queries" / "qc"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def report(self) -> Path:
        """The report the graph is built from (a copy of shared/seed, kept with the data)."""
        return self.root / "data" / "source" / "report.txt"

    @property
    def memberships_csv(self) -> Path:
        """Sourced pilot and alliance memberships (a copy of shared/data)."""
        return self.root / "data" / "source" / "memberships.csv"

    @property
    def ingested(self) -> Path:
        """One Turtle file per document taken in with `cckg ingest` (data/ttl/sources/)."""
        return self.data / "sources"

    @property
    def documents(self) -> Path:
        """The normalised texts and metadata of documents taken in (data/source/documents/)."""
        return self.root / "data" / "source" / "documents"

    @property
    def sheets(self) -> Path:
        """The review sheets: the record of the reviewers' decisions (data/source/sheets/)."""
        return self.root / "data" / "source" / "sheets"

    def source_files(self) -> list[Path]:
        """Ontology files, data files, then ingested documents' files, sorted: the inputs of
        every build."""
        return (sorted(self.ontology.glob("*.ttl")) + sorted(self.data.glob("*.ttl"))
                + sorted(self.ingested.glob("*.ttl")))


PATHS = ProjectPaths(PROJECT_ROOT)
