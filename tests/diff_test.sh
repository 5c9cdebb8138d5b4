#!/usr/bin/env bash
# rulebook diff as a drafter uses it: raise the benchmark pack's rate (5% → 8%), cap (50万 → 80万)
# and period end (2025 → 2026), and check the report against figures computed without the
# engine (bench/baseline.cpp, hand-written over simdjson): totals under both versions, their
# difference, and the inputs that move from fail to pass. Then what a reviewer reads: only money
# totalled (not counts, not a cap left), with separators and 元, the money moved by each change
# of outcome as a bar, applicants by name, and a changed pack that kept its version called out.
set -uo pipefail
rb=$1 gen=$2 baseline=$3 src=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/lib.sh"

# A decimal with at most four places as a reviewer reads money: 1234567.895 → 1,234,567.90.
money() {
  local x=$1 sign=""
  [[ $x == -* ]] && sign=- x=${x#-}
  local int=${x%%.*} frac=""
  [[ $x == *.* ]] && frac=${x#*.}
  frac=${frac}0000
  local cents=$(( (10#$int * 10000 + 10#${frac:0:4} + 50) / 100 ))
  echo "$sign$(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<$((cents / 100))).$(printf %02d $((cents % 100)))"
}

"$gen" 1000 "$tmp/corpus.jsonl"
# The benchmark pack with its subsidy declared as money (the only output that is).
cp -r "$src/bench/pack" "$tmp/base"
sed -i 's/^      subsidy: \(".*"\)$/      subsidy: {value: \1, unit: yuan, title: {zh: 资助金额, en: subsidy}}/' "$tmp/base/pack.yaml"
grep -q 'unit: yuan, title: {zh: 资助金额' "$tmp/base/pack.yaml" && ok || bad "the test pack declares its subsidy as money"
cp -r "$tmp/base" "$tmp/head"
sed -i 's/rate: {value: 5%/rate: {value: 8%/; s/cap: {value: 500000/cap: {value: 800000/; s/period_end: {value: 2025-12-31/period_end: {value: 2026-12-31/' \
  "$tmp/head/pack.yaml"
diff_en() { "$rb" diff --base "$tmp/base" --head "$1" --as-of 2025-12-31 --lang en "${@:2}" "$tmp/corpus.jsonl"; }

"$rb" diff --base "$tmp/base" --head "$tmp/head" --as-of 2025-12-31 --format json "$tmp/corpus.jsonl" > "$tmp/diff.json"
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
grep -q '"output": "invention_count", *"kind"' <<<"$flat" && bad "a count is not totalled as money" || ok

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

# The money moved, by the granting rule's change of outcome, adds up to the change of the total.
impact=$(grep -oE '"money_impact": \[[^]]*\]' <<<"$flat")
grep -qE "\"rule\": \"B-1\", *\"from\": \"fail\", *\"to\": \"pass\", *\"count\": $moved," <<<"$impact" && ok || bad "B-1 fail → pass moves $moved applications' money" "$impact"
sum=0
for x in $(grep -oE '"difference": -?[0-9.]+' <<<"$impact" | sed 's/.*: //'); do
  frac=${x#*.}0000
  [[ $x == *.* ]] || frac=0000
  int=${x%%.*}
  [[ $int == -* ]] && sum=$((sum - (10#${int#-} * 10000 + 10#${frac:0:4}))) || sum=$((sum + 10#$int * 10000 + 10#${frac:0:4}))
done
[[ $sum -eq $d ]] && ok || bad "the impact's differences sum to the total's ($sum ≠ $d ten-thousandths)" "$impact"

# Versions told apart honestly: the head changed but kept 1.0.0.
grep -qE '"base_hash": "[0-9a-f]{64}", *"head_hash": "[0-9a-f]{64}", *"version_note": "changed_same_version"' <<<"$flat" \
  && ok || bad "JSON gives both content hashes and calls out the unchanged version" "$(head -c 400 <<<"$flat")"
[[ $(grep -oE '"(base|head)_hash": "[0-9a-f]+"' <<<"$flat" | sed 's/.*: //' | sort -u | wc -l) -eq 2 ]] && ok || bad "the hashes differ"

big="+$(money "$difference") yuan"
expect "text report totals money with separators" 1 \
  "B-1 eligible and subsidy / subsidy: $(money "$base_sum") yuan → $(money "$head_sum") yuan, difference \\$big" -- diff_en "$tmp/head"
expect "text report: the money a change of outcome moves, as a bar" 1 "^  B-1: fail → pass +$moved applications +\\+[0-9,.]+ yuan  \\++$" -- \
  diff_en "$tmp/head"
bars=$(diff_en "$tmp/head" | sed -n '/^Money impact/,/^$/p' | grep -oE ' \++$' | awk '{print length($1)}' | sort -n | tr '\n' ' ')
[[ $bars =~ (^| )30\ $ ]] && ok || bad "the largest change has the full bar of 30, the others less" "$bars"
expect "text report calls out a changed pack under the same version" 1 \
  '!! Warning: both packs are version 1.0.0 but their contents differ \([0-9a-f]{12} ≠ [0-9a-f]{12}\)' -- diff_en "$tmp/head"
out=$(diff_en "$tmp/head")
grep -q "invention_count" <<<"$(sed -n '/^Totals/,/^$/p' <<<"$out")" && bad "no total of a count in text" "$out" || ok
expect "Chinese by default: words, outcomes and 元" 1 \
  "!! 注意：两个规则包的版本号同为 1.0.0，内容却不同.*B-1：不通过 → 通过 +$moved 份 +\\+[0-9,.]+ 元.*B-1 转化交易资助 / 资助金额：" -- \
  bash -c "set -o pipefail; '$rb' diff --base '$tmp/base' --head '$tmp/head' --as-of 2025-12-31 '$tmp/corpus.jsonl' | tr '\n' ' '"

"$rb" diff --base "$tmp/base" --head "$tmp/head" --as-of 2025-12-31 --format html -o "$tmp/report.html" "$tmp/corpus.jsonl"
grep -qF "<td class=\"n up\">+$(money "$difference") 元</td>" "$tmp/report.html" && ok || bad "HTML shows the difference as money"
grep -qE '<p class=warn>.*版本号同为 1.0.0' "$tmp/report.html" && ok || bad "HTML calls out the unchanged version"
tr -d '\n' < "$tmp/report.html" | grep -E '<svg class=chart.*<rect x="[0-9]+" y="[0-9]+" width="[0-9]+"' > /dev/null && ok || bad "HTML draws the money impact as bars"
grep -qiE '<script|<link|src=|https?://[^"]*"[^>]*(href|src)' "$tmp/report.html" && bad "HTML is self-contained (no scripts or external files)" || ok

# A new version number on a changed pack is no warning; a pack against itself is said to be the same.
cp -r "$tmp/head" "$tmp/bumped"
sed -i 's/^version: 1.0.0/version: 1.1.0/' "$tmp/bumped/pack.yaml"
expect "a bumped version is not called out" 1 '^  head: bench-subsidy 1.1.0, content hash [0-9a-f]{12}$' -- diff_en "$tmp/bumped"
diff_en "$tmp/bumped" | grep 'Warning' > /dev/null && bad "no warning once the version is raised" || ok
expect "no change exits 0" 0 'Outcomes that changed:.*|\(none\)' -- diff_en "$tmp/base"
expect "the same pack is said to be the same" 0 'The two packs have the same contents' -- diff_en "$tmp/base"

echo '{"applicant": 1}' > "$tmp/bad.jsonl"
expect "an input refused is listed and exits 2" 2 'bad.jsonl:1: \$.applicant: base: expected object' -- \
  "$rb" diff --base "$tmp/base" --head "$tmp/head" --as-of 2025-12-31 "$tmp/bad.jsonl"
expect "help" 0 '--base' -- "$rb" diff --help
expect "both packs required" 2 'head' -- "$rb" diff --base "$src/bench/pack" "$tmp/corpus.jsonl"

# A real plan: DS-01 totals what it grants (its answer), not the cap left, the amounts received
# or the contracts' amounts, though all are money; applicants by name.
cp -r "$src/rules/dongsheng-2024" "$tmp/ds"
sed -i 's/^    value: 50万$/    value: 80万/' "$tmp/ds/pack.yaml"
ds=$(cd "$src" && "$rb" diff --base rules/dongsheng-2024 --head "$tmp/ds" --as-of 2026-01-01 examples/dongsheng-2024)
[[ $? -eq 1 ]] && ok || bad "DS: a raised cap changes decisions"
# (examples/dongsheng-2024/needs-info.json's total is unknown under both: said, not counted)
grep -qE '^  DS-01 [^/]+ / 本次资助合计：[0-9,]+\.[0-9]{2} 元 → [0-9,]+\.[0-9]{2} 元，差额 \+[0-9,]+\.[0-9]{2} 元（金额未知、未计入：原版本 1 份，新版本 1 份）$' <<<"$ds" \
  && ok || bad "DS: the total granted is totalled, in 元" "$ds"
[[ $(sed -n '/^金额合计/,/^$/p' <<<"$ds" | grep -c '^  ') -eq 1 ]] && ok || bad "DS: nothing else is totalled" "$(sed -n '/^金额合计/,/^$/p' <<<"$ds")"
grep -qE '内蒙古鑫创专利代理事务所 \([^)]*capped.json\)：[0-9,.]+ 元 → [0-9,.]+ 元' <<<"$ds" && ok || bad "DS: the applicant named beside its amounts" "$ds"
grep -qE 'DS-01：仍为通过（金额改变）' <<<"$ds" && ok || bad "DS: an amount changed under the same outcome is money moved" "$ds"
# Outputs unknown under both versions (a list of amounts still open) are no change.
expect "DS: a pack against itself changes nothing" 0 '两个规则包内容相同.*结论改变的材料： +（无） +输出改变的材料： +（无）' -- \
  bash -c "set -o pipefail; cd '$src' && '$rb' diff --base rules/dongsheng-2024 --head rules/dongsheng-2024 --as-of 2026-01-01 examples/dongsheng-2024 | tr '\n' ' '"

# An amount a version leaves unknown (needs_info) is in neither sum: a raised cap that makes an
# application await data is not money saved. T1 alone qualifies (T2's transformation is missing):
# 50,000.00 of the base's 50万 after 450,000 received, under the head unknown (T2 may take the rest).
printf '%s\n' '{"id": "X", "applicant": {"name": "某机构", "type": "patent_service_agency", "subsidies_received": 450000}, "transactions": [{"id": "T1", "concluded": true, "contract": {"number": "DS-2024-001", "amount": 2000000, "signed_on": "2024-05-01", "tripartite": true}, "transformation": {"succeeded": true}}, {"id": "T2", "concluded": true, "contract": {"number": "DS-2024-002", "amount": 2000000, "signed_on": "2024-06-01", "tripartite": true}}]}' \
  > "$tmp/open.jsonl"
open=$(cd "$src" && "$rb" diff --base rules/dongsheng-2024 --head "$tmp/ds" --as-of 2025-06-30 "$tmp/open.jsonl")
grep -qE '^  DS-01：通过 → 需补充材料 +1 份 +-50,000.00 元 +（金额未知、未计入：新版本 1 份）$' <<<"$open" \
  && ok || bad "DS: an amount unknown under the head is counted apart, with no bar" "$open"
grep -qE '本次资助合计：50,000.00 元 → 0.00 元，差额 -50,000.00 元（金额未知、未计入：新版本 1 份）' <<<"$open" \
  && ok || bad "DS: the totals say what they leave out" "$open"
open_json=$(cd "$src" && "$rb" diff --base rules/dongsheng-2024 --head "$tmp/ds" --as-of 2025-06-30 --format json "$tmp/open.jsonl" | tr -d ' \n')
grep -q '"base_unknown":0,"head_unknown":1' <<<"$open_json" && ok || bad "DS: JSON counts the unknown amounts" "$open_json"

# A head whose schema refuses what the base pays (amounts above 1,000,000): those inputs are no
# decision under it, and the money they had goes with them, counted as a change of outcome.
cp -r "$tmp/base" "$tmp/strict"
python3 - "$tmp/strict/subject.schema.json" <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
s["properties"]["contract"]["properties"]["amount"]["maximum"] = 1000000
json.dump(s, open(p, "w"), ensure_ascii=False)
PY
"$rb" diff --base "$tmp/base" --head "$tmp/strict" --as-of 2025-12-31 --format json "$tmp/corpus.jsonl" > "$tmp/strict.json" 2>/dev/null
python3 - "$tmp/strict.json" <<'PY' && ok || bad "a schema that refuses what the base pays moves that money" "$(head -c 600 "$tmp/strict.json")"
import json, sys
d = json.load(open(sys.argv[1]))
refused = [m for m in d["money_impact"] if m["to"] == "invalid"]
assert refused and all(m["head"] == 0 for m in refused) and any(m["base"] > 0 for m in refused), refused
assert any(o["rule"] is None and o["to"] == "invalid" for o in d["outcome_changes"]), d["outcome_changes"]
total = [t for t in d["totals"] if t["output"] == "subsidy"][0]
assert round(total["base"] - total["head"], 4) == round(sum(m["base"] for m in refused), 4), (total, refused)
PY

# A draft kept outside the project finds its schemas through RULEBOOK_HOME but cannot be hashed:
# with only its ledger figures changed, its rules are alike, and the report must not call the two
# contents the same.
mkdir -p "$tmp/drafts" && cp -r "$src/rules/dongsheng-2024" "$tmp/drafts/"
sed -i 's/outcomes: \[pass\]/outcomes: [pass, needs_info]/' "$tmp/drafts/dongsheng-2024/ledger/figures.yaml"
away=$(cd "$src" && RULEBOOK_HOME="$src" "$rb" diff --base rules/dongsheng-2024 --head "$tmp/drafts/dongsheng-2024" \
  --as-of 2025-06-30 examples/dongsheng-2024 2>/dev/null)
grep -q '两个规则包的规则相同，但有文件无法计算内容哈希' <<<"$away" && ! grep -q '两个规则包内容相同' <<<"$away" \
  && ok || bad "diff: a draft whose files cannot be hashed is not called the same" "$(head -6 <<<"$away")"

# A grouped sheet is read as batch reads it: its rows are five applications (A-3, a transaction
# listed twice, refused), each capped as one, not nine rows paid one by one.
sheet=$(cd "$src" && "$rb" diff --base rules/dongsheng-2024 --head "$tmp/ds" --as-of 2025-06-30 \
  --csv-mapping tests/data/sheets/grouped.mapping.yaml tests/data/sheets/grouped.csv 2>/dev/null)
grep -q '材料 5 份（无法判定 1 份）' <<<"$sheet" && ok || bad "diff reads a grouped sheet's rows as its applications" "$sheet"
grep -qE '本次资助合计：750,000.03 元 → 800,000.03 元' <<<"$sheet" && ok || bad "diff: the grouped sheet's totals as batch has them" "$sheet"

# A dated change explains itself like any other: the published cap against the amended one.
cp -r "$src/tests/data/packs/dated" "$tmp/undated"
replace_cap() { sed -i '/^  cap:/,/^    unit:/c\  cap:\n    value: 50万\n    unit: yuan per unit' "$1"; }
replace_cap "$tmp/undated/pack.yaml"
printf '%s\n' '{"id": "early", "contract": {"amount": 20000000, "signed_on": "2025-06-30"}}' \
  '{"id": "late", "contract": {"amount": 20000000, "signed_on": "2025-07-01"}}' > "$tmp/contracts.jsonl"
expect "a dated param change in the report" 1 \
  'param cap: 50万  →  from 2024-01-01: 50万; from 2025-07-01: 80万 \(修订通知第一条\).*DEMO-1 the cap in force on the contract.s date / subsidy  late \([^)]*contracts.jsonl:2\): 500000 → 800000' -- \
  bash -c "set -o pipefail; '$rb' diff --base '$tmp/undated' --head '$src/tests/data/packs/dated' --as-of 2025-12-31 --lang en '$tmp/contracts.jsonl' | tr '\n' ' '"

# The limits of evaluation are check's: with --max-steps too small for DS-01, both versions' DS-01
# stop (an error under each, as check says it), so nothing changes; the limits were ignored and
# the raised cap's money was reported.
steps=$(cd "$src" && "$rb" diff --base rules/dongsheng-2024 --head "$tmp/ds" --as-of 2026-01-01 --max-steps 5 --format json \
  examples/dongsheng-2024/multi.json 2>/dev/null)
status=$?
[[ $status -eq 0 ]] && grep -q '"output_changes": \[\]' <<<"$steps" && ok || bad "diff applies --max-steps as check does (exit $status)" "$steps"
checked=$(cd "$src" && "$rb" check --pack rules/dongsheng-2024 --as-of 2026-01-01 --max-steps 5 --format json \
  examples/dongsheng-2024/multi.json 2>/dev/null)  # exit 2: a rule could not be evaluated
grep -q '"outcome": "error"' <<<"$checked" && ok || bad "check: DS-01 runs out of 5 steps" "$checked"

# An output that is only no longer marked as money (its `unit: yuan` dropped) moves no money:
# no decision changes, so the money impact is empty and the totals' difference 0; the pack's
# change names the unit. (The impact summed the base's money against none under the head.)
cp -r "$src/rules/dongsheng-2024" "$tmp/nounit"
python3 - "$tmp/nounit/ds-01.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = "        title: {zh: 本次资助合计, en: total granted now}\n        unit: yuan\n"
assert old in s
open(p, "w", encoding="utf-8").write(s.replace(old, "        title: {zh: 本次资助合计, en: total granted now}\n"))
PY
nounit=$(cd "$src" && "$rb" diff --base rules/dongsheng-2024 --head "$tmp/nounit" --as-of 2026-01-01 --format json examples/dongsheng-2024 2>/dev/null)
status=$?
D=$nounit python3 - 2>/dev/null <<'PY' && [[ $status -eq 0 ]] && ok || bad "diff: a unit dropped moves no money and is listed (exit $status)" "$nounit"
import json, os
d = json.loads(os.environ["D"])
assert d["money_impact"] == [], d["money_impact"]
assert all(t["difference"] == 0 for t in d["totals"]), d["totals"]
assert {"kind": "unit", "name": "DS-01 / total"} in [{"kind": c["kind"], "name": c["name"]} for c in d["pack_changes"]], d["pack_changes"]
PY

# An output unknown under one version and not computed under the other (its rule no longer
# applies) is no change of output: the change of outcome says it, not a row "unknown → unknown".
cp -r "$src/rules/dongsheng-2024" "$tmp/applies"
sed -i 's/^    applies: known(applicant) or known(transactions)$/    applies: known(applicant.subsidies_received)/' "$tmp/applies/ds-01.yaml"
grep -q '^    applies: known(applicant.subsidies_received)$' "$tmp/applies/ds-01.yaml" && ok || bad "the test edits DS-01's applies"
applies=$(cd "$src" && "$rb" diff --base rules/dongsheng-2024 --head "$tmp/applies" --as-of 2026-01-01 --format json \
  examples/dongsheng-2024/needs-info.json 2>/dev/null)
D=$applies python3 - 2>/dev/null <<'PY' && ok || bad "diff: no output change from unknown to not computed" "$applies"
import json, os
d = json.loads(os.environ["D"])
assert any(c["rule"] == "DS-01" and c["from"] == "needs_info" and c["to"] == "not_applicable" for c in d["outcome_changes"]), d["outcome_changes"]
assert d["output_changes"] and not [o for o in d["output_changes"] if o["before"] is None and o["after"] is None], d["output_changes"]
PY

# Money past what a decimal holds is said, as batch says it, never an internal error: an output
# that adds up the contracts' amounts (34 digits each) over 1,100 applications. (The money moved
# by DS-01 was summed unguarded and its overflow escaped: "rulebook: internal error".)
cp -r "$src/rules/dongsheng-2024" "$tmp/big"
sed -i 's/^        value: sum(amounts)$/        value: sum(contract_amounts)/' "$tmp/big/ds-01.yaml"
grep -q 'value: sum(contract_amounts)' "$tmp/big/ds-01.yaml" && ok || bad "the test edits DS-01's total"
python3 - "$tmp/big.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1100):
        f.write(json.dumps({"id": f"B{i}", "applicant": {"name": "x", "type": "patent_service_agency", "subsidies_received": 0},
                            "transactions": [{"id": "T1", "concluded": True, "contract": {"number": f"N{i}", "amount": int("9" * 34),
                                              "signed_on": "2024-05-01", "tripartite": True}, "transformation": {"succeeded": True}}]}) + "\n")
PY
expect "diff: money past 36 digits is an error, not an internal one" 2 '^rulebook diff: error: the (total of DS-01.total|money DS-01 moves) passes what a decimal holds' -- \
  bash -c 'cd "$1" && "$2" diff --base rules/dongsheng-2024 --head "$3" --as-of 2026-01-01 "$4" 2>&1 >/dev/null' _ "$src" "$rb" "$tmp/big" "$tmp/big.jsonl"

# What a reviewer reads changes with a condition's message or a rule's English title, and when a
# transaction is judged with `dated:`: the pack's changes list them (they said "(none)" beside a
# warning that the contents differ).
cp -r "$src/rules/dongsheng-2024" "$tmp/words"
sed -i 's/^            zh: 申请人不是专利服务机构$/            zh: 申请人并非专利服务机构/; s/^      dated: t.contract.signed_on$/      dated: add_days(t.contract.signed_on, 1)/' "$tmp/words/ds-01.yaml"
words=$(cd "$src" && "$rb" diff --base rules/dongsheng-2024 --head "$tmp/words" --as-of 2026-01-01 --format json examples/dongsheng-2024 2>/dev/null)
D=$words python3 - 2>/dev/null <<'PY' && ok || bad "diff lists a changed message and dated" "$(head -c 1500 <<<"$words")"
import json, os
d = json.loads(os.environ["D"])
kinds = {(c["kind"], c["name"]) for c in d["pack_changes"]}
assert ("message", "DS-01 / agency") in kinds and ("dated", "DS-01 / qualifies") in kinds, kinds
PY

summary diff
