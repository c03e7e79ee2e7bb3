# Sourced by the benchmarks: a private PostgreSQL cluster in a folder of their own, on a free
# loopback port and a socket in that folder, run as `postgres` when we are root (PostgreSQL
# refuses root). Defines pg_url and pg_port after start_postgres, and stop_postgres.
#
#   start_postgres FOLDER [extra server options]
as_postgres() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
start_postgres() {
  pg_dir=$1
  shift
  rm -rf "$pg_dir" && mkdir -p "$pg_dir"
  ((EUID == 0)) && chown postgres "$pg_dir"
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U seatmirror --auth=trust -E UTF8 >/dev/null
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/server.log" \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 $*" start >/dev/null
  as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U seatmirror seatmirror
  pg_url=postgresql://seatmirror@127.0.0.1:$pg_port/seatmirror
}
stop_postgres() { [[ -n ${pg_dir:-} ]] && as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true; }
psql_at() { psql -h 127.0.0.1 -p "$pg_port" -U seatmirror -Atc "$2" "$1"; }  # database, SQL
