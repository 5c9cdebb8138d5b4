#!/usr/bin/env bash
# The review desk for a new user: builds what is missing, serves the bundled packs with an
# embedded SQLite ledger (desk-ledger.db, kept between runs), and prints the address to open.
# Ctrl-C stops it cleanly (the requests in flight are finished, the ledger is on disk).
#   bash scripts/desk.sh [PORT]        (default 8080; 0: any free port)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x build/engine/rulebook ]] || bash scripts/setup.sh
port=${1:-8080}
db=${RULEBOOK_DESK_DB:-desk-ledger.db}
echo "rulebook 审查台 / review desk: packs from rules/, ledger sqlite:$db (Ctrl-C stops)"
# serve prints "listening on http://…" once it listens; the desk is at that address.
exec build/engine/rulebook serve --packs rules --db "sqlite:$db" --listen "127.0.0.1:$port" --reviewer "${USER:-reviewer}" \
  > >(sed -u 's|^rulebook serve: listening on \(http://[^ ]*\)$|在浏览器中打开 / open in a browser: \1/|')
