#!/usr/bin/env bash
# Installs the library into a scratch prefix, builds examples/embed against it with
# find_package(rulebook), and checks its answer on a bundled example.
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$src/examples/embed" -B "$work/embed" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log" ||
  { cat "$work/configure.log"; exit 1; }
cmake --build "$work/embed" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
out=$("$work/embed/embed" "$src/rules/dongsheng-2024" 2025-06-30 < "$src/examples/dongsheng-2024/multi.json" | grep '^DS-01 ')
expected="DS-01 pass contract_amounts=[4000000, 8000000, 1234567.89, 2000000] requested=[200000.00, 400000.00, 61728.3945, 0] amounts=[200000.00, 238271.61, 61728.39, 0.00] received_before=0 total=500000.00 received_after=500000.00 remaining_cap=0.00 received_from=\"declared\" declared_differs=false"
if [[ "$out" != "$expected" ]]; then
  echo "embed printed: $out"
  echo "expected:      $expected"
  exit 1
fi
echo "embed: ok"
