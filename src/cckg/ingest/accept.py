"""Accepting a review sheet: its accepted rows become data/ttl/sources/<doc>.ttl, modelled
like the curated data (a commitment with committedBy, appliesTo, year, timing, strength,
metric and quantities, statedIn the document, derived from a SourcePassage quoting it).

Before anything is written: every row is checked (sheet.read_sheet), every quote must be the
document's own words, and the new file together with the rest of the graph must pass the
SHACL shapes. The same sheet always gives the same bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from cckg.errors import ValidationFailed
from cckg.ingest import turtle as ttl
from cckg.ingest.register import DocumentRecord, load_record, load_text
from cckg.ingest.revisions import Facts, Revision, find_revisions
from cckg.ingest.sheet import Checks, Row, read_sheet
from cckg.ingest.text import squeeze
from cckg.ingest.vocab import load_vocabulary
from cckg.paths import ProjectPaths
from cckg.pipeline.load import load_dataset, union_graph
from cckg.pipeline.validate import load_shapes, validate_dataset
from cckg.rdf.namespaces import CCKG, ID

PROV = "http://www.w3.org/ns/prov#"
SCHEMA_URL = URIRef("https://schema.org/url")
_KIND_PREFIX = {"zone:": "zone/", "place-group:": "place-group/", "place:": "place/"}


def sheet_path(paths: ProjectPaths, key: str) -> Path:
    return paths.sheets / f"{key}.csv"


def output_path(paths: ProjectPaths, key: str) -> Path:
    return paths.ingested / f"{key}.ttl"


def place_iri(token: str) -> URIRef:
    """The IRI a sheet's place token names: a code, zone:slug, place-group:slug or an IRI."""
    if token.startswith(("http://", "https://")):
        return URIRef(token)
    for prefix, kind in _KIND_PREFIX.items():
        if token.startswith(prefix):
            return ID[kind + token[len(prefix) :]]
    return ID[f"place/{token}"]


def locator(text: str) -> Callable[[str, int | None, int | None], tuple[int, int] | str]:
    """A check that a quote is the document's words, whitespace aside (documents break lines
    anywhere): at its offsets if they are given and hold, else found anywhere."""
    chars = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    flat = "".join(c for _, c in chars)

    def locate(quote: str, start: int | None, end: int | None) -> tuple[int, int] | str:
        wanted = squeeze(quote)
        offsets_hold = start is not None and end is not None and 0 <= start <= end <= len(text)
        if offsets_hold and squeeze(text[start:end]) == wanted:
            return start, end  # type: ignore[return-value]
        at = flat.find(wanted) if wanted else -1
        if at < 0:
            return _mismatch(flat, wanted)
        return chars[at][0], chars[at + len(wanted) - 1][0] + 1

    return locate


def _mismatch(document: str, quote: str) -> str:
    """Where a quote leaves the document's words (the longest prefix found)."""
    low, high = 0, len(quote)
    while low < high:
        mid = (low + high + 1) // 2
        if quote[:mid] in document:
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return "is not in the document's text"
    return (
        f"is not in the document's text: it matches for {low} characters "
        f"(…{quote[max(0, low - 10) : low]}) then has {quote[low : low + 10]!r}"
    )


@dataclass(frozen=True)
class Accepted:
    """What an accept wrote."""

    path: Path
    commitments: int
    skipped: int
    undecided: int
    revisions: dict[URIRef, Revision]


def _other_files(paths: ProjectPaths, key: str) -> list[Path]:
    mine = output_path(paths, key).resolve()
    return [p for p in paths.source_files() if p.resolve() != mine]


def _label(graph: Graph, node: URIRef, lang: str) -> str:
    for value in graph.objects(node, RDFS.label):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _known_places(graph: Graph) -> Callable[[str], bool]:
    places = {
        s
        for kind in (
            CCKG.Place,
            CCKG.PlaceGroup,
            CCKG.Jurisdiction,
            CCKG.Zone,
            CCKG.Province,
            CCKG.Prefecture,
            CCKG.County,
            CCKG.Nation,
            CCKG.City,
        )
        for s in graph.subjects(RDF.type, kind)
    }
    return lambda token: place_iri(token) in places


