#!/usr/bin/env bash
# The API reference, generated from the public headers by the api_docs target (Doxygen): the
# façade, the C API and the version are documented, and no internal (detail::) type is shown.
#   api_docs_test.sh BUILD_DIR
set -uo pipefail
build=$1
html=$build/docs/api/html
cmake --build "$build" --target api_docs > /dev/null 2>&1 || { echo "FAIL: api_docs did not build"; exit 1; }
fail=0
for want in classrulebook_1_1CompiledPack.html rulebook_8h.html version_8h.html; do
  [[ -f $html/$want ]] || { echo "FAIL: $want is missing"; fail=1; }
done
grep -q "rulebook_check" "$html/rulebook_8h.html" || { echo "FAIL: rulebook_check is not in rulebook.h's page"; fail=1; }
if ls "$html" | grep "detail" > /dev/null; then echo "FAIL: internal detail:: pages"; ls "$html" | grep detail; fail=1; fi
[[ $fail -eq 0 ]] && echo "api_docs: ok"
exit $fail
