#!/usr/bin/env bash
# The command line as a reviewer uses it: exit codes, outputs and error messages.
set -uo pipefail
rb=$1 src=$2
pack="$src/rules/dongsheng-2024"
ex="$src/examples/dongsheng-2024"
source "$(dirname "$0")/lib.sh"


expect "eligible passes" 0 '结论: 通过' -- "$rb" check --pack "$pack" --as-of 2025-06-30 "$ex/eligible.json"
expect "capped passes" 0 '本次资助合计 = 400,000.00 元' -- "$rb" check --pack "$pack" --as-of 2025-06-30 "$ex/capped.json"
expect "multi in english" 0 'T2: pass; contract number: JS25-012; contract amount: 8,000,000.00 yuan; before the cap \(5%\): 400,000.00 yuan; granted: 238,271.61 yuan' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en "$ex/multi.json"
expect "ineligible fails" 1 '申请人不是专利服务机构' -- "$rb" check --pack "$pack" --as-of 2025-06-30 "$ex/ineligible.json"
expect "needs info" 1 '"missing": \["\$.transactions\[0\].transformation.succeeded", "\$.applicant.subsidies_received"\]' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --format json "$ex/needs-info.json"
expect "stdin" 0 '"outcome": "pass"' -- bash -c "'$rb' check --pack '$pack' --as-of 2025-06-30 --format json - < '$ex/eligible.json'"
expect "several files" 1 '"decisions": \[' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --format json "$ex/eligible.json" "$ex/ineligible.json"
# Two dates: a review after the plan's period judges what happened in it; before it, nothing applies.
expect "review after the period" 0 '本次资助合计 = 150,000.00 元' -- "$rb" check --pack "$pack" --as-of 2026-06-30 "$ex/eligible.json"
expect "review before the period" 0 '\[不适用\] DS-01、.* — 评估日期 2023-12-31 早于方案施行日期 2024-01-01，方案尚未施行' -- \
  "$rb" check --pack "$pack" --as-of 2023-12-31 "$ex/eligible.json"
expect "review at today's date" 0 '评估日期: [0-9]{4}-[0-9]{2}-[0-9]{2}' -- "$rb" check --pack "$pack" "$ex/eligible.json"
expect "a contract signed after the review" 1 '数据日期 2025-03-01 晚于评估日期 2025-02-01，不予认定' -- \
  bash -c "sed 's/\"signed_on\": \"[0-9-]*\"/\"signed_on\": \"2025-03-01\"/' '$ex/eligible.json' | '$rb' check --pack '$pack' --as-of 2025-02-01 -"
# An output's text value is shown by its label (labels: in the rule file), in either language.
expect "an output value by its label" 0 '此前已获资助的依据 = 申请人申报' -- "$rb" check --pack "$pack" --as-of 2025-06-30 "$ex/capped.json"
expect "an output value by its English label" 0 "source of the amount received before = the applicant's declaration" -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en "$ex/capped.json"
# A pack copied into a draft folder, as the drafter's guide says, still finds its schemas and common.
draft=$(mktemp -d)
cp -r "$pack" "$draft/"
expect "a draft finds its schemas" 0 '本次资助合计 = 150,000.00 元' -- bash -c "cd '$src' && '$rb' check --pack '$draft/dongsheng-2024' --as-of 2025-06-30 '$ex/eligible.json'"
expect "a draft outside the project names RULEBOOK_HOME" 0 '本次资助合计 = 150,000.00 元' -- \
  bash -c "cd '$draft' && RULEBOOK_HOME='$src' '$rb' check --pack '$draft/dongsheng-2024' --as-of 2025-06-30 '$ex/eligible.json'"
expect "a draft with no way home says what it cannot find" 2 'cannot find the subject schema' -- \
  bash -c "cd '$draft' && '$rb' check --pack '$draft/dongsheng-2024' --as-of 2025-06-30 '$ex/eligible.json'"
rm -rf "$draft"
expect "budget" 2 'evaluation budget exceeded \(10 steps\)' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --max-steps 10 "$ex/multi.json"
expect "list limit" 2 'a list of 4 elements is longer than the limit of 3' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --max-list-length 3 "$ex/multi.json"
expect "input size" 2 'larger than the limit of 100 bytes' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en --max-input-bytes 100 "$ex/multi.json"
expect "input depth" 2 '\$.applicant: error: JSON nested deeper than 1 levels' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en --max-input-depth 1 "$ex/multi.json"
expect "wrong type" 2 '\$.transactions\[0\].contract.amount: error: expected number, got string "三百万"' -- bash -c "sed 's/3000000.00/\"三百万\"/' '$ex/eligible.json' | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en -"
expect "invalid utf-8" 2 'malformed JSON' -- bash -c "printf '{\"a\": \"\\xff\"}' | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en -"
expect "bad credit code" 2 '\$.applicant.credit_code: error: "91150602MA0N2XYZ3K" is not a valid 统一社会信用代码' -- \
  bash -c "sed 's/\"credit_code\": \"[0-9A-Z]*\"/\"credit_code\": \"91150602MA0N2XYZ3K\"/' '$ex/eligible.json' | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en -"
