#!/usr/bin/env bash
# Proof of sameness (#15): the JSON decision of every example, every stored case and 100,000
# generated bench records (JSON Lines and summary) has the SHA-256 recorded in
# tests/sameness/decisions.sha256. A change to the evaluation core must keep every decision byte
# for byte; a change meant to alter decisions re-records them (--record) and the diff of that
# file shows which decisions moved, for review.
# Usage: sameness_test.sh RULEBOOK GEN_CORPUS SAMENESS_CASES SOURCE_DIR [--record]
set -uo pipefail
rb=$(readlink -f "$1") gen=$(readlink -f "$2") cases=$(readlink -f "$3") src=$4 record=${5:-}
stored=$src/tests/sameness/decisions.sha256
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 2

{
  for file in examples/*/*.json; do
    pack=$(basename "$(dirname "$file")")
    [[ -d rules/$pack ]] || continue
    # Reviewed the day after the plan ended, as tests/examples_test.sh does.
    to=$(sed -n '/^effective:/,/^[a-z]/s/^  to: *//p' "rules/$pack/pack.yaml")
    [[ $to == 9999-12-31 ]] || to=$(date -d "$to + 1 day" +%F)
    echo "$("$rb" check --pack "rules/$pack" --as-of "$to" --format json "$file" 2>&1 | sha256sum | cut -c1-64)  example $file"
  done
  "$cases" rules/*/ tests/data/packs/dated || echo "sameness_cases failed: exit $?"
  # From stdin: the decisions name their document "-", not the scratch file.
  "$gen" 100000 "$tmp/corpus.jsonl" > /dev/null
  echo "$("$rb" batch --pack bench/pack --as-of 2025-12-31 - < "$tmp/corpus.jsonl" | sha256sum | cut -c1-64)  bench 100000 records, JSON Lines"
  echo "$("$rb" batch --pack bench/pack --as-of 2025-12-31 --summary - < "$tmp/corpus.jsonl" | sha256sum | cut -c1-64)  bench 100000 records, summary"
} > "$tmp/now"

if [[ $record == --record ]]; then
  cp "$tmp/now" "$stored"
  echo "recorded $(wc -l < "$stored") decisions in $stored"
  exit 0
fi
if diff -u "$stored" "$tmp/now" > "$tmp/diff"; then
  echo "sameness: all $(wc -l < "$stored") recorded decisions are byte for byte the same"
  exit 0
fi
echo "FAIL sameness: decisions differ from tests/sameness/decisions.sha256 (- recorded, + now):"
grep '^[-+][0-9a-f]' "$tmp/diff"
echo "(if the change is meant, re-record with: bash tests/sameness_test.sh $* --record, and review the diff)"
exit 1
