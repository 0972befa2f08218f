"""Convert echarts 4.9.0's map of China (map/json/china.json) into plain GeoJSON for the
web pages: src/cckg/server/static/maps/china-provinces.geojson, with echarts' licence.

echarts stores coordinates compressed ("UTF8Encoding": each pair of characters is a
zig-zag-encoded delta from the previous point, scaled by 1024); this decodes them as
echarts' own parseGeoJson does. Each feature keeps echarts' code and short name and gains
the IRI of the province in the graph. The file is served as static data, never put in the
dumps. Regenerate with `python -m cckg.sources.boundaries`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from cckg.errors import CckgError
from cckg.rdf.namespaces import ID
from cckg.sources.gazetteer_sources import SOURCE, BadGazetteerInput

INPUT = SOURCE / "echarts" / "china.json"
STATIC = Path(__file__).resolve().parents[1] / "server" / "static" / "maps"
OUTPUT = STATIC / "china-provinces.geojson"
LICENCE_FILES = {"LICENSE": "LICENSE-echarts.txt", "NOTICE": "NOTICE-echarts.txt"}
SCALE = 1024
#: Features of echarts' map that are not provinces of the graph (no IRI).
OUTSIDE_GRAPH = frozenset({"710000", "810000", "820000"})


def decode_ring(encoded: str, offset: list[int], scale: int = SCALE) -> list[list[float]]:
    """One ring of echarts' UTF8Encoding as [longitude, latitude] pairs."""
    x_prev, y_prev = offset
    ring = []
    for i in range(0, len(encoded) - 1, 2):
        x, y = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ -(x & 1)
        y = (y >> 1) ^ -(y & 1)
        x_prev, y_prev = x + x_prev, y + y_prev
        ring.append([round(x_prev / scale, 5), round(y_prev / scale, 5)])
    return ring


def _geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    kind, coords, offsets = geometry["type"], geometry["coordinates"], geometry["encodeOffsets"]
    if kind == "Polygon":
        rings = [decode_ring(r, o) for r, o in zip(coords, offsets, strict=True)]
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [[decode_ring(r, o) for r, o in zip(poly, offs, strict=True)]
                    for poly, offs in zip(coords, offsets, strict=True)]
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise BadGazetteerInput(f"unexpected geometry type {kind}", where=str(INPUT),
                            fix="extract china.json again from echarts 4.9.0")


def provinces_geojson(source: dict[str, Any]) -> dict[str, Any]:
    """echarts' encoded FeatureCollection as plain GeoJSON keyed by code, with IRIs."""
    if not source.get("UTF8Encoding"):
        raise BadGazetteerInput("not echarts' encoded map (no UTF8Encoding)", where=str(INPUT),
                                fix="extract map/json/china.json from echarts 4.9.0")
    features: list[dict[str, Any]] = []
    for feature in source.get("features", []):
        code = str(feature["properties"]["id"])
        properties = {"code": code, "name": feature["properties"]["name"],
                      "iri": None if code in OUTSIDE_GRAPH else str(ID[f"place/{code}"])}
        features.append({"type": "Feature", "id": code, "properties": properties,
                         "geometry": _geometry(feature["geometry"])})
    features.sort(key=lambda f: str(f["id"]))
    return {
        "type": "FeatureCollection",
        "source": "echarts 4.9.0 (npm), map/json/china.json; Apache-2.0, see "
                  "LICENSE-echarts.txt and NOTICE-echarts.txt",
        "features": features,
    }


def to_json(collection: dict[str, Any]) -> str:
    """Compact, stable JSON text of the collection."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the static GeoJSON and echarts' licence files next to it."""
    parser = argparse.ArgumentParser(prog="python -m cckg.sources.boundaries",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--input", type=Path, default=INPUT)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    try:
        if not args.input.is_file():
            raise BadGazetteerInput("file not found", where=str(args.input),
                                    fix="run `python -m cckg.sources.gazetteer_inputs FOLDER`")
        collection = provinces_geojson(json.loads(args.input.read_text(encoding="utf-8")))
    except (CckgError, ValueError, KeyError) as exc:
        message = exc.message if isinstance(exc, CckgError) else f"{args.input}: {exc!r}"
        print(message, file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_json(collection), encoding="utf-8")
    for name, target in LICENCE_FILES.items():
        shutil.copyfile(args.input.parent / name, args.out.parent / target)
    print(f"wrote {args.out} ({len(collection['features'])} features)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
