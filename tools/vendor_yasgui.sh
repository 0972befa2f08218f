#!/usr/bin/env bash
# Vendor the YASGUI SPARQL editor (MIT) into src/cckg/server/static/yasgui/, so the query
# page needs no CDN and no npm at run time. Run it again to upgrade: YASGUI_VERSION=x.y.z.
set -euo pipefail

VERSION="${YASGUI_VERSION:-4.6.2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/cckg/server/static/yasgui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "npm is needed to vendor YASGUI (apt-get install npm)" >&2; exit 1; }

(cd "$WORK" && npm pack --silent "@zazuko/yasgui@$VERSION" >/dev/null)
tar -xzf "$WORK"/zazuko-yasgui-"$VERSION".tgz -C "$WORK"
LICENSE_FIELD="$(node -p "require('$WORK/package/package.json').license")"
if [ "$LICENSE_FIELD" != "MIT" ]; then
    echo "@zazuko/yasgui@$VERSION is licensed '$LICENSE_FIELD', not MIT: not vendoring" >&2
    exit 1
fi

mkdir -p "$DEST"
# The minified build only: strip the source-map comment, since the maps are not vendored.
sed -e 's|//# sourceMappingURL=yasgui.min.js.map||' "$WORK/package/build/yasgui.min.js" > "$DEST/yasgui.min.js"
sed -e 's|/\*# sourceMappingURL=yasgui.min.css.map \*/||' "$WORK/package/build/yasgui.min.css" > "$DEST/yasgui.min.css"
cp "$ROOT/tools/yasgui-LICENSE.txt" "$DEST/LICENSE.txt"
printf '@zazuko/yasgui %s (npm), licence %s, vendored by tools/vendor_yasgui.sh\n' \
    "$VERSION" "$LICENSE_FIELD" > "$DEST/VERSION.txt"
echo "vendored @zazuko/yasgui@$VERSION into $DEST"
