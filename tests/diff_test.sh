#!/usr/bin/env bash
# rulebook diff as a drafter uses it: raise the benchmark pack's rate (5% → 8%), cap (50万 → 80万)
# and period end (2025 → 2026), and check the report against figures computed without the
# engine (bench/baseline.cpp, hand-written over simdjson): totals under both versions, their
# difference, and the inputs that move from fail to pass.
set -uo pipefail
rb=$1 gen=$2 baseline=$3 src=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

"$gen" 1000 "$tmp/corpus.jsonl"
cp -r "$src/bench/pack" "$tmp/head"
sed -i 's/rate: {value: 5%/rate: {value: 8%/; s/cap: {value: 500000/cap: {value: 800000/; s/period_end: {value: 2025-12-31/period_end: {value: 2026-12-31/' \
  "$tmp/head/pack.yaml"

"$rb" diff --base "$src/bench/pack" --head "$tmp/head" --as-of 2025-12-31 --format json "$tmp/corpus.jsonl" > "$tmp/diff.json"
status=$?
[[ $status -eq 1 ]] && ok || bad "a change in decisions exits 1 (got $status)"
flat=$(tr -d '\n' < "$tmp/diff.json")

# Independent figures: the hand-written program under the old and the new terms.
base_out=$("$baseline" "$tmp/corpus.jsonl")
head_out=$("$baseline" "$tmp/corpus.jsonl" --rate 8 --cap 800000 --until 2026-12-31)
base_sum=$(sed -n 's/^subsidy //p' <<<"$base_out")
head_sum=$(sed -n 's/^subsidy //p' <<<"$head_out")
# The difference in exact integer arithmetic (ten-thousandths of a yuan).
d=$(( 10#${head_sum/./} - 10#${base_sum/./} ))
difference="$((d / 10000)).$(printf '%04d' $((d % 10000)))"
total=$(grep -oE '\{ *"rule": "B-1", *"output": "subsidy"[^}]*\}' <<<"$flat")
grep -qE "\"base\": $base_sum," <<<"$total" && ok || bad "base total is the hand-written program's $base_sum" "$total"
grep -qE "\"head\": $head_sum," <<<"$total" && ok || bad "head total is the hand-written program's $head_sum" "$total"
grep -qE "\"difference\": $difference\b" <<<"$total" && ok || bad "difference is $difference" "$total"

# Only the period moves outcomes, and only from fail to pass: as many as the new terms add.
moved=$(( $(sed -n 's/^eligible //p' <<<"$head_out") - $(sed -n 's/^eligible //p' <<<"$base_out") ))
change=$(grep -oE '\{ *"rule": "B-1", *"from": "fail", *"to": "pass", *"count": [0-9]+' <<<"$flat")
[[ ${change##* } -eq $moved ]] && ok || bad "B-1 fail → pass for $moved inputs" "$change"
grep -qE '"rule": "B-1", *"from": "pass", *"to": "fail"' <<<"$flat" && bad "no input moves from pass to fail" || ok
for p in rate cap period_end; do
  grep -qE "\"kind\": \"param\", *\"name\": \"$p\"" <<<"$flat" && ok || bad "the report lists the change of $p"
done
grep -qE '"before": "5%", *"after": "8%", *"at": "[^"]*head/pack.yaml:[0-9]+:[0-9]+"' <<<"$flat" \
  && ok || bad "a param change with old and new text and where it is written"

expect "text report" 1 "B-1 subsidy: $base_sum → $head_sum  difference $difference" -- \
  "$rb" diff --base "$src/bench/pack" --head "$tmp/head" --as-of 2025-12-31 --lang en "$tmp/corpus.jsonl"
"$rb" diff --base "$src/bench/pack" --head "$tmp/head" --as-of 2025-12-31 --format html -o "$tmp/report.html" "$tmp/corpus.jsonl"
grep -q "<td class=\"n up\">$difference</td>" "$tmp/report.html" && ok || bad "HTML shows the difference"
grep -qiE '<script|<link|src=' "$tmp/report.html" && bad "HTML is self-contained (no scripts or external files)" || ok
expect "no change exits 0" 0 'Outcomes that changed:.*|\(none\)' -- \
  "$rb" diff --base "$src/bench/pack" --head "$src/bench/pack" --as-of 2025-12-31 --lang en "$tmp/corpus.jsonl"
echo '{"applicant": 1}' > "$tmp/bad.jsonl"
expect "an input refused is listed and exits 2" 2 'bad.jsonl:1: \$.applicant: base: expected object' -- \
  "$rb" diff --base "$src/bench/pack" --head "$tmp/head" --as-of 2025-12-31 "$tmp/bad.jsonl"
expect "help" 0 '--base' -- "$rb" diff --help
expect "both packs required" 2 'head' -- "$rb" diff --base "$src/bench/pack" "$tmp/corpus.jsonl"

# A dated change explains itself like any other: the published cap against the amended one.
cp -r "$src/tests/data/packs/dated" "$tmp/undated"
replace_cap() { sed -i '/^  cap:/,/^    unit:/c\  cap:\n    value: 50万\n    unit: yuan per unit' "$1"; }
replace_cap "$tmp/undated/pack.yaml"
printf '%s\n' '{"id": "early", "contract": {"amount": 20000000, "signed_on": "2025-06-30"}}' \
  '{"id": "late", "contract": {"amount": 20000000, "signed_on": "2025-07-01"}}' > "$tmp/contracts.jsonl"
expect "a dated param change in the report" 1 \
  'param cap: 50万  →  from 2024-01-01: 50万; from 2025-07-01: 80万 \(修订通知第一条\).*DEMO-1 subsidy  late \([^)]*contracts.jsonl:2\): 500000 → 800000' -- \
  bash -c "set -o pipefail; '$rb' diff --base '$tmp/undated' --head '$src/tests/data/packs/dated' --as-of 2025-12-31 --lang en '$tmp/contracts.jsonl' | tr '\n' ' '"

summary diff
