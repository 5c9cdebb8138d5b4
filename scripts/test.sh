#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite (doctest suites, CLI, embedding, the printed
# report in Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/packages.sh
ensure_packages chromium poppler-utils fonts-noto-cjk  # the report printed to PDF, as a reviewer prints it
ctest --test-dir build --output-on-failure -j2
