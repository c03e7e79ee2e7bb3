#!/usr/bin/env bash
# A long fuzzing campaign: every libFuzzer target for HOURS each, as many at once as the machine
# has cores (fuzz/run.sh with SEATMIRROR_FUZZ_JOBS), each seeded from fixtures/ and its kept
# corpus. Prints per target: executions, executions per second, peak RSS, coverage (edges and
# features) and how long, at that rate, it takes to reach 10,000,000 inputs; exits non-zero if
# any target failed (its input is in fuzz/out/TARGET/: make it a fixture and a regression test).
#
#   bash bench/fuzz_campaign.sh HOURS            # e.g. 1 (fractions work: 0.25)
#   SEATMIRROR_FUZZ_KEEP=1 bash bench/fuzz_campaign.sh 1   # and merge what it found into fuzz/corpus/
set -euo pipefail
cd "$(dirname "$0")/.."
hours=${1:?usage: bash bench/fuzz_campaign.sh HOURS}
seconds=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')
echo "fuzz campaign: every target for ${seconds}s, $(nproc) at a time; started $(date -u +%FT%TZ)"
report=bench/out/fuzz-campaign.txt
mkdir -p bench/out
status=0
SEATMIRROR_FUZZ_JOBS=$(nproc) bash fuzz/run.sh "$seconds" | tee "$report" || status=$?
echo "finished $(date -u +%FT%TZ)"
# Time to 10,000,000 inputs at each target's measured rate.
grep ' executions in ' "$report" | while read -r target executions _; do
  rate=$(grep " executions in " "$report" | grep "^$target " | sed -E 's/.*\(([0-9.]+)\/s\).*/\1/')
  awk -v t="$target" -v n="$executions" -v r="$rate" 'BEGIN {
    if (r > 0) printf "%-20s 10,000,000 inputs in %.1f h at %d/s (%.1f%% done)\n", t, 1e7 / r / 3600, r, 100 * n / 1e7 }'
done
exit "$status"
