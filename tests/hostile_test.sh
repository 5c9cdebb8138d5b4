#!/usr/bin/env bash
# Hostile inputs (#14), each run under a memory cap (ulimit -v) and a time cap (timeout): every
# one ends, in time and within memory, with a clear error, never a crash, a hang or the OOM killer.
set -uo pipefail
rb=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

pack=$src/rules/dongsheng-2024
ex=$src/examples/dongsheng-2024
hostile=$src/tests/data/packs/hostile
# 1.5 GiB of address space and a minute (a sanitizer build reserves terabytes of address space
# and runs several times slower: there, five minutes and no memory cap).
cap_kb=1572864 seconds=60
# (GCC links the runtime as libasan.so, clang into the binary: either tells.)
{ grep -qa AddressSanitizer "$rb" || [[ $(ldd "$rb" 2> /dev/null) == *libasan* ]]; } && cap_kb=unlimited seconds=300

# capped NAME CODE PATTERN -- COMMAND: as expect (PATTERN may span lines), with the command under both caps. 124 is
# timeout's status, 137 a kill, 134 an abort: each is a failure with its own name.
capped() {
  local name=$1 code=$2 pattern=$3
  shift 4
  local out status
  out=$(ulimit -v "$cap_kb"; timeout -k 5 "$seconds" "$@" 2>&1)
  status=$?
  if [[ $status -eq $code ]] && grep -qzE -- "$pattern" <<<"$out"; then
    ok
  else
    bad "$name: exit $status (want $code; 124 is a timeout, 134 an abort, 137 a kill), output:" "$(head -c 2000 <<<"$out")"
  fi
}

gen() { python3 -c "$1" > "$2"; }

# Documents: a 200,000-digit number, 100,000 open brackets, 200,000 keys (2.3 MB) and a
# duplicate among them, a NUL byte, a 60 MB line among JSON Lines.
gen 'print("{\"applicant\": {\"subsidies_received\": " + "7" * 200000 + "}}")' "$tmp/digits.json"
gen 'print("{\"a\": " + "[" * 100000 + "]" * 100000 + "}")' "$tmp/deep.json"
gen 'print("{" + ", ".join("\"k%06d\": 1" % i for i in range(200000)) + "}")' "$tmp/keys.json"
gen 'print("{" + ", ".join("\"k%06d\": 1" % i for i in range(200000)) + ", \"k000007\": 2}")' "$tmp/dupkeys.json"
capped "a 200,000-digit number" 2 'number 7{20,64}… is out of range' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en "$tmp/digits.json"
capped "100,000 open brackets" 2 'JSON nested deeper than 256 levels' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en "$tmp/deep.json"
capped "200,000 keys, Document::parse" 0 '结论: 不适用' -- "$rb" check --pack "$pack" --as-of 2025-06-30 "$tmp/keys.json"
capped "200,000 keys and a duplicate, Document::parse" 2 'duplicate key "k000007" in \$' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en "$tmp/dupkeys.json"
tr -d '\n' < "$tmp/dupkeys.json" > "$tmp/dupkeys.jsonl" && echo >> "$tmp/dupkeys.jsonl"
capped "200,000 keys and a duplicate, the fast reader" 2 'duplicate key \\"k000007\\" in \$' -- \
  "$rb" batch --pack "$pack" --as-of 2025-06-30 -j2 "$tmp/dupkeys.jsonl"
# 9 million values in 18 MB: read whole, they took 24 times their size (1.6 GB for 54 MB).
gen 'print("{\"a\": [" + ",".join(["0"] * 9000000) + "]}")' "$tmp/dense.json"
capped "9 million values, Document::parse" 2 'the document holds more than 8388608 values' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en "$tmp/dense.json"
capped "9 million values, the fast reader" 2 'the document holds more than 8388608 values' -- \
  "$rb" batch --pack "$pack" --as-of 2025-06-30 "$tmp/dense.json"
{
  head -c 60000000 /dev/zero | tr '\0' ' '
  echo '{}'
  tr -d '\n' < "$ex/eligible.json"
  echo
} > "$tmp/long-line.jsonl"
capped "a 60 MB line among JSON Lines" 2 '"line": 1,.*the line is longer than the limit of 1000000 bytes.*\n?.*' -- \
  "$rb" batch --pack "$pack" --as-of 2025-06-30 --max-input-bytes 1000000 -j2 "$tmp/long-line.jsonl"
capped "the line after it is decided" 2 '"line": 2,.*"outcome": "pass"' -- \
  "$rb" batch --pack "$pack" --as-of 2025-06-30 --max-input-bytes 1000000 -j2 "$tmp/long-line.jsonl"
capped "/dev/zero to check" 2 '/dev/zero: error: is not a regular file or a pipe' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en /dev/zero
capped "/dev/zero to batch" 2 '/dev/zero: error: is not a regular file or a pipe' -- "$rb" batch --pack "$pack" --as-of 2025-06-30 --lang en /dev/zero
capped "an endless pipe to check" 2 'larger than the limit of 67108864 bytes \(stopped reading there\)' -- \
  bash -c "tr '\\0' ' ' < /dev/zero | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en -"

