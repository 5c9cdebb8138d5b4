#!/usr/bin/env bash
# Every example whose name ends in -pass, -fail or -needs-info gives exactly that outcome
# under `rulebook check` (reviewed the day after its pack's period ended): the outcome of the rule the
# name starts with (bz-10-pass.json: rule BZ-10), or else of the whole document.
set -uo pipefail
rb=$1 src=$2
passed=0 failed=0
for file in "$src"/examples/*/*.json; do
  pack=$(basename "$(dirname "$file")")
  name=$(basename "$file" .json)
  case $name in
    *-pass) want=pass ;;
    *-fail) want=fail ;;
    *-needs-info) want=needs_info ;;
    *) continue ;;
  esac
  to=$(sed -n '/^effective:/,/^[a-z]/s/^  to: *//p' "$src/rules/$pack/pack.yaml")
  # Reviewed the day after the plan ended, as the figures of its last year are (common never ends).
  [[ $to == 9999-12-31 ]] || to=$(date -d "$to + 1 day" +%F)
  json=$("$rb" check --pack "$src/rules/$pack" --as-of "$to" --format json "$file" 2>&1)
  rule=${name%-pass}
  rule=${rule%-fail}
  rule=${rule%-needs-info}
  # The rule's own outcome is the line after its id and title and severity; the document's is at depth 1.
  got=$(awk -v id="$rule" '
    /^      "id": / { gsub(/[",]/, "", $2); cur = tolower($2) }
    /^      "outcome": / && cur == id { gsub(/[",]/, "", $2); print $2; found = 1; exit }
    /^  "outcome": / { doc = $2 }
    END { if (!found) { gsub(/[",]/, "", doc); print doc } }' <<<"$json")
  if [[ "$got" == "$want" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $file: expected $want, got ${got:-an error}"
  fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
