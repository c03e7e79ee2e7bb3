#!/usr/bin/env bash
# Installs what is needed, builds, and starts the seatmirror receiver on its embedded default:
# https://127.0.0.1:8443 with a self-signed development certificate and a development webhook
# secret (both made in ./.seatmirror/ on first start), writing ./seatmirror.db.
# Its first log lines say which URL to register and how to send it the fixtures.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bash "$repo/scripts/install-deps.sh"
# Only the binary: the tests and benchmarks are scripts/test.sh's and bench/'s to build.
BUILD_DIR="$repo/build" BUILD_TARGETS=seatmirror bash "$repo/scripts/build.sh"
cd "$repo"
exec build/seatmirror serve --dev --db "${SEATMIRROR_DB:-./seatmirror.db}" "$@"
