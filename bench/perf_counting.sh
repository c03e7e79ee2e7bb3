# Sourced by bench/ingest and bench/ingest_ab.sh: exact system call and context switch counts of
# a server over a chosen window.
#
# Why not `perf stat -p PID`: attached to a running multi-threaded server it counted during only
# 13-25% of the threads' CPU time on this VM, so its counts were lower bounds (docs/benchmarks.md,
# 2026-12-06). Started with the server instead, perf's counters are inherited by every thread
# and process it makes and count all the time they are on; they start switched off and are
# switched on and off through perf's control FIFOs around the load.
#
#   counted_start NAME CSV CMD...   start CMD under perf stat, counting off (redirect as for CMD)
#   counted_pid NAME                the command's own pid (perf's child)
#   counting NAME on|off            switch counting on or off (returns once perf has done it)
#   counted_value CSV EVENT         after the command has exited: raw_syscalls:sys_enter or context-switches

declare -A counted_perf counted_ctl counted_ack
counted_start() {
  local name=$1 csv=$2 fifos fd
  shift 2
  fifos=$(mktemp -d)
  mkfifo "$fifos/ctl" "$fifos/ack"
  perf stat -D -1 --control "fifo:$fifos/ctl,$fifos/ack" -x, -e raw_syscalls:sys_enter -e context-switches \
    -o "$csv" -- "$@" &
  counted_perf[$name]=$!
  exec {fd}<>"$fifos/ctl"
  counted_ctl[$name]=$fd
  exec {fd}<>"$fifos/ack"
  counted_ack[$name]=$fd
}
counted_pid() {
  local pid
  for _ in $(seq 50); do
    pid=$(pgrep -P "${counted_perf[$1]}" | head -1) && [[ -n $pid ]] && { echo "$pid"; return; }
    sleep 0.1
  done
  echo "perf stat started no command for $1" >&2
  return 1
}
counting() {
  local command=enable reply
  [[ $2 == on ]] || command=disable
  echo "$command" >&"${counted_ctl[$1]}"
  read -r -t 10 reply <&"${counted_ack[$1]}" || { echo "perf stat did not acknowledge '$command' for $1" >&2; return 1; }
}
counted_value() { awk -F, -v e="$2" '$3 == e { print $1 }' "$1"; }
