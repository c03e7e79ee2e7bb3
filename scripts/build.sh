#!/usr/bin/env bash
# Configures and builds seatmirror into BUILD_DIR (default build/).
# SEATMIRROR_SANITIZE=ON builds with AddressSanitizer and UBSan; BUILD_TARGETS="a b" builds
# only those targets (and what they need).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
# Ninja for new build folders (it keeps both cores busy where make left gaps: 4.4 min against
# ~7 for a full build here); a folder configured earlier keeps its generator.
generator=()
[[ -f $build_dir/CMakeCache.txt ]] || ! command -v ninja >/dev/null || generator=(-G Ninja)
# ccache serves files that did not change from earlier builds, also those of another clone
# (CCACHE_BASEDIR makes the paths it hashes relative to the checkout).
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build_dir" "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DSEATMIRROR_SANITIZE="${SEATMIRROR_SANITIZE:-OFF}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j"$(nproc)" ${BUILD_TARGETS:+--target $BUILD_TARGETS}
