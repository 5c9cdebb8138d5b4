#!/usr/bin/env bash
# The installed package as an integrator finds it: `cmake --install` into a scratch prefix, then
# examples/embed built with find_package(rulebook) against the shared library and the static one
# (neither sets a C++ standard: the targets carry it), and the C API test built with pkg-config
# alone. Each runs on the pack as installed (share/rulebook/rules), from a folder without rules/,
# so the pack must find its schemas and `common` where they were installed.
#   embed_test.sh BUILD_DIR SOURCE_DIR [PREFIX]   (PREFIX: an install tree to use instead, e.g. an unpacked .deb)
set -uo pipefail
build=$1 src=$2
source "$src/tests/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset RULEBOOK_HOME
prefix=${3:-}
if [[ -z $prefix ]]; then
  prefix=$work/prefix
  cmake --install "$build" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log"; exit 1; }
fi
pack=$prefix/share/rulebook/rules/dongsheng-2024
libdir=$(dirname "$(find "$prefix" -name 'librulebook.so' | head -1)")

for f in include/rulebook.h include/rulebook/engine.hpp include/rulebook/version.h share/rulebook/schemas/decision.schema.json \
  share/rulebook/rules/common/pack.yaml share/doc/rulebook/README.md bin/rulebook; do
  if [[ -e $prefix/$f ]]; then ok; else bad "installed: $f is missing"; fi
done
if readelf -d "$libdir/librulebook.so" | grep 'SONAME.*librulebook.so.0.1' > /dev/null; then ok; else bad "SONAME" "$(readelf -d "$libdir/librulebook.so")"; fi
if [[ -f $libdir/librulebook.a ]]; then ok; else bad "the static library is not installed"; fi

expected="DS-01 pass contract_numbers=[\"JS24-107\", \"JS25-012\", \"JS24-211\", \"JS24-296\"] contract_amounts=[4000000, 8000000, 1234567.89, 2000000] requested=[200000.00, 400000.00, 61728.3945, 0] amounts=[200000.00, 238271.61, 61728.39, 0.00] received_before=0 total=500000.00 received_after=500000.00 remaining_cap=0.00 received_from=\"declared\" declared_differs=false"
for variant in shared static; do
  static=OFF
  [[ $variant == static ]] && static=ON
  if ! cmake -S "$src/examples/embed" -B "$work/embed-$variant" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DEMBED_STATIC=$static > "$work/configure.log" 2>&1; then
    bad "$variant: configure" "$(cat "$work/configure.log")"
    continue
  fi
  if ! cmake --build "$work/embed-$variant" > "$work/build.log" 2>&1; then
    bad "$variant: build" "$(cat "$work/build.log")"
    continue
  fi
  out=$(cd "$work" && "$work/embed-$variant/embed" "$pack" 2025-06-30 < "$src/examples/dongsheng-2024/multi.json" 2>&1)
  if grep -qxF "$expected" <<<"$out"; then ok; else bad "$variant: embed printed" "$out"; fi
  # Outputs by name; a wrong-kind read names both kinds; no review date, no decision; the version.
  for line in "total 500000.00" "wrong kind: rulebook::Value read as string, but it is number" \
    "no review date: rulebook: evaluate() needs EvalOptions::as_of, the review date (rules never read a clock)" \
    "version 0.1.0 0.1.0"; do
    if grep -qxF "$line" <<<"$out"; then ok; else bad "$variant: embed did not print '$line'" "$out"; fi
  done
done
# A pack copied out of the install finds its schemas and `common` through RULEBOOK_PATH, and not without.
mkdir -p "$work/mine" && cp -r "$pack" "$work/mine/"
out=$(cd "$work" && RULEBOOK_PATH=/nonexistent:$prefix/share/rulebook "$work/embed-shared/embed" "$work/mine/dongsheng-2024" \
  2025-06-30 < "$src/examples/dongsheng-2024/multi.json" 2>&1)
