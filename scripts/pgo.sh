#!/usr/bin/env bash
# The counts of a profile-guided build (RULEBOOK_PGO in CMakeLists.txt), into build/pgo: an
# instrumented rulebook (build/pgo-gen) decides every bundled example under its pack, one by one
# and in batch, and a generated subsidy workload (another seed than bench/run.sh measures), with
# one job and two. scripts/setup.sh runs this once, then builds build/ with the counts; run it
# again after large changes to the reader or the evaluator.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=$(pwd)/build/pgo.new  # moved to build/pgo once training is done: setup.sh then finds it whole
gen=build/pgo-gen
rm -rf "$counts"
cmake -S . -B "$gen" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRULEBOOK_TESTS=OFF -DRULEBOOK_PGO=generate \
  -DRULEBOOK_PGO_DIR="$counts" > /dev/null
cmake --build "$gen" -j2 --target rulebook_cli rulebook_gen_corpus
rb=$gen/engine/rulebook
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT

# An answer is exit 0 or 1 (a rule failed or needs information); anything else stops the build.
answer() { "$@" > /dev/null || [[ $? -le 1 ]]; }
declare -A as_of=([dongsheng-2024]=2025-12-31 [bayingolin-2026]=2028-12-31 [qianjiang-2022]=2024-12-31 [heilongjiang-2023]=2025-12-31 [xinjiang-13fyp]=2020-12-31 [common]=2025-12-31)
for pack in "${!as_of[@]}"; do
  files=(examples/"$pack"/*.json)
  [[ -e ${files[0]} ]] || continue
  for f in "${files[@]}"; do answer "$rb" check --pack "rules/$pack" --as-of "${as_of[$pack]}" "$f"; done
  answer "$rb" check --pack "rules/$pack" --as-of "${as_of[$pack]}" --format json "${files[@]}"
  answer "$rb" batch --pack "rules/$pack" --as-of "${as_of[$pack]}" "examples/$pack"
  answer "$rb" test "rules/$pack"
done
"$gen"/bench/rulebook_gen_corpus 40000 "$train/corpus.jsonl" 7
for jobs in 1 2; do
  answer "$rb" batch --pack bench/pack --as-of 2025-12-31 --summary -j$jobs "$train/corpus.jsonl"
  answer "$rb" batch --pack bench/pack --as-of 2025-12-31 -j$jobs "$train/corpus.jsonl"
done
rm -rf build/pgo
mv "$counts" build/pgo
# Objects compiled with the old counts are not rebuilt by a change of counts alone.
[[ -f build/build.ninja ]] && cmake --build build --target clean > /dev/null
echo "pgo: $(find build/pgo -name '*.gcda' | wc -l) files of counts in build/pgo"
