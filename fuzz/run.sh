#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 60), seeded from
# fixtures/. Runs every target even when one fails, prints executions (or the failure) per
# target, and exits non-zero when any failed, leaving the input in fuzz/out/TARGET/ (turn it
# into a fixture and a regression test).
#
# Each target also reads its kept corpus, fuzz/corpus/TARGET/ (in the repository), so a run
# starts where the last kept one ended. With SEATMIRROR_FUZZ_KEEP=1 the inputs a run found that
# add coverage are merged into it (libFuzzer -merge=1: only what is new, minimised); commit them.
#
#   bash fuzz/run.sh [SECONDS]
#   SEATMIRROR_FUZZ_KEEP=1 bash fuzz/run.sh 600   # then: git add fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bash scripts/install-deps.sh
missing=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then  # apt's lists may be missing on a fresh machine
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
CC=clang-14 CXX=clang++-14 BUILD_DIR=build-fuzz BUILD_TYPE=RelWithDebInfo \
  CMAKE_ARGS="-DSEATMIRROR_FUZZ=ON -DSEATMIRROR_BUILD_TESTS=OFF -DSEATMIRROR_BUILD_BENCH=OFF" \
  BUILD_TARGETS="fuzz_projection fuzz_signature fuzz_http_request fuzz_inventory_list" bash scripts/build.sh >/dev/null

out=fuzz/out
rm -rf "$out"
mkdir -p "$out/corpus-json" "$out/corpus-signature" "$out/corpus-http" "$out/corpus-list"
# Seeds: every fixture body, one file each; signature headers; whole HTTP requests.
i=0
while IFS= read -r line; do
  [[ -n $line ]] || continue
  printf '%s' "$line" >"$out/corpus-json/line-$((i++))"
  printf 'POST /webhooks/inventory HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "${#line}" "$line" >"$out/corpus-http/request-$i"
done < <(cat fixtures/scenarios/*/deliveries.ndjson)
for f in fixtures/seeds/*.json fixtures/inventory/*.json fixtures/seat-usage/scenarios/*/[0-9]*.json; do
  cp "$f" "$out/corpus-json/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# Framing: chunked with extensions and trailers, Transfer-Encoding variants, pipelining, Expect.
head='POST /webhooks/inventory HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
printf '%bTransfer-Encoding: chunked\r\n\r\n2;ext=1;q="a b"\r\n{}\r\n0\r\n\r\n' "$head" >"$out/corpus-http/chunked-extensions"
printf '%bTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\nx-btrz-signature: t=1,s2=00\r\n\r\n' "$head" >"$out/corpus-http/chunked-trailer"
for te in gzip 'chunked, identity' '"chunked"' 'identity' 'CHUNKED'; do
  printf '%bTransfer-Encoding: %s\r\n\r\n2\r\n{}\r\n0\r\n\r\n' "$head" "$te" >"$out/corpus-http/te-${te//[^a-zA-Z]/_}"
done
printf '%bTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n' "$head" >"$out/corpus-http/te-and-cl"
printf 'POST /webhooks/inventory HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}' >"$out/corpus-http/no-host"
printf '%bHost: y\r\nContent-Length: 2\r\n\r\n{}' "$head" >"$out/corpus-http/two-hosts"
printf '%bContent-Length: 2\r\nExpect: 100-continue\r\n\r\n{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' "$head" >"$out/corpus-http/pipelined-expect"
printf 't=1764000000,s=x,s2=%064d\n{}' 0 >"$out/corpus-signature/btrz-hex"
printf 't=1764000000123,s2=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n{}' >"$out/corpus-signature/btrz-base64"
printf 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1,xyz\n{}' >"$out/corpus-signature/standard"

# Inventory API list pages (sync): a bare array, envelopes with count and next, refusals.
printf '[%s]' "$(sed -n 1p fixtures/scenarios/in-order-lifecycle/deliveries.ndjson)" >"$out/corpus-list/bare-array"
printf '{"seatmaps":[{"_id":"6744a1b2c3d4e5f6a7b8cb01"}],"count":41,"next":"/seatmaps?page=2","previous":null}' >"$out/corpus-list/envelope"
printf '{"seatFees":[],"next":null,"count":0}' >"$out/corpus-list/empty"
printf '{"error":"Unauthorized","message":"bad key"}' >"$out/corpus-list/error"
printf '{"a":[],"b":[{}]}' >"$out/corpus-list/two-arrays"

# -max_len per target: above the largest limit it tests. fuzz_http_request's server takes 64 KiB
# bodies after a head of up to 8 KiB read through a 24 KiB buffer, so its inputs reach 96 KiB
# and can cross every one of those limits; the others' inputs are bodies of up to 64 KiB.
declare -A max_len=([fuzz_http_request]=98304)
run() {  # target corpus: leaves one summary line (or FAILED) in $out/TARGET.summary
  local log="$out/$1.log" kept="fuzz/corpus/$1" len=${max_len[$1]:-65536}
  mkdir -p "$out/$1" "$kept"
  # New inputs go to the first directory (this run's); the kept corpus is only read.
  if ! "build-fuzz/fuzz/$1" -max_total_time="$seconds" -max_len="$len" -rss_limit_mb=1024 -print_final_stats=1 \
      -artifact_prefix="$out/$1/" "$out/$2" "$kept" >"$log" 2>&1; then
    { tail -n 40 "$log"; echo "$1: FAILED, input saved in $out/$1/"; } >"$out/$1.summary"
    return 0
  fi
  # The last status line: "#N DONE cov: C ft: F corp: …" (cov: edges, ft: features).
  local executions rate rss cov ft
  executions=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
  rss=$(awk '/stat::peak_rss_mb/ {print $2}' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-20s %12s executions in %ss (%s/s), peak RSS %s MB, coverage %s edges, %s features\n' "$1" \
    "$executions" "$seconds" "$rate" "$rss" "${cov:-?}" "${ft:-?}" >"$out/$1.summary"
  if [[ ${SEATMIRROR_FUZZ_KEEP:-0} == 1 ]]; then
    "build-fuzz/fuzz/$1" -merge=1 -max_len="$len" -rss_limit_mb=2048 "$kept" "$out/$2" >"$out/$1.merge.log" 2>&1
    echo "$1: kept corpus now $(find "$kept" -type f | wc -l) inputs" >>"$out/$1.summary"
  fi
}
# SEATMIRROR_FUZZ_JOBS=N runs N targets at once (bench/fuzz_campaign.sh uses one per core);
# by default one after the other.
jobs_at_once=${SEATMIRROR_FUZZ_JOBS:-1}
targets=(fuzz_projection:corpus-json fuzz_signature:corpus-signature fuzz_http_request:corpus-http
  fuzz_inventory_list:corpus-list)
for entry in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs_at_once)); do wait -n || true; done
  run "${entry%%:*}" "${entry#*:}" &
done
wait
failed=()
for entry in "${targets[@]}"; do
  cat "$out/${entry%%:*}.summary"
  grep -q ': FAILED, input saved' "$out/${entry%%:*}.summary" && failed+=("${entry%%:*}")
done
if ((${#failed[@]})); then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}"
  exit 1
fi
