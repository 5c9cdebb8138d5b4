#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), and
# concurrent evaluation of one compiled pack and rulebook batch under ThreadSanitizer (build-tsan/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh > /dev/null  # the packages

# The Python module would load the sanitizer runtime into an interpreter built without it: not here.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRULEBOOK_SANITIZE=address,undefined \
  -DRULEBOOK_PYTHON=OFF > /dev/null
cmake --build build-asan -j2
# embed and deb link an installed copy of the library into programs built without sanitizers: they run in the plain build.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j2 -E '^(embed|deb)$'

cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRULEBOOK_SANITIZE=thread -DRULEBOOK_PYTHON=OFF > /dev/null
cmake --build build-tsan -j2 --target rulebook_threads_test rulebook_cli rulebook_gen_corpus rulebook_c_api_test
# The C API: one pack checked from four threads.
TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/rulebook_c_api_test rules/dongsheng-2024 examples/dongsheng-2024/multi.json
TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/rulebook_threads_test
# batch's workers taking turns at the input and the in-order writer, on two and four threads, with the
# progress bar asking the input how far it has read.
build-tsan/bench/rulebook_gen_corpus 3000 build-tsan/corpus.jsonl
for jobs in 2 4; do
  TSAN_OPTIONS=halt_on_error=1 build-tsan/engine/rulebook batch --pack bench/pack --as-of 2025-12-31 -j$jobs \
    --progress always build-tsan/corpus.jsonl > /dev/null 2> build-tsan/progress.txt || [[ $? -eq 1 ]]  # 1: some rule fails, an answer
done
