#!/usr/bin/env bash
# rulebook batch as a grant office runs it: JSON Lines, folders and CSV in; one record per input
# in input order; error records that name the line; both readers byte for byte; summaries whose
# totals are the shared benchmark's reference answers, and that add up exactly when merged.
set -uo pipefail
rb=$1 gen=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

ds="$src/rules/dongsheng-2024"
bench="$src/bench/pack"

# ── JSON Lines: order, line numbers, ids, error records ─────────────────────────────────────
{
  tr -d '\n' < "$src/examples/dongsheng-2024/eligible.json" | sed 's/^{/{"id": "A-7", /'; echo
  echo
  echo '{"applicant": {"type": "patent_service_agency"}, "transactions": [}'
  tr -d '\n' < "$src/examples/dongsheng-2024/ineligible.json"; echo
  echo '{"applicant": {"type": 7}}'
} > "$tmp/mixed.jsonl"
"$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/mixed.jsonl" > "$tmp/mixed.out" 2> "$tmp/mixed.err"
status=$?
[[ $status -eq 2 ]] && ok || bad "a malformed line makes the exit status 2 (got $status)"
[[ $(wc -l < "$tmp/mixed.out") -eq 4 ]] && ok || bad "one record per non-blank line" "$(cat "$tmp/mixed.out")"
lines=$(grep -oE '^\{"line": [0-9]+' "$tmp/mixed.out" | grep -oE '[0-9]+$' | tr '\n' ' ')
[[ $lines == "1 3 4 5 " ]] && ok || bad "records keep input order and line numbers (got $lines)"
grep -qE '^\{"line": 3,.*"outcome": "invalid","errors": \[\{"message": "malformed JSON[^"]*","at": "[^"]*mixed.jsonl:3:' "$tmp/mixed.out" \
  && ok || bad "a malformed line is an error record naming line and column" "$(sed -n 3p "$tmp/mixed.out")"
grep -qE '^\{"line": 5,.*"invalid".*"json_path": "\$.applicant.type"' "$tmp/mixed.out" \
  && ok || bad "a schema violation is an error record with its JSON path" "$(sed -n 4p "$tmp/mixed.out")"
grep -q '2 of 4 inputs could not be evaluated' "$tmp/mixed.err" && ok || bad "stderr counts the bad inputs" "$(cat "$tmp/mixed.err")"
grep -q '^{"line": 1,"id": "A-7",' "$tmp/mixed.out" && ok || bad "a record carries its input's id" "$(head -c 200 "$tmp/mixed.out")"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --reader dom "$tmp/mixed.jsonl" > "$tmp/mixed.dom" 2>/dev/null
same "an id the schema does not name: both readers give the same records" "$tmp/mixed.out" "$tmp/mixed.dom"
expect "--exit-zero: answers, not a failed task" 0 '"line": 3,.*"invalid"' -- "$rb" batch --pack "$ds" --as-of 2025-06-30 --exit-zero "$tmp/mixed.jsonl"
expect "stdin" 0 '"line": 1,"id": null' -- bash -c "tr -d '\n' < '$src/examples/dongsheng-2024/eligible.json' | '$rb' batch --pack '$ds' --as-of 2025-06-30"
expect "help" 0 'csv-mapping' -- "$rb" batch --help
expect "no pack" 2 '--pack is required' -- "$rb" batch "$tmp/mixed.jsonl"
expect "summary needs text or json" 2 'is for --summary or --merge' -- "$rb" batch --pack "$ds" --as-of 2025-06-30 --format json "$tmp/mixed.jsonl"
expect "a review before the plan took effect" 0 '"outcome": "not_applicable","reason": \{"zh": "评估日期 2023-12-31 早于方案施行日期 2024-01-01' -- \
  bash -c "tr -d '\n' < '$src/examples/dongsheng-2024/eligible.json' | '$rb' batch --pack '$ds' --as-of 2023-12-31"
expect "missing input" 2 'cannot read the file' -- "$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/none.jsonl"

