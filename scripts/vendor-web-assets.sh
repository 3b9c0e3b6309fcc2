#!/usr/bin/env bash
# Refreshes the front end's third-party assets from the npm registry into the repository, where they
# are kept as plain files: nobody needs Node to build, run or test samverkan, only to refresh these.
#
#   @fkui/design  → web/static/vendor/fkui-design/   (Försäkringskassan's design system: CSS, MIT)
#   axe-core      → web/testdata/vendor/axe-core/     (accessibility checks the browser tests inject, MPL-2.0)
#   swagger-ui-dist → api/docs/vendor/swagger-ui/     (the API's docs page, GET /api/v1/docs, Apache-2.0)
#
# Change a version below, run the script, read the diff, and commit: web/static/vendor/VERSIONS.md
# records each file's version, licence and SHA-256, and TestVendoredAssetsAreAsRecorded holds the
# files to it.
set -euo pipefail
cd "$(dirname "$0")/.."

FKUI_VERSION=6.44.0
AXE_VERSION=4.14.1
SWAGGER_UI_VERSION=5.35.0

command -v npm >/dev/null || { echo "npm is needed to refresh the assets (apt-get install -y npm)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@fkui/design@$FKUI_VERSION" "axe-core@$AXE_VERSION" "swagger-ui-dist@$SWAGGER_UI_VERSION" >/dev/null)
mkdir -p "$work/fkui" "$work/axe" "$work/swagger"
tar -xzf "$work/fkui-design-$FKUI_VERSION.tgz" -C "$work/fkui"
tar -xzf "$work/axe-core-$AXE_VERSION.tgz" -C "$work/axe"
tar -xzf "$work/swagger-ui-dist-$SWAGGER_UI_VERSION.tgz" -C "$work/swagger"

fkui=web/static/vendor/fkui-design
axe=web/testdata/vendor/axe-core
swagger=api/docs/vendor/swagger-ui
rm -rf "$fkui" "$axe" "$swagger"
mkdir -p "$fkui" "$axe" "$swagger"
cp "$work/fkui/package/lib/fkui.min.css" "$fkui/fkui.min.css"
cp "$work/fkui/package/LICENSE.md" "$fkui/LICENSE.md"
cp "$work/axe/package/axe.min.js" "$axe/axe.min.js"
cp "$work/axe/package/LICENSE" "$axe/LICENSE"
cp "$work/axe/package/LICENSE-3RD-PARTY.txt" "$axe/LICENSE-3RD-PARTY.txt"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
  cp "$work/swagger/package/$f" "$swagger/$f"
done

sha() { sha256sum "$1" | cut -d' ' -f1; }
cat > web/static/vendor/VERSIONS.md <<MD
# Vendored front-end assets

Fetched from the npm registry by \`scripts/vendor-web-assets.sh\`; do not edit by hand. The test
\`TestVendoredAssetsAreAsRecorded\` (web/) checks every file against its SHA-256 below.

| file | package | version | licence | sha256 |
| --- | --- | --- | --- | --- |
| \`web/static/vendor/fkui-design/fkui.min.css\` | @fkui/design (lib/fkui.min.css) | $FKUI_VERSION | MIT (LICENSE.md beside it) | $(sha "$fkui/fkui.min.css") |
| \`web/static/vendor/fkui-design/LICENSE.md\` | @fkui/design | $FKUI_VERSION | MIT | $(sha "$fkui/LICENSE.md") |
| \`web/testdata/vendor/axe-core/axe.min.js\` | axe-core (axe.min.js) | $AXE_VERSION | MPL-2.0 (LICENSE beside it) | $(sha "$axe/axe.min.js") |
| \`web/testdata/vendor/axe-core/LICENSE\` | axe-core | $AXE_VERSION | MPL-2.0 | $(sha "$axe/LICENSE") |
| \`web/testdata/vendor/axe-core/LICENSE-3RD-PARTY.txt\` | axe-core | $AXE_VERSION | as listed in it | $(sha "$axe/LICENSE-3RD-PARTY.txt") |
| \`api/docs/vendor/swagger-ui/swagger-ui-bundle.js\` | swagger-ui-dist (swagger-ui-bundle.js) | $SWAGGER_UI_VERSION | Apache-2.0 (LICENSE, NOTICE beside it) | $(sha "$swagger/swagger-ui-bundle.js") |
| \`api/docs/vendor/swagger-ui/swagger-ui-bundle.js.LICENSE.txt\` | swagger-ui-dist | $SWAGGER_UI_VERSION | the bundled libraries' licences | $(sha "$swagger/swagger-ui-bundle.js.LICENSE.txt") |
| \`api/docs/vendor/swagger-ui/swagger-ui.css\` | swagger-ui-dist (swagger-ui.css) | $SWAGGER_UI_VERSION | Apache-2.0 | $(sha "$swagger/swagger-ui.css") |
| \`api/docs/vendor/swagger-ui/LICENSE\` | swagger-ui-dist | $SWAGGER_UI_VERSION | Apache-2.0 | $(sha "$swagger/LICENSE") |
| \`api/docs/vendor/swagger-ui/NOTICE\` | swagger-ui-dist | $SWAGGER_UI_VERSION | Apache-2.0 | $(sha "$swagger/NOTICE") |

Only @fkui/design's compiled CSS is used – not its fonts, icons package or Vue components: the CSS
works alone, every custom property it reads has a fallback, and its few icons are data: URLs. The
pages set their own system font stack. axe-core is used only by the browser tests and is not
embedded in the binary (it lives under testdata/). Swagger UI's bundle (scripts and styles, no
fonts fetched) is embedded by api/docs and served beside the API's docs page (GET /api/v1/docs) only:
no page of the front end loads it, so it does not count against the front end's script budget.
MD
echo "vendored @fkui/design $FKUI_VERSION, axe-core $AXE_VERSION and swagger-ui-dist $SWAGGER_UI_VERSION; see web/static/vendor/VERSIONS.md"
