#!/usr/bin/env bash
# Formats every C++ file in the repository with the house style (.clang-format), or with
# --check lists the files clang-format would change and fails (what .ci/run does).
# Debian 12's clang-format 14 is the reference: another version may format differently.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v clang-format >/dev/null || { echo "format: clang-format is not installed (apt-get install clang-format)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')

if [[ ${1:-} == --check ]]; then
  if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/seatmirror-format.$$; then
    echo "format: these files are not formatted as .clang-format says; run: bash scripts/format.sh" >&2
    grep -o '^[^:]*:' /tmp/seatmirror-format.$$ | sort -u | sed 's/:$//; s/^/  /' >&2
    rm -f /tmp/seatmirror-format.$$
    exit 1
  fi
  rm -f /tmp/seatmirror-format.$$
  echo "format: ${#files[@]} files as .clang-format says"
else
  clang-format -i "${files[@]}"
fi