# ── Both readers decide every example identically, byte for byte (folders as input) ─────────
for dir in "$src"/examples/*/; do
  pack=$(basename "$dir")
  [[ -d $src/rules/$pack ]] || continue
  to=$(sed -n '/^effective:/,/^[a-z]/s/^  to: *//p' "$src/rules/$pack/pack.yaml")
  "$rb" batch --pack "$src/rules/$pack" --as-of "$to" --trace --reader fast "$dir" > "$tmp/fast.jsonl" 2>/dev/null
  "$rb" batch --pack "$src/rules/$pack" --as-of "$to" --trace --reader dom "$dir" > "$tmp/dom.jsonl" 2>/dev/null
  n=$(ls "$dir"*.json | wc -l)
  [[ $(wc -l < "$tmp/fast.jsonl") -eq $n ]] && ok || bad "$pack: one record per example file"
  same "$pack: fast and dom readers give the same bytes" "$tmp/fast.jsonl" "$tmp/dom.jsonl"
done

# ── The shared benchmark's corpus: reference answers, order under threads, merge ───────────
"$gen" 1000 "$tmp/c1k.jsonl"
[[ $(md5sum < "$tmp/c1k.jsonl" | cut -d' ' -f1) == 7ce0b6c6fe892375701d21199a5dc431 ]] && ok \
  || bad "the generator writes the shared corpus (md5 of N=1000)"
"$rb" batch --pack "$bench" --as-of 2025-12-31 --summary --format json "$tmp/c1k.jsonl" > "$tmp/one.json"
# The reference answers of ../shared/bench/README.md, computed there by other programs.
for want in '"B-1", "outcomes": \{"pass": 128,' '"subsidy": \{"sum": 9514745.6810,' '"invention_count": \{"sum": 1428,' \
  '"B-4", "outcomes": \{"pass": 529,' '"B-5", "outcomes": \{"pass": 174,'; do
  grep -qE "$want" "$tmp/one.json" && ok || bad "summary has the reference answer $want" "$(cat "$tmp/one.json")"
done
"$rb" batch --pack "$bench" --as-of 2025-12-31 -j1 "$tmp/c1k.jsonl" > "$tmp/j1.jsonl"
"$rb" batch --pack "$bench" --as-of 2025-12-31 -j2 "$tmp/c1k.jsonl" > "$tmp/j2.jsonl"
same "two jobs write the same records in the same order as one" "$tmp/j1.jsonl" "$tmp/j2.jsonl"
"$rb" batch --pack "$bench" --as-of 2025-12-31 --reader dom -j2 "$tmp/c1k.jsonl" > "$tmp/dom.jsonl"
same "the benchmark corpus: fast and dom readers give the same bytes" "$tmp/j1.jsonl" "$tmp/dom.jsonl"
split -l 300 "$tmp/c1k.jsonl" "$tmp/part."
for p in "$tmp"/part.*; do
  "$rb" batch --pack "$bench" --as-of 2025-12-31 --summary --format json "$p" > "$p.json"
done
"$rb" batch --merge "$tmp"/part.*.json --format json > "$tmp/merged.json"
same "parts run apart and merged give the totals of one run" "$tmp/one.json" "$tmp/merged.json"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --summary --format json "$tmp/mixed.jsonl" > "$tmp/other.json" 2>/dev/null
expect "merge refuses summaries of different packs" 2 'cannot merge' -- "$rb" batch --merge "$tmp/one.json" "$tmp/other.json"
echo '{"pack": {"id": "x"}}' > "$tmp/broken.json"
expect "merge names what a summary lacks" 2 '\$.pack.version' -- "$rb" batch --merge "$tmp/broken.json"
expect "text summary" 0 'subsidy  Σ 9514745.6810' -- "$rb" batch --merge "$tmp"/part.*.json --lang en

