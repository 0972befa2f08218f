"""The concepts a review sheet may name and the Chinese words the extractor reads for them,
taken from ontology/vocabularies.ttl (so a concept added there is usable at once)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from cckg.rdf.namespaces import CCKG, ID

#: Commitment classes a sheet row may name (local names of cckg: classes).
COMMITMENT_TYPES = (
    "PeakTarget",
    "EmissionCapTarget",
    "IntensityTarget",
    "ReductionTarget",
    "TargetSettingCommitment",
    "ResearchCommitment",
    "SupportCommitment",
    "NeutralityTarget",
    "NonFossilShareTarget",
    "EnergyIntensityTarget",
    "CapacityTarget",
)
#: The SKOS schemes a sheet column takes slugs from.
SCHEMES = ("sector", "timing", "strength", "metric", "unit", "document-type", "report-category")


@dataclass(frozen=True)
class Vocabulary:
    """Slugs of every concept per scheme, and the Chinese labels of each sector."""

    slugs: dict[str, frozenset[str]]
    sector_words: tuple[tuple[str, str], ...]  # (Chinese word, sector slug), longest first
    category_labels: tuple[tuple[str, str], ...]  # (Chinese heading, report-category slug)

    def knows(self, scheme: str, slug: str) -> bool:
        return slug in self.slugs.get(scheme, frozenset())


def _slug(concept: URIRef, scheme: str) -> str | None:
    prefix = f"{ID}{scheme}/"
    return str(concept)[len(prefix) :] if str(concept).startswith(prefix) else None


@lru_cache(maxsize=4)
def load_vocabulary(path: Path) -> Vocabulary:
    """The vocabulary of the SKOS file at `path` (ontology/vocabularies.ttl)."""
    graph = Graph().parse(path, format="turtle")
    slugs: dict[str, frozenset[str]] = {}
    for scheme in SCHEMES:
        found = {
            slug
            for concept in graph.subjects(SKOS.inScheme, ID[f"scheme/{scheme}"])
            if isinstance(concept, URIRef) and (slug := _slug(concept, scheme))
        }
        slugs[scheme] = frozenset(found)
    words: set[tuple[str, str]] = set()
    for concept in graph.subjects(RDF.type, CCKG.Sector):
        slug = _slug(concept, "sector") if isinstance(concept, URIRef) else None
        if slug is None:
            continue
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, predicate):
                if isinstance(label, Literal) and label.language == "zh":
                    words.add((str(label), slug))
    ordered = tuple(sorted(words, key=lambda w: (-len(w[0]), w[0])))
    headings = tuple(
        sorted(
            (str(label), slug)
            for concept in graph.subjects(RDF.type, CCKG.ReportCategory)
            if isinstance(concept, URIRef) and (slug := _slug(concept, "report-category"))
            for label in graph.objects(concept, SKOS.prefLabel)
            if isinstance(label, Literal) and label.language == "zh"
        )
    )
    return Vocabulary(slugs, ordered, headings)


def category_of(heading: str, vocabulary: Vocabulary) -> str | None:
    """The report category a table heading names: the label it matches best, if at least
    90% alike (the report prints 身份 for 省份 in one heading)."""
    from difflib import SequenceMatcher

    best = max(
        (
            (SequenceMatcher(None, heading, label).ratio(), slug)
            for label, slug in vocabulary.category_labels
        ),
        default=(0.0, None),
    )
    return best[1] if best[0] >= 0.9 else None
