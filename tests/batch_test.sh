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
"$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en "$tmp/mixed.jsonl" > "$tmp/mixed.out" 2> "$tmp/mixed.err"
status=$?
[[ $status -eq 2 ]] && ok || bad "a malformed line makes the exit status 2 (got $status)"
[[ $(wc -l < "$tmp/mixed.out") -eq 4 ]] && ok || bad "one record per non-blank line" "$(cat "$tmp/mixed.out")"
# The input line each JSON Lines record names, in output order: "1 3 4 ".
record_lines() { grep -oE '^\{"line": [0-9]+' "$1" | grep -oE '[0-9]+$' | tr '\n' ' '; }
lines=$(record_lines "$tmp/mixed.out")
[[ $lines == "1 3 4 5 " ]] && ok || bad "records keep input order and line numbers (got $lines)"
grep -qE '^\{"line": 3,.*"outcome": "invalid","errors": \[\{"message": "malformed JSON[^"]*","at": "[^"]*mixed.jsonl:3:' "$tmp/mixed.out" \
  && ok || bad "a malformed line is an error record naming line and column" "$(sed -n 3p "$tmp/mixed.out")"
grep -qE '^\{"line": 5,.*"invalid".*"json_path": "\$.applicant.type"' "$tmp/mixed.out" \
  && ok || bad "a schema violation is an error record with its JSON path" "$(sed -n 4p "$tmp/mixed.out")"
grep -q '2 of 4 inputs could not be evaluated' "$tmp/mixed.err" && ok || bad "stderr counts the bad inputs" "$(cat "$tmp/mixed.err")"
# A reviewer's batch says so in their language (Chinese by default); the records stay as they are.
"$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/mixed.jsonl" > "$tmp/mixed.zh" 2> "$tmp/mixed.zh.err"
grep -q '^rulebook batch：4 份输入中有 2 份无法评估（原因见其 "invalid" 记录）$' "$tmp/mixed.zh.err" && ok ||
  bad "stderr counts the bad inputs in Chinese" "$(cat "$tmp/mixed.zh.err")"
same "the records do not depend on --lang" "$tmp/mixed.out" "$tmp/mixed.zh"
grep -q '^{"line": 1,"id": "A-7",' "$tmp/mixed.out" && ok || bad "a record carries its input's id" "$(head -c 200 "$tmp/mixed.out")"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --reader dom "$tmp/mixed.jsonl" > "$tmp/mixed.dom" 2>/dev/null
same "an id the schema does not name: both readers give the same records" "$tmp/mixed.out" "$tmp/mixed.dom"
expect "--exit-zero: answers, not a failed task" 0 '"line": 3,.*"invalid"' -- "$rb" batch --pack "$ds" --as-of 2025-06-30 --exit-zero "$tmp/mixed.jsonl"
# An id that reads as a date (the dongsheng schema does not type `id`) still names its record.
expect "an id like a date" 0 '"line": 1,"id": "2025-01-01",' -- bash -c "tr -d '\n' < '$src/examples/dongsheng-2024/eligible.json' | sed 's/^{/{\"id\": \"2025-01-01\", /' | '$rb' batch --pack '$ds' --as-of 2025-06-30"
expect "stdin" 0 '"line": 1,"id": null' -- bash -c "tr -d '\n' < '$src/examples/dongsheng-2024/eligible.json' | '$rb' batch --pack '$ds' --as-of 2025-06-30"
expect "help" 0 'csv-mapping' -- "$rb" batch --help
expect "no pack" 2 '^rulebook batch: error: --pack is required$' -- "$rb" batch --lang en "$tmp/mixed.jsonl"
expect "no pack, in Chinese" 2 '^rulebook batch：错误：须用 --pack 指定规则包的文件夹$' -- "$rb" batch "$tmp/mixed.jsonl"
expect "summary needs text or json" 2 'is for --summary or --merge' -- "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --format json "$tmp/mixed.jsonl"
expect "summary needs text or json, in Chinese" 2 '^rulebook batch：错误：--format json 用于 --summary 或 --merge' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --format json "$tmp/mixed.jsonl"
expect "a review before the plan took effect" 0 '"outcome": "not_applicable","reason": \{"zh": "评估日期 2023-12-31 早于方案施行日期 2024-01-01' -- \
  bash -c "tr -d '\n' < '$src/examples/dongsheng-2024/eligible.json' | '$rb' batch --pack '$ds' --as-of 2023-12-31"
expect "missing input" 2 'none.jsonl: error: cannot read the file: No such file or directory$' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en "$tmp/none.jsonl"
expect "missing input, in Chinese, the system's reason too" 2 'none.jsonl：错误：无法读取该文件：没有那个文件或目录$' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/none.jsonl"
expect "a missing file among a sheet's inputs, in Chinese" 2 'none.csv：错误：无法读取该文件：没有那个文件或目录$' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$src/tests/data/applications.mapping.yaml" "$tmp/none.csv"
# A workbook or a grouped sheet that is not there: not "not an xlsx workbook", the system's reason.
expect "a missing workbook, in Chinese" 2 'none.xlsx：错误：无法读取该文件：没有那个文件或目录$' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/none.xlsx"
expect "a missing workbook" 2 'none.xlsx: error: cannot read the file: No such file or directory$' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --sheet "$tmp/none.xlsx"
expect "a missing grouped sheet, in Chinese" 2 'grouped.csv：错误：无法读取该文件：没有那个文件或目录$' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$src/tests/data/sheets/grouped.mapping.yaml" "$tmp/grouped.csv"

# ── JSON Lines read in 64 KiB blocks: CRLF, blank lines, a line across blocks, one past the limit,
# the last line without a newline; the same records from a file and from a pipe ───────────────
doc=$(tr -d '\n' < "$src/examples/dongsheng-2024/eligible.json")
{
  printf '%s\r\n' "${doc/#\{/{\"id\": \"L-1\", }"
  printf '\n \t\r\n'
  printf '{%*s%s\n' 72000 '' "${doc#\{}"     # 72 KB of spaces: the line spans two blocks
  printf '{%*s%s\n' 90000 '' "${doc#\{}"     # past --max-input-bytes 80000
  printf '%s' "${doc/#\{/{\"id\": \"L-6\", }"  # no newline at the end
} > "$tmp/blocks.jsonl"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --max-input-bytes 80000 --exit-zero "$tmp/blocks.jsonl" > "$tmp/blocks.out" 2>&1
lines=$(record_lines "$tmp/blocks.out")
[[ $lines == "1 4 5 6 " ]] && ok || bad "block reads: blank lines skipped but counted (got $lines)" "$(cut -c1-200 "$tmp/blocks.out")"
outcome() { sed -n "$1p" "$tmp/blocks.out" | grep -oE '"outcome": "[a-z_]+"' | head -1; }
want=$(tr -d '\n' < "$src/examples/dongsheng-2024/eligible.json" | "$rb" batch --pack "$ds" --as-of 2025-06-30 \
  | grep -oE '"outcome": "[a-z_]+"' | head -1)
