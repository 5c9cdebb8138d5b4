#!/usr/bin/env bash
# Sets up, builds, and checks every bundled example against its pack, as a reviewer would.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Dates inside each plan's period, so that its rules apply.
declare -A as_of=([dongsheng-2024]=2025-12-31 [bayingolin-2026]=2028-12-31 [qianjiang-2022]=2024-12-31 [heilongjiang-2023]=2025-12-31 [xinjiang-13fyp]=2020-12-31 [common]=2025-12-31)
status=0
for dir in examples/*/; do
  pack=$(basename "$dir")
  [[ -d rules/$pack ]] || continue
  for file in "$dir"*.json; do
    echo "════ rulebook check --pack rules/$pack --as-of ${as_of[$pack]} $file"
    build/engine/rulebook check --pack "rules/$pack" --as-of "${as_of[$pack]}" "$file" || code=$?
    # 1 means a rule failed or needs information: an answer, not a breakage.
    [[ ${code:-0} -le 1 ]] || status=${code}
    unset code
    echo
  done
done
exit $status
