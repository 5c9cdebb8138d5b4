#!/usr/bin/env bash
# fuzz/run.sh [--save] [SECONDS] [TARGET...]: builds the libFuzzer targets with clang (ASan+UBSan)
# in build-fuzz/ and runs each for SECONDS (default 60), starting from fuzz/corpus/TARGET (what
# earlier long runs kept) and seeded from the repo's rules, examples, fuzz/seeds and
# fuzz/regressions (an input starting with 0xFE expands to a long one, see fuzz/amplify.hpp).
# All of it is copied into build-fuzz/corpus/, so a run never writes to the repo, except with
# --save: then what each target found beyond its seeds is minimised back into fuzz/corpus/TARGET
# (-merge=1 on edges only, -use_counters=0: a third of the files; inputs of at most 8 KiB).
# A crash is written to build-fuzz/crashes/; add it to fuzz/regressions/TARGET/ with the fix,
# so the test suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
save=false
if [[ ${1:-} == --save ]]; then
  save=true
  shift
fi
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(expression pack document evaluate cases csv summary xlsx)

source scripts/packages.sh
ensure_packages clang libclang-rt-14-dev cmake ninja-build libboost-dev libfyaml-dev nlohmann-json3-dev \
  libcli11-dev
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRULEBOOK_FUZZ=ON \
  -DRULEBOOK_TESTS=OFF > /dev/null
cmake --build build-fuzz -j2 --target $(printf 'fuzz_%s ' "${targets[@]}")

# One target: its corpus, its run, with --save its minimised corpus; 1 when it found a problem.
fuzz_one() {
  local t=$1 corpus seeds min
  corpus=build-fuzz/corpus/$t
  rm -rf "$corpus"
  mkdir -p "$corpus" build-fuzz/crashes
  rm -f build-fuzz/crashes/"$t"-*
  case $t in
    expression) seeds=(fuzz/seeds/expression) ;;
    pack) seeds=(rules tests/data/packs bench/pack fuzz/seeds/pack) ;;
    document | evaluate) seeds=(examples "fuzz/seeds/$t") ;;
    cases) seeds=(rules/*/cases tests/data/cases/*/cases fuzz/seeds/cases) ;;
    csv) seeds=(tests/data/applications.csv tests/data/sheets/grouped.csv fuzz/seeds/csv) ;;
    *) seeds=("fuzz/seeds/$t") ;;
  esac
  [[ ! -d fuzz/corpus/$t ]] || cp fuzz/corpus/"$t"/* "$corpus"/
  [[ ! -d fuzz/regressions/$t ]] || seeds+=("fuzz/regressions/$t")
  while IFS= read -r -d '' f; do
    cp "$f" "$corpus/$(md5sum < "$f" | cut -c1-16)"
  done < <(find "${seeds[@]}" -type f \( -name '*.yaml' -o -name '*.json' -o -name '*.txt' -o -name '*.csv' -o -name 'crash-*' \) -print0)
  echo "== fuzz_$t for ${seconds}s"
  build-fuzz/fuzz/fuzz_$t "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="build-fuzz/crashes/$t-" -print_final_stats=1 2>&1 | grep -E "^#[0-9]|stat::number_of_executed_units|ERROR|SUMMARY|Done" | tail -4 ||
    true
  if $save; then
    # Kept: what adds coverage to the seeds (replayed anyway), in inputs of at most 8 KiB.
    min=build-fuzz/corpus/$t.min
    rm -rf "$min" && mkdir -p "$min"
    while IFS= read -r -d '' f; do
      cp "$f" "$min/seed-$(md5sum < "$f" | cut -c1-16)"
    done < <(find "${seeds[@]}" -type f \( -name '*.yaml' -o -name '*.json' -o -name '*.txt' -o -name '*.csv' -o -name 'crash-*' \) -print0)
    build-fuzz/fuzz/fuzz_$t -merge=1 -use_counters=0 -max_len=65536 -timeout=10 -rss_limit_mb=2048 "$min" "$corpus" \
      2>&1 | grep -E "MERGE-OUTER: [0-9]+ new files" || true
    rm -f "$min"/seed-*
    find "$min" -type f -size +8k -delete
    rm -rf "fuzz/corpus/$t" && cp -r "$min" "fuzz/corpus/$t"
  fi
  if ls build-fuzz/crashes/"$t"-* > /dev/null 2>&1; then
    echo "fuzz_$t found a problem: build-fuzz/crashes/$t-*"
    return 1
  fi
}

# As many targets at once as there are cores (each fuzzer is one process); their output in order.
status=0
pids=()
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= $(nproc))); do wait -n || true; done
  fuzz_one "$t" > "build-fuzz/$t.log" 2>&1 &
  pids+=($!)
done
for i in "${!targets[@]}"; do
  wait "${pids[$i]}" || status=1
  cat "build-fuzz/${targets[$i]}.log"
done
exit $status
