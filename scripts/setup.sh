#!/usr/bin/env bash
# Installs what is missing (Debian packages only) and builds rulebook into build/.
# Used by scripts/demo.sh, scripts/test.sh and CI; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/packages.sh
ensure_packages g++ cmake ninja-build libboost-dev libfyaml-dev nlohmann-json3-dev doctest-dev libcli11-dev libsimdjson-dev libre2-dev libjemalloc-dev \
  pkg-config libcpp-httplib-dev libsqlite3-dev libpqxx-dev \
  libminizip-dev libpugixml-dev libxlsxwriter-dev \
  pybind11-dev python3-dev doxygen  # serve and the ledger; xlsx sheets; the Python module; the API reference

# Profile-guided (scripts/pgo.sh): the counts are gathered once, by an instrumented build. CI
# judges answers and warnings, not speed: its build is plain, every target with warnings as errors
# (a build with counts cannot be: CMakeLists.txt), and it saves the instrumented build's minutes.
if [[ "${CI:-}" == "true" ]]; then
  options=(-DRULEBOOK_WERROR=ON -DRULEBOOK_PGO=)
else
  [[ -d build/pgo ]] || bash scripts/pgo.sh
  options=(-DRULEBOOK_WERROR=OFF -DRULEBOOK_PGO=use)
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${options[@]}" > /dev/null
cmake --build build -j2
