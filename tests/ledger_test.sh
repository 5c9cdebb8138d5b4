#!/usr/bin/env bash
# The ledger's doctest suite against SQLite and a throwaway PostgreSQL cluster (tests/pg.sh).
# Without PostgreSQL the suite runs on SQLite alone and says so; with CI=true that is a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/pg.sh"
if pg_start; then
  export RULEBOOK_TEST_PG_URL RULEBOOK_TEST_PG_URL_V1
  RULEBOOK_TEST_PG_URL=$(pg_database ledger_test)
  RULEBOOK_TEST_PG_URL_V1=$(pg_database ledger_v1)
  echo "PostgreSQL: $RULEBOOK_TEST_PG_URL"
else
  echo "PostgreSQL unavailable: $PG_WHY"
  [[ ${CI:-} == true ]] && { echo "FAIL: CI=true requires the PostgreSQL ledger tests"; exit 1; }
fi
"$1"
