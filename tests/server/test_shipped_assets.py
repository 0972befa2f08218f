"""The files the pages ship: the China map is a fresh conversion of its npm source, and the
CJK font slices cover every character the pages can show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tools.vendor_cjk_font import CSS_NAME, parse_ranges, used_characters

from cckg.errors import CckgError
from cckg.sources.china_map import (
    BOUNDARIES,
    POINTS_JSON,
    extract_points,
    main,
    publish,
    write_points_csv,
)

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "cckg" / "server" / "static"
MAPS = ROOT / "data" / "source" / "maps"


def test_served_map_files_are_a_fresh_conversion_of_the_sources(tmp_path: Path) -> None:
    publish(MAPS, tmp_path)
    for name in (BOUNDARIES, POINTS_JSON):
        assert (tmp_path / name).read_bytes() == (STATIC / "maps" / name).read_bytes(), name


def test_map_has_the_31_provinces_and_points_for_the_prefectures() -> None:
    china = json.loads((STATIC / "maps" / BOUNDARIES).read_text(encoding="utf-8"))
    codes = {f["properties"]["id"] for f in china["features"]}
    assert len(codes - {"710000", "810000", "820000"}) == 31
    points = json.loads((STATIC / "maps" / POINTS_JSON).read_text(encoding="utf-8"))
    lon, lat = points["370100"]  # Jinan
    assert 116.5 < lon < 117.5 and 36.3 < lat < 37.0


def test_shipped_font_slices_cover_every_character_the_pages_show() -> None:
    css = (STATIC / "fonts" / CSS_NAME).read_text(encoding="utf-8")
    covered: set[int] = set()
    for line in css.splitlines():
        if "unicode-range:" in line:
            covered |= parse_ranges(line.split(":", 1)[1].rstrip(";"))
        if "url(./" in line:
            name = line.split("url(./", 1)[1].split(")", 1)[0]
            assert (STATIC / "fonts" / name).is_file(), name
    missing = used_characters(ROOT) - covered
    assert not missing, (
        f"characters without a font slice: {''.join(map(chr, sorted(missing)))!r}; "
        "run tools/vendor_cjk_font.py"
    )


def test_font_coverage_check_bites() -> None:
    assert 0x5C71 in parse_ranges("U+5c71,U+4e00-4e0f")  # 山
    assert 0x4E10 not in parse_ranges("U+5c71,U+4e00-4e0f")


def test_extract_takes_the_centre_of_each_division(tmp_path: Path) -> None:
    features = [
        {"id": "370100", "properties": {"name": "济南市", "cp": [117.000923, 36.675807]}},
        {"id": "370200", "properties": {"name": "青岛市"}},  # no centre: left out
        {"id": "3701", "properties": {"name": "short code", "cp": [1, 2]}},  # not GB/T 2260
    ]
    (tmp_path / "shandong.json").write_text(json.dumps({"features": features}),
                                            encoding="utf-8")
    rows = extract_points(tmp_path)
    assert rows == [{"code": "370100", "name": "济南市", "lon": "117.000923",
                     "lat": "36.675807"}]
    write_points_csv(rows, tmp_path / "points.csv")
    assert (tmp_path / "points.csv").read_text(encoding="utf-8").splitlines() == [
        "code,name,lon,lat", "370100,济南市,117.000923,36.675807"]


def test_extract_from_a_folder_without_divisions_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(CckgError, match="map/json/province"):
        extract_points(tmp_path)
    assert main(["extract"]) == 2
    assert main(["publish", str(MAPS), str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / POINTS_JSON).is_file()
