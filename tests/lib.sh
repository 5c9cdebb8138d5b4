# Sourced by the shell tests: counters and the checks they share. Each test ends with `summary NAME`.
passed=0 failed=0
# In a pipe, grep PATTERN > /dev/null rather than grep -q: grep -q leaves at the first match, the
# writer may then die of SIGPIPE, and pipefail makes that a failed check (it did, on a fresh machine).

ok() { passed=$((passed + 1)); }
# bad WHAT [DETAIL]: a failed check, with what was seen.
bad() {
  failed=$((failed + 1))
  echo "FAIL $1"
  [[ -n ${2:-} ]] && echo "$2" | head -20
  return 0
}
# expect NAME CODE PATTERN -- COMMAND...: the command exits with CODE and its stdout+stderr match PATTERN.
expect() {
  local name=$1 code=$2 pattern=$3
  shift 4
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [[ $status -eq $code ]] && grep -qE -- "$pattern" <<<"$out"; then ok; else bad "$name: exit $status (want $code), output:" "$out"; fi
}
# same NAME FILE1 FILE2: the files are equal, byte for byte.
same() {
  if cmp -s "$2" "$3"; then ok; else bad "$1" "$(diff "$2" "$3" | head -10)"; fi
}
summary() {
  echo "$1: $passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
# start_serve DIR ARGS...: starts `$rb serve ARGS` on a free loopback port with its output in DIR;
# sets `server` (its pid) and `url` once it listens, or returns 1.
start_serve() {
  local dir=$1
  shift
  "$rb" serve "$@" --listen 127.0.0.1:0 > "$dir/serve.out" 2> "$dir/serve.err" &
  server=$!
  for _ in $(seq 100); do grep -q listening "$dir/serve.out" && break; sleep 0.1; done
  url=$(grep -o 'http://[^ ]*' "$dir/serve.out")
  [[ -n $url ]]
}
