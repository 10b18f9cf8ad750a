#!/usr/bin/env bash
# make bench: save-state figures for the Linux test guest with 256 MiB, saved right after boot
# (TERN-LINUX-UP on COM1): how long tern takes to save and to load, and the file size; beside
# QEMU's figures for the same guest at the same point (a migration to a file, which is what
# savevm writes without needing a qcow2 disk), when qemu-system-i386 is installed.
#
#   tests/bench/save_state.sh [build-dir]
#
# tern's times are its own (the log lines of Machine::save_state/load_state): the save includes
# hashing the kernel, initrd and ROMs, the load checking them again. QEMU's save time is its
# "total time" of the migration; its load time is from the start of `qemu -incoming` until the
# guest is ready to run (process start included). Nothing is asserted; it only reports.
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
load_s=$(for _ in 1 2 3; do
  "$build/tern" --headless --no-reboot --engine jit --log machine:info --load "$work/linux.state" \
    --serial none --guest-timeout 0.001 2>&1 >/dev/null | sed -n 's/.*state .* loaded in \([0-9.]*\) s.*/\1/p'
done | sort -n | head -1)
printf 'tern: save %s s, load %s s (best of 3), file %.1f MB\n' "$save_s" "$load_s" "$(awk "BEGIN { print $size / 1e6 }")"

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
    def cmd(line):
        s.sendall((line + "\n").encode())
        out = b""
        while not out.endswith(b"(qemu) "):
            out += s.recv(65536)
        return out.decode(errors="replace")
    s.settimeout(5)
    out = b""
    while not out.endswith(b"(qemu) "):
        out += s.recv(65536)
    s.settimeout(600)
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
    p = subprocess.Popen(base + ["-serial", "null", "-monitor", f"unix:{mon},server,nowait", "-incoming",
                                 f"exec:cat {state}"])
    cmd = monitor(mon)
    while "paused" not in cmd("info status") and "running" not in cmd("info status"):
        time.sleep(0.01)
    best = min(best or 1e9, time.time() - t)
    cmd("quit"); p.wait()
print(f"qemu {subprocess.run([qemu, '--version'], capture_output=True, text=True).stdout.split()[3]}: "
      f"save {save_ms}, load {best:.3f} s (process start included, best of 3), file {size / 1e6:.1f} MB "
      "(uncompressed migration stream)")
PY