expect "number out of range" 2 'number 1e999 is out of range' -- bash -c "echo '{\"a\": 1e999}' | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en -"
expect "malformed json" 2 '-:1:7: error: malformed JSON' -- bash -c "echo '{\"a\": }' | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en -"
expect "unreadable file" 2 'no-such.json: error: cannot read the file' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en no-such.json
# A reviewer reads what is wrong with a document in their language, Chinese by default: its
# Chinese wording, the field by its label (the schema's messages name it) and its path beside it;
# file, line and column in words (standard input by name), and the caret. --lang en prints it as above.
expect "wrong type, in Chinese" 2 '^标准输入：\$\.applicant\.type：错误：「申请人类型」应为文本，实际为数字 5$' -- \
  bash -c "echo '{\"applicant\": {\"type\": 5}}' | '$rb' check --pack '$pack' --as-of 2025-06-30 -"
expect "wrong type, in English" 2 '^-: \$\.applicant\.type: error: expected string, got number 5$' -- \
  bash -c "echo '{\"applicant\": {\"type\": 5}}' | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en -"
expect "malformed json, in Chinese: what was expected, what was found, where in words" 2 \
  '^标准输入 第 1 行第 7 列：错误：JSON 格式有误：此处应为一个值（.*），实际为 }$' -- \
  bash -c "echo '{\"a\": }' | '$rb' check --pack '$pack' --as-of 2025-06-30 -"
bad_docs=$(mktemp -d)
printf '{"a": 1,\n "b": 2 "c": 3}\n' > "$bad_docs/comma.json"
expect "a missing comma, in Chinese: an object not ended, the key found" 2 \
  'comma.json 第 2 行第 11 列：错误：JSON 格式有误：此处应为逗号 , 或 }（对象未结束），实际为加英文双引号的文本$' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 "$bad_docs/comma.json"
expect "a missing comma, in English: nlohmann's reason at file:line:col" 2 \
  "comma.json:2:11: error: malformed JSON: syntax error while parsing object - unexpected string literal; expected '}'" -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en "$bad_docs/comma.json"
: > "$bad_docs/empty.json"
expect "an empty file, in Chinese" 2 '^empty.json 第 1 行第 1 列：错误：JSON 格式有误：文档是空的，应为一个 JSON 对象（\{…\}）$' -- \
  bash -c "cd '$bad_docs' && '$rb' check --pack '$pack' --as-of 2025-06-30 empty.json"
echo '[1, 2]' > "$bad_docs/list.json"
expect "a list, not an object, names its file" 2 '^list.json：错误：文档顶层应为一个 JSON 对象（\{…\}），实际为列表$' -- \
  bash -c "cd '$bad_docs' && '$rb' check --pack '$pack' --as-of 2025-06-30 list.json"
expect "a list, not an object, names its file, in English" 2 '^list.json: \$: error: expected a JSON object at the top' -- \
  bash -c "cd '$bad_docs' && '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en list.json"
expect "a folder, in Chinese" 2 '^rules：错误：这是文件夹，不是文档' -- bash -c "cd '$src' && '$rb' check --pack '$pack' --as-of 2025-06-30 rules"
rm -rf "$bad_docs"
out=$(echo '{"a": }' | "$rb" check --pack "$pack" --as-of 2025-06-30 - 2>&1)
[[ $(sed -n 2,3p <<<"$out") == $'  {"a": }\n        ^' ]] && ok || bad "malformed json, in Chinese: the line and its caret" "$out"
expect "unreadable file, in Chinese, with the system's reason" 2 '^no-such.json：错误：无法读取该文件：没有那个文件或目录$' -- "$rb" check --pack "$pack" --as-of 2025-06-30 no-such.json
expect "no pack" 2 'no rule pack here' -- "$rb" check --pack /nonexistent "$ex/eligible.json"
expect "bad date" 2 '--as-of: expected a date YYYY-MM-DD, got .2025-02-30.' -- "$rb" check --pack "$pack" --as-of 2025-02-30 "$ex/eligible.json"
expect "bad format" 2 'format' -- "$rb" check --pack "$pack" --format xml "$ex/eligible.json"
expect "help" 0 'Exit status' -- "$rb" check --help
expect "top help" 0 'check' -- "$rb" --help
expect "no subcommand" 2 'subcommand' -- "$rb"

# A pack with a broken expression: the error names the file, line and column.
# Broken copies of the pack live in a scratch tree laid out like the repo (packs find schemas at ../../schemas).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rules"
cp -r "$src/schemas" "$src/examples" "$tmp/"
copy() { cp -r "$pack" "$tmp/rules/$1" && echo "$tmp/rules/$1"; }

broken=$(copy broken)
sed -i 's/value: sum(amounts)/value: sum(amounts +/' "$broken/ds-01.yaml"
expect "bad rule" 2 'ds-01.yaml:[0-9]+:[0-9]+: error: expected' -- "$rb" check --pack "$broken" "$ex/eligible.json"