[[ -n $want && $(outcome 1) == "$want" && $(outcome 2) == "$want" && $(outcome 4) == "$want" ]] && ok \
  || bad "block reads: a CRLF line, a line across blocks and a last line without newline read whole" "$(cut -c1-200 "$tmp/blocks.out")"
grep -q '^{"line": 1,"id": "L-1",' "$tmp/blocks.out" && grep -q '^{"line": 6,"id": "L-6",' "$tmp/blocks.out" && ok \
  || bad "block reads: the CRLF line and the last line keep their ids" "$(cut -c1-200 "$tmp/blocks.out")"
sed -n 3p "$tmp/blocks.out" | grep 'longer than the limit of 80000 bytes for a document (read past, not kept)' > /dev/null && ok \
  || bad "block reads: a line past the limit is an error record" "$(sed -n 3p "$tmp/blocks.out" | cut -c1-300)"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --max-input-bytes 80000 --exit-zero - < <(cat "$tmp/blocks.jsonl") \
  2>&1 | sed 's#"at": "-:#"at": "'"$tmp"'/blocks.jsonl:#; s#"document": "-"#"document": "'"$tmp"'/blocks.jsonl"#' > "$tmp/blocks.pipe"
same "block reads: a pipe gives the records a file gives" "$tmp/blocks.out" "$tmp/blocks.pipe"
# With more than one job, lines are copied under the workers' lock and split apart by each worker:
# the records are those of one job, whatever the line (blank, CRLF, past the limit, last).
for jobs in 1 3; do
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --max-input-bytes 80000 --exit-zero -j$jobs "$tmp/blocks.jsonl" > "$tmp/blocks.j$jobs" 2>&1
done
same "block reads: three jobs write the records of one" "$tmp/blocks.j1" "$tmp/blocks.j3"
# Lines past the limit, blank and CRLF on either side of the chunks' edges (256 lines), and last.
awk -v d="$doc" 'BEGIN { for (i = 1; i <= 600; i++) {
  if (i == 256 || i == 257 || i == 513 || i == 600) printf "{%*s%s\n", 90000, "", substr(d, 2)
  else if (i % 85 == 0) print ""
  else printf "%s%s\n", d, i % 3 ? "" : "\r" } }' > "$tmp/edges.jsonl"
for jobs in 1 3; do
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --max-input-bytes 80000 --summary --format json -j$jobs "$tmp/edges.jsonl" > "$tmp/edges.s$jobs" 2>&1
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --max-input-bytes 80000 --exit-zero -j$jobs "$tmp/edges.jsonl" > "$tmp/edges.j$jobs" 2>&1
done
[[ $(grep -c 'longer than the limit of 80000' "$tmp/edges.j3") -eq 4 ]] && ok || bad "lines past the limit at the chunks' edges: four error records" "$(grep -c longer "$tmp/edges.j3")"
same "lines past the limit at the chunks' edges: three jobs write the records of one" "$tmp/edges.j1" "$tmp/edges.j3"
same "lines past the limit at the chunks' edges: three jobs sum up as one" "$tmp/edges.s1" "$tmp/edges.s3"

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
# Blank lines and CRLF across chunks of 256 lines, a folder's JSON Lines after standard input.
mkdir -p "$tmp/seq" && awk '{ printf "%s%s\n", $0, NR % 7 ? "" : "\r"; if (NR % 97 == 0) print "" }' "$tmp/c1k.jsonl" > "$tmp/seq/b.jsonl"
head -300 "$tmp/c1k.jsonl" | "$rb" batch --pack "$bench" --as-of 2025-12-31 -j1 - "$tmp/seq" > "$tmp/seq.j1"
head -300 "$tmp/c1k.jsonl" | "$rb" batch --pack "$bench" --as-of 2025-12-31 -j2 - "$tmp/seq" > "$tmp/seq.j2"
[[ $(wc -l < "$tmp/seq.j1") -eq 1300 ]] && ok || bad "standard input then a folder: one record per line" "$(wc -l < "$tmp/seq.j1")"
same "two jobs: blank lines and CRLF across chunks, standard input then a folder" "$tmp/seq.j1" "$tmp/seq.j2"
"$rb" batch --pack "$bench" --as-of 2025-12-31 --reader dom -j2 "$tmp/c1k.jsonl" > "$tmp/dom.jsonl"
same "the benchmark corpus: fast and dom readers give the same bytes" "$tmp/j1.jsonl" "$tmp/dom.jsonl"
split -l 300 "$tmp/c1k.jsonl" "$tmp/part."
for p in "$tmp"/part.*; do
  "$rb" batch --pack "$bench" --as-of 2025-12-31 --summary --format json "$p" > "$p.json"
done
"$rb" batch --merge "$tmp"/part.*.json --format json > "$tmp/merged.json"
same "parts run apart and merged give the totals of one run" "$tmp/one.json" "$tmp/merged.json"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --summary --format json "$tmp/mixed.jsonl" > "$tmp/other.json" 2>/dev/null
expect "merge refuses summaries of different packs" 2 'other.json: error: cannot merge: it summarises pack dongsheng-2024' -- \
  "$rb" batch --lang en --merge "$tmp/one.json" "$tmp/other.json"
echo '{"pack": {"id": "x"}}' > "$tmp/broken.json"
expect "merge names what a summary lacks" 2 'broken.json: \$.pack.version: error: expected a string' -- "$rb" batch --lang en --merge "$tmp/broken.json"
# --merge in the reviewer's language: the file, the field by its name in the text summary with its
# JSON path, why it cannot be added; a folder, a missing file or an empty one said as check says them.
expect "merge refuses summaries of different packs, in Chinese" 2 \
  'other.json：错误：无法合并：它汇总的是规则包 dongsheng-2024 .*，不是规则包 ' -- "$rb" batch --merge "$tmp/one.json" "$tmp/other.json"
expect "merge names what a summary lacks, in Chinese" 2 'broken.json：\$.pack.version：错误：「规则包版本」应为文本$' -- \
  "$rb" batch --merge "$tmp/broken.json"
mkdir -p "$tmp/summaries"
expect "merge of a folder says it is one" 2 '^[^ ]*summaries：错误：这是文件夹，不是文档' -- "$rb" batch --merge "$tmp/summaries"
expect "merge of a folder says it is one, in English" 2 'summaries: error: is a folder, not a document' -- \
  "$rb" batch --lang en --merge "$tmp/summaries"
expect "merge of a missing file, in Chinese, with the system's reason" 2 'none.json：错误：无法读取该文件：没有那个文件或目录$' -- "$rb" batch --merge "$tmp/none.json"
: > "$tmp/empty-summary.json"
expect "merge of an empty file, in Chinese" 2 'empty-summary.json 第 1 行第 1 列：错误：JSON 格式有误：文档是空的' -- \
  "$rb" batch --merge "$tmp/empty-summary.json"
