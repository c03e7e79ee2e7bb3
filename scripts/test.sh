#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test (CTest). Used by the README and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
bash scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
