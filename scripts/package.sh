#!/usr/bin/env bash
# Builds the Debian package: a Release build without tests or benchmarks in build-release/,
# then `cpack -G DEB` into dist/ (dist/seatmirror_VERSION_ARCH.deb). Install it with
#   sudo apt-get install ./dist/seatmirror_*.deb
# (README, "Installing the package").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=build-release BUILD_TYPE=Release \
  CMAKE_ARGS="-DSEATMIRROR_BUILD_TESTS=OFF -DSEATMIRROR_BUILD_BENCH=OFF ${CMAKE_ARGS:-}" bash scripts/build.sh
cpack -G DEB --config build-release/CPackConfig.cmake -B dist
ls -1 dist/*.deb
