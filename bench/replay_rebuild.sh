#!/usr/bin/env bash
# Times `seatmirror replay` and `seatmirror rebuild` over COUNT generated events (default
# 1,000,000: 40% seat fees, 30% seat classes, 30% seatmaps of two sections; ~10% duplicates,
# ~10% out of order), beside the storage baseline measured in the same run: the same bodies
# inserted, keyed by event id, into a bare SQLite table (1000 per transaction, WAL,
# synchronous=FULL; bench/raw_ledger_insert.cpp). Prints events/s, peak RSS, replay as a
# ratio of the baseline, database bytes per input event, and replay's rate per event family
# (each family's lines replayed alone into a fresh database).
#
#   bash bench/replay_rebuild.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
out=bench/out
mkdir -p "$out"

bash scripts/install-deps.sh
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
BUILD_DIR=build-bench BUILD_TYPE=Release CMAKE_ARGS=-DSEATMIRROR_BUILD_TESTS=OFF bash scripts/build.sh >/dev/null

events="$out/events-$count.ndjson"
[[ -s $events ]] || build-bench/seatmirror_generate_events "$count" >"$events"
fresh() { rm -f "$1" "$1-wal" "$1-shm"; }
db="$out/bench.db"

measure() {  # name, events, command...
  local name=$1 n=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/$name.log" 2>&1
  read -r seconds rss_kib <"$out/time.txt"
  awk -v n="$name" -v c="$n" -v s="$seconds" -v r="$rss_kib" \
    'BEGIN { printf "%-16s %9d events  %7.2f s  %9.0f events/s  peak RSS %6.1f MiB\n", n, c, s, c / s, r / 1024 }'
  echo "$seconds" >"$out/$name.seconds"
}
rate() { awk -v c="$2" -v s="$(cat "$out/$1.seconds")" 'BEGIN { printf "%.0f", c / s }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); input $(du -h "$events" | cut -f1), $count events"
fresh "$out/raw.db"
measure raw-insert "$count" build-bench/seatmirror_raw_ledger_insert "$events" "$out/raw.db"
fresh "$db"
measure replay "$count" build-bench/seatmirror replay --quiet --db "$db" "$events"
tail -n 1 "$out/replay.log"
ledger=$(sqlite3 "$db" 'select count(*) from webhook_events')
measure rebuild "$ledger" build-bench/seatmirror rebuild --db "$db"
cat "$out/rebuild.log"
bytes=$(stat -c %s "$db")
awk -v r="$(rate replay "$count")" -v b="$(rate raw-insert "$count")" -v d="$bytes" -v c="$count" \
  'BEGIN { printf "replay is %.2f of the raw insert rate; database %.0f MB, %.2f KB per input event\n", r / b, d / 1e6, d / c / 1000 }'

for family in seatfees seatclass seatmap; do
  grep "\"event\":\"$family\." "$events" >"$out/family.ndjson"
  lines=$(wc -l <"$out/family.ndjson")
  fresh "$out/family.db"
  measure "replay-$family" "$lines" build-bench/seatmirror replay --quiet --db "$out/family.db" "$out/family.ndjson"
done
rm -f "$out/family.ndjson" "$out/family.db"*
