#!/usr/bin/env bash
# A/B of two seatmirror binaries under the webhook load of bench/ingest, in interleaved rounds
# (A, B, A, B, …), each on a fresh server and database: on this shared VM the same binary's CPU
# per request moves by half from one 8 s run to the next, so one pair cannot show a change
# smaller than that; several interleaved pairs and their medians can.
#
#   bash bench/ingest_ab.sh BINARY_A BINARY_B [ROUNDS=3] [DURATION_S=8]
#   (e.g. git worktree add /tmp/a REV && BUILD_DIR=/tmp/a/build-bench … to build the other side)
#
# Per run: requests/s, server CPU µs per request (user + system of every thread, /proc),
# system calls and context switches per request, the writer thread's CPU per event,
# the mean commit batch (/metrics). System calls and context switches from perf stat started with
# the server and switched on for the load (exact: bench/perf_counting.sh). Every 2xx must be in
# the ledger.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 2 ]] || { echo "usage: bash bench/ingest_ab.sh BINARY_A BINARY_B [ROUNDS] [DURATION_S]" >&2; exit 2; }
binaries=("$(realpath "$1")" "$(realpath "$2")")
rounds=${3:-3}
duration=${4:-8}
out=bench/out/ingest_ab
rm -rf "$out" && mkdir -p "$out"
for tool in wrk perf sqlite3; do command -v $tool >/dev/null || { echo "needs $tool (bash bench/ingest installs it)" >&2; exit 2; }; done
BUILD_DIR=build-bench BUILD_TYPE=Release CMAKE_ARGS=-DSEATMIRROR_BUILD_TESTS=OFF \
  BUILD_TARGETS=seatmirror_signed_fee_payloads bash scripts/build.sh >/dev/null
echo bench-secret >"$out/secret"
build-bench/seatmirror_signed_fee_payloads 300000 bench-secret >"$out/payloads.tsv"

source bench/proc_cpu.sh       # cpu_ticks, thread_ticks
source bench/perf_counting.sh  # counted_start, counted_pid, counting, counted_value

run_one() {  # binary, label
  local dir=$out/$2 pid url
  mkdir -p "$dir"
  counted_start "$2" "$dir/stat.csv" "$1" serve --dev --listen 127.0.0.1:0 --db "$dir/db.sqlite" \
    --state-dir "$dir/state" --secret-file "$out/secret" >"$dir/requests.log" 2>"$dir/server.err"
  pid=$(counted_pid "$2")
  for _ in $(seq 100); do grep -q "listening on" "$dir/server.err" && break; sleep 0.1; done
  url=$(grep -o "listening on [^ ]*" "$dir/server.err" | head -1 | cut -d' ' -f3)
  local cpu0 writer0 cpu1 writer1
  cpu0=$(cpu_ticks $pid) writer0=$(thread_ticks $pid sm-writer)
  counting "$2" on
  wrk -t2 -c32 -d"${duration}s" -s bench/ingest.lua "$url/webhooks/inventory" -- "$out/payloads.tsv" 2 \
    x-btrz-signature >"$dir/wrk.txt"
  counting "$2" off
  cpu1=$(cpu_ticks $pid) writer1=$(thread_ticks $pid sm-writer)
  curl -sk "$url/metrics" | grep -E '^seatmirror_commit_batch_size_(sum|count) ' >"$dir/batch.txt" || true
  kill $pid && wait "${counted_perf[$2]}" || true
  local requests stored
  requests=$(awk '/requests in/ { print $1 }' "$dir/wrk.txt")
  stored=$(sqlite3 "$dir/db.sqlite" 'SELECT COUNT(*) FROM webhook_events')
  python3 - "$2" "$duration" "$requests" "$stored" "$(getconf CLK_TCK)" $((cpu1 - cpu0)) $((writer1 - writer0)) \
    "$dir/stat.csv" "$dir/batch.txt" >>"$out/runs.tsv" <<'PY'
import sys
label, duration, requests, stored, hz, cpu, writer, stat, batch = sys.argv[1:]
requests, stored, hz = int(requests), int(stored), int(hz)
counts = {}
for line in open(stat):
    parts = line.split(",")
    if len(parts) > 3 and parts[0].strip().isdigit():
        counts[parts[2]] = int(parts[0])
metrics = dict(line.split() for line in open(batch))
mean_batch = float(metrics.get("seatmirror_commit_batch_size_sum", 0)) / max(1.0, float(metrics.get("seatmirror_commit_batch_size_count", 1)))
missing = "" if stored >= requests else f"  MISSING {requests - stored}"
print(f"{label}\t{requests / float(duration):.0f}\t{int(cpu) * 1e6 / hz / requests:.1f}\t"
      f"{counts.get('raw_syscalls:sys_enter', 0) / requests:.2f}\t{counts.get('context-switches', 0) / requests:.2f}\t"
      f"{int(writer) * 1e6 / hz / requests:.1f}\t{mean_batch:.1f}{missing}")
PY
}

printf 'run\treq/s\tCPU us/req\tsyscalls/req\tctx sw/req\twriter us/ev\tmean batch\n' >"$out/runs.tsv"
for round in $(seq "$rounds"); do
  run_one "${binaries[0]}" "A$round"
  run_one "${binaries[1]}" "B$round"
done
column -t -s $'\t' "$out/runs.tsv"
python3 - "$out/runs.tsv" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])][1:]
for side in "AB":
    mine = [r for r in rows if r[0].startswith(side)]
    cols = list(zip(*[[float(v.split()[0]) for v in r[1:7]] for r in mine]))
    print(f"median {side}: " + ", ".join(f"{name} {statistics.median(c):.2f}" for name, c in
          zip(["req/s", "CPU us/req", "syscalls/req", "ctx sw/req", "writer us/ev", "batch"], cols)))
PY
if grep -q MISSING "$out/runs.tsv"; then echo "some 2xx answers are not in the ledger" >&2; exit 1; fi
