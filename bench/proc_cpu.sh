# Sourced by bench/ingest and bench/ingest_ab.sh: what the scheduler says a server used, from
# /proc (exact). System calls and context switches: bench/perf_counting.sh.

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
