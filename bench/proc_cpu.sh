# Sourced by bench/ingest and bench/ingest_ab.sh: what the scheduler says a server used, from
# /proc (exact; perf's own counters run for only part of a thread's time on this VM).

# Clock ticks of user + system CPU of processes (every thread: /proc/PID/stat fields 14, 15).
cpu_ticks() { local pid t=0; for pid in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done; echo $t; }
# The same for one named thread of a process (0 when it has no such thread).
thread_ticks() {
  local task
  for task in /proc/"$1"/task/*; do
    [[ $(cat "$task/comm" 2>/dev/null) == "$2" ]] && { awk '{ print $14 + $15 }' "$task/stat"; return; }
  done
  echo 0
}
# Voluntary and involuntary context switches of every thread of a process.
context_switches() { cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ { n += $2 } END { print n }'; }
