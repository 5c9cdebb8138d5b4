#!/usr/bin/env bash
# The review desk in a real browser: Debian's chromium driven by puppeteer-core (tests/desk/,
# installed with `npm ci` from its package-lock; no browser download) against `rulebook serve`
# on a free loopback port with a throwaway SQLite ledger. Screenshots and the printed PDF go to
# OUT (build/artefacts/desk/). The sheet's verdicts expected on the page are `rulebook batch`'s.
#   desk_test.sh RULEBOOK SOURCE_DIR OUT
set -uo pipefail
rb=$1 src=$2 out=$3
source "$(dirname "$0")/lib.sh"
fail() { bad "$1" "${2:-}"; summary desk; exit 1; }
browser=${CHROMIUM:-$(command -v chromium || true)}
[[ -n $browser ]] || fail "chromium is needed (scripts/test.sh installs it)"
command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed (scripts/test.sh installs nodejs npm)"
command -v pdftotext >/dev/null || fail "pdftotext is needed (poppler-utils)"
mkdir -p "$out"
work=$(mktemp -d)
server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

# The test's own modules: installed by tests/desk/install.sh (the desk_modules fixture).
desk="$src/tests/desk"

# What batch decides for each application of the grouped sheet ("invalid" when it is refused).
verdicts=$("$rb" batch --pack "$src/rules/dongsheng-2024" --as-of 2025-06-30 --exit-zero \
  --csv-mapping "$src/tests/data/sheets/grouped.mapping.yaml" "$src/tests/data/sheets/grouped.xlsx" |
  python3 -c '
import json, sys
out = {}
for line in sys.stdin:
    r = json.loads(line)
    out[r["id"]] = r["outcome"]
print(json.dumps(out))')
[[ $verdicts == *A-1* ]] && ok || fail "rulebook batch read the grouped sheet" "$verdicts"

# Every choice of the subject schemas named in both languages, as the form and the reports show it.
labels=$(python3 "$src/tests/desk/enum_labels.py" "$src")
[[ $labels == ok* && ${labels#ok } -ge 20 ]] && ok || bad "every choice of the subject schemas has zh and en labels" "$labels"
# Every subject schema says where its applicant is named (x-applicant), and its sheet's columns are its fields.
annotations=$(python3 "$src/tests/desk/annotations.py" "$src")
[[ $annotations == ok* && ${annotations#ok } -ge 40 ]] && ok || bad "x-applicant and x-sheet name fields of the subject schemas" "$annotations"

# A report of a document from no file (standard input, the desk's form) has no file row; one
# of a file names it.
ex="$src/examples/dongsheng-2024/capped.json"
report() { "$rb" check --pack "$src/rules/dongsheng-2024" --as-of 2025-06-30 "$@" || true; }
from_stdin=$(report --format text - <"$ex")$(report --format html - <"$ex")
[[ $from_stdin == *"结论"* && $from_stdin != *文件* ]] && ok || bad "a report of standard input has no file row" "$(grep 文件 <<<"$from_stdin" | head -3)"
[[ $(report --format text "$ex") == *"文件: $ex"* && $(report --format html "$ex") == *"<th>文件</th><td>$ex</td>"* ]] && ok ||
  bad "a report of a file names it"

start_serve "$work" --packs "$src/rules" --db "sqlite:$work/ledger.db" --threads 4 || fail "rulebook serve started" "$(cat "$work/serve.err")"

# The page and its files: served, with a policy that allows nothing from elsewhere.
headers=$(curl -sS -D - -o "$work/index.html" "$url/")
grep -qi '^content-type: text/html' <<<"$headers" && grep -qi "^content-security-policy: default-src 'self'" <<<"$headers" &&
  ok || bad "GET / serves the desk with its security policy" "$headers"
cmp -s "$work/index.html" "$src/desk/index.html" && ok || bad "GET / is desk/index.html, byte for byte"
for f in "$src"/desk/*; do
  curl -sSf -o "$work/asset" "$url/desk/$(basename "$f")" && cmp -s "$work/asset" "$f" && ok ||
    bad "GET /desk/$(basename "$f") is the file in desk/"
done
! grep -qE '(src|href)="(https?:)?//' "$src"/desk/*.html && ok || bad "the desk refers to nothing outside itself"

# The plan's template as the desk offers it, filled in (choices by their labels, an amount with
# separators) and read by `rulebook batch` with no mapping, through the same code as the desk's
# upload (engine/sheet/template.cpp): same verdicts, same refusal of a header it does not know.
curl -sSf -o "$work/template.csv" "$url/packs/dongsheng-2024/template?lang=zh" && ok || bad "GET /packs/{id}/template"
{ cat "$work/template.csv"
  printf '%s\r\n' 'B-1,北疆知识产权服务有限公司,,专利服务机构,0,B1-T1,是,HT-001,"3,000,000.00",2024-05-20,是,是' \
    'B-1,北疆知识产权服务有限公司,,专利服务机构,0,B1-T2,是,HT-002,12000000,2024-07-01,是,是' \
    'B-2,东胜区某高校,,高等院校,0,B2-T1,是,HT-003,1000000,2024-06-01,是,是'; } > "$work/filled.csv"
got=$("$rb" batch --pack "$src/rules/dongsheng-2024" --as-of 2025-06-30 --exit-zero "$work/filled.csv" 2>&1 |
  python3 -c 'import json, sys; print(" ".join(r["id"] + ":" + r["outcome"] for r in map(json.loads, sys.stdin)))')
[[ $got == 'B-1:pass B-2:fail' ]] && ok ||
  bad "rulebook batch reads the desk's template with no mapping" "$got"
template=$(curl -sSf "$url/packs/dongsheng-2024/template?lang=en")
[[ ${template:0:40} == *'application id,'* ]] && ok || bad "the template in English"
sed '1s/单位名称/单位全称/' "$work/filled.csv" > "$work/misnamed.csv"
cli=$("$rb" batch --pack "$src/rules/dongsheng-2024" --as-of 2025-06-30 --lang en "$work/misnamed.csv" 2>&1)
answer=$(curl -sS -F "file=@$work/misnamed.csv" "$url/packs/dongsheng-2024/sheet")
# The template's advice (its headers), not a mapping's: a template sheet has no mapping to edit.
advice="column '单位全称' is not a column of the sheet template of dongsheng-2024: head the columns as the template does (申请编号, 单位名称,"
[[ $cli == *"$advice"* && $answer == *"$advice"* && $cli != *"ignore:"* && $answer != *"ignore:"* ]] && ok ||
  bad "batch and the desk refuse a template's unknown header alike" "$cli"$'\n'"$answer"

# A past record's report is made again from its kept input (GET /ledger/{id}/report); a record
# written before the ledger kept inputs, or under a pack changed since, is refused with the reason
# (the desk then shows its stored decision with that reason: desk_test.mjs opens the first one).
saved=$(curl -sS -D - -o /dev/null -X POST --data-binary @"$src/examples/dongsheng-2024/capped.json" \
  "$url/packs/dongsheng-2024/check?as_of=2025-06-30" | sed -n 's/^X-Decision-Id: *\([^\r]*\).*/\1/ip')
curl -sS "$url/ledger/$saved/report" | grep '对同一单位给予最高' > /dev/null && ok || bad "GET /ledger/{id}/report: the saved decision's report"
decision=$(curl -sS -X POST --data-binary @"$src/examples/dongsheng-2024/capped.json" \
  "$url/packs/dongsheng-2024/check?as_of=2025-06-30&dry_run=true")
python3 - "$work/ledger.db" "$decision" <<'EOF'
import json, sqlite3, sys
db, decision = sys.argv[1:]
c = sqlite3.connect(db, timeout=10)
row = ("2025-07-01T08:00:00.000Z", "旧审查人", "dongsheng-2024", "1.0.0", "2025-06-30", "x", json.loads(decision)["outcome"], decision, "0.0.0")
sql = ("INSERT INTO decisions (id, applicant_name, pack_hash, input, recorded_at, reviewer, pack_id, pack_version, as_of, "
       "input_hash, outcome, decision_json, engine_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
c.execute(sql, ("00000000-0000-7000-8000-000000000001", "旧台账单位", "", None) + row)  # as version 2 wrote it
c.execute(sql, ("00000000-0000-7000-8000-000000000002", "改包前单位", "0" * 64, "{}") + row)  # another pack's content
c.commit()
EOF
for case in 1:no_input 2:pack_changed; do
  code=$(curl -sS -o "$work/refused.json" -w '%{http_code}' "$url/ledger/00000000-0000-7000-8000-00000000000${case%%:*}/report?lang=zh")
  [[ $code == 409 ]] && grep -q "\"${case#*:}\"" "$work/refused.json" && ok || bad "a record's report refused: ${case#*:}" "$code $(cat "$work/refused.json")"
done

CHROMIUM=$browser RULEBOOK=$rb DESK_SHEET_VERDICTS=$verdicts node "$desk/desk_test.mjs" "$url" "$src" "$out" && ok || bad "the desk in chromium (above)"

kill -INT "$server"
wait "$server"; code=$?
server=""
[[ $code -eq 0 ]] && ok || bad "Ctrl-C (SIGINT) stops serve cleanly (exit $code)" "$(tail -5 "$work/serve.err")"
summary desk
