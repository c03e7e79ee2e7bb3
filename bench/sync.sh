#!/usr/bin/env bash
# Times `seatmirror sync` loading an empty copy from an Inventory API (nginx over TLS serving a
# generated inventory: FEES seat fees in one list, as the API answers them unpaged, CLASSES
# seat classes, SEATMAPS seatmaps 20 to a page) against the baseline measured in the same run:
# `seatmirror replay` of the same records as webhook files into another empty copy. Prints
# records/s, peak RSS, and sync's rate as a ratio of replay's; checks both copies hold the same
# rows. Runs ROUNDS times (default 2: this machine is shared and noisy).
#
#   bash bench/sync.sh [FEES CLASSES SEATMAPS]     (default 150000 20000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
fees=${1:-150000} classes=${2:-20000} seatmaps=${3:-10000}
rounds=${ROUNDS:-2}
out=bench/out/sync
mkdir -p "$out"

bash scripts/install-deps.sh
for tool in nginx openssl; do command -v $tool >/dev/null || apt-get install -y -qq "${tool/nginx/nginx-light}" >/dev/null; done
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
BUILD_DIR=build-bench BUILD_TYPE=Release CMAKE_ARGS=-DSEATMIRROR_BUILD_TESTS=OFF \
  BUILD_TARGETS="seatmirror seatmirror_generate_inventory" bash scripts/build.sh >/dev/null

inventory="$out/inventory-$fees-$classes-$seatmaps"
[[ -s $inventory/webhooks.ndjson ]] || build-bench/seatmirror_generate_inventory "$fees" "$classes" "$seatmaps" "$inventory"
records=$((fees + classes + seatmaps))

# The API: nginx over TLS with a certificate of its own, which sync is told to trust.
[[ -s $out/api-cert.pem ]] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout "$out/api-key.pem" -out "$out/api-cert.pem" 2>/dev/null
echo "bench-api-key-0123456789" >"$out/api-key"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
  echo 18480)
mkdir -p "$out/nginx/logs"
cat >"$out/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $PWD/$out/nginx/nginx.pid;
error_log $PWD/$out/nginx/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $PWD/$out/nginx/body;
  proxy_temp_path $PWD/$out/nginx/proxy;
  fastcgi_temp_path $PWD/$out/nginx/fastcgi;
  uwsgi_temp_path $PWD/$out/nginx/uwsgi;
  scgi_temp_path $PWD/$out/nginx/scgi;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $PWD/$out/api-cert.pem;
    ssl_certificate_key $PWD/$out/api-key.pem;
    root $PWD/$inventory/api;
    default_type application/json;
    location = /inventory/seat-fees { try_files /seat-fees-\$arg_disabled.json =404; }
    location = /inventory/seat-classes { try_files /seat-classes.json =404; }
    location = /inventory/seatmaps { try_files /seatmaps-\$arg_page.json =404; }
  }
}
CONF
nginx -p "$PWD/$out/nginx" -c "$PWD/$out/nginx/nginx.conf"
trap '[[ -f $out/nginx/nginx.pid ]] && kill "$(cat "$out/nginx/nginx.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [[ -s $out/nginx/nginx.pid ]] && break; sleep 0.1; done

fresh() { rm -f "$1" "$1-wal" "$1-shm"; }
measure() {  # name, command...: prints seconds and peak RSS, keeps the seconds
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/$name.log" 2>&1 || { cat "$out/$name.log"; exit 1; }
  read -r seconds rss_kib <"$out/time.txt"
  awk -v n="$name" -v c="$records" -v s="$seconds" -v r="$rss_kib" \
    'BEGIN { printf "%-7s %7d records  %7.2f s  %8.0f records/s  peak RSS %6.1f MiB\n", n, c, s, c / s, r / 1024 }'
  echo "$seconds" >"$out/$name.seconds"
}
rows() { sqlite3 "$1" 'select (select count(*) from seat_fees), (select count(*) from seat_classes), (select count(*) from seatmaps)'; }

echo "machine: $(nproc) cores; $fees fees, $classes classes, $seatmaps seatmaps ($(du -sh "$inventory/api" | cut -f1) of API answers)"
for round in $(seq "$rounds"); do
  echo "-- round $round"
  fresh "$out/replay.db"
  measure replay build-bench/seatmirror replay --quiet --db "$out/replay.db" "$inventory/webhooks.ndjson"
  fresh "$out/sync.db"
  measure sync build-bench/seatmirror sync --db "$out/sync.db" --inventory-url "https://127.0.0.1:$port/inventory" \
    --api-key-file "$out/api-key" --inventory-ca-file "$out/api-cert.pem" --json
  [[ $(rows "$out/sync.db") == "$(rows "$out/replay.db")" ]] || { echo "the copies differ: $(rows "$out/sync.db") vs $(rows "$out/replay.db")"; exit 1; }
  awk -v r="$(cat "$out/replay.seconds")" -v s="$(cat "$out/sync.seconds")" \
    'BEGIN { printf "sync is %.2f of replay'"'"'s rate; both copies hold %s rows\n", r / s, "'"$(rows "$out/sync.db" | tr '|' '/')"'" }'
done
