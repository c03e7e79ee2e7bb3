#!/usr/bin/env bash
# Times `seatmirror replay` and `seatmirror rebuild` over COUNT generated events (default
# 1,000,000: fees, classes, seatmaps with 2 sections; ~10% duplicates, ~10% out of order) and
# prints events/s and peak RSS for each.
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
db="$out/bench.db"
rm -f "$db" "$db-wal" "$db-shm"

measure() {  # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/$name.log" 2>&1
  read -r seconds rss_kib <"$out/time.txt"
  awk -v n="$name" -v c="$count" -v s="$seconds" -v r="$rss_kib" \
    'BEGIN { printf "%-8s %9d input events  %7.2f s  %9.0f input events/s  peak RSS %6.1f MiB\n", n, c, s, c / s, r / 1024 }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); input $(du -h "$events" | cut -f1)"
measure replay build-bench/seatmirror replay --quiet --db "$db" "$events"
tail -n 1 "$out/replay.log"
measure rebuild build-bench/seatmirror rebuild --db "$db"
cat "$out/rebuild.log"
echo "database: $(du -h "$db" | cut -f1)"
