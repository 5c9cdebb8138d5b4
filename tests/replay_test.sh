#!/usr/bin/env bash
# fuzz/replay.cpp as a test runner: it counts what it replayed, and fails on nothing replayed,
# on a crash, on an escaping exception and on a hang, naming the input.
set -uo pipefail
replay=$1
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/empty" "$tmp/fine" "$tmp/abort" "$tmp/throw" "$tmp/hang"
printf 'a' > "$tmp/fine/1"
printf 'b' > "$tmp/fine/2"
printf 'abort' > "$tmp/abort/crasher"
printf 'throw' > "$tmp/throw/thrower"
printf 'hang' > "$tmp/hang/hanger"

expect "counts what it replayed" 0 '^replayed 2 inputs: 2 passed, 0 failed$' -- "$replay" "$tmp/fine"
expect "an empty folder fails" 1 'error: replayed nothing' -- "$replay" "$tmp/empty"
expect "no folder at all fails" 1 'error: replayed nothing' -- "$replay" "$tmp/no-such"
expect "a missing folder beside inputs is skipped" 0 'skipped .*no-such' -- "$replay" "$tmp/fine" "$tmp/no-such"
expect "an exception fails and names the input" 1 'CRASH while replaying .*throw/thrower: uncaught exception: thrown by the input' -- \
  "$replay" "$tmp/fine" "$tmp/throw"
# abort() kills the process with SIGABRT: the shell reports 128 + 6.
expect "a crash fails and names the input" 134 'CRASH while replaying .*abort/crasher' -- "$replay" "$tmp/fine" "$tmp/abort"
expect "a hang fails after the time limit and names the input" 1 'TIMEOUT while replaying .*hang/hanger' -- \
  env REPLAY_TIMEOUT=1 "$replay" "$tmp/fine" "$tmp/hang"
summary replay
