"""cckg.sources.placenames and cckg.sources.romanise: division types, short names, search
forms and English names of Chinese division names."""

from __future__ import annotations

import pytest

from cckg.sources.gazetteer_sources import read_ethnic_groups
from cckg.sources.placenames import UnknownDivisionName, division_type, split_name
from cckg.sources.romanise import join_syllables, pinyin_name, romanised_english, syllables

ETHNIC = read_ethnic_groups()


@pytest.mark.parametrize(("name", "level", "kind", "short", "forms"), [
    ("山东省", "province", "province", "山东", ("山东",)),
    ("北京市", "province", "municipality", "北京", ("北京",)),
    ("内蒙古自治区", "province", "autonomous-region", "内蒙古", ("内蒙古",)),
    ("广西壮族自治区", "province", "autonomous-region", "广西", ("广西",)),
    ("青岛市", "prefecture", "prefecture-level-city", "青岛", ("青岛",)),
    ("和田地区", "prefecture", "prefecture", "和田", ("和田",)),
    ("锡林郭勒盟", "prefecture", "league", "锡林郭勒", ("锡林郭勒",)),
    ("恩施土家族苗族自治州", "prefecture", "autonomous-prefecture", "恩施", ("恩施", "恩施州")),
    ("伊犁哈萨克自治州", "prefecture", "autonomous-prefecture", "伊犁", ("伊犁", "伊犁州")),
    ("长阳土家族自治县", "county", "autonomous-county", "长阳", ("长阳", "长阳县")),
    ("龙胜各族自治县", "county", "autonomous-county", "龙胜", ("龙胜", "龙胜县")),
    ("东乡族自治县", "county", "autonomous-county", "东乡", ("东乡", "东乡县")),
    ("鄂伦春自治旗", "county", "autonomous-banner", "鄂伦春", ("鄂伦春", "鄂伦春旗")),
    ("神农架林区", "county", "forestry-district", "神农架", ("神农架",)),
    ("金林区", "county", "district", "金林", ("金林",)),
    ("浦东新区", "county", "district", "浦东", ("浦东",)),
    ("清新区", "county", "district", "清新", ("清新",)),
    ("六枝特区", "county", "special-district", "六枝", ("六枝",)),
    ("城区", "county", "district", "城区", ()),
    ("沙县", "county", "county", "沙县", ()),
    ("芒市", "county", "county-level-city", "芒市", ()),
    ("苏尼特左旗", "county", "banner", "苏尼特左", ("苏尼特左",)),
])
def test_split_name(name: str, level: str, kind: str, short: str, forms: tuple[str, ...]) -> None:
    parts = split_name(name, level, ETHNIC)
    assert (parts.division_type, parts.short, parts.search_forms()) == (kind, short, forms)


def test_the_code_tells_a_district_from_a_forestry_district() -> None:
    assert split_name("万柏林区", "county", ETHNIC, "140109").stem == "万柏林"
    assert split_name("神农架林区", "county", ETHNIC, "429021").division_type == (
        "forestry-district")


def test_a_name_without_a_division_suffix_is_an_error() -> None:
    with pytest.raises(UnknownDivisionName):
        division_type("西沙群岛", "county")
    with pytest.raises(UnknownDivisionName):
        division_type("市", "county")


@pytest.mark.parametrize(("name", "level", "english", "pinyin"), [
    ("历下区", "county", "Lixia District", "Lìxià Qū"),
    ("长清区", "county", "Changqing District", "Chángqīng Qū"),
    ("长子县", "county", "Zhangzi County", "Zhǎngzǐ Xiàn"),
    ("朝阳区", "county", "Chaoyang District", "Cháoyáng Qū"),
    ("单县", "county", "Shan County", "Shàn Xiàn"),
    ("西安市", "prefecture", "Xi'an", "Xī'ān Shì"),
    ("吕梁市", "prefecture", "Lüliang", "Lǚliáng Shì"),
    ("恩施土家族苗族自治州", "prefecture", "Enshi Tujia Miao Autonomous Prefecture",
     "Ēnshī Tǔjiāzú Miáozú Zìzhìzhōu"),
    ("龙胜各族自治县", "county", "Longsheng Autonomous County", "Lóngshèng Gèzú Zìzhìxiàn"),
    ("浦东新区", "county", "Pudong New Area", "Pǔdōng Xīnqū"),
    ("锡林郭勒盟", "prefecture", "Xilinguolei League", "Xīlínguōlēi Méng"),
])
def test_english_and_pinyin_names(name: str, level: str, english: str, pinyin: str) -> None:
    parts = split_name(name, level, ETHNIC)
    assert romanised_english(parts) == english
    assert pinyin_name(parts) == pinyin


def test_syllables_and_apostrophes() -> None:
    assert syllables("长沙") == ["cháng", "shā"]
    assert join_syllables(["xi", "an"]) == "Xi'an"
    assert join_syllables(["ping", "an"]) == "Ping'an"