# Rules that do too much: a string doubled 40 times, a list of 10^8 elements, a search in a
# long text (a long run of one letter), on a document of 10,000 numbers.
gen 'import json; print(json.dumps({"text": "ab", "needle": "a" * 400000 + "b", "items": list(range(10000)), "more": [1], "amount": 1}))' "$tmp/work.json"
gen 'import json; print(json.dumps({"text": "a" * 8000000, "needle": "a" * 4000000 + "b", "items": [1], "more": [1], "amount": 1}))' "$tmp/text.json"
capped "a string doubled 40 times" 2 '\[error\] DOUBLE[^[]*rule error: [^[]*(evaluation budget exceeded|builds values of more than)' -- \
  "$rb" check --pack "$hostile" --as-of 2025-06-30 --lang en "$tmp/work.json"
capped "a list of 10^8 elements" 2 '\[error\] SQUARE[^[]*rule error: [^[]*(evaluation budget exceeded|builds values of more than)' -- \
  "$rb" check --pack "$hostile" --as-of 2025-06-30 --lang en "$tmp/work.json"
capped "contains on a long text is charged by its length" 2 '\[error\] FIND[^[]*evaluation budget exceeded \(100000 steps\)' -- \
  "$rb" check --pack "$hostile" --as-of 2025-06-30 --lang en --max-steps 100000 "$tmp/text.json"
capped "contains on a long text ends in time" 2 '\[pass\] FIND' -- \
  "$rb" check --pack "$hostile" --as-of 2025-06-30 --lang en "$tmp/text.json"

# Sums that pass what a decimal holds, on worker threads: a message, no abort. No `text`: the
# rules that double it to the budget would take a second a record on a slow machine.
for i in $(seq 1 40); do echo '{"amount": 900000000000000000000000000000000000, "items": [1], "more": [1], "needle": "a"}'; done > "$tmp/big.jsonl"
capped "an overflowing total in a summary" 2 'error: the total of TOTAL.amount passes what a decimal holds' -- \
  "$rb" batch --pack "$hostile" --as-of 2025-06-30 --lang en --summary -j2 "$tmp/big.jsonl"
capped "an overflowing total in a summary, in Chinese" 2 'rulebook batch：错误：TOTAL.amount 的合计超出了十进制数能容纳的 36 位' -- \
  "$rb" batch --pack "$hostile" --as-of 2025-06-30 --summary -j2 "$tmp/big.jsonl"
capped "an overflowing total in a diff" 2 'error: the total of TOTAL.amount passes what a decimal holds' -- \
  "$rb" diff --base "$hostile" --head "$hostile" --as-of 2025-06-30 "$tmp/big.jsonl"
# A CSV mapping whose index would build a list of 10^8 elements while reading.
printf 'columns:\n  amount: {path: "x[100000000]", type: number}\n' > "$tmp/map.yaml"
printf 'amount\n1\n' > "$tmp/in.csv"
capped "a CSV mapping index of 10^8" 2 "map.yaml:2:11: error: expected a list index from \\[0\\] to \\[999\\]" -- \
  "$rb" batch --pack "$hostile" --as-of 2025-06-30 --lang en -j2 --csv-mapping "$tmp/map.yaml" "$tmp/in.csv"

# A quote never closed in 60 MB of CSV: one error naming where it opened and what it swallowed,
# read past under the byte limit by batch's rows; in a grouped sheet, its application's invalid record.
{ echo 'id,amount'; echo 'A,"1'; yes 2 | head -c 60000000; } > "$tmp/open-quote.csv"
printf 'columns:\n  id: id\n  amount: {path: amount, type: number}\n' > "$tmp/rows.yaml"
printf 'group_by: id\ncolumns:\n  id: id\n  amount: {path: amount, type: number}\n' > "$tmp/grouped.yaml"
capped "a quote never closed in 60 MB of CSV rows" 2 \
  "column 'amount': the quote that opens this cell on line 2 is never closed: lines 2 to 30000002 were read as this one cell" -- \
  "$rb" batch --pack "$hostile" --as-of 2025-06-30 --max-input-bytes 1000000 --csv-mapping "$tmp/rows.yaml" "$tmp/open-quote.csv"
capped "a quote never closed in a 60 MB grouped CSV" 2 \
  "\"invalid\".*column 'amount': the quote that opens this cell on line 2 is never closed: lines 2 to 30000002.*open-quote.csv:2:1" -- \
  "$rb" batch --pack "$hostile" --as-of 2025-06-30 --csv-mapping "$tmp/grouped.yaml" "$tmp/open-quote.csv"

# An expression of 8,000 terms (16 KB: inside the length limit) in a pack.
mkdir -p "$tmp/chain"
cp "$hostile"/subject.schema.json "$hostile"/source.txt "$tmp/chain/"
python3 - "$hostile/pack.yaml" "$tmp/chain/pack.yaml" <<'EOF'
import sys
text = open(sys.argv[1]).read().split("\ndefs:")[0]
open(sys.argv[2], "w").write(text + "\nrules:\n  - id: CHAIN\n    clause: 一\n    outputs:\n      n: " + "+".join(["1"] * 8000) + "\n")
EOF
capped "8,000 chained terms" 2 'nested (too )?deep' -- "$rb" check --pack "$tmp/chain" --as-of 2025-06-30 "$ex/eligible.json"
capped "8,000 chained terms, lint" 2 'nested (too )?deep' -- "$rb" lint "$tmp/chain"

summary hostile
