#!/bin/sh
# Takes the screenshots the README shows (docs/*.png) with headless Chromium – Debian's `chromium`
# (apt-get install -y chromium). Each TestScreenshot* test in cmd/samverkan starts `samverkan dev`
# on a data folder of its own, loads the demo directory (`seed --demo`), drives synthetic cases
# through the HTTP API with dev tokens, saves the page as its reader gets it, and has Chromium take
# the picture of the saved file – or, for the front end's pages (TestScreenshotWebPages,
# TestScreenshotPlan), logs in, fills forms in the browser and takes the picture there. Extra
# arguments go to `go test` (e.g. -run '^TestScreenshotYearly').
set -eu
cd "$(dirname "$0")/.."
mkdir -p docs
SAMVERKAN_SCREENSHOTS="$PWD/docs" CGO_ENABLED=0 exec go test ./cmd/samverkan -run '^TestScreenshot' -count=1 -v -timeout 30m "$@"