def document_block(record: DocumentRecord, graph: Graph) -> ttl.Block:
    """The cckg:PolicyDocument of a registered document."""
    doc = ID[f"document/{record.key}"]
    issuer = ID[f"place/{record.issuer}"]
    type_iri = ID[f"document-type/{record.type}"]
    title_en = record.title_en or (
        f"{_label(graph, issuer, 'en')}: {_label(graph, type_iri, 'en')} ({record.year})"
    )
    issued_type = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(record.issued), XSD.date)
    block = ttl.Block(doc, [CCKG.PolicyDocument])
    block.add(RDFS.label, Literal(title_en, lang="en"), Literal(record.title_zh, lang="zh"))
    block.add(DCTERMS.title, Literal(title_en, lang="en"), Literal(record.title_zh, lang="zh"))
    block.add(CCKG.documentType, type_iri)
    block.add(CCKG.issuedBy, issuer)
    block.add(DCTERMS.issued, Literal(record.issued, datatype=issued_type))
    block.add(CCKG.issuedYear, Literal(record.year))
    if record.url:
        block.add(SCHEMA_URL, Literal(record.url, datatype=XSD.anyURI))
    block.add(
        RDFS.comment,
        Literal(
            f"Taken in with `cckg ingest` from {record.source_file}; the normalised text is "
            f"data/source/documents/{record.key}.txt (SHA-256 {record.sha256}).",
            lang="en",
        ),
    )
    return block


def _commitment_label(row: Row, graph: Graph, lang: str) -> str:
    committer = _label(graph, place_iri(row.committer), lang)
    kind = _label(graph, CCKG[row.type], lang)
    timing = _label(graph, ID[f"timing/{row.timing}"], lang) if row.timing else ""
    metric = _label(graph, ID[f"metric/{row.metric}"], lang) if row.metric else ""
    places = [_label(graph, place_iri(p), lang) for p in row.places if p != row.committer]
    if lang == "zh":
        year = ""
        if row.target_year:
            year = (
                f"到{row.target_year}年" if row.timing == "by" else f"{row.target_year}年{timing}"
            )
        where = f"（{'、'.join(places)}）" if places else ""
        return f"{committer}{where}：{year}{kind}" + (f"（{metric}）" if metric else "")
    where = f" for {', '.join(places)}" if places else ""
    year = f", {timing} {row.target_year}" if row.target_year else ""
    return f"{committer}: {kind}{where}{year}" + (f" ({metric})" if metric else "")


def commitment_blocks(
    record: DocumentRecord, row: Row, graph: Graph, revision: Revision | None
) -> list[ttl.Block]:
    """A commitment and its passage, from one accepted row."""
    doc = ID[f"document/{record.key}"]
    node = ID[f"commitment/{record.key}-{row.id}"]
    passage = ID[f"passage/{record.key}-{row.id}"]
    block = ttl.Block(node, [CCKG[row.type]])
    block.add(
        RDFS.label,
        Literal(_commitment_label(row, graph, "en"), lang="en"),
        Literal(_commitment_label(row, graph, "zh"), lang="zh"),
    )
    block.add(CCKG.committedBy, place_iri(row.committer))
    block.add(CCKG.appliesTo, *[place_iri(p) for p in (row.places or [row.committer])])
    block.add(CCKG.coversSector, *[ID[f"sector/{s}"] for s in row.sectors])
    block.add(CCKG.targetYear, Literal(row.target_year) if row.target_year else None)
    block.add(CCKG.baseYear, Literal(row.base_year) if row.base_year else None)
    block.add(CCKG.timing, ID[f"timing/{row.timing}"] if row.timing else None)
    block.add(CCKG.earlierIfPossible, Literal(True) if row.earlier_if_possible else None)
    block.add(CCKG.strength, ID[f"strength/{row.strength}"])
    block.add(CCKG.metric, ID[f"metric/{row.metric}"] if row.metric else None)
    block.add(CCKG.value, ttl.decimal(row.value) if row.value is not None else None)
    block.add(CCKG.valueMin, ttl.decimal(row.value_min) if row.value_min is not None else None)
    block.add(CCKG.valueMax, ttl.decimal(row.value_max) if row.value_max is not None else None)
    block.add(CCKG.unit, ID[f"unit/{row.unit}"] if row.unit else None)
    block.add(CCKG.approximate, Literal(True) if row.approximate else None)
    block.add(CCKG.relativeToPeak, Literal(True) if row.relative_to_peak else None)
    block.add(CCKG.statedIn, doc)
    block.add(URIRef(PROV + "wasDerivedFrom"), passage)
    if revision is not None:
        block.add(CCKG.restates if revision.restates else CCKG.revises, revision.earlier)
        block.add(CCKG.revisionChange, *[ID[f"revision-change/{c}"] for c in revision.changes])
    if row.note:
        block.add(RDFS.comment, Literal(row.note, lang="en"))
    source = ttl.Block(passage, [CCKG.SourcePassage])
    source.add(
        RDFS.label,
        Literal(f"{record.key}, sheet row {row.id}", lang="en"),
        Literal(f"{record.title_zh} 第{row.id}条", lang="zh"),
    )
    source.add(CCKG.quote, Literal(row.quote, lang="zh"))
    source.add(CCKG.section, Literal(row.section or "正文"))
    source.add(CCKG.rowNumber, Literal(row.row) if row.row else None)
    source.add(CCKG.passageOf, doc)
    source.add(
        RDFS.comment,
        Literal(
            f"Characters {row.start}–{row.end} of data/source/documents/{record.key}.txt.",
            lang="en",
        ),
    )
    return [block, source]


