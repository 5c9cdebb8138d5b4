#!/usr/bin/env bash
# The report a reviewer signs, as they would print it: `check --format html` rendered by Debian's
# chromium to an A4 PDF, whose text must hold the verdict, the amounts and the quoted clause, in
# Chinese and in English; each page is also turned into a PNG (pdftoppm) kept as a test artefact.
set -uo pipefail
rb=$1 src=$2 out=$3
source "$(dirname "$0")/lib.sh"
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]] || ! command -v pdftotext >/dev/null; then
  bad "chromium and poppler-utils are needed (scripts/setup.sh installs them)" ""
  summary report_print
  exit 1
fi
print() {  # print HTML PDF
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --no-pdf-header-footer \
    --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
}
for lang in zh en; do
  html="$out/multi.$lang.html" pdf="$out/multi.$lang.pdf"
  "$rb" check --pack "$src/rules/dongsheng-2024" --as-of 2025-06-30 --format html --lang $lang \
    "$src/examples/dongsheng-2024/multi.json" > "$html"
  print "$html" "$pdf"
  [[ -s $pdf ]] && ok || bad "chromium printed $lang to PDF" ""
  text=$(pdftotext -layout "$pdf" - 2>/dev/null)
  case $lang in
    zh) want=('结论：通过' '238,271.61 元' '核减 161,728.39 元' '对同一单位给予最高 50万元资助' '审查人签字') ;;
    en) want=('result: pass' '238,271.61 yuan' 'over the cap, reduced by 161,728.39' '对同一单位给予最高 50万元资助' "reviewer's signature") ;;
  esac
  # A cell's words may wrap (the table keeps to the page): read as one line too.
  flat=$(pdftotext "$pdf" - 2>/dev/null | tr '\n' ' ')
  for w in "${want[@]}"; do
    grep -qF -- "$w" <<<"$text$flat" && ok || bad "the $lang PDF holds '$w'" "$(head -c 600 <<<"$text")"
  done
  # Each page names the report's applicant and verdict and is numbered; the lines to sign go with them.
  case $lang in
    zh) want=('第1页/共2页' '东胜区科创技术转移服务中心 · 结论：通过') ;;  # pdftotext drops the spaces
    en) want=('page 1 of' '东胜区科创技术转移服务中心 · result: pass') ;;
  esac
  for w in "${want[@]}"; do
    grep -qF -- "$w" <<<"$text" && ok || bad "the $lang PDF's pages say '$w'" "$(tail -c 600 <<<"$text")"
  done
  # Every column of the items table on the page: the reason's words, none cut at the page's edge.
  case $lang in
    zh) w='未签订三方合同' ;;
    en) w='no tripartite contract was signed' ;;
  esac
  grep -qF -- "$w" <<<"$flat" && ok || bad "the $lang items table fits the page ('$w' whole)" ""
  pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Page size/ {print $3 "x" $5}')
  [[ $pages == 595.* || $pages == 595x842* || $pages =~ ^59[45] ]] && ok || bad "the $lang PDF is A4 (got $pages)" ""
  pdftoppm -png -r 60 "$pdf" "$out/multi.$lang" && ok || bad "the $lang PDF turned into PNG" ""
done
summary report_print
