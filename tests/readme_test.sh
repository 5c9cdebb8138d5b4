#!/usr/bin/env bash
# The README's pack table lists exactly the rules the packs define.
set -uo pipefail
src=$1
passed=0 failed=0
in_packs=$(for f in "$src"/rules/*/*.yaml; do
  pack=$(basename "$(dirname "$f")")
  sed -n "s/^  - id: *\([^ ]*\) *$/$pack \1/p" "$f"
done | sort)
in_readme=$(sed -n 's/^| `\([a-z0-9-]*\)` | \([A-Za-z0-9-]*\) |.*/\1 \2/p' "$src/README.md" | sort)
while read -r row; do
  [[ -z $row ]] && continue
  if grep -qxF "$row" <<<"$in_readme"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: the README does not list rule '$row'"; fi
done <<<"$in_packs"
while read -r row; do
  [[ -z $row ]] && continue
  grep -qxF "$row" <<<"$in_packs" || { failed=$((failed + 1)); echo "FAIL: the README lists '$row', which no pack defines"; }
done <<<"$in_readme"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
