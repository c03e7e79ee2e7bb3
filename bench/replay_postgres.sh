#!/usr/bin/env bash
# The PostgreSQL write path without HTTP: `seatmirror replay --db postgresql://…` of COUNT
# generated events (default 50,000; the mix of bench/replay_rebuild.sh) into a private cluster
# started here, beside the PostgreSQL storage baseline in the same run and cluster: the same
# bodies inserted by id into a bare table, one prepared INSERT per row, 1000 per transaction
# (bench/raw_postgres_insert.cpp). Prints events/s, replay as a ratio of the baseline, and the
# statements PostgreSQL executed per event (pg_stat_statements; it does not see SAVEPOINT and
# RELEASE sent as prepared statements, which older builds sent once each per applied event):
# round trips are what a writer on a network pays for.
#
#   bash bench/replay_postgres.sh [COUNT]
#   BEFORE_BIN=/path/to/older/seatmirror bash bench/replay_postgres.sh [COUNT]   # and an older build, same run
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-50000}
out=bench/out/replay-postgres
mkdir -p "$out"

bash scripts/install-deps.sh
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
[[ -n $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null) ]] || apt-get install -y -qq postgresql >/dev/null
BUILD_DIR=build-bench BUILD_TYPE=Release CMAKE_ARGS=-DSEATMIRROR_BUILD_TESTS=OFF bash scripts/build.sh >/dev/null

events="bench/out/events-$count.ndjson"
[[ -s $events ]] || build-bench/seatmirror_generate_events "$count" >"$events"

source bench/postgres_cluster.sh
trap stop_postgres EXIT
start_postgres "$PWD/$out/cluster" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all
for db in raw replay before; do as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U seatmirror "$db"; done
psql_at seatmirror 'CREATE EXTENSION pg_stat_statements' >/dev/null
url() { echo "postgresql://seatmirror@127.0.0.1:$pg_port/$1"; }

measure() {  # name, command...
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/$name.log" 2>&1
  read -r seconds rss_kib <"$out/time.txt"
  echo "$seconds" >"$out/$name.seconds"
  awk -v n="$name" -v c="$count" -v s="$seconds" -v r="$rss_kib" \
    'BEGIN { printf "%-12s %8d events  %7.2f s  %8.0f events/s  peak RSS %6.1f MiB\n", n, c, s, c / s, r / 1024 }'
}
statements() {  # database: statements executed there since the last reset
  psql_at seatmirror "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$1'"
}

echo "machine: $(nproc) cores; $count events; PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), fsync on, synchronous_commit on"
psql_at seatmirror 'SELECT pg_stat_statements_reset()' >/dev/null
measure raw-insert build-bench/seatmirror_raw_postgres_insert "$events" "$(url raw)"
raw_statements=$(statements raw)
# Each replay is measured on a database whose schema is already made (migrations are not timed).
replay_into() {  # name, binary, database
  "$2" rebuild --db "$(url "$3")" >/dev/null 2>&1
  psql_at seatmirror 'SELECT pg_stat_statements_reset()' >/dev/null
  measure "$1" "$2" replay --quiet --db "$(url "$3")" "$events"
  tail -n 1 "$out/$1.log"
  local statements_made
  statements_made=$(statements "$3")
  awk -v r="$(cat "$out/$1.seconds")" -v b="$(cat "$out/raw-insert.seconds")" -v c="$count" -v s="$statements_made" \
    -v rs="$raw_statements" -v n="$1" \
    'BEGIN { printf "%s is %.2f of the raw insert rate; statements per event: %.2f (raw insert %.2f)\n", n, b / r, s / c, rs / c }'
  echo "$1's statements by kind (calls per event):"
  psql_at seatmirror "SELECT to_char(sum(calls)::numeric / $count, '990.99') || '  ' || left(regexp_replace(query, '\s+', ' ', 'g'), 70)
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$3'
    GROUP BY query ORDER BY sum(calls) DESC LIMIT 12"
}
[[ -n ${BEFORE_BIN:-} ]] && replay_into replay-before "$BEFORE_BIN" before
replay_into replay build-bench/seatmirror replay
