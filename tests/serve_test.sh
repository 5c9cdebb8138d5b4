#!/usr/bin/env bash
# rulebook serve through its HTTP interface (tests/serve_test.py), on SQLite and on a throwaway
# PostgreSQL cluster (tests/pg.sh). Without PostgreSQL: SQLite alone, and a failure when CI=true.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/pg.sh"
url=""
if pg_start; then
  url=$(pg_database serve_test)
  echo "PostgreSQL: $url"
else
  echo "PostgreSQL unavailable: $PG_WHY"
  [[ ${CI:-} == true ]] && { echo "FAIL: CI=true requires the PostgreSQL serve tests"; exit 1; }
fi
python3 "$here/serve_test.py" "$1" "$2" $url
