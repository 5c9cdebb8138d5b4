#!/usr/bin/env bash
# The drafter's playground: its routes as a client calls them (list and read rule files, try an
# edit — lint at line:col, cases, diff over the examples — without writing, save only when asked
# and only what loads), then the page in Debian's chromium (tests/desk/playground.test.mjs:
# edit a rule, see the lint error inline and the diff with its money). The server runs on a copy
# of rules/, schemas/ and examples/, so that saving touches nothing of the repository.
#   playground_test.sh RULEBOOK SOURCE_DIR OUT
set -uo pipefail
rb=$1 src=$2 out=$3
source "$(dirname "$0")/lib.sh"
fail() { bad "$1" "${2:-}"; summary playground; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$src/rules" "$src/schemas" "$src/examples" "$work/"

start_serve "$work" --packs "$work/rules" --db "sqlite:$work/ledger.db" --threads 2 || fail "rulebook serve started" "$(cat "$work/serve.err")"
pack=$url/packs/dongsheng-2024
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# POST a JSON body built from the file's text with a Python expression replacing a part of it.
post_edit() {  # URL FILE FROM TO [EXTRA-JSON]
  python3 - "$2" "$3" "$4" "${5:-{\}}" <<'PY' | curl -sS -o "$work/body" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @- "$1"
import json, sys
path, old, new, extra = sys.argv[1:5]
text = open(path, encoding="utf-8").read()
assert old in text, old
print(json.dumps({"path": path.rsplit("/", 1)[-1], "text": text.replace(old, new), **json.loads(extra)}))
PY
}

files=$(curl -sS "$pack/files")
[[ $(json 'd["files"][0]["name"], "ds-01.yaml" in [f["name"] for f in d["files"]], d["examples"] > 10, d["as_of"]' <<<"$files") == \
   "pack.yaml True True 2026-01-01" ]] && ok || bad "GET files: pack.yaml first, the rule files, the examples and their review day" "$files"
[[ $(curl -sS "$pack/files/ds-01.yaml" | json 'd["text"]') == "$(cat "$src/rules/dongsheng-2024/ds-01.yaml")" ]] && ok ||
  bad "GET files/ds-01.yaml is the file"
[[ $(curl -sS -o /dev/null -w '%{http_code}' "$pack/files/source.txt") == 404 ]] && ok || bad "a file that is not a rule file is not served"
[[ $(curl -sS -o /dev/null -w '%{http_code}' "$pack/files/..%2Fpack.yaml") =~ ^40[04]$ ]] && ok || bad "no way out of the pack's folder"

ds01=$work/rules/dongsheng-2024/ds-01.yaml
saved=$(cat "$ds01")
# A syntax error: at its line and column in the edited text; nothing runs, nothing is written.
code=$(post_edit "$pack/draft" "$ds01" "value: sum(amounts)" "value: sum(amounts")
r=$(json '[(f["file"], f["line"], f["col"] > 16) for f in d["lint"] if f["level"] == "error"][0], d["loads"], d["cases"], d["diff"]' < "$work/body")
line=$(grep -n 'value: sum(amounts)' "$ds01" | cut -d: -f1)  # DS-01's total, found: the file may change
[[ $code == 200 && $r == "('ds-01.yaml', $line, True) False None None" ]] && ok || bad "a syntax error at ds-01.yaml:$line" "$code $r $(head -c 600 "$work/body")"
[[ $(cat "$ds01") == "$saved" ]] && ok || bad "trying an edit writes nothing"

# A misspelt key: the loader's error in the language asked for (the page sends its own; Chinese without one,
# as the route's diff page).
for lang in zh en ""; do
  code=$(post_edit "$pack/draft${lang:+?lang=$lang}" "$ds01" "value: sum(amounts)" "valu: sum(amounts)")
  want=$([[ $lang == en ]] && echo "unknown key 'valu' in an output" || echo "输出项 中有未知的键「valu」")
  r=$(json '[f["message"] for f in d["lint"] if f["level"] == "error"]' < "$work/body")
  [[ $code == 200 && $r == *"$want"* ]] && ok || bad "a misspelt key told in ${lang:-Chinese by default}" "$code $r"
done

# A doubled rate: cases pinned to 5% fail; more money over the examples, under an unchanged version.
code=$(post_edit "$pack/draft?lang=zh" "$ds01" "t.contract.amount * rate else 0" "t.contract.amount * rate * 2 else 0")
r=$(json 'd["loads"], d["cases"]["failed"] > 0, d["diff"]["version_note"], [t["output"] for t in d["diff"]["totals"]], sum(float(m["difference"]) for m in d["diff"]["money_impact"]) > 0, "<svg class=chart" in d["diff_html"]' < "$work/body")
[[ $code == 200 && $r == "True True changed_same_version ['total'] True True" ]] && ok || bad "a doubled rate: cases fail, money moves" "$code $r"
grep -qE '"difference": ?[0-9]+\.[0-9]+' "$work/body" && ok || bad "the diff keeps its amounts' digits"

# Saving: only when asked, only what loads, only from the machine itself; then reloaded.
code=$(post_edit "$pack/files/ds-01.yaml" "$ds01" "rate else 0" "rate * 2 else 0")
[[ $code == 400 ]] && grep -q not_saved "$work/body" && [[ $(cat "$ds01") == "$saved" ]] && ok || bad "no save without save: true" "$code $(cat "$work/body")"
code=$(post_edit "$pack/files/ds-01.yaml" "$ds01" "value: sum(amounts)" "value: sum(amounts" '{"save": true}')
[[ $code == 409 ]] && grep -q draft_does_not_load "$work/body" && [[ $(cat "$ds01") == "$saved" ]] && ok ||
  bad "an edit that does not load is not saved" "$code $(cat "$work/body")"
code=$(curl -sS -o "$work/body" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary '{"path": "../x.yaml", "text": ""}' "$pack/draft")
[[ $code == 400 ]] && grep -q bad_file_name "$work/body" && ok || bad "a file name with a folder is refused" "$code $(cat "$work/body")"
hash_before=$(curl -sS "$pack" | json 'd["hash"]')
code=$(post_edit "$pack/files/ds-01.yaml" "$ds01" "rate else 0" "rate * 2 else 0" '{"save": true}')
r=$(json 'd["saved"], d["reloaded"], d["hash"] != "'"$hash_before"'"' < "$work/body")
[[ $code == 200 && $r == "True True True" ]] && ok || bad "a save writes the file and reloads the pack" "$code $(cat "$work/body")"
grep -q 'rate \* 2 else 0' "$ds01" && ! ls -a "$work/rules/dongsheng-2024" | grep saving > /dev/null && ok || bad "the file on disk is the edit, no temporary left"
[[ $(curl -sS "$pack" | json 'd["hash"]') != "$hash_before" ]] && ok || bad "the service decides with the saved edit"
printf '%s' "$saved" > "$ds01.orig"
python3 -c "import json,sys; print(json.dumps({'text': open(sys.argv[1]).read(), 'save': True}))" "$ds01.orig" |
  curl -sS -o /dev/null -H 'Content-Type: application/json' --data-binary @- "$pack/files/ds-01.yaml"
rm -f "$ds01.orig"

# The page, in chromium.
desk="$src/tests/desk"
browser=${CHROMIUM:-$(command -v chromium || true)}
if [[ -z $browser ]] || ! command -v node >/dev/null; then
  bad "chromium and node are needed (scripts/test.sh installs them)"
else
  CHROMIUM=$browser node "$desk/playground.test.mjs" "$url" "$work/rules/dongsheng-2024" "$out" && ok || bad "the playground in chromium (above)"
fi

kill -INT "$server"
wait "$server"
server=""
summary playground
