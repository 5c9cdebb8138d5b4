#!/usr/bin/env bash
# The browser tests' own modules (puppeteer-core, pinned by package-lock.json), installed once per
# lock file before the tests that use them (a ctest fixture: two npm ci at once would collide).
# node_modules is not committed; no browser is downloaded (Debian's chromium is used).
set -euo pipefail
cd "$(dirname "$0")"
command -v npm > /dev/null || { echo "node and npm are needed (scripts/test.sh installs nodejs npm)"; exit 1; }
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
