"""The map of China the map pages draw, from the npm package echarts 4.9.0 (Apache-2.0).

Two steps, both run by tools/vendor_echarts.sh:

- `extract`: the centre point (`cp`) of every division in the package's
  map/json/province/*.json -> data/source/maps/prefecture-points.csv (code, name, lon, lat);
  china.json (province boundaries, ECharts' compressed GeoJSON) is copied as it is.
- `publish`: data/source/maps/ -> the files the pages load from /static/maps/:
  china.json byte for byte and points.json ({admin code: [lon, lat]}).

A test runs `publish` again and compares, so the served files never drift from the sources.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

from cckg.errors import CckgError

POINTS_CSV = "prefecture-points.csv"
BOUNDARIES = "china.json"
POINTS_JSON = "points.json"
FIELDS = ("code", "name", "lon", "lat")


def extract_points(province_dir: Path) -> list[dict[str, str]]:
    """Code, name and centre of every feature with an id and a `cp` in the province files."""
    rows: dict[str, dict[str, str]] = {}
    for path in sorted(Path(province_dir).glob("*.json")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            code, props = str(feature.get("id", "")), feature.get("properties", {})
            centre = props.get("cp")
            if len(code) == 6 and code.isdigit() and centre:
                rows[code] = {"code": code, "name": props.get("name", ""),
                              "lon": f"{centre[0]:.6f}", "lat": f"{centre[1]:.6f}"}
    if not rows:
        raise CckgError("no divisions with a centre point found", where=str(province_dir),
                        fix="pass echarts 4.9.0's map/json/province directory")
    return [rows[c] for c in sorted(rows)]


def write_points_csv(rows: list[dict[str, str]], path: Path) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def points_json(maps_dir: Path) -> str:
    """points.json's text: {admin code: [lon, lat]} from the points CSV."""
    with (Path(maps_dir) / POINTS_CSV).open(encoding="utf-8", newline="") as handle:
        points = {r["code"]: [float(r["lon"]), float(r["lat"])] for r in csv.DictReader(handle)}
    return json.dumps(points, separators=(",", ":"), sort_keys=True) + "\n"


def publish(maps_dir: Path, static_dir: Path) -> None:
    """Write the served map files from data/source/maps/."""
    static_dir = Path(static_dir)
    static_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(maps_dir) / BOUNDARIES, static_dir / BOUNDARIES)
    (static_dir / POINTS_JSON).write_text(points_json(maps_dir), encoding="utf-8")


def main(argv: list[str]) -> int:
    """`extract PROVINCE_DIR CSV` or `publish MAPS_DIR STATIC_DIR`."""
    if len(argv) == 3 and argv[0] == "extract":
        write_points_csv(extract_points(Path(argv[1])), Path(argv[2]))
        return 0
    if len(argv) == 3 and argv[0] == "publish":
        publish(Path(argv[1]), Path(argv[2]))
        return 0
    print("usage: python -m cckg.sources.china_map extract PROVINCE_DIR CSV | "
          "publish MAPS_DIR STATIC_DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