# YAML that does not parse, and YAML that parses into the wrong structure.
yaml=$(copy yaml)
printf 'rules: [\n  - id: x\n' > "$yaml/zz.yaml"
expect "yaml syntax" 2 'zz.yaml:[0-9]+:[0-9]+: error: YAML: ' -- "$rb" check --pack "$yaml" --as-of 2025-06-30 "$ex/eligible.json"
printf 'rules:\n  - id: X-1\n    titel: {zh: 错, en: typo}\n' > "$yaml/zz.yaml"
expect "yaml structure" 2 "zz.yaml:3:5: error: unknown key 'titel' in a rule" -- \
  "$rb" check --pack "$yaml" --as-of 2025-06-30 "$ex/eligible.json"
printf 'rules:\n  - id: "\xff"\n' > "$yaml/zz.yaml"
expect "yaml utf-8" 2 'zz.yaml:2:10: error: invalid UTF-8' -- "$rb" check --pack "$yaml" --as-of 2025-06-30 "$ex/eligible.json"

# rulebook test: a wrong expectation is reported with the rule, both values and the trace.
cases=$(copy cases)
sed -i 's/total: 150000.00, remaining_cap/total: 150000.01, remaining_cap/' "$cases/cases/ds-01.yaml"
expect "test finds a wrong expectation" 1 'output total: expected 150000.01, got 150000.00' -- "$rb" test "$cases"
total=$("$rb" test "$pack" 2>/dev/null | sed -n 's/^\([0-9]*\) passed, 0 failed$/\1/p')
[[ -n $total ]] && ok || bad "the pack's own cases pass" "$("$rb" test "$pack" 2>&1 | tail -5)"
expect "test summary" 1 "^$((total - 1)) passed, 1 failed\$" -- "$rb" test "$cases"
expect "test passes" 0 "^$total passed, 0 failed\$" -- "$rb" test "$pack"
"$rb" test --junit "$cases/junit.xml" "$cases" > /dev/null
grep -qE "<testsuite name=\"dongsheng-2024\" tests=\"$total\" failures=\"1\" errors=\"0\"" "$cases/junit.xml" &&
  grep -qE '<testcase classname="dongsheng-2024.DS-01" name="[^"]+" file="[^"]+ds-01.yaml" line="[0-9]+">' "$cases/junit.xml" &&
  grep -qE '<failure message="output total: expected 150000.01, got 150000.00">' "$cases/junit.xml" &&
  ok || { bad "junit"; head -20 "$cases/junit.xml"; }
# Coverage: a rule outcome no case gives is named; --min-coverage turns a gap into a failure.
rm "$cases/cases/outcomes.yaml"
expect "coverage names the gap" 1 'dongsheng-2024 DS-0[0-9]: no case gives .*not_applicable' -- "$rb" test "$cases"
expect "coverage line" 0 '^coverage: [0-9]+ of [0-9]+ rule outcomes exercised \(100.0%\)$' -- "$rb" test "$pack"
expect "min coverage met" 0 'passed' -- "$rb" test --min-coverage 100 "$pack"
expect "min coverage missed" 1 'is below --min-coverage 100%' -- "$rb" test --min-coverage 100 "$cases"

# rulebook lint: each drafting mistake with file:line:col and its check; SARIF for editors.
expect "lint clean packs" 0 '^0 errors, 0 warnings$' -- bash -c "cd '$src' && '$rb' lint"
lint=$(copy lint)
cat > "$lint/zz.yaml" <<'YAML'
params:
  spare: {value: 3, clause: 一}
  bare: {value: 4}
rules:
  - id: ZZ-1
    title: {zh: 试, en: try}
    clause: 一
    quote: 专利
    conditions:
      - name: always
        require: bare > 1
        message: {zh: 总是, en: always}
  - id: ZZ-2
    title: {zh: 试, en: try}
    clause: 二
    quote: 这句话不在方案里
    conditions:
      - name: typo
        require: applicant.tpye == "enterprise"
        message: {zh: 错, en: typo}
YAML
expect "lint: unknown field is an error" 2 "zz.yaml:19:[0-9]+: error: .*tpye.*\\[name\\]" -- "$rb" lint "$lint"
sed -i 's/applicant.tpye/applicant.type/' "$lint/zz.yaml"
out=$("$rb" lint "$lint" 2>&1)
status=$?
for want in "zz.yaml:2:3: warning: param 'spare' is not used by any rule or def \\[unused-param\\]" \
  "zz.yaml:3:3: warning: param 'bare' has no clause.*\\[param-without-clause\\]" \
  "zz.yaml:5:5: warning: rule 'ZZ-1' has no case.*\\[rule-without-cases\\]" \
  "zz.yaml:10:9: warning: condition 'always' of rule 'ZZ-1' is always true \\[constant-condition\\]" \
  "zz.yaml:13:5: warning: the quote of rule 'ZZ-2' does not occur verbatim.*\\[quote-not-verbatim\\]" \
  "zz.yaml:13:5: warning: rule 'ZZ-2' has no case.*\\[rule-without-cases\\]" \
  '^0 errors, 6 warnings$'; do
  if [[ $status -eq 1 ]] && grep -qE -- "$want" <<<"$out"; then ok; else bad "lint: $want"; echo "$out" | head; fi