expect "merge takes no pack, in Chinese" 2 '^rulebook batch：错误：--merge 只接受汇总文件' -- \
  "$rb" batch --merge "$tmp/one.json" --pack "$ds"
expect "a text summary, in Chinese: the outcomes in words" 0 '^ +通过 +不通过 +需补充材料 +不适用 +错误$' -- \
  "$rb" batch --merge "$tmp/one.json"
expect "text summary" 0 'subsidy  Σ 9514745.6810' -- "$rb" batch --merge "$tmp"/part.*.json --lang en
# The outputs that total are the pack's numbers and booleans, in its order, listed in every part
# whether or not a record of it computes them: merged parts are one run's bytes. HL-04's date
# `deadline` (unknown where an application is) is no sum of 0: it is not listed.
hl="$src/rules/heilongjiang-2023"
python3 -c 'import json, sys; [print(json.dumps(json.load(open(f)), ensure_ascii=False)) for f in sorted(sys.argv[1:])]' \
  "$src"/examples/heilongjiang-2023/*.json > "$tmp/hl.jsonl"
split -n l/3 "$tmp/hl.jsonl" "$tmp/hlpart."
for p in "$tmp"/hlpart.*; do "$rb" batch --pack "$hl" --as-of 2025-12-31 --summary --format json "$p" > "$p.json"; done
"$rb" batch --pack "$hl" --as-of 2025-12-31 --summary --format json "$tmp/hl.jsonl" > "$tmp/hl.json"
"$rb" batch --merge "$tmp"/hlpart.*.json --format json > "$tmp/hlmerged.json"
same "parts in which different outputs are computed merge to one run's bytes" "$tmp/hl.json" "$tmp/hlmerged.json"
hlfirst=$(ls "$tmp"/hlpart.*.json | head -1)
sed -E 's/"in_focus"/"x"/; s/"covered"/"in_focus"/; s/"x"/"covered"/' "$hlfirst" > "$tmp/hlswapped.json"
expect "merge refuses outputs listed in another order" 2 \
  'hlswapped.json: error: cannot merge: its output HL-08-register.in_focus is listed in another order' -- \
  "$rb" batch --lang en --merge "$hlfirst" "$tmp/hlswapped.json"
expect "merge refuses outputs listed in another order, in Chinese" 2 \
  'hlswapped.json：错误：无法合并：其中输出 HL-08-register.in_focus 的次序与其他汇总不同' -- \
  "$rb" batch --merge "$hlfirst" "$tmp/hlswapped.json"
grep -q '"days_taken": {"sum": ' "$tmp/hl.json" && ! grep -q '"deadline"' "$tmp/hl.json" && ok ||
  bad "a number output is totalled, a date output is not listed" "$(grep -o '"HL-04".*' "$tmp/hl.json")"
# A merge checks what it adds (#14): the same pack content, each rule once and of that pack, counts
# that add up; the file at fault is named.
grep -qE '"pack": \{"id": "[^"]+", "version": "[^"]+", "hash": "[0-9a-f]{64}"\}' "$tmp/one.json" && ok || bad "a summary carries the pack's content hash" "$(head -2 "$tmp/one.json")"
first=$(ls "$tmp"/part.*.json | head -1)
tamper() {  # tamper NAME SED PATTERN: merging the first part with a copy edited by SED is refused with PATTERN
  sed -E "$2" "$first" > "$tmp/tampered.json"
  expect "merge refuses $1" 2 "$3" -- "$rb" batch --lang en --merge "$first" "$tmp/tampered.json"
  [[ -n ${4:-} ]] && expect "merge refuses $1, in Chinese" 2 "$4" -- "$rb" batch --merge "$first" "$tmp/tampered.json"
}
tamper "other content of the same version" 's/"hash": "[0-9a-f]{64}"/"hash": "'"$(printf '0%.0s' {1..64})"'"/' \
  'tampered.json: error: cannot merge: it summarises pack .* with other content \(hash 0+, not [0-9a-f]{64}\)' \
  'tampered.json：错误：无法合并：它汇总的规则包 .* 内容不同（哈希 0+，不是 [0-9a-f]{64}）：规则改了，版本号却没有改'
tamper "a rule listed twice" '0,/"id": "B-3"/s//"id": "B-1"/' 'tampered.json: \$.rules\[1\].id: error: expected each rule once \(B-1 is listed twice\)' \
  'tampered.json：\$.rules\[1\].id：错误：「规则编号」应为每条规则只列一次（B-1 列了两次）'
tamper "a rule not in the pack" 's/"id": "B-3"/"id": "Z-9"/' 'tampered.json: error: cannot merge: its rule Z-9 is not in pack'
tamper "outcomes that do not add up to the records" 's/"records": ([0-9]+)/"records": 1\1/' \
  'tampered.json: \$.outcomes: error: expected outcomes that add up to the [0-9]+ records evaluated'
tamper "a rule's outcomes that do not add up" '0,/"pass": ([0-9]+), "fail"/! s/"pass": ([0-9]+), "fail"/"pass": 9\1, "fail"/' \
  'tampered.json: \$.rules\[[0-9]+\].outcomes: error: expected outcomes that add up to the [0-9]+ records evaluated'
tamper "more invalid than records" 's/"invalid": [0-9]+/"invalid": 99999/' 'tampered.json: \$.invalid: error: expected at most the [0-9]+ records' \
  'tampered.json：\$.invalid：错误：「无法判定的份数」应为不超过材料总数 [0-9]+$'
tamper "a sum listed as a count of true" 's/"subsidy": \{"sum"/"subsidy": {"true"/' \
  'tampered.json: error: cannot merge: its output B-1.subsidy is listed as a count of true, not a sum, than in the other'
tamper "an output both a sum and a count of true" 's/"subsidy": \{"sum": ([0-9.]+)/"subsidy": {"sum": \1, "true": 1/' \
  'tampered.json: \$.rules\[0\].outputs.subsidy: error: expected a sum or a count of true, not both'

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
head -1 "$tmp/out.csv" | grep '^line,id,outcome,errors,DS-01,DS-02,.*,DS-01.total,' > /dev/null && ok || bad "CSV header" "$(head -1 "$tmp/out.csv")"
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
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$map" "$tmp/unmapped.csv"

# ── Progress: on a terminal only, or when asked ──────────────────────────────────────────────
"$rb" batch --pack "$bench" --as-of 2025-12-31 --summary "$tmp/c1k.jsonl" > /dev/null 2> "$tmp/quiet.err"
[[ ! -s $tmp/quiet.err ]] && ok || bad "no progress when stderr is not a terminal" "$(cat "$tmp/quiet.err")"
"$rb" batch --pack "$bench" --as-of 2025-12-31 --summary --progress always "$tmp/c1k.jsonl" > /dev/null 2> "$tmp/bar.err"
grep -qE $'\r  [0-9]+ records  [0-9]+/s  ETA [0-9]+:[0-9]{2}  \\[[#.]{20}\\] +[0-9]+%' "$tmp/bar.err" \
  && ok || bad "progress bar with records, rate, ETA when asked" "$(cat -v "$tmp/bar.err")"

# ── Sheets as offices keep them: xlsx and grouped CSV, one row per transaction ──────────────
sheets="$src/tests/data/sheets"
smap="$sheets/grouped.mapping.yaml"
# Decisions without the fields that name the input (file and line), to compare sheet and JSON.
decisions() { sed -E 's/^\{"line": [0-9]+,/{/; s/"document": "[^"]*",//' "$1"; }
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" "$sheets/grouped.xlsx" > "$tmp/grouped.out" 2> "$tmp/grouped.err"
status=$?
[[ $status -eq 2 ]] && ok || bad "a reported application makes the exit status 2 (got $status)" "$(cat "$tmp/grouped.err")"
ids=$(grep -oE '^\{"line": [0-9]+,"id": "[^"]*"' "$tmp/grouped.out" | sed -E 's/.*"line": ([0-9]+),"id": "([^"]*)"/\1:\2/' | tr '\n' ' ')
[[ $ids == "2:A-1 4:A-2 6:A-3 8:A-4 10:A-5 " ]] && ok || bad "one record per application, at its first row (got $ids)"
"$rb" batch --pack "$ds" --as-of 2025-06-30 "$sheets/grouped.jsonl" > "$tmp/grouped.want" 2>/dev/null
grep -v '"id": "A-3"' "$tmp/grouped.out" > "$tmp/grouped.valid"
same "grouped rows give the decisions of the same applications written as JSON by hand" \
  <(decisions "$tmp/grouped.valid") <(decisions "$tmp/grouped.want")
grep -qE '"id": "A-2".*"total": 500000.00' "$tmp/grouped.out" && ok || bad "two rows that pass the 50万 cap together are capped" "$(grep A-2 "$tmp/grouped.out" | head -c 600)"
grep -qE '"id": "A-1".*"amounts": \[150000.00, 100000.03\]' "$tmp/grouped.out" && ok || bad "amounts exact to the fen" "$(grep A-1 "$tmp/grouped.out" | head -c 600)"
grep -qE '"id": "A-3".*"outcome": "invalid".*申请!E7 \(交易编号\): application A-3 lists transaction T-5 again, as in 申请!E6' "$tmp/grouped.out" \
  && ok || bad "a repeated transaction is an error record, not evaluated" "$(grep A-3 "$tmp/grouped.out")"
grep -qE '"id": "A-4".*"outcome": "needs_info".*"missing": \["\$.transactions\[1\].transformation.succeeded"\]' "$tmp/grouped.out" \
  && ok || bad "an empty cell is missing data" "$(grep A-4 "$tmp/grouped.out" | head -c 600)"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" "$sheets/grouped.csv" > "$tmp/grouped-csv.out" 2>/dev/null
same "the same sheet as CSV, grouped the same way" <(grep -v '"id": "A-3"' "$tmp/grouped-csv.out" | decisions /dev/stdin) \
  <(decisions "$tmp/grouped.valid")
grep -qE '"id": "A-3".*"invalid".*"E7 \(交易编号\): application A-3 lists transaction T-5 again, as in E6' "$tmp/grouped-csv.out" \
  && ok || bad "CSV: a repeated transaction names its cells" "$(grep A-3 "$tmp/grouped-csv.out")"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" --jobs 1 --reader dom "$sheets/grouped.xlsx" > "$tmp/grouped.dom" 2>/dev/null
same "sheets: both readers, one thread or several, byte for byte" "$tmp/grouped.out" "$tmp/grouped.dom"

"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$map" "$sheets/applications.xlsx" > "$tmp/flat.out" 2>/dev/null
same "a flat workbook (transactions[0] paths) decides as its CSV does" <(grep -v invalid "$tmp/flat.out" | decisions /dev/stdin) \
  <(grep -v invalid "$tmp/csv.jsonl" | decisions /dev/stdin)
grep -qE '^\{"line": 5,"id": "A-4".*"invalid".*Sheet1!G5 \(合同金额\): expected a number, got \\"abc\\"' "$tmp/flat.out" \
  && ok || bad "a flat workbook's bad cell names sheet, cell and column" "$(grep A-4 "$tmp/flat.out")"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" "$sheets/malformed_groups.xlsx" > "$tmp/malformed.out" 2>/dev/null
for want in \
  '"id": "B-1".*"invalid".*Sheet1: application B-1 is in rows 2 and 4, which other applications. rows separate' \
  '"id": "B-2".*"outcome": "pass"' \
  '"id": "B-3".*"invalid".*Sheet1!C6 \(单位类型\): application B-3 has enterprise here but patent_service_agency in Sheet1!C5' \
  '"id": "B-4".*"invalid".*Sheet1!G7 \(合同金额\): expected a number, got \\"三百万\\"' \
  '"id": "B-5".*"invalid".*Sheet1!H8 \(签订日期\): expected a date \(format the cell as a date\), got 45432.*Sheet1!J8 \(成功转化\): expected a value \(the cell holds a formula error\)' \
  '"id": "B-6".*"invalid".*Sheet1!G9 \(合同金额\): expected a number of at most 36 digits from the first nonzero one, and 38 decimal places, got 1e400' \
  '"id": "B-7".*"outcome": "needs_info".*"missing": \["\$.transactions\[0\].contract.tripartite"'; do
  grep -qE "$want" "$tmp/malformed.out" && ok || bad "malformed groups: $want" "$(cat "$tmp/malformed.out" | cut -c1-300)"
done
[[ $(grep -c '"id": "B-1"' "$tmp/malformed.out") -eq 1 ]] && ok || bad "an application split by another is one record, never two"

# Damaged workbooks: exit 2 with a message naming the file, never a crash or a hang.
for case in "not_a_zip:cannot open it as a zip archive" "no_workbook:it has no xl/workbook.xml" \
  "bad_xml:xl/worksheets/sheet1.xml: malformed XML" "huge_row:row number '99999999999' is not a row" \
  "far_cell:Sheet1!ZZZZZ1: not a cell of row 1" "bad_string:shared string 4000000000 is not in" \
  "bomb:unpacks to more than 64 MiB"; do
  expect "damaged workbook ${case%%:*}" 2 "${case%%:*}.xlsx: error: .*${case#*:}" -- \
    timeout 20 "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$smap" "$sheets/${case%%:*}.xlsx"
done
# A cell the reader refuses (a 万 format, a formula without its value) is its application's error;
# past the header (C-1's 万 total) it is not read, and the other applications are decided.
expect "a refused cell makes its application invalid, not the workbook" 2 \
  '"id": "C-1",[^{]*"pack".*"id": "C-2",[^{]*"invalid".*申请!G3: the cell.s number format shows 300 followed by 万.*"id": "C-3",[^{]*"invalid".*申请!G4: a formula with no computed value.*"id": "C-4",[^{]*"pack"' -- \
  bash -c "'$rb' batch --pack '$ds' --as-of 2025-06-30 --csv-mapping '$smap' '$sheets/refused_cells.xlsx' 2>&1 | tr '\n' ' '; exit \${PIPESTATUS[0]}"
expect "a worksheet by name" 2 "no worksheet named 'Nope'; the workbook has: 申请" -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$smap" --sheet-name Nope --sheet "$sheets/grouped.xlsx"
expect "a sheet without a mapping is read as the pack's template, whose headers it lacks" 2 \
  "申请!C1: column '单位类型' is not a column of the sheet template of dongsheng-2024: head the columns as the template does" -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en "$sheets/grouped.xlsx"
expect "a sheet not laid out as the template, in Chinese" 2 \
  'grouped.xlsx：错误：申请!C1：列「单位类型」不是 dongsheng-2024 的表格模板中的列' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 "$sheets/grouped.xlsx"
expect "several sheets need their mapping" 2 '^rulebook batch: error: a sheet is read with --csv-mapping' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en "$sheets/grouped.xlsx" "$sheets/grouped.xlsx"
expect "several sheets need their mapping, in Chinese" 2 '^rulebook batch：错误：表格须用 --csv-mapping' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 "$sheets/grouped.xlsx" "$sheets/grouped.xlsx"
expect "a pack without a template needs the sheet's mapping" 2 'has no sheet template \(x-sheet' -- \
  "$rb" batch --pack "$src/rules/xinjiang-13fyp" --as-of 2025-06-30 --lang en "$sheets/grouped.csv"
expect "xlsx results need a file" 2 'name it with -o FILE.xlsx' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$smap" --format xlsx "$sheets/grouped.xlsx"
expect "xlsx results need a file, in Chinese" 2 '请用 -o 文件名.xlsx 指定它' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" --format xlsx "$sheets/grouped.xlsx"
expect "an unwritable workbook is refused, in Chinese" 2 'nowhere/results.xlsx：错误：无法写入该文件' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" --format xlsx -o "$tmp/nowhere/results.xlsx" "$sheets/grouped.xlsx"
printf 'group_by: 申请编号\ncolumns: {申请编号: id}\n' > "$tmp/narrow.yaml"
expect "an unwritable workbook is refused before evaluating" 2 'nowhere/results.xlsx: error: cannot write the file' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$smap" --format xlsx -o "$tmp/nowhere/results.xlsx" "$sheets/grouped.xlsx"
expect "an unknown column names its cell" 2 "Sheet1!B1: column '单位名称' is not in the mapping" -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$tmp/narrow.yaml" "$sheets/malformed_groups.xlsx"

# Results as a workbook (its cells are checked one by one in sheet_test.cpp): the header frozen,
# amounts in 元, the input's formula-like text kept as text, English on request.
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" --format xlsx -o "$tmp/results.xlsx" "$sheets/grouped.xlsx" 2>/dev/null
status=$?
[[ $status -eq 2 && -s $tmp/results.xlsx ]] && ok || bad "xlsx results written (exit $status)"
python3 - "$tmp/results.xlsx" > "$tmp/results.check" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet, styles, strings = (z.read(p).decode() for p in ("xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/sharedStrings.xml"))
print("frozen" if 'ySplit="1"' in sheet and 'state="frozen"' in sheet else "not frozen")
print("money" if '#,##0.00&quot; 元&quot;' in styles else "no money format")
print("formula" if "<f>" in sheet else "no formula")
print("widths" if "<cols>" in sheet else "no widths")
print("text" if "=SUM(A1:A2)" in strings else "lost")
PY
[[ $(tr '\n' ' ' < "$tmp/results.check") == "frozen money no formula widths text " ]] && ok || bad "xlsx results: frozen header, 元, no formulas" "$(cat "$tmp/results.check")"
# Money is shown to the fen by the cell's format and held as decided: a sum in Excel is the JSON's.
# (The benchmark pack's subsidy, 5% of 343,942.01, is 17,197.1005: past the fen, as decided.)
echo '{"id": "F-1", "applicant": {"name": "某机构", "type": "patent_service_agency", "credit_code": "91150602MA0N2XY23D", "subsidies_received": 0}, "contract": {"amount": 343942.01, "tripartite": true, "signed_date": "2024-04-15"}, "transformation": {"succeeded": true}, "patents": []}' > "$tmp/sub-fen.jsonl"
"$rb" batch --pack "$src/bench/pack" --as-of 2025-12-31 --format xlsx -o "$tmp/sub-fen.xlsx" "$tmp/sub-fen.jsonl" 2>/dev/null
python3 -c "import sys,zipfile; print('<v>17197.1005</v>' in zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode())" \
  "$tmp/sub-fen.xlsx" | grep -q True && ok || bad "xlsx results: an amount past the fen is held exactly, not rounded"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" --format xlsx --lang en -o "$tmp/results-en.xlsx" "$sheets/grouped.xlsx" 2>/dev/null
python3 -c "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(z.read('xl/workbook.xml').decode().count('name=\"Results\"'), 'needs information' in z.read('xl/sharedStrings.xml').decode())" \
  "$tmp/results-en.xlsx" | grep '^1 True$' > /dev/null && ok || bad "--lang en: English sheet names and verdicts"

# The results of a sheet laid out as a template, as a reviewer filled it (helper-80): the cells
# shown as typed, by their labels (a code or true typed is shown as its label or 是), the outputs
# as the report shows them (a list item by item, codes by their labels, no quotes), and what is
# wrong said in Chinese at its cell, never as a JSON path or a code; --lang en the same in English.
{
  printf '\xEF\xBB\xBF申请编号,单位名称,统一社会信用代码,申请人类型,此前已获本项资助,交易编号,是否达成交易,合同编号,合同技术交易额,合同签订日期,是否签订三方合同,转化是否成功\r\n'
  printf '%s\r\n' 'A-1,智汇公司,91150602MA0N2XY23D,专利服务机构,0,T-1,是,JS24-001,"3,000,000.00",2024-05-20,是,是' \
    'A-1,,,,,T-2,是,JS24-002,2000000.50,2024/7/1,是,是' \
    'A-2,东胜所,,patent_service_agency,0,T-3,是,JS24-100,-5,2024-06-01,true,是' \
    'A-3,某公司,,公司,0,T-4,是,JS24-200,1000000,2024-13-01,是,是'
} > "$tmp/ds-template.csv"
# What a workbook's first and second sheets say, cell by cell: "1!2=…" (sheet 1, row 2) lines, the
# column left out (a rule's outputs move them).
cells() {
  python3 - "$1" <<'PY'
import re, sys, zipfile
from xml.etree import ElementTree as ET
m = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
strings = [''.join(t.text or '' for t in si.iter(m + 't')) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(m + 'si')]
for n in (1, 2):
    for c in ET.fromstring(z.read(f'xl/worksheets/sheet{n}.xml')).iter(m + 'c'):
        v = c.find(m + 'v')
        if v is not None:
            print(f"{n}!{re.sub('[A-Z]', '', c.get('r'))}=" + (strings[int(v.text)] if c.get('t') == 's' else v.text).replace('\n', ' | '))
PY
}
"$rb" batch --pack "$ds" --as-of 2025-06-30 --format xlsx -o "$tmp/ds-template.xlsx" "$tmp/ds-template.csv" 2>/dev/null
cells "$tmp/ds-template.xlsx" > "$tmp/ds-template.cells"
for want in '1!2=专利服务机构' '1!3=专利服务机构' '1!4=公司' '1!2=JS24-001、JS24-002' \
  '1!2=3,000,000.00 元、2,000,000.50 元' '1!2=申请人申报' '1!2=否' \
  '1!3=I4 合同技术交易额：「合同技术交易额（第1笔交易）」为 -5，不得小于 0' \
  '2!3=D5（申请人类型）：应为以下之一：专利服务机构、企业、高等院校、科研院所，实际为“公司”' \
  '2!4=J5（合同签订日期）：应为日期（如 2024-05-20），实际为“2024-13-01”'; do
  grep -qxF "$want" "$tmp/ds-template.cells" && ok || bad "a template's results workbook: $want" "$(cat "$tmp/ds-template.cells")"
done
! grep -qE 'patent_service_agency|=declared|"JS24|\$\.|expected|is less than' "$tmp/ds-template.cells" && ok ||
  bad "a template's results workbook shows no code, JSON path or English" "$(grep -E 'patent_service_agency|=declared|"JS24|\$\.|expected|is less than' "$tmp/ds-template.cells")"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --format xlsx -o "$tmp/ds-template-en.xlsx" "$tmp/ds-template.csv" 2>/dev/null
cells "$tmp/ds-template-en.xlsx" > "$tmp/ds-template-en.cells"
for want in '1!2=patent service agency' "1!2=the applicant's declaration" '1!2=no' \
  '1!3=I4 合同技术交易额: -5 is less than 0'; do
  grep -qxF "$want" "$tmp/ds-template-en.cells" && ok || bad "a template's results workbook, --lang en: $want" "$(cat "$tmp/ds-template-en.cells")"
done
# qianjiang-2022's template has a column for every field QJ-01 reads (it lacked 所获奖项, so every
# row needed information): the awards by name in one cell, 无 for none; an empty cell is asked for.
qj="$src/rules/qianjiang-2022"
header=$(printf '\xEF\xBB\xBF发明人姓名,国内发明专利授权数,国外发明专利授权数,相关专利成果是否已转化运营,所获奖项')
{ printf '%s\r\n' "$header" '李晓红,3,0,是,无' '王强,1,1,否,中国专利优秀奖' '赵敏,,2,是,'; } > "$tmp/inventors.csv"
expect "a filled qianjiang-2022 template is decided (无: no award), its empty award cell asked for" 1 \
  '"line": 2,.*"outcome": "pass".*"level": "副高级".*"line": 3,.*"outcome": "pass".*"level": "正高级".*"line": 4,.*"outcome": "needs_info".*"missing": \["\$\.inventor\.awards"\]' -- \
  bash -c "'$rb' batch --pack '$qj' --as-of 2025-06-30 '$tmp/inventors.csv' | tr '\n' ' '; exit \${PIPESTATUS[0]}"
"$rb" batch --pack "$qj" --as-of 2025-06-30 --format xlsx -o "$tmp/inventors.xlsx" "$tmp/inventors.csv" 2>/dev/null
cells "$tmp/inventors.xlsx" > "$tmp/inventors.cells"
grep -qxF '1!4=QJ-01: 缺少 E4 所获奖项（如无，请填“无”）' "$tmp/inventors.cells" && ok ||
  bad "the empty award cell is asked for at its cell, with what to write for none" "$(cat "$tmp/inventors.cells")"
expect "a sheet from before the awards column is told to add it, in Chinese, naming its own file" 2 \
  'inventors-old.csv 第 1 行第 1 列：错误：表格缺少 qianjiang-2022 的表格模板中的列「所获奖项」（请按模板添加该列，或重新下载模板）' -- \
  bash -c "cut -d, -f1-4 '$tmp/inventors.csv' > '$tmp/inventors-old.csv' && '$rb' batch --pack '$qj' --as-of 2025-06-30 '$tmp/inventors-old.csv'"

# ── Hostile CSV: strict RFC 4180, and numbers written with a comma (#14) ──────────────────────
# Each malformed record is an error naming its file, line, column and cell; the others are decided.
{
  echo '申请编号,单位名称,单位类型,已获资助,交易编号,达成交易,合同金额,签订日期,三方合同,成功转化'
  echo 'A-1,智汇,patent_service_agency,0,T-1,是,100000,2024-05-20,是,是'
  echo 'A-2,智汇,patent"_service_agency,0,T-2,是,100000,2024-05-20,是,是'
  echo 'A-3,智汇,"patent_service_agency"x,0,T-3,是,100000,2024-05-20,是,是'
  echo 'A-4,智汇,patent_service_agency,0,T-4,是,"1,5",2024-05-20,是,是'
  echo 'A-5,智汇,patent_service_agency,0,T-5,是,"1,500,000.00",2024-05-20,是,是'
  echo 'A-6,"智汇,patent_service_agency,0,T-6,是,100000,2024-05-20,是,是'
  echo 'A-7,智汇,patent_service_agency,0,T-7,是,100000,2024-05-20,是,是'
} > "$tmp/hostile.csv"
# The same rows for the grouped mapping, which reads each transaction's contract number too.
mkdir -p "$tmp/grouped"
awk 'NR == 1 { print $0 ",合同编号"; next } { printf "%s,DS-2024-%03d\n", $0, NR - 1 }' "$tmp/hostile.csv" > "$tmp/grouped/hostile.csv"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$map" "$tmp/hostile.csv" > "$tmp/hostile.out" 2>/dev/null
lines=$(record_lines "$tmp/hostile.out")
[[ $lines == "2 3 4 5 6 7 " ]] && ok || bad "CSV: one record per row, bad rows included, none after the open quote (got $lines)"
grep -qE "^\{\"line\": 3,.*\"invalid\".*column '单位类型': a quote inside a cell that does not start with one.*'patent.{1,2}_service_agency'.*hostile.csv:3:1" "$tmp/hostile.out" \
  && ok || bad "CSV: a stray quote is an error naming line, column and cell" "$(sed -n 2p "$tmp/hostile.out")"
grep -qE "^\{\"line\": 4,.*\"invalid\".*column '单位类型': text after the closing quote" "$tmp/hostile.out" \
  && ok || bad "CSV: text after a closing quote is an error" "$(sed -n 3p "$tmp/hostile.out")"
grep -qE "^\{\"line\": 5,.*\"invalid\".*column '合同金额': expected a number \(a comma only between groups of three digits.*got '1,5'" "$tmp/hostile.out" \
  && ok || bad "CSV: 1,5 in a number column is an error, not 15" "$(sed -n 4p "$tmp/hostile.out")"
grep -qE '^\{"line": 6,.*"outcome": "pass"' "$tmp/hostile.out" \
  && ok || bad "CSV: the row after bad ones is decided (1,500,000.00 read)" "$(sed -n 5p "$tmp/hostile.out")"
grep -qE "^\{\"line\": 7,.*\"invalid\".*column '单位名称': the quote that opens this cell on line 7 is never closed: lines 7 to 8 were read as this one cell" "$tmp/hostile.out" \
  && ok || bad "CSV: an unterminated quote names where it opened and what it swallowed" "$(sed -n 6p "$tmp/hostile.out")"
# The same for a grouped sheet, which is read whole: a malformed record is its application's invalid
# record, and the other applications are decided (one stray quote once lost every decision).
expect "grouped CSV: a malformed record is its application's invalid record, the others decided" 2 \
  "\"line\": 2,\"id\": \"A-1\",.*\"outcome\": \"pass\".*\"line\": 3,\"id\": \"A-2\",[^{]*\"invalid\".*column '单位类型': a quote inside.*hostile.csv:3:1.*\"line\": 4,\"id\": \"A-3\",[^{]*\"invalid\".*column '单位类型': text after.*\"line\": 6,\"id\": \"A-5\",.*\"outcome\": \"pass\".*\"line\": 7,\"id\": \"A-6\",[^{]*\"invalid\".*column '单位名称': the quote that opens" -- \
  bash -c "'$rb' batch --pack '$ds' --as-of 2025-06-30 --csv-mapping '$smap' '$tmp/grouped/hostile.csv' 2>&1 | tr '\n' ' '; exit \${PIPESTATUS[0]}"
# A schema violation in a sheet's input names the cell it came from, in JSON Lines and CSV as in
# the xlsx results (it named only $.transactions[1].contract.amount).
{
  echo '申请编号,单位名称,单位类型,已获资助,交易编号,达成交易,合同金额,签订日期,三方合同,成功转化,合同编号'
  echo 'A-1,智汇,patent_service_agency,0,T-1,是,100000,2024-05-20,是,是,DS-2024-001'
  echo 'A-1,智汇,patent_service_agency,0,T-2,是,-5,2024-05-20,是,是,DS-2024-002'
} > "$tmp/negative.csv"
expect "a sheet's schema violation names its cell in JSON Lines" 2 \
  '"invalid","errors": \[\{"message": "G3 合同金额: -5 is less than 0","json_path": "\$.transactions\[1\].contract.amount"' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" "$tmp/negative.csv"
expect "a sheet's schema violation names its cell in CSV" 2 '^2,A-1,invalid,G3 合同金额: -5 is less than 0,' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --format csv --csv-mapping "$smap" "$tmp/negative.csv"
# A placeholder for an unknown contract number (无, -) would make every contract so marked one
# contract listed twice, each refused: a number has a digit, and the cell says to leave it empty.
{
  echo "申请编号,单位名称,单位类型,已获资助,交易编号,达成交易,合同金额,签订日期,三方合同,成功转化,合同编号"
  echo "P-1,某公司,patent_service_agency,0,T-1,是,1000000,2024-05-20,是,是,无"
  echo "P-1,某公司,patent_service_agency,0,T-2,是,2000000,2024-06-20,是,是,-"
} > "$tmp/placeholder.csv"
expect "a contract number without a digit is refused, naming its cell" 2 \
  '"outcome": "invalid".*K2 合同编号: \\"无\\" is not a contract number: with a digit.*K3 合同编号' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" "$tmp/placeholder.csv"
# An application's id merged over its rows is stored in the first alone: the rows below are its
# transactions too, so the cap is shared (one was once decided on its first row only).
{
  echo '申请编号,单位名称,单位类型,已获资助,交易编号,达成交易,合同金额,签订日期,三方合同,成功转化,合同编号'
  echo 'M-1,智汇,patent_service_agency,0,T-1,是,4000000,2024-05-20,是,是,DS-2024-001'
  echo ',,,,T-2,是,8000000,2024-06-20,是,是,DS-2024-002'
} > "$tmp/merged.csv"
expect "grouped CSV: an id left empty below its first row (a merged cell) carries down" 0 \
  '^\{"line": 2,"id": "M-1",.*"total": 500000.00' -- "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" "$tmp/merged.csv"
# A CSV saved as GBK (Excel on Chinese Windows) is refused at its header, saying so, not read as
# columns of garbled names. 申请编号 in GBK:
printf '\xc9\xea\xc7\xeb\xb1\xe0\xba\xc5\nA-1\n' > "$tmp/gbk.csv"
expect "a GBK CSV is refused at its header, saying what to save it as" 2 \
  'gbk.csv:1:1: error: the header is not UTF-8 text: a CSV that Excel on Chinese Windows saves is GBK' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$smap" "$tmp/gbk.csv"
# The reviewer who saved it reads why in their language: batch's --lang (Chinese by default).
expect "a GBK CSV is refused in Chinese by default" 2 \
  'gbk.csv 第 1 行第 1 列：错误：表头不是 UTF-8 编码：中文 Windows 上 Excel 保存的 CSV 为 GBK 编码' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" "$tmp/gbk.csv"
head -6 "$tmp/grouped/hostile.csv" | sed '3,4d' > "$tmp/comma.csv"
expect "grouped CSV: 1,5 in a number column names its cell" 2 \
  '"G3 \(合同金额\): expected a number \(a comma only between groups of three digits[^"]*, got \\"1,5\\"' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --csv-mapping "$smap" "$tmp/comma.csv"
printf '"申请编号,单位名称\n' > "$tmp/open-header.csv"
expect "CSV: a header whose quote never closes" 2 "open-header.csv:1:1: error: column 1: the quote that opens this cell on line 1 is never closed" -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$map" "$tmp/open-header.csv"

# ── Mappings that would lose a column without a word (#14) ────────────────────────────────────
# mapping_case NAME FILE YAML PATTERN: batch refuses the mapping with PATTERN (columns count bytes).
mapping_case() {
  printf "$3" > "$tmp/$2"
  expect "$1" 2 "$2:$4" -- "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$tmp/$2" "$csv"
}
mapping_case "a mapping naming a column twice" twice.yaml 'columns:\n  申请编号: id\n  单位类型: applicant.type\n  申请编号: applicant.name\n' \
  "4:3: error: expected each column named once, under columns: or ignore:, but '申请编号' is already named at line 2:3"
mapping_case "a column both mapped and ignored" ignored.yaml 'columns:\n  申请编号: id\n  单位类型: applicant.type\nignore: [单位名称, 单位类型]\n' \
  "4:24: error: expected each column named once.*'单位类型' is already named at line 3:3"
mapping_case "two columns to one field" onepath.yaml 'columns:\n  申请编号: id\n  单位类型: applicant.type\n  单位名称: {path: applicant.type}\n' \
  "4:17: error: expected one column per document path, but columns '单位类型' and '单位名称' both write it"
mapping_case "a column inside another's value" inside.yaml 'columns:\n  申请编号: id\n  单位类型: applicant\n  单位名称: applicant.name\n' \
  "4:17: error: expected a path no other column holds, but column '单位类型' sets"
expect "grouped: a mapping naming a column twice" 2 "twice.yaml:4:3: error: expected each column named once" -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en --csv-mapping "$tmp/twice.yaml" --sheet "$sheets/grouped.xlsx"

# ── Inputs that say what happened (#14) ──────────────────────────────────────────────────────
# A folder says what it skipped; a pretty-printed .json is one document; an empty stdin is nothing to do.
mkdir -p "$tmp/folder/sub"
cp "$src/examples/dongsheng-2024/eligible.json" "$tmp/folder/a.json"
cp "$src/examples/dongsheng-2024/eligible.json" "$tmp/folder/B.JSON"
ln -s "$tmp/nowhere.json" "$tmp/folder/dangling.json"
mkfifo "$tmp/folder/pipe.json"
echo hello > "$tmp/folder/notes.txt"
"$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en "$tmp/folder" > "$tmp/folder.out" 2> "$tmp/folder.err"
status=$?
[[ $status -eq 0 && $(wc -l < "$tmp/folder.out") -eq 1 ]] && ok || bad "a folder: its .json decided (exit $status)" "$(cat "$tmp/folder.out" "$tmp/folder.err")"
for why in "B.JSON: warning: skipped: its extension is not lower case" "dangling.json: warning: skipped: a link to nothing" \
  "pipe.json: warning: skipped: a pipe \(FIFO\)" "sub: warning: skipped: a folder \(folders inside are not read\)" \
  "notes.txt: warning: skipped: not .json"; do
  grep -qE "^$tmp/folder/$why" "$tmp/folder.err" && ok || bad "a folder reports it skipped $why" "$(cat "$tmp/folder.err")"
done
[[ $(wc -l < "$tmp/folder.err") -eq 5 ]] && ok || bad "one line per skipped entry" "$(cat "$tmp/folder.err")"
# In the reviewer's language by default: each entry by its path, why it was not read.
"$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/folder" > /dev/null 2> "$tmp/folder.zh"
for why in "B.JSON：警告：已跳过：扩展名不是小写（应为 .json、.jsonl 或 .ndjson）" "dangling.json：警告：已跳过：链接指向的文件不存在" \
  "pipe.json：警告：已跳过：这是管道（FIFO）：文件夹中只读取文件" "sub：警告：已跳过：这是文件夹（不读取文件夹中的文件夹）" \
  "notes.txt：警告：已跳过：不是 .json（一份材料）、.jsonl 或 .ndjson（每行一份材料）文件"; do
  grep -qxF "$tmp/folder/$why" "$tmp/folder.zh" && ok || bad "a folder reports in Chinese it skipped $why" "$(cat "$tmp/folder.zh")"
done
expect "a pretty-printed .json is one document" 0 '^\{"line": 0,.*"outcome": "pass"' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 "$src/examples/dongsheng-2024/eligible.json"
mkfifo "$tmp/pipe-in.json"
# Its writer comes a second after the reader: the reader waits for it (it read an empty pipe).
timeout 20 bash -c "sleep 1; tr -d '\n' < '$src/examples/dongsheng-2024/eligible.json' > '$tmp/pipe-in.json'" &
expect "a pipe named .json is read once, as one document" 0 '^\{"line": 0,.*"outcome": "pass"' -- \
  timeout 20 "$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/pipe-in.json"
cat "$tmp/mixed.jsonl" > "$tmp/lines.json"
expect "JSON Lines in a .json file: one document, and a hint" 2 \
  '"line": 0,.*"invalid".*expected end of input \(a .json file holds one document; name a file of JSON Lines .jsonl or .ndjson\)","at": "[^"]*lines.json:3:1"' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/lines.json"
expect "empty stdin: nothing to do" 2 '^rulebook batch: error: nothing to do: standard input held no document' -- \
  bash -c "'$rb' batch --pack '$ds' --as-of 2025-06-30 --lang en < /dev/null"
expect "closed stdin: nothing to do" 2 'nothing to do: standard input held no document' -- \
  bash -c "'$rb' batch --pack '$ds' --as-of 2025-06-30 --lang en <&-"
expect "an empty folder: nothing to do, naming the folder" 2 \
  '^rulebook batch: error: nothing to do: the folder [^ ]*/folder/sub holds no document \(--exit-zero' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en "$tmp/folder/sub"
: > "$tmp/empty.jsonl"
expect "an empty folder and an empty file: nothing to do, naming both" 2 \
  'nothing to do: the inputs \(the folder [^ ]*/folder/sub, [^ ]*/empty.jsonl\) hold no document' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 --lang en "$tmp/folder/sub" "$tmp/empty.jsonl"
expect "--exit-zero: an empty partition is no failed task" 0 '^rulebook batch: warning: nothing to do' -- \
  bash -c "'$rb' batch --pack '$ds' --as-of 2025-06-30 --lang en --exit-zero < /dev/null"
expect "empty stdin: nothing to do, in Chinese" 2 \
  '^rulebook batch：错误：没有可判定的材料：标准输入中没有材料（加 --exit-zero 则以 0 退出）$' -- \
  bash -c "'$rb' batch --pack '$ds' --as-of 2025-06-30 < /dev/null"
expect "an empty folder: nothing to do, in Chinese, naming the folder" 2 \
  '^rulebook batch：错误：没有可判定的材料：文件夹 [^ ]*/folder/sub 中没有材料（加 --exit-zero 则以 0 退出）$' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/folder/sub"
expect "an empty folder and an empty file, in Chinese, naming both" 2 \
  '^rulebook batch：错误：没有可判定的材料：输入（文件夹 [^ ]*/folder/sub、[^ ]*/empty.jsonl）中没有材料' -- \
  "$rb" batch --pack "$ds" --as-of 2025-06-30 "$tmp/folder/sub" "$tmp/empty.jsonl"
expect "--exit-zero: nothing to do, in Chinese, a warning" 0 '^rulebook batch：警告：没有可判定的材料：标准输入中没有材料$' -- \
  bash -c "'$rb' batch --pack '$ds' --as-of 2025-06-30 --exit-zero < /dev/null"

# --profile: what each phase cost, on stderr, for every record (the invalid ones included), with
# one job and with two; the records are written as without it.
for jobs in 1 2; do
  "$rb" batch --pack "$ds" --as-of 2025-06-30 -j$jobs --profile "$tmp/mixed.jsonl" > "$tmp/profile.out" 2> "$tmp/profile.err"
  grep -q 'cost per record by phase, summed over threads (4 records)' "$tmp/profile.err" &&
    [[ $(grep -cE '^  (input|read|validate|evaluate|write|total) +[0-9]+\.[0-9]{3} µs' "$tmp/profile.err") -eq 6 ]] &&
    ok || bad "--profile -j$jobs: the five phases and their total for the 4 records" "$(cat "$tmp/profile.err")"
  same "--profile -j$jobs writes the same records" "$tmp/mixed.out" "$tmp/profile.out"
done

summary batch
