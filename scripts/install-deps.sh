#!/usr/bin/env bash
# Installs every Debian 12 package seatmirror needs to build and run; with --test, also what
# the tests need (Chromium for the browser test, PostgreSQL for the tests that start a private
# cluster of their own, HAProxy for the one that puts two receivers behind it, clang-format
# for the style check in .ci/run, systemd-analyze and man for the package test).
# Idempotent: when everything is already installed it does not touch apt at all.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config ca-certificates openssl
  libboost1.81-dev libboost-json1.81-dev
  libsqlitecpp-dev libsqlite3-dev sqlite3
  libboost-url1.81-dev libfmt-dev libspdlog-dev libcli11-dev libhowardhinnant-date-dev
  prometheus-cpp-dev
  catch2 libssl-dev libpq-dev libcurl4-openssl-dev
)

[[ ${1:-} == --test ]] && packages+=(chromium postgresql haproxy clang-format systemd man-db)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # The tests start private clusters of their own: the package must not create and start the
  # system-wide "main" cluster on port 5432.
  if [[ " ${missing[*]} " == *" postgresql "* && ! -e /etc/postgresql-common/createcluster.conf ]]; then
    "${sudo_cmd[@]}" mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | "${sudo_cmd[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