# ── CSV in, CSV out ──────────────────────────────────────────────────────────────────────────
map="$src/tests/data/applications.mapping.yaml"
csv="$src/tests/data/applications.csv"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$map" "$csv" > "$tmp/csv.jsonl" 2>/dev/null
[[ $? -eq 2 ]] && ok || bad "a bad cell makes the exit status 2"
grep -qE '^\{"line": 2,"id": "A-1".*"total": 150000.00' "$tmp/csv.jsonl" && ok || bad "CSV row → document (thousands separators read)" "$(head -1 "$tmp/csv.jsonl")"
grep -qE '^\{"line": 3,"id": "A-2".*"outcome": "fail"' "$tmp/csv.jsonl" && ok || bad "a quoted cell with a comma stays one cell" "$(sed -n 2p "$tmp/csv.jsonl")"
grep -qE '^\{"line": 4,.*"missing": \["\$.transactions\[0\].transformation.succeeded"\]' "$tmp/csv.jsonl" \
  && ok || bad "an empty cell is missing data (needs_info), never false" "$(sed -n 3p "$tmp/csv.jsonl")"
grep -qE "^\{\"line\": 5,.*\"invalid\".*column '合同金额': expected a number, got 'abc'" "$tmp/csv.jsonl" \
  && ok || bad "a bad cell is an error record naming its column" "$(sed -n 4p "$tmp/csv.jsonl")"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$map" --format csv "$csv" > "$tmp/out.csv" 2>/dev/null
head -1 "$tmp/out.csv" | grep -q '^line,id,outcome,errors,DS-01,DS-02,.*,DS-01.total,' && ok || bad "CSV header" "$(head -1 "$tmp/out.csv")"
[[ $(wc -l < "$tmp/out.csv") -eq 5 ]] && ok || bad "CSV: a header and a row per input"
grep -q '^2,A-1,pass,,pass,' "$tmp/out.csv" && ok || bad "CSV row" "$(sed -n 2p "$tmp/out.csv")"
# A rule stopped by an error has no outputs: its cells stay empty and every row keeps the header's columns.
"$rb" batch --pack "$ds" --as-of 2025-06-30 --format csv --max-steps 30 "$src/examples/dongsheng-2024" > "$tmp/err.csv" 2>/dev/null
[[ $(awk -F, '{print NF}' "$tmp/err.csv" | sort -u | wc -l) -eq 1 ]] && grep -q ',error,' "$tmp/err.csv" \
  && ok || bad "CSV rows keep their columns when a rule errs" "$(head -3 "$tmp/err.csv")"
# B-1 stopped by the budget, B-3 not: B-1's cell is empty, B-3's count stays in B-3's column.
row=$("$rb" batch --pack "$bench" --as-of 2025-12-31 --format csv --max-steps 15 "$tmp/c1k.jsonl" 2>/dev/null | sed -n 2p)
grep -qE '^1,APP-0000001,error,,error,pass,[a-z_]+,[a-z_]+,,0$' <<<"$row" && ok || bad "an errored rule's output cell is empty, not shifted" "$row"
printf 'a,b\n1,2\n' > "$tmp/unmapped.csv"
expect "every column must be mapped or ignored" 2 "column 'a' is not in the mapping" -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$map" "$tmp/unmapped.csv"

# ── Progress: on a terminal only, or when asked ──────────────────────────────────────────────
"$rb" batch --pack "$bench" --as-of 2025-12-31 --summary "$tmp/c1k.jsonl" > /dev/null 2> "$tmp/quiet.err"
[[ ! -s $tmp/quiet.err ]] && ok || bad "no progress when stderr is not a terminal" "$(cat "$tmp/quiet.err")"
"$rb" batch --pack "$bench" --as-of 2025-12-31 --summary --progress always "$tmp/c1k.jsonl" > /dev/null 2> "$tmp/bar.err"
grep -qE $'\r  [0-9]+ records  [0-9]+/s  ETA [0-9]+:[0-9]{2}  \\[[#.]{20}\\] +[0-9]+%' "$tmp/bar.err" \
  && ok || bad "progress bar with records, rate, ETA when asked" "$(cat -v "$tmp/bar.err")"

summary batch
