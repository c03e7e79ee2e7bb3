#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test (CTest). Used by the README and CI.
# The benchmark tools are left out: no test runs them, and bench/ scripts build their own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
CMAKE_ARGS="-DSEATMIRROR_BUILD_BENCH=OFF ${CMAKE_ARGS:-}" bash scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
