#!/usr/bin/env bash
# Vendor Apache ECharts (Apache-2.0) and the China map it used to ship, so the map and
# timeline pages need no CDN and no npm at run time. Run it again to upgrade:
# ECHARTS_VERSION=x.y.z. The map comes from echarts 4.9.0 (the last release with
# map/json/): province boundaries (china.json, byte for byte). Cities are drawn at the
# gazetteer's points, not at this package's.
set -euo pipefail

VERSION="${ECHARTS_VERSION:-5.6.0}"
MAP_VERSION="4.9.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/cckg/server/static/echarts"
MAPS="$ROOT/data/source/maps"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "npm is needed to vendor ECharts (apt-get install npm)" >&2; exit 1; }

for v in "$VERSION" "$MAP_VERSION"; do
    mkdir -p "$WORK/$v"
    (cd "$WORK/$v" && npm pack --silent "echarts@$v" >/dev/null && tar -xzf "echarts-$v.tgz")
    LICENSE_FIELD="$(node -p "require('$WORK/$v/package/package.json').license")"
    if [ "$LICENSE_FIELD" != "Apache-2.0" ]; then
        echo "echarts@$v is licensed '$LICENSE_FIELD', not Apache-2.0: not vendoring" >&2
        exit 1
    fi
done

mkdir -p "$DEST" "$MAPS"
sed -e 's|//# sourceMappingURL=echarts.min.js.map||' "$WORK/$VERSION/package/dist/echarts.min.js" > "$DEST/echarts.min.js"
cp "$WORK/$VERSION/package/LICENSE" "$DEST/LICENSE.txt"
cp "$WORK/$VERSION/package/NOTICE" "$DEST/NOTICE.txt"
printf 'echarts %s (npm), licence Apache-2.0, vendored by tools/vendor_echarts.sh\n' "$VERSION" > "$DEST/VERSION.txt"

cp "$WORK/$MAP_VERSION/package/map/json/china.json" "$MAPS/china.json"
cp "$WORK/$MAP_VERSION/package/LICENSE" "$MAPS/LICENSE-echarts.txt"
"$ROOT/.venv/bin/python" -m cckg.sources.china_map publish "$MAPS" "$ROOT/src/cckg/server/static/maps"
echo "vendored echarts@$VERSION into $DEST and the map of echarts@$MAP_VERSION into $MAPS"
