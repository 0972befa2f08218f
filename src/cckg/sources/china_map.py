"""The map of China the map pages draw, from the npm package echarts 4.9.0 (Apache-2.0).

tools/vendor_echarts.sh puts the package's map/json/china.json (province boundaries,
ECharts' compressed GeoJSON) in data/source/maps/; `publish` copies it byte for byte to
the folder the pages load from (/static/maps/). A test runs `publish` again and compares,
so the served file never drifts from its source. Cities are drawn at the points the
gazetteer gives them (geo:hasGeometry), read from the store with the rest of the map data.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from cckg.errors import CckgError

BOUNDARIES = "china.json"


def publish(maps_dir: Path, static_dir: Path) -> None:
    """Write the served map file from data/source/maps/."""
    source = Path(maps_dir) / BOUNDARIES
    if not source.is_file():
        raise CckgError(f"no {BOUNDARIES} to publish", where=str(source),
                        fix="run tools/vendor_echarts.sh, which takes it from echarts 4.9.0")
    static_dir = Path(static_dir)
    static_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, static_dir / BOUNDARIES)


def main(argv: list[str]) -> int:
    """`publish MAPS_DIR STATIC_DIR`."""
    if len(argv) == 3 and argv[0] == "publish":
        publish(Path(argv[1]), Path(argv[2]))
        return 0
    print("usage: python -m cckg.sources.china_map publish MAPS_DIR STATIC_DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
