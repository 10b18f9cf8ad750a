#!/bin/sh
# tern-workload: a short, deterministic workload for tern's Linux test guests (installed as
# /bin/tern-workload). Each step checks its own result against a value computed on the host
# once, so a wrong instruction or a lost interrupt shows up as a failed check, not just as a
# slower run. Prints "TERN-CHECK NAME ok|FAILED" and "TERN-TIME NAME SECONDS" (guest uptime);
# exits non-zero if a check failed.
#   tern-workload [--disk-write FILE]   also write FILE, drop the page cache and read it back

status=0
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# check NAME GOT WANT
check() {
  if [ "$2" = "$3" ]; then
    echo "TERN-CHECK $1 ok"
  else
    echo "TERN-CHECK $1 FAILED: got '$2', expected '$3'"
    status=1
  fi
}

# timed NAME COMMAND...: runs COMMAND and prints how long it took in guest time.
timed() {
  local name=$1 start
  shift
  start=$(uptime_s)
  "$@"
  echo "TERN-TIME $name $(awk "BEGIN { printf \"%.2f\", $(uptime_s) - $start }")"
}

zeros() { dd if=/dev/zero bs=1M count=4 2>/dev/null; }
numbers() { seq 1 "$1"; }
digest() { sha256sum | cut -d' ' -f1; }

# sha256 of 4 MiB of zeros, of "seq 1 100000" and of "seq 1 200000" (computed on the host).
kZeros=bb9f8df61474d25e71fa00722318cd387396ca1736605e1248821cc0de3d3af8
kSeq100k=b2bc7d3f8b652d2ec96865b68ad8f80e22cca174abe1aed7889e242a747d590f
kSeq200k=5af7b95208fdcff454bab3f5eddf567a688a3796c703d4fef91072e38645c062

step_sha256() {
  check sha256-zeros "$(zeros | digest)" $kZeros
  check sha256-seq "$(numbers 100000 | digest)" $kSeq100k
}

step_gzip() {
  check gzip-zeros "$(zeros | gzip -c | gunzip -c | digest)" $kZeros
  check gzip-seq "$(numbers 100000 | gzip -c | gunzip -c | digest)" $kSeq100k
}

step_shell_loop() {
  local i=0 sum=0
  while [ $i -lt 20000 ]; do
    sum=$((sum + i))
    i=$((i + 1))
  done
  check shell-loop $sum 199990000
}

# 300 fork+exec of a static binary: process creation, page faults, copy-on-write.
step_forks() {
  local i=0 ran=0
  while [ $i -lt 300 ]; do
    /bin/true && ran=$((ran + 1))
    i=$((i + 1))
  done
  check forks $ran 300
}

step_disk_write() {
  numbers 200000 >"$1"
  sync
  echo 3 >/proc/sys/vm/drop_caches
  check disk-write "$(digest <"$1")" $kSeq200k
  rm -f "$1"
  sync
}

begin=$(uptime_s)
timed sha256 step_sha256
timed gzip step_gzip
timed shell-loop step_shell_loop
timed forks step_forks
if [ "${1:-}" = --disk-write ]; then
  timed disk-write step_disk_write "$2"
fi
echo "TERN-TIME workload $(awk "BEGIN { printf \"%.2f\", $(uptime_s) - $begin }")"
exit $status
