#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite (doctest suites, CLI, embedding).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