if grep -qxF "$expected" <<<"$out"; then ok; else bad "a copied pack with RULEBOOK_PATH" "$out"; fi
out=$(cd "$work" && "$work/embed-shared/embed" "$work/mine/dongsheng-2024" 2025-06-30 < "$src/examples/dongsheng-2024/multi.json" 2>&1)
if grep -q "cannot find the subject schema" <<<"$out"; then ok; else bad "a copied pack without RULEBOOK_PATH should not load" "$out"; fi
if readelf -d "$work/embed-shared/embed" | grep 'NEEDED.*librulebook.so.0.1' > /dev/null; then ok; else bad "shared: not linked to librulebook.so.0.1"; fi
if ! readelf -d "$work/embed-static/embed" 2>/dev/null | grep 'NEEDED.*librulebook' > /dev/null; then ok; else bad "static: links librulebook.so"; fi

# Every public header stands alone in standard C++20: no compiler extension (__int128), no
# internal type (detail::, nlohmann) an integrator would have to know.
for h in "$prefix"/include/rulebook/*.hpp; do
  name=rulebook/$(basename "$h")
  if ! printf '#include <%s>\nint main() {}\n' "$name" |
    c++ -std=c++20 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$prefix/include" -x c++ - 2> "$work/header.log"; then
    bad "$name does not compile alone as standard C++20" "$(cat "$work/header.log")"
  elif grep -nE '__int128|detail::|nlohmann' "$h" > "$work/header.log"; then
    bad "$name names an internal type" "$(cat "$work/header.log")"
  else ok; fi
done

# C, with nothing but pkg-config.
pc=$(dirname "$(find "$prefix" -name rulebook.pc | head -1)")
if flags=$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs rulebook) &&
  cc -o "$work/c_api" "$src/tests/c_api_test.c" $flags -pthread 2> "$work/cc.log"; then
  out=$(cd "$work" && LD_LIBRARY_PATH=$libdir "$work/c_api" "$pack" "$src/examples/dongsheng-2024/multi.json" 2>&1)
  if [[ $out == *"c_api: ok"* ]]; then ok; else bad "C API test against the install" "$out"; fi
else
  bad "pkg-config build of the C test" "$(cat "$work/cc.log")"
fi

# Python, from the installed package (Debian's dist-packages layout under the prefix).
pydir=$(dirname "$(dirname "$(find "$prefix" -path '*dist-packages/rulebook/__init__.py' | head -1)")")
if [[ -d $pydir/rulebook ]] && out=$(cd "$work" && PYTHONPATH=$pydir /usr/bin/python3 -c '
import sys, rulebook
d = rulebook.load(sys.argv[1]).check(open(sys.argv[2], encoding="utf-8").read(), as_of="2025-06-30")
print(d["outcome"], repr(d["rules"][0]["outputs"]["total"]))' "$pack" "$src/examples/dongsheng-2024/multi.json" 2>&1) &&
  [[ $out == "pass Decimal('500000.00')" ]]; then ok; else bad "installed Python module" "${out:-not installed}"; fi

# The installed command line on the installed pack.
out=$(cd "$work" && "$prefix/bin/rulebook" check --pack "$pack" --as-of 2025-06-30 --format json \
  "$src/examples/dongsheng-2024/multi.json" 2>&1)
if grep -q '"outcome": "pass"' <<<"$out"; then ok; else bad "installed rulebook check" "$out"; fi
# It loads its PostgreSQL module from where it was installed: a server that is not there is the
# only complaint (port 1 refuses at once).
out=$("$prefix/bin/rulebook" ledger list --db postgresql://127.0.0.1:1/none 2>&1)
if grep -q 'cannot connect to the ledger' <<<"$out"; then ok; else bad "installed rulebook loads its PostgreSQL module" "$out"; fi
# The program copied without its module, then beside a library that is not the module: each a
# refusal that says where the module belongs (and why this one is not it), never a crash.
module=$(find "$prefix" -name librulebook_postgres.so | head -1)
alone=$work/alone
mkdir -p "$alone/bin" "$alone/$(dirname "${module#"$prefix"/}")"
cp "$prefix/bin/rulebook" "$alone/bin/"
out=$("$alone/bin/rulebook" ledger list --db postgresql://127.0.0.1:1/none 2>&1)
status=$?
if [[ $status -eq 2 ]] && grep -q 'its module librulebook_postgres.so, installed with rulebook in lib/rulebook' <<<"$out"; then
  ok
else
  bad "without its PostgreSQL module: exit $status (want 2)" "$out"
fi
cp "$libdir/librulebook.so" "$alone/${module#"$prefix"/}"
out=$("$alone/bin/rulebook" ledger list --db postgresql://127.0.0.1:1/none 2>&1)
status=$?
if [[ $status -eq 2 ]] && grep -q 'it is from rulebook before 0.1, this is rulebook' <<<"$out"; then
  ok
else
  bad "a library that is not the PostgreSQL module: exit $status (want 2)" "$out"
fi
# `serve` runs through its module (the program loads cpp-httplib's libraries for this command
# alone): installed, it answers; copied without the module, it refuses with where it belongs.
rb=$prefix/bin/rulebook
if start_serve "$work" --packs "$prefix/share/rulebook/rules" --no-ledger &&
  out=$(curl -sf "$url/health") && grep -q '"status":"ok"' <<<"$out"; then
  ok
else
  bad "installed rulebook serves through its module" "$(cat "$work/serve.err" 2>/dev/null) ${out:-}"
fi
[[ -n ${server:-} ]] && kill "$server" 2> /dev/null && wait "$server" 2> /dev/null
out=$(timeout 20 "$alone/bin/rulebook" serve --packs "$prefix/share/rulebook/rules" --no-ledger --listen 127.0.0.1:0 2>&1)
status=$?
if [[ $status -eq 2 ]] && grep -q 'cannot serve: its module librulebook_serve.so, installed with rulebook in lib/rulebook' <<<"$out"; then
  ok
else
  bad "without its serve module: exit $status (want 2)" "$out"
fi
# Its options are judged before the module is looked for: a bad one is said as such.
out=$(timeout 20 "$alone/bin/rulebook" serve --packs "$prefix/share/rulebook/rules" --no-ledger --threads 0 2>&1)
status=$?
if [[ $status -eq 2 && $out == *"--threads must be 1…1024"* ]]; then
  ok
else
  bad "a bad serve option without the module: exit $status (want 2)" "$out"
fi
# A pipe in the module's place is refused as not a file: dlopen would wait on it forever.
mkfifo "$alone/$(dirname "${module#"$prefix"/}")/librulebook_serve.so"
out=$(timeout 20 "$alone/bin/rulebook" serve --packs "$prefix/share/rulebook/rules" --no-ledger --listen 127.0.0.1:0 2>&1)
status=$?
if [[ $status -eq 2 ]] && grep -q 'librulebook_serve.so is not a file' <<<"$out"; then
  ok
else
  bad "a pipe in the serve module's place: exit $status (want 2; 124 is a hang)" "$out"
fi
# Workbooks are read and written by the xlsx module: installed, a grouped workbook in and the
# results out; copied without it, a refusal naming the module (before evaluating anything);
# and the program loads none of the libraries its modules bring.
sheets=$src/tests/data/sheets
batch_xlsx=(batch --pack "$prefix/share/rulebook/rules/dongsheng-2024" --as-of 2025-06-30 --lang en
  --csv-mapping "$sheets/grouped.mapping.yaml" "$sheets/grouped.xlsx")
out=$("$rb" "${batch_xlsx[@]}" --format xlsx -o "$work/results.xlsx" 2>&1)
status=$?  # 2: the workbook holds one malformed group on purpose (batch_test.sh)
if [[ $status -eq 2 && $out == *"1 of 5 inputs could not be evaluated"* &&
  $(head -c 2 "$work/results.xlsx" 2> /dev/null) == PK ]]; then
  ok
else
  bad "installed rulebook reads and writes workbooks through its module" "$out"
fi
out=$("$alone/bin/rulebook" "${batch_xlsx[@]}" 2>&1)
status=$?
if [[ $status -eq 2 ]] && grep -q 'cannot read an xlsx workbook: its module librulebook_xlsx.so, installed with rulebook in lib/rulebook' <<<"$out"; then
  ok
else
  bad "without its xlsx module: exit $status (want 2)" "$out"
fi
loaded=$(ldd "$rb")
if [[ $loaded != *libxlsxwriter* && $loaded != *libminizip* && $loaded != *libcrypto* && $loaded != *libssl* ]]; then
  ok
else
  bad "the program loads a module's libraries at every start" "$loaded"
fi
summary embed
