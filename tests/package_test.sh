#!/usr/bin/env bash
# The Debian package as an operator receives it: builds it with cpack from BUILD_DIR, lists it,
# checks its control data (runtime dependencies from Debian, the conffile, maintainer scripts
# that parse), extracts it and runs the extracted binary, reads the man page and the bash
# completion it carries, and holds the unit to `systemd-analyze verify` and to an exposure
# score of at most 2.0 on `systemd-analyze security`. Run by CTest as debian_package.
#
#   bash tests/package_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/seatmirror_*.deb)
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

listing=$(dpkg-deb -c "$deb" | awk '{print $6}')
for path in ./usr/bin/seatmirror ./usr/share/man/man1/seatmirror.1.gz \
  ./usr/share/bash-completion/completions/seatmirror ./usr/lib/systemd/system/seatmirror.service \
  ./etc/seatmirror/seatmirror.env ./usr/share/doc/seatmirror/copyright ./usr/share/doc/seatmirror/README.md; do
  grep -qxF "$path" <<<"$listing" || fail "the package has no $path"
done

depends=$(dpkg-deb -f "$deb" Depends)
for dep in adduser libc6 libssl3 libsqlite3-0 libpq5 libcurl4 libboost-json1.81.0; do
  [[ ", $depends, " == *", $dep "* || ", $depends, " == *", $dep,"* ]] || fail "Depends lacks $dep: $depends"
done
dpkg-deb -e "$deb" "$work/control"
grep -qxF /etc/seatmirror/seatmirror.env "$work/control/conffiles" || fail "seatmirror.env is not a conffile"
for script in postinst prerm postrm; do
  [[ -x $work/control/$script ]] || fail "$script is missing or not executable"
  sh -n "$work/control/$script" || fail "$script does not parse"
done

root=$work/root
dpkg-deb -x "$deb" "$root"
version=$("$root/usr/bin/seatmirror" --version | head -1)
[[ $version =~ ^seatmirror\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ (unknown|[0-9a-f]+)\)$ ]] ||
  fail "the extracted binary's --version says: $version"
echo "extracted binary: $version"

# Every subcommand --help lists has a section in the man page.
page=$(MANWIDTH=200 man -l "$root/usr/share/man/man1/seatmirror.1.gz" 2>/dev/null)
commands=$("$root/usr/bin/seatmirror" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1}')
[[ -n $commands ]] || fail "--help lists no subcommands"
for command in $commands; do
  grep -q "^   seatmirror $command" <<<"$page" || fail "the man page has no section for $command"
done
grep -q -- "--listen" <<<"$page" || fail "the man page does not describe serve --listen"

# Every variable the shipped environment file names, set or commented, is one serve reads.
serve_env=$("$root/usr/bin/seatmirror" serve --help | grep -o 'Env:SEATMIRROR_[A-Z_]*' | cut -d: -f2)
for name in $(grep -o '^#\?SEATMIRROR_[A-Z_]*' "$root/etc/seatmirror/seatmirror.env" | tr -d '#'); do
  grep -qxF "$name" <<<"$serve_env" || fail "seatmirror.env sets $name, which serve does not read"
done

# The completion, sourced as bash-completion would, completes subcommands, options and choices.
complete_line() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _seatmirror
           echo "${COMPREPLY[*]}"' sh "$root/usr/share/bash-completion/completions/seatmirror" "$@"
}
[[ $(complete_line seatmirror se) == "serve seats" ]] || fail "completing 'se': $(complete_line seatmirror se)"
[[ $(complete_line seatmirror serve --lis) == "--listen" ]] || fail "completing 'serve --lis'"
[[ $(complete_line seatmirror replay --durability "") == "full normal" ]] || fail "completing --durability"

# The unit: verified against the extracted binary and man page (verify checks both exist), and
# scored offline.
unit=$root/usr/lib/systemd/system/seatmirror.service
sed "s|^ExecStart=/usr/bin/seatmirror|ExecStart=$root/usr/bin/seatmirror|" "$unit" >"$work/seatmirror.service"
MANPATH=$root/usr/share/man systemd-analyze verify "$work/seatmirror.service" || fail "systemd-analyze verify"
score=$(systemd-analyze security --offline=true "$unit" 2>&1 | tail -1)
echo "systemd-analyze security: $score"
systemd-analyze security --offline=true --threshold=20 "$unit" >/dev/null 2>&1 ||
  fail "the unit's exposure is above 2.0: $score"

((failures == 0)) && echo "debian package: every check passed"
exit $((failures > 0))
