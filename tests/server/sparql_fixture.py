"""The fixture dataset of the SPARQL server tests: four provinces and their peak targets."""

from __future__ import annotations

CCKG = "https://w3id.org/cckg/ontology#"
ID = "https://w3id.org/cckg/id/"
PLACES = "https://w3id.org/cckg/graph/data/ttl/places.ttl"
COMMITMENTS = "https://w3id.org/cckg/graph/data/ttl/commitments.ttl"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
TOKEN = "server-test-token"

#: (admin code, English name, Chinese name, peak year): four provinces with overall peaks.
PROVINCES = [
    ("110000", "Beijing", "北京", 2020),
    ("120000", "Tianjin", "天津", 2025),
    ("530000", "Yunnan", "云南", 2025),
    ("370000", "Shandong", "山东", 2027),
]


def fixture_quads() -> str:
    """N-Quads of the fixture: places in one graph, their peak targets in another."""
    lines = []
    for code, en, zh, year in PROVINCES:
        place, target = f"<{ID}place/{code}>", f"<{ID}commitment/{code}-overall-peak>"
        lines += [
            f"{place} <{TYPE}> <{CCKG}Province> <{PLACES}> .",
            f'{place} <{LABEL}> "{en}"@en <{PLACES}> .',
            f'{place} <{LABEL}> "{zh}"@zh <{PLACES}> .',
            f"{target} <{TYPE}> <{CCKG}PeakTarget> <{COMMITMENTS}> .",
            f"{target} <{CCKG}committedBy> {place} <{COMMITMENTS}> .",
            f'{target} <{CCKG}targetYear> "{year}"^^<{INTEGER}> <{COMMITMENTS}> .',
        ]
    return "\n".join(lines) + "\n"


PEAKS_QUERY = f"""PREFIX cckg: <{CCKG}>
PREFIX rdfs: <{LABEL[:-5]}>
SELECT ?province ?name ?year WHERE {{
  ?target a cckg:PeakTarget ; cckg:committedBy ?province ; cckg:targetYear ?year .
  ?province a cckg:Province ; rdfs:label ?name FILTER(lang(?name) = "zh")
}} ORDER BY ?year ?name"""
