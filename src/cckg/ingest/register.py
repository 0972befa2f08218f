"""Registering a policy document: its normalised text under data/source/documents/<doc>.txt
and its metadata (title, issuer, date, type, URL) beside it as <doc>.json, the record from
which the document's cckg:PolicyDocument triples are written."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from cckg.errors import CckgError
from cckg.ingest.expressions import FIRST_YEAR, LAST_YEAR
from cckg.ingest.text import decode, normalise
from cckg.paths import ProjectPaths

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class BadDocument(CckgError):
    """A document that cannot be registered as given."""


class UnknownDocument(CckgError):
    """A document key that is not registered."""


@dataclass(frozen=True)
class DocumentRecord:
    """What `cckg ingest add` records about a document."""

    key: str
    title_zh: str
    title_en: str
    issuer: str
    issued: str  # YYYY, YYYY-MM or YYYY-MM-DD
    type: str
    url: str
    source_file: str
    sha256: str

    @property
    def year(self) -> int:
        return int(self.issued[:4])


def check_issued(issued: str) -> str:
    """A date of issue as YYYY, YYYY-MM or YYYY-MM-DD within the years the graph takes."""
    match = _DATE.match(issued.strip())
    fix = "write the date as YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-07-08"
    if not match:
        raise BadDocument(f"--issued {issued!r} is not a date", where="--issued", fix=fix)
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadDocument(
            f"--issued year {year} is outside {FIRST_YEAR}-{LAST_YEAR}", where="--issued", fix=fix
        )
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        raise BadDocument(
            f"--issued {issued!r} is not a calendar date ({exc})", where="--issued", fix=fix
        ) from exc
    return issued.strip()


def default_key(issuer: str, doc_type: str, issued: str) -> str:
    """A readable key when none is given: <issuer code>-<type>-<year>, lower case."""
    return f"{issuer}-{doc_type}-{issued[:4]}".lower()


def check_key(key: str) -> str:
    if not _SLUG.match(key):
        raise BadDocument(
            f"document key {key!r} is not a slug",
            where="--key",
            fix="use lower-case ASCII letters, digits and -, e.g. 310000-work-plan-2022",
        )
    return key


def record_path(paths: ProjectPaths, key: str) -> Path:
    return paths.documents / f"{key}.json"


def text_path(paths: ProjectPaths, key: str) -> Path:
    return paths.documents / f"{key}.txt"


def register(
    paths: ProjectPaths,
    source: Path,
    *,
    key: str,
    title_zh: str,
    title_en: str,
    issuer: str,
    issued: str,
    doc_type: str,
    url: str = "",
    replace: bool = False,
) -> DocumentRecord:
    """Store the normalised text and the record of a document; refuses to overwrite a
    registered document with another text unless `replace`."""
    check_key(key)
    issued = check_issued(issued)
    if not title_zh.strip():
        raise BadDocument(
            "the title is empty", where="--title", fix="give the document's Chinese title"
        )
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise BadDocument(
            f"cannot read the file: {exc.strerror}", where=str(source), fix="check the path"
        ) from exc
    text = normalise(decode(data, str(source)))
    if not text.strip():
        raise BadDocument(
            "the file has no text",
            where=str(source),
            fix="register a file with the document's text",
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    record = DocumentRecord(
        key,
        title_zh.strip(),
        title_en.strip(),
        issuer,
        issued,
        doc_type,
        url.strip(),
        source.name,
        digest,
    )
    existing = record_path(paths, key)
    if existing.exists() and not replace:
        old = load_record(paths, key)
        if old.sha256 != digest:
            raise BadDocument(
                f"document {key!r} is already registered with another text",
                where=str(existing),
                fix="give another --key, or --replace to register the new text (then run "
                "extract again: offsets in the old sheet no longer hold)",
            )
    paths.documents.mkdir(parents=True, exist_ok=True)
    text_path(paths, key).write_text(text, encoding="utf-8")
    existing.write_text(
        json.dumps(asdict(record), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return record


def load_record(paths: ProjectPaths, key: str) -> DocumentRecord:
    """The record of a registered document."""
    path = record_path(paths, key)
    if not path.exists():
        known = (
            sorted(p.stem for p in paths.documents.glob("*.json"))
            if paths.documents.exists()
            else []
        )
        raise UnknownDocument(
            f"no document {key!r} is registered",
            where=str(path),
            fix=(
                "register it with `cckg ingest add FILE ...` first"
                + (f"; registered: {', '.join(known)}" if known else "")
            ),
        )
    try:
        return DocumentRecord(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise BadDocument(
            f"the record does not read: {exc}",
            where=str(path),
            fix="register the document again with `cckg ingest add --replace`",
        ) from exc


def load_text(paths: ProjectPaths, key: str) -> str:
    """The stored (normalised) text of a registered document."""
    load_record(paths, key)
    return text_path(paths, key).read_text(encoding="utf-8")