done
sarif=$("$rb" lint --format sarif "$lint")
grep -q '"version": "2.1.0"' <<<"$sarif" && grep -qE '"ruleId": "unused-param",' <<<"$sarif" &&
  tr -d ' \n' <<<"$sarif" | grep -E '"uri":"[^"]*zz.yaml"\},"region":\{"startLine":2,"startColumn":3\}' > /dev/null &&
  ok || { bad "sarif"; }

# The same pack and input give the same decision, byte for byte.
first=$("$rb" check --pack "$pack" --as-of 2025-06-30 --format json "$ex"/*.json 2>&1)
second=$("$rb" check --pack "$pack" --as-of 2025-06-30 --format json "$ex"/*.json 2>&1)
if [[ "$first" == "$second" ]]; then ok; else bad "determinism"; fi


# Cases that could never fail are errors of the cases file (exit 2), each at file:line:col.
bad_cases=$src/tests/data/cases/bad-cases
expect "test: a misspelt expectation" 2 "bad.yaml:9:14: error: unknown key 'outcom' in 'expect'; expected one of: outcome, .*did you mean 'outcome'\\?" -- \
  "$rb" test "$bad_cases"
expect "test: an empty expectation" 2 "bad.yaml:14:13: error: 'expect' compares nothing, so the case could never fail" -- "$rb" test "$bad_cases"
expect "test: no expectation" 2 "bad.yaml:15:5: error: a case needs 'expect'" -- "$rb" test "$bad_cases"
expect "test: a misspelt case key" 2 "bad.yaml:22:5: error: unknown key 'inputs' in a case; .*did you mean 'input'\\?" -- "$rb" test "$bad_cases"
expect "test: refused cases are counted" 2 '^1 passed, 0 failed, 5 errors in cases files \(not run\)$' -- "$rb" test "$bad_cases"
expect "lint: cases errors" 2 "bad.yaml:9:14: error: unknown key 'outcom' .*\\[cases\\]" -- "$rb" lint "$bad_cases"

# lint's drafting checks on their fixture packs (tests/data/lint/), with exit codes and SARIF.
fixtures=$src/tests/data/lint
expect "lint: a param departs from the quote" 1 \
  "quote/pack.yaml:17:12: warning: param 'rate' is 6% but rule 'Q-1' quotes the plan at 5%: the rule now departs from the plan.*\\[departs-from-quote\\]" -- \
  "$rb" lint "$fixtures/quote"
expect "lint: an amendment clears it" 1 '^0 errors, 2 warnings$' -- "$rb" lint "$fixtures/quote"
expect "lint: a value outside the enum" 2 \
  'enum/pack.yaml:27:33: error: "innovation_platfrom" is not a value of scheme.kind; did you mean "innovation_platform"\? .*\[enum-value\]' -- \
  "$rb" lint "$fixtures/enum"
expect "lint: applies never holds" 1 "applies/pack.yaml:24:14: warning: 'applies' of rule 'A-1' can never hold: .*\\[applies-never-holds\\]" -- \
  "$rb" lint "$fixtures/applies"
expect "lint: a rounded comparison" 1 \
  'rounded/pack.yaml:39:18: warning: a rounded value \(round at pack.yaml:22:17\) feeds this comparison: compare exact values; round only what is shown \[rounded-comparison\]' -- \
  "$rb" lint "$fixtures/rounded"
expect "lint: sarif names the new checks" 2 '"ruleId": "enum-value"' -- "$rb" lint --format sarif "$fixtures/enum"

# A pack copied into a draft folder reads its cases' input files as if it stood in rules/.
home=$tmp/home draft_dir=$tmp/drafts
mkdir -p "$home/rules" "$home/examples/dated-demo" "$draft_dir"
cp -r "$src/tests/data/packs/dated" "$home/rules/dated-demo"
echo '{"contract": {"amount": 20000000, "signed_on": "2025-07-01"}}' > "$home/examples/dated-demo/new-cap.json"
printf 'cases:\n  - {name: from a file, rule: DEMO-1, as_of: 2025-12-31, input_file: ../../../examples/dated-demo/new-cap.json, expect: {outputs: {subsidy: 800000}}}\n' \
  > "$home/rules/dated-demo/cases/file.yaml"
cp -r "$home/rules/dated-demo" "$draft_dir/"
expect "test: a draft reads input files from RULEBOOK_HOME" 0 '^6 passed, 0 failed$' -- \
  bash -c "cd '$draft_dir' && RULEBOOK_HOME='$home' '$rb' test dated-demo"
expect "test: without a way home the input file is named" 2 \
  "file.yaml:2:70: error: cannot read ../../../examples/dated-demo/new-cap.json \\(relative to this cases file, or to rules/dated-demo/cases/" -- \
  bash -c "cd '$draft_dir' && '$rb' test dated-demo"

# Hostile cases files: a self-referencing YAML alias and a 200,000-digit number are errors of the
# file, not a crash (#14).
hostile=$(mktemp -d)
cp -r "$src/tests/data/packs/dated" "$hostile/p"
printf 'cases:\n  - name: self\n    rule: DEMO-1\n    as_of: 2025-12-31\n    input: &a {x: *a}\n    expect: {outcome: pass}\n' > "$hostile/p/cases/demo.yaml"
expect "a self-referencing alias in a case" 2 'demo.yaml:5:12: error: an alias inside the node it names \(line 5\), which would never end' -- "$rb" test "$hostile/p"
printf 'cases:\n  - name: long\n    rule: DEMO-1\n    as_of: 2025-12-31\n    input: {contract: {amount: %s, signed_on: "2025-07-01"}}\n    expect: {outcome: pass}\n' \
  "$(head -c 200000 /dev/zero | tr '\0' '7')" > "$hostile/p/cases/demo.yaml"
expect "a 200,000-digit number in a case" 1 'FAIL|out of range|too large' -- "$rb" test "$hostile/p"
rm -rf "$hostile"
# Inputs are read under the byte limit as they are read; a folder or a device is named as such;
# a NUL byte is an error where it stands; a refused input prints no empty decision (#14).
expect "a device as input" 2 '/dev/zero: error: is not a regular file or a pipe' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en /dev/zero
expect "a folder as input" 2 'error: is a folder, not a document' -- "$rb" check --pack "$pack" --as-of 2025-06-30 --lang en "$ex"
expect "an endless pipe stops at the limit" 2 'larger than the limit of 1000 bytes \(stopped reading there\)' -- \
  bash -c "yes '{}' | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en --max-input-bytes 1000 -"
expect "a NUL byte" 2 '^-:2:9: error: a NUL byte \(U\+0000\) is not allowed in JSON text' -- \
  bash -c "printf '{\n  \"a\": 1\\000, \"b\": 2}' | '$rb' check --pack '$pack' --as-of 2025-06-30 --lang en -"
out=$("$rb" check --pack "$pack" --as-of 2025-06-30 --format json /dev/zero 2>/dev/null)
[[ -z $out ]] && ok || bad "a refused input prints nothing on stdout" "$out"
# Limits are plain counts in a sane range: -1 does not wrap to unlimited, 0x10 is not hexadecimal (#14).
for v in -1 0x10 0 99999999999999; do
  expect "--max-steps=$v refused" 2 "--max-steps: expected a whole number from 1 to" -- "$rb" check --pack "$pack" --max-steps=$v "$ex/eligible.json"
done
expect "--max-input-bytes=-5 refused" 2 "--max-input-bytes: expected a whole number" -- "$rb" batch --pack "$pack" --max-input-bytes=-5 "$ex"
for v in nan inf -1 101 1e2; do
  expect "--min-coverage $v refused" 2 "expected a percentage from 0 to 100" -- "$rb" test --min-coverage "$v" "$pack"
done
# Data never reaches a terminal as code, and JSON output stays valid UTF-8 (#14).
escape_doc='{"applicant":{"type":"patent_service_agency","subsidies_received":0},"transactions":[{"id":"T\u001b[2K\rOK","concluded":true,"contract":{"amount":100,"signed_on":"2024-05-01","tripartite":false},"transformation":{"succeeded":true}}]}'
out=$(printf '%s' "$escape_doc" | "$rb" check --pack "$pack" --as-of 2025-06-30 -)
[[ $out != *$'\e'* && $out != *$'\r'* && $out == *'T\u001b[2K\u000dOK'* ]] && ok || bad "control characters from the data are shown, not obeyed" "$(cat -A <<<"$out" | head -20)"
odd=$(mktemp -d)
cp "$ex/eligible.json" "$odd/$(printf 'bad\xffname.json')"
out=$("$rb" check --pack "$pack" --as-of 2025-06-30 --format json "$odd"/bad*name.json)
python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' <<<"$out" && [[ $out == *'bad\ufffdname.json'* ]] && ok ||
  bad "JSON output of an invalid UTF-8 file name stays valid UTF-8" "$(head -c 300 <<<"$out")"
rm -rf "$odd"
# Output that cannot be written is an error, for every command that writes; a reader that went
# away ends the run quietly (#14).
writes_tmp=$(mktemp -d)
"$rb" batch --pack "$pack" --as-of 2025-06-30 --summary --format json "$ex" > "$writes_tmp/summary.json" 2>/dev/null
writers=(
  "check --pack $pack --as-of 2025-06-30 $ex/eligible.json"
  "batch --pack $pack --as-of 2025-06-30 $ex"
  "diff --base $pack --head $pack --as-of 2025-06-30 $ex"
  "batch --merge $writes_tmp/summary.json $writes_tmp/summary.json"
  "lint $pack"
  "test $pack"
)
for w in "${writers[@]}"; do
  read -ra args <<<"$w"
  expect "${args[0]} to a full disk" 2 "rulebook ${args[0]}: error: cannot write the output: No space left on device" -- \
    bash -c '"$@" > /dev/full' _ "$rb" "${args[@]}"
  expect "${args[0]} to a closed stdout" 2 "rulebook ${args[0]}: error: cannot write the output: Bad file descriptor" -- \
    bash -c '"$@" >&-' _ "$rb" "${args[@]}"
done
for i in $(seq 1 3000); do tr -d '\n' < "$ex/eligible.json"; echo; done > "$writes_tmp/many.jsonl"
err=$("$rb" batch --pack "$pack" --as-of 2025-06-30 -j2 "$writes_tmp/many.jsonl" 2>&1 >/dev/null | head -1)
[[ -z $err ]] && ok || bad "(control) batch is quiet on stderr" "$err"
err=$( { "$rb" batch --pack "$pack" --as-of 2025-06-30 -j2 "$writes_tmp/many.jsonl" | head -1 > /dev/null; } 2>&1)
[[ -z $err ]] && ok || bad "a reader that went away (| head) ends batch quietly" "$err"
err=$( { "$rb" check --pack "$pack" --as-of 2025-06-30 "$ex"/*.json | head -1 > /dev/null; } 2>&1)
[[ -z $err ]] && ok || bad "a reader that went away (| head) ends check quietly" "$err"

# An empty --as-of is no date (it silently meant today); 0e37 is zero, not out of range (#14).
for c in check batch; do
  expect "$c --as-of ''" 2 "--as-of: expected a date YYYY-MM-DD, got ''" -- "$rb" $c --pack "$pack" --as-of "" "$ex/eligible.json"
done
expect "diff --as-of ''" 2 "--as-of: expected a date YYYY-MM-DD, got ''" -- "$rb" diff --base "$pack" --head "$pack" --as-of "" "$ex"
# Diffing two unrelated packs warns, on stderr and in the report (#14).
unrelated="--base $pack --head $src/rules/bayingolin-2026 --as-of 2025-06-30 $ex/eligible.json"
expect "diff of two packs warns on stderr" 1 "^rulebook diff: warning: --base dongsheng-2024 [^ ]+ and --head bayingolin-2026 [^ ]+ are different packs" -- \
  bash -c '"$@" 2>&1 >/dev/null' _ "$rb" diff $unrelated
expect "diff of two packs warns in the report" 1 "!! 注意：原版本与新版本是两个不同的规则包" -- bash -c '"$@" 2>/dev/null' _ "$rb" diff $unrelated
expect "diff of two packs: version_note" 1 '"version_note": ?"different_packs"' -- \
  bash -c '"$@" 2>/dev/null' _ "$rb" diff --format json $unrelated
expect "(control) a pack against itself does not warn" 0 '^$' -- bash -c '"$@" 2>&1 >/dev/null' _ "$rb" diff --base "$pack" --head "$pack" --as-of 2025-06-30 "$ex"
expect "0e37 is zero" 0 '结论: 通过' -- \
  bash -c "sed 's/\"subsidies_received\": [0-9]*/\"subsidies_received\": 0e37/' '$ex/eligible.json' | '$rb' check --pack '$pack' --as-of 2025-06-30 -"
# Bidirectional controls from the data are shown, not obeyed, in text and HTML (#14).
bidi_doc=${escape_doc/T\\u001b\[2K\\rOK/T\\u202eKO\\u2066}
out=$(printf '%s' "$bidi_doc" | "$rb" check --pack "$pack" --as-of 2025-06-30 -)
[[ $out != *$'\u202e'* && $out == *'T\u202eKO\u2066'* ]] && ok || bad "bidi controls in text output" "$out"
out=$(printf '%s' "$bidi_doc" | "$rb" check --pack "$pack" --as-of 2025-06-30 --format html -)
[[ $out != *$'\u202e'* && $out == *'T\u202eKO\u2066'* ]] && ok || bad "bidi controls in the HTML report" "$(grep -a KO <<<"$out" | head -3)"
# CSV output keeps text from the data from running as a formula; numbers stay numbers (#14).
printf '%s\n' "${escape_doc/\{\"applicant\"/{\"id\":\"=HYPERLINK(1)\",\"applicant\"}" "${escape_doc/\{\"applicant\"/{\"id\":\"-2+3\",\"applicant\"}" \
  "${escape_doc/\{\"applicant\"/{\"id\":\"@SUM(A1)\",\"applicant\"}" > "$writes_tmp/formula.jsonl"
out=$("$rb" batch --pack "$pack" --as-of 2025-06-30 --format csv "$writes_tmp/formula.jsonl")
[[ $out == *$'\n1,\'=HYPERLINK(1),'* && $out == *$'\n2,\'-2+3,'* && $out == *$'\n3,\'@SUM(A1),'* ]] && ok ||
  bad "CSV cells that would be formulas are kept as text" "$out"
rm -rf "$writes_tmp"

# rulebook test claims no coverage when a pack did not load or a cases file is wrong (#14).
expect "no coverage from a pack that did not load" 2 '^coverage: not measured: 1 pack\(s\) did not load$' -- "$rb" test "$src/tests/data"
expect "no coverage from a wrong cases file" 2 '^coverage: not measured: 5 error\(s\) in cases files$' -- "$rb" test "$bad_cases"
expect "--min-coverage is not met by a coverage not measured" 2 'coverage is not measured, so not shown to reach --min-coverage 50%' -- \
  "$rb" test --min-coverage 50 "$bad_cases"
# Reference data that is not a file says what it is; a device or a folder is not "missing" (#14).
data_pack=$(mktemp -d)
cp -r "$src/rules/common" "$data_pack/common"
sed -i 's|^calendar: calendar.json|calendar: /dev/zero|; s|^divisions: divisions.json|divisions: cases|' "$data_pack/common/pack.yaml"
expect "a device as the calendar" 2 'pack.yaml:[0-9]+:[0-9]+: error: refused: the calendar /dev/zero is not a regular file' -- "$rb" lint "$data_pack/common"
expect "a folder as the divisions" 2 'error: the administrative divisions .*/cases is a folder, not a file' -- "$rb" lint "$data_pack/common"
out=$("$rb" lint "$data_pack/common" 2>&1)
[[ $out != *"imports: [common]"* ]] && ok || bad "a pack that names its calendar is not told to import one" "$out"
rm -rf "$data_pack"
# Packs stay inside their rules root (the folder holding the pack folders): no path as an import,
# no absolute path, no way out by .. or a symbolic link, no FIFO; refused before reading, so an
# error never quotes what lies outside (#14).
outside=$(mktemp -d)
printf 'rules: [ SECRET-OUTSIDE\n' > "$outside/secret.yaml"
printf 'SECRET-OUTSIDE\n' > "$outside/secret.txt"
cp -r "$src/rules/common" "$outside/common"
jail=$(copy jail)
refused() {  # refused NAME PATTERN: check on the jail pack exits 2 with PATTERN and quotes nothing outside
  local out status
  out=$(timeout 20 "$rb" check --pack "$jail" --as-of 2025-06-30 "$ex/eligible.json" 2>&1)
  status=$?
  if [[ $status -eq 2 ]] && grep -qE -- "$2" <<<"$out" && [[ $out != *SECRET-OUTSIDE* ]]; then ok; else bad "$1: exit $status, output:" "$out"; fi
  cp "$pack/pack.yaml" "$jail/pack.yaml"
}
echo 'imports: [../../common]' >> "$jail/pack.yaml"
refused "an import by .." "pack.yaml:[0-9]+:[0-9]+: error: refused: import '../../common' is a path; a pack imports another by its name"
echo "imports: [$outside/common]" >> "$jail/pack.yaml"
refused "an absolute import" "pack.yaml:[0-9]+:[0-9]+: error: refused: import '$outside/common' is a path"
ln -s "$outside/common" "$tmp/rules/linked-out"
echo 'imports: [linked-out]' >> "$jail/pack.yaml"
refused "an import linked out" "pack.yaml:[0-9]+:[0-9]+: error: refused: the imported pack .*linked-out is a symbolic link out of the rules root $tmp/rules"
rm "$tmp/rules/linked-out"
sed -i "s|^  text: source.txt|  text: $outside/secret.txt|" "$jail/pack.yaml"
refused "an absolute source text" "pack.yaml:11:9: error: refused: the plan's text $outside/secret.txt is an absolute path; a pack names its files relative to its folder, inside the rules root $tmp/rules"
sed -i "s|^  text: source.txt|  text: ../../../../../../../..$outside/secret.txt|" "$jail/pack.yaml"
refused "a source text up by .." "pack.yaml:11:9: error: refused: the plan's text .*secret.txt is outside the rules root $tmp/rules"
mv "$jail/source.txt" "$jail/source.keep" && ln -s "$outside/secret.txt" "$jail/source.txt"
refused "a source text linked out" "pack.yaml:11:9: error: refused: the plan's text .*source.txt is a symbolic link out of the rules root $tmp/rules"
rm "$jail/source.txt" && mv "$jail/source.keep" "$jail/source.txt"
ln -s "$outside/secret.yaml" "$jail/zz.yaml"
refused "a rule file linked out" "zz.yaml: error: refused: the rule file .*zz.yaml is a symbolic link out of the rules root $tmp/rules"
rm "$jail/zz.yaml" && mkfifo "$jail/zz.yaml"
refused "a FIFO as a rule file" "zz.yaml: error: refused: the rule file .*zz.yaml is not a regular file \(a FIFO, a device or a socket\)"
rm "$jail/zz.yaml"
expect "the jail pack itself is fine" 0 '结论: 通过' -- "$rb" check --pack "$jail" --as-of 2025-06-30 "$ex/eligible.json"
rm -rf "$outside"
# A sum that needs more digits than a decimal holds is the rule's error, not a rounding (#14).
inexact=$(copy inexact)
cat > "$inexact/zz.yaml" <<'YAML'
rules:
  - id: ZZ-1
    title: {zh: 大数, en: big}
    clause: 一
    quote: 专利
    outputs:
      big: 100000000000000000000000000000000000 + applicant.subsidies_received
YAML
expect "an inexact sum is an error naming the rule" 2 '规则错误: .*/inexact/zz.yaml:7:12: inexact sum: the exact result needs more than 36 digits' -- \
  bash -c "sed 's/\"subsidies_received\": [0-9.]*/\"subsidies_received\": 0.5/' '$ex/eligible.json' | '$rb' check --pack '$inexact' --as-of 2025-06-30 -"
# Every limit refuses a negative or absurd value; the value-size limit stops what it bounds (#14).
for o in --max-steps --max-list-length --max-value-bytes --max-input-bytes --max-input-depth --max-expression-length --max-expression-depth; do
  expect "$o=-1 refused" 2 "$o: expected a whole number from 1 to" -- "$rb" check --pack "$pack" "$o=-1" "$ex/eligible.json"
  expect "$o absurd refused" 2 "$o: expected a whole number from 1 to" -- "$rb" check --pack "$pack" "$o=99999999999999999999" "$ex/eligible.json"
done
expect "value-size limit" 2 'builds values of more than 10 bytes' -- \
  bash -c "printf '{\"text\": \"abcdef\", \"items\": [1], \"more\": [1], \"amount\": 1, \"needle\": \"x\"}' | '$rb' check --pack '$src/tests/data/packs/hostile' --as-of 2025-06-30 --max-value-bytes 10 -"
# The budget is charged alike with and without a trace: a def computed for one rule and reused by
# the next costs the next as much (check traces, batch does not; they disagreed) (#14).
budget_doc='{"items": ['"$(seq -s, 1 2000)"'], "more": ['"$(seq -s, 1 1000)"'], "text": "a", "needle": "a", "amount": 1}'
budget_steps=18000  # LIGHT (the def) needs about 15,000, EXTRA's own work 7,500 more
check_out=$(printf '%s' "$budget_doc" | "$rb" check --pack "$src/tests/data/packs/hostile" --as-of 2025-06-30 --format json --max-steps "$budget_steps" -)
batch_out=$(printf '%s\n' "$budget_doc" | "$rb" batch --pack "$src/tests/data/packs/hostile" --as-of 2025-06-30 --max-steps "$budget_steps" -)
outcomes() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(" ".join(r["id"]+"="+r["outcome"] for r in d["rules"] if r["id"] in ("LIGHT","EXTRA")))'; }
want="LIGHT=pass EXTRA=error"
[[ $(outcomes <<<"$check_out") == "$want" ]] && ok || bad "budget: check decides $want" "$(outcomes <<<"$check_out")"
[[ $(outcomes <<<"$batch_out") == "$want" ]] && ok || bad "budget: batch (no trace) decides as check" "$(outcomes <<<"$batch_out")"
# Run where there is no rules/ folder and no pack is named: nothing to do, said, exit 2.
nowhere=$(mktemp -d)
expect "lint with no packs says there is nothing to do" 2 'rulebook lint: nothing to do: no packs given and none under ./rules' -- \
  env -C "$nowhere" "$rb" lint
expect "test with no packs says there is nothing to do" 2 'rulebook test: nothing to do: no packs given' -- env -C "$nowhere" "$rb" test
rmdir "$nowhere"
# check --record with several files: one naming an application recorded for another unit is
# refused, in the reviewer's language, nothing recorded for it; the others are decided and recorded.
led=$(mktemp -d)
app() {  # FILE UNIT-CODE
  sed -e "s/91150602MA0N2XY23D/$2/" "$ex/eligible.json" | sed 's/"applicant"/"id": "CLI-A1", "applicant"/' > "$1"
}
app "$led/a.json" 91150602MA0N2XY23D
app "$led/b.json" 52150602MJ0000123G
cp "$ex/multi.json" "$led/c.json"
expect "record: another unit's application is refused, the others go on" 2 \
  'b.json：错误：申请编号 CLI-A1 已记录为统一社会信用代码 91150602MA0N2XY23D 的单位的申请' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --record --db "sqlite:$led/l.db" --format json "$led/a.json" "$led/b.json" "$led/c.json"
[[ $("$rb" ledger list --db "sqlite:$led/l.db" | grep -c "^") -eq 2 ]] && ok || bad "record: a.json and c.json recorded, b.json not" "$("$rb" ledger list --db "sqlite:$led/l.db")"
# An application id holding U+0000 (which PostgreSQL cuts a text at, merging two applications there)
# is refused as serve refuses it, at its path, and not recorded.
sed 's/"id": "CLI-A1"/"id": "CLI\\u0000A2"/' "$led/a.json" > "$led/nul.json"
expect "record: an application id with U+0000 is refused at its path" 2 'nul\.json: \$\.id: error: .*U\+0000' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --record --db "sqlite:$led/l.db" --lang en "$led/nul.json"
[[ $("$rb" ledger list --db "sqlite:$led/l.db" | grep -c "^") -eq 2 ]] && ok || bad "record: nothing recorded for it" "$("$rb" ledger list --db "sqlite:$led/l.db")"
expect "record: the U+0000 refusal in Chinese names the field by its label" 2 \
  'nul\.json：申请编号（\$\.id）：错误：申请人或申请编号的文本中不得含有 U\+0000' -- \
  "$rb" check --pack "$pack" --as-of 2025-06-30 --record --db "sqlite:$led/l.db" "$led/nul.json"
rm -rf "$led"
summary cli
