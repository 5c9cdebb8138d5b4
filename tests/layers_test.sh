#!/usr/bin/env bash
# The build enforces the engine's layers (engine/CMakeLists.txt): each layer compiles against a view
# of the folders it may use, so an include against the arrows is "file not found". Checked here on
# the arrows the design forbids, and on allowed ones as a control.
#   layers_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1 src=$2
source "$src/tests/lib.sh"
views=$build/engine/layers

# compiles LAYER HEADER: whether a file of LAYER may include HEADER.
compiles() {
  printf '#include "%s"\n' "$2" | c++ -std=c++20 -fsyntax-only -I"$views/$1" -I"$src/engine/include" \
    -I"$build/include" -x c++ - > /dev/null 2>&1
}
forbidden() {
  if compiles "$1" "$2"; then bad "$1 may include $2, against the layers"; else ok; fi
}
allowed() {
  if compiles "$1" "$2"; then ok; else bad "$1 cannot include $2" "$(printf '#include "%s"\n' "$2" |
    c++ -std=c++20 -fsyntax-only -I"$views/$1" -I"$src/engine/include" -I"$build/include" -x c++ - 2>&1)"; fi
}

forbidden value expr/op.hpp
forbidden expr check/ir.hpp
forbidden check pack/pack.hpp          # the checker reads an expression's source, not the pack
forbidden check compile/program.hpp
forbidden compile eval/evaluator.hpp
forbidden eval report/present.hpp
forbidden report batch/fast_reader.hpp
forbidden cli report/markup.hpp       # the command line writes through the library's API
forbidden cli compile/program.hpp
forbidden ledger serve/server.hpp       # the ledger stands below the service
allowed eval compile/program.hpp
allowed eval expr/op.hpp
allowed report compile/pack_access.hpp
allowed cli sheet/sheet.hpp
allowed serve draft/draft.hpp
# Spirit X3 stays behind the parser: the checked tree and the evaluator do not pull it in.
if grep -q 'boost/spirit' <(printf '#include "eval/evaluator.hpp"\n' |
  c++ -std=c++20 -M -I"$views/eval" -I"$src/engine/include" -I"$build/include" -x c++ - 2>&1); then
  bad "eval/evaluator.hpp pulls in Spirit X3"
else ok; fi
summary layers
