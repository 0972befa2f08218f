"""cckg.sources.boundaries: echarts 4.9.0's province map as plain GeoJSON for the pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cckg.sources.boundaries import INPUT, OUTPUT, decode_ring, main, provinces_geojson, to_json
from cckg.sources.gazetteer_sources import BadGazetteerInput


def test_committed_file_is_a_fresh_conversion() -> None:
    fresh = to_json(provinces_geojson(json.loads(INPUT.read_text(encoding="utf-8"))))
    assert fresh == OUTPUT.read_text(encoding="utf-8")
    for name in ("LICENSE-echarts.txt", "NOTICE-echarts.txt"):
        assert (OUTPUT.parent / name).is_file()
    assert "Apache License" in (OUTPUT.parent / "LICENSE-echarts.txt").read_text()


def test_34_features_keyed_by_code_with_the_provinces_iris() -> None:
    collection = json.loads(OUTPUT.read_text(encoding="utf-8"))
    features = {f["id"]: f for f in collection["features"]}
    assert len(features) == 34
    with_iri = {c for c, f in features.items() if f["properties"]["iri"]}
    assert len(with_iri) == 31 and {"710000", "810000", "820000"}.isdisjoint(with_iri)
    assert features["370000"]["properties"] == {
        "code": "370000", "name": "山东", "iri": "https://w3id.org/cckg/id/place/370000"}


def test_decoded_coordinates_lie_in_their_province() -> None:
    collection = json.loads(OUTPUT.read_text(encoding="utf-8"))
    beijing = next(f for f in collection["features"] if f["id"] == "110000")
    ring = beijing["geometry"]["coordinates"][0]
    longitudes, latitudes = [p[0] for p in ring], [p[1] for p in ring]
    assert 115.4 < min(longitudes) < max(longitudes) < 117.6
    assert 39.4 < min(latitudes) < max(latitudes) < 41.1


def test_decode_ring_undoes_the_zigzag_delta_encoding() -> None:
    # (+2, -1) then (-3, +4) from the offset (1024, 2048), in units of 1/1024 degree
    encoded = chr(64 + 4) + chr(64 + 1) + chr(64 + 5) + chr(64 + 8)
    assert decode_ring(encoded, [1024, 2048]) == [[1.00195, 1.99902], [0.99902, 2.00293]]


def test_a_map_that_is_not_echarts_encoded_is_an_error(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       ) -> None:
    with pytest.raises(BadGazetteerInput):
        provinces_geojson({"type": "FeatureCollection", "features": []})
    plain = tmp_path / "china.json"
    plain.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert main(["--input", str(plain), "--out", str(tmp_path / "out.geojson")]) == 1
    assert "UTF8Encoding" in capsys.readouterr().err