def _facts(record: DocumentRecord, rows: list[Row]) -> list[Facts]:
    facts = []
    for row in rows:
        facts.append(
            Facts(
                iri=ID[f"commitment/{record.key}-{row.id}"],
                kind=CCKG[row.type],
                committer=place_iri(row.committer),
                metric=ID[f"metric/{row.metric}"] if row.metric else None,
                places=frozenset(place_iri(p) for p in (row.places or [row.committer])),
                sectors=frozenset(ID[f"sector/{s}"] for s in row.sectors),
                base_year=row.base_year,
                year=row.target_year,
                timing=ID[f"timing/{row.timing}"] if row.timing else None,
                value=row.value,
                value_min=row.value_min,
                value_max=row.value_max,
            )
        )
    return facts


def render(paths: ProjectPaths, key: str, sheet: Path | None = None) -> tuple[str, Accepted]:
    """The Turtle an accept would write, and what it holds (nothing is written)."""
    record = load_record(paths, key)
    text = load_text(paths, key)
    graph = union_graph(load_dataset(_other_files(paths, key), root=paths.root))
    checks = Checks(
        load_vocabulary(paths.ontology / "vocabularies.ttl"), _known_places(graph), locator(text)
    )
    rows = read_sheet(sheet or sheet_path(paths, key), checks)
    accepted = [r for r in rows if r.accepted]
    revisions = find_revisions(graph, _facts(record, accepted), record.issued)
    blocks = [document_block(record, graph)]
    for row in accepted:
        node = ID[f"commitment/{record.key}-{row.id}"]
        blocks += commitment_blocks(record, row, graph, revisions.get(node))
    header = (
        f"Commitments taken in from {record.title_zh} ({record.key}), issued {record.issued}.\n"
        f"Written by `cckg ingest accept {record.key}` from the review sheet "
        f"data/source/sheets/{record.key}.csv; edit the sheet, not this file."
    )
    result = Accepted(
        output_path(paths, key),
        len(accepted),
        sum(r.status == "reject" for r in rows),
        sum(r.status == "" for r in rows),
        revisions,
    )
    return ttl.document(header, blocks), result


def accept(paths: ProjectPaths, key: str, sheet: Path | None = None) -> Accepted:
    """Write data/ttl/sources/<key>.ttl from the sheet, after the shapes pass on it."""
    content, result = render(paths, key, sheet)
    paths.ingested.mkdir(parents=True, exist_ok=True)
    candidate = result.path.with_suffix(".ttl.new")
    candidate.write_text(content, encoding="utf-8")
    try:
        dataset = load_dataset([*_other_files(paths, key), candidate], root=paths.root)
        outcome = validate_dataset(dataset, load_shapes(paths.shapes))
        if not outcome.conforms:
            raise ValidationFailed(
                f"the accepted rows break {len(outcome.violations)} SHACL rule(s); nothing was "
                f"written:\n{outcome.format_report()}",
                where=str(result.path),
                fix="correct the rows the messages name in the sheet and accept again",
            )
        candidate.replace(result.path)
    finally:
        candidate.unlink(missing_ok=True)
    return result
