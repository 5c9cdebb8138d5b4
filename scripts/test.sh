#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite (doctest suites, CLI, embedding, the service and
# its ledger on SQLite and PostgreSQL, the printed report in Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/packages.sh
# The report printed to PDF, as a reviewer prints it; the ledger's tests on a throwaway PostgreSQL.
ensure_packages chromium poppler-utils fonts-noto-cjk postgresql python3
# The Python module's tests, Dask for the distributed run (tests/python/), cpack's .deb (deb_test.sh).
ensure_packages python3-pytest python3-distributed dpkg-dev file
# The review desk's browser test drives chromium from node (puppeteer-core, tests/desk/): Debian's
# nodejs and npm, unless a node is there already (a nodesource node brings its own npm).
command -v node >/dev/null && command -v npm >/dev/null || ensure_packages nodejs npm
ctest --test-dir build --output-on-failure -j2
