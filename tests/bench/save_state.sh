#!/usr/bin/env bash
# make bench: save-state figures for the Linux test guest with 256 MiB, saved right after boot
# (TERN-LINUX-UP on COM1): how long tern takes to save and to load, and the file size; beside
# QEMU's figures for the same guest at the same point (a migration to a file, which is what
# savevm writes without needing a qcow2 disk), when qemu-system-i386 is installed.
#
#   tests/bench/save_state.sh [build-dir]
#
# tern's save time is its own (the log line of Machine::save_state), hashing the kernel, initrd
# and ROMs included; its load time is the whole `tern --load` process up to the first guest
# instruction. QEMU's save time is the "total time" of its migration; its load time is from the
# start of `qemu -incoming` until the guest is ready to run. Nothing is asserted; it only reports.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
images=$build/guest-images
"$here/../boot/images.sh" "$images" >/dev/null
linux=$images/linux
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
marker=TERN-LINUX-UP
kernel=(--kernel "$linux/vmlinuz" --initrd "$linux/initrd.gz" --append "console=ttyS0,115200")

echo "save states: Linux i386, 256 MiB, saved at $marker, $(date -u +%Y-%m-%d)"
"$build/tern" --headless -m 256 --no-reboot --engine jit --log machine:info "${kernel[@]}" \
  --serial "file:$work/serial.log" --save-on-serial "$marker:$work/linux.state" --until-serial "$marker" \
  2>"$work/save.log"
save_s=$(sed -n 's/.*state saved to .*: \([0-9]*\) bytes in \([0-9.]*\) s.*/\2/p' "$work/save.log")
size=$(stat -c %s "$work/linux.state")
# Loading: the whole `tern --load` process until the guest could run (reading, decompressing and
# checking the file, building the machine, applying the state), and within it the check and
# apply step alone.
best_total= best_apply=
for _ in 1 2 3; do
  start=$(date +%s.%N)
  "$build/tern" --headless --no-reboot --engine jit --log machine:info --load "$work/linux.state" --serial none \
    --guest-timeout 0.000001 2>"$work/load.log" >/dev/null || true
  total=$(awk "BEGIN { printf \"%.3f\", $(date +%s.%N) - $start }")
  apply=$(sed -n 's/.*checked and applied in \([0-9.]*\) s.*/\1/p' "$work/load.log")
  [ -n "$apply" ] || { echo "tern: the state did not load:"; cat "$work/load.log"; exit 1; }
  best_total=$(printf '%s\n' $best_total $total | sort -n | head -1)
  best_apply=$(printf '%s\n' $best_apply $apply | sort -n | head -1)
done
printf 'tern: save %s s, file %.1f MB; load %s s for the whole process (%s s checking and applying), best of 3\n' \
  "$save_s" "$(awk "BEGIN { print $size / 1e6 }")" "$best_total" "$best_apply"

qemu=$(command -v qemu-system-i386 || true)
if [ -z "$qemu" ]; then
  echo "qemu: qemu-system-i386 not installed, skipped"
  exit 0
fi
python3 - "$qemu" "$linux" "$work" "$marker" <<'PY'
import os, socket, subprocess, sys, time
qemu, linux, work, marker = sys.argv[1:]
base = [qemu, "-m", "256", "-accel", "tcg", "-display", "none", "-no-reboot", "-kernel", f"{linux}/vmlinuz",
        "-initrd", f"{linux}/initrd.gz", "-append", "console=ttyS0,115200"]

def monitor(path):
    for _ in range(200):
        try:
            s = socket.socket(socket.AF_UNIX); s.connect(path); break
        except OSError:
            time.sleep(0.05)
    s.settimeout(600)
    def reply():
        out = b""
        while not out.endswith(b"(qemu) "):
            chunk = s.recv(65536)
            if not chunk:
                raise SystemExit("qemu: the monitor closed (QEMU ended), skipped")
            out += chunk
        return out.decode(errors="replace")
    def cmd(line):
        s.sendall((line + "\n").encode())
        return "" if line == "quit" else reply()  # QEMU closes the monitor at once on quit
    reply()
    return cmd

mon = f"{work}/qemu.sock"
serial = f"{work}/qemu-serial.log"
state = f"{work}/qemu.state"
p = subprocess.Popen(base + ["-serial", f"file:{serial}", "-monitor", f"unix:{mon},server,nowait"])
cmd = monitor(mon)
deadline = time.time() + 600
while marker.encode() not in open(serial, "rb").read():
    if time.time() > deadline or p.poll() is not None:
        print("qemu: the guest did not reach the marker, skipped"); p.kill(); sys.exit(0)
    time.sleep(0.05)
cmd("stop")
cmd(f'migrate "exec:cat > {state}"')
while True:
    info = cmd("info migrate")
    if "completed" in info or "failed" in info:
        break
    time.sleep(0.05)
total = [l for l in info.splitlines() if l.startswith("total time")]
save_ms = total[0].split(":")[1].strip() if total else "?"
cmd("quit"); p.wait()
size = os.path.getsize(state)

best = None
for _ in range(3):
    t = time.time()
    # -S: the guest stays paused once loaded (it would otherwise finish and power off).
    p = subprocess.Popen(base + ["-S", "-serial", "null", "-monitor", f"unix:{mon},server,nowait", "-incoming",
                                 f"exec:cat {state}"])
    cmd = monitor(mon)
    while "inmigrate" in cmd("info status"):
        time.sleep(0.01)
    best = min(best or 1e9, time.time() - t)
    cmd("quit"); p.wait()
print(f"qemu {subprocess.run([qemu, '--version'], capture_output=True, text=True).stdout.split()[3]}: "
      f"save {save_ms}, load {best:.3f} s (process start included, best of 3), file {size / 1e6:.1f} MB "
      "(uncompressed migration stream)")
PY
