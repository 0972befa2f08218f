"""The files the pages ship: the China map is a fresh conversion of its npm source, and the
CJK font slices cover every character the pages can show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tools.vendor_cjk_font import CSS_NAME, parse_ranges, used_characters

from cckg.errors import CckgError
from cckg.sources.china_map import BOUNDARIES, main, publish

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "cckg" / "server" / "static"
MAPS = ROOT / "data" / "source" / "maps"


def test_served_map_files_are_a_fresh_conversion_of_the_sources(tmp_path: Path) -> None:
    publish(MAPS, tmp_path)
    assert (tmp_path / BOUNDARIES).read_bytes() == (STATIC / "maps" / BOUNDARIES).read_bytes()


def test_map_has_the_31_provinces() -> None:
    china = json.loads((STATIC / "maps" / BOUNDARIES).read_text(encoding="utf-8"))
    codes = {f["properties"]["id"] for f in china["features"]}
    assert len(codes - {"710000", "810000", "820000"}) == 31


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


def test_publish_without_the_source_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(CckgError, match=r"vendor_echarts\.sh"):
        publish(tmp_path, tmp_path / "out")
    assert main(["extract"]) == 2
    assert main(["publish", str(MAPS), str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / BOUNDARIES).is_file()
