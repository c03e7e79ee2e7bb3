#!/usr/bin/env bash
# The rooms may include only what sits below them (CMakeLists.txt draws the same graph with
# the rooms' link dependencies, which cannot catch a header-only include). Prints every
# include that breaks the graph and fails; run by CTest as include_graph.
#
#   bash tests/include_graph_test.sh [SOURCE_DIR]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
declare -A allowed=(
  [json]="json"
  [layout]="layout json"
  [decode]="decode layout json"
  [storage]="storage"
  [projection]="projection decode storage layout json"
  [read_side]="read_side decode storage layout json"
  [views]="views read_side layout json"
  [receiver]="receiver projection decode read_side views json"
  [sync]="sync projection decode read_side storage json"
)
broken=0
for room in "${!allowed[@]}"; do
  while IFS=: read -r file _ include; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$include")
    if [[ " ${allowed[$room]} " != *" $target "* ]]; then
      echo "$file: $room/ may not include $target/ ($include)"
      broken=1
    fi
  done < <(grep -Hn '^#include "[a-z_]*/' "$room"/*.cpp "$room"/*.hpp 2>/dev/null || true)
done
((broken == 0)) && echo "include graph: every room includes only what it may"
exit "$broken"
