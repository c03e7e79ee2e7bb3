#!/usr/bin/env bash
# Installs what is needed, builds, and runs seatmirror on its embedded default: the fixture
# payloads replayed into ./seatmirror.db, then the database's stats.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bash "$repo/scripts/install-deps.sh"
BUILD_DIR="$repo/build" bash "$repo/scripts/build.sh"
db="${SEATMIRROR_DB:-./seatmirror.db}"
"$repo/build/seatmirror" replay --db "$db" "$repo/fixtures/seeds" "$repo/fixtures/inventory"
"$repo/build/seatmirror" stats --db "$db"
echo
echo "Query it: sqlite3 $db 'select id, short_name, type, value from seat_fees'"
