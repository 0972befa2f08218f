"""The steps of `cckg ingest` over one project tree: register a document (checking its
issuer and type), extract its candidates into a review sheet, and the places and vocabulary
both steps read."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from cckg.errors import CckgError
from cckg.ingest.accept import sheet_path
from cckg.ingest.extract import Candidate, Context, extract
from cckg.ingest.register import BadDocument, DocumentRecord, load_record, load_text, register
from cckg.ingest.sheet import candidate_row, write_sheet
from cckg.ingest.vocab import Vocabulary, load_vocabulary
from cckg.paths import PATHS, ProjectPaths
from cckg.sources.resolver import PlaceResolver


class SheetHasDecisions(CckgError):
    """A review sheet that a reviewer has started to fill in."""


def vocabulary(paths: ProjectPaths) -> Vocabulary:
    return load_vocabulary(paths.ontology / "vocabularies.ttl")


def resolver(paths: ProjectPaths) -> PlaceResolver:
    """The place resolver over the project's places (the shared one for the default tree)."""
    if paths.root.resolve() == PATHS.root.resolve():
        return PlaceResolver.default()
    return PlaceResolver((paths.data / "places.ttl", paths.data / "gazetteer.ttl"))


def add(
    paths: ProjectPaths,
    source: Path,
    *,
    title: str,
    title_en: str,
    issuer: str,
    issued: str,
    doc_type: str,
    url: str,
    key: str,
    replace: bool,
) -> DocumentRecord:
    """Register a document after checking that its issuer and type are known."""
    if resolver(paths).by_code(issuer) is None:
        raise BadDocument(
            f"--issuer {issuer!r} is not a place of the graph",
            where="--issuer",
            fix="give the six-digit GB/T 2260 code of the issuing jurisdiction "
            "(310000 for Shanghai) or CN",
        )
    types = vocabulary(paths).slugs["document-type"]
    if doc_type not in types:
        raise BadDocument(
            f"--type {doc_type!r} is not a document type",
            where="--type",
            fix=f"use one of: {', '.join(sorted(types))}",
        )
    return register(
        paths,
        source,
        key=key,
        title_zh=title,
        title_en=title_en,
        issuer=issuer,
        issued=issued,
        doc_type=doc_type,
        url=url,
        replace=replace,
    )


def candidates(
    paths: ProjectPaths, key: str, progress: Callable[[int, int], None] | None = None
) -> list[Candidate]:
    """The extractor's candidates for a registered document (the issuer is the default
    committer)."""
    record = load_record(paths, key)
    context = Context(load_text(paths, key), record.issuer, vocabulary(paths), resolver(paths))
    return extract(context, progress)


def write_review_sheet(
    paths: ProjectPaths,
    key: str,
    out: Path | None,
    force: bool,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, int]:
    """Write the review sheet of a document; refuses to overwrite a reviewer's decisions."""
    target = out or sheet_path(paths, key)
    if target.exists() and not force:
        with target.open(encoding="utf-8-sig", newline="") as handle:
            try:
                decided = any((row.get("status") or "").strip() for row in csv.DictReader(handle))
            except (csv.Error, UnicodeDecodeError):
                decided = True  # a sheet that does not read is not overwritten either
        if decided:
            raise SheetHasDecisions(
                "the review sheet already holds a reviewer's decisions",
                where=str(target),
                fix="accept it as it is, write the new sheet elsewhere with --out, or "
                "overwrite it with --force (the decisions are lost)",
            )
    found = candidates(paths, key, progress)
    write_sheet(target, (candidate_row(n, c) for n, c in enumerate(found, 1)))
    return target, len(found)
