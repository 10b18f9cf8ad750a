#!/usr/bin/env bash
# Save states on the command line (docs/save-states.md): --save at the end of a run and --load
# resume a machine (SeaBIOS with no disk, which keeps looking for one); a damaged, foreign or
# missing state file, or machine options beside --load, end with one line on stderr and exit code
# 125; the monitor on a Unix socket saves, loads, reports and quits.
# usage: save_state.sh TERN
set -u
tern=$1
read -r -a emulator <<<"${TERN_EMULATOR:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
run() { "${emulator[@]}" "$tern" --headless --serial none "$@"; }
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

run --guest-timeout 0.2 --save "$work/a.state"
code=$?
[ "$code" = 124 ] && [ -s "$work/a.state" ] || fail "--save after --guest-timeout: exit $code, no state file"
run --load "$work/a.state" --guest-timeout 0.2 --save "$work/b.state"
code=$?
[ "$code" = 124 ] && [ -s "$work/b.state" ] || fail "--load then --save: exit $code"
echo "ok: saved, resumed and saved again"

# expect_bad WHAT OPTION...: tern with these options (COM1 on stdio unless they say otherwise).
expect_bad() {
  local what=$1
  shift
  "${emulator[@]}" "$tern" --headless "$@" --guest-timeout 0.1 >"$work/out" 2>"$work/err"
  local code=$? lines
  lines=$(wc -l <"$work/err")
  if [ "$code" != 125 ] || [ "$lines" != 1 ]; then
    fail "($what): exit $code, $lines stderr lines: $(cat "$work/err")"
  else
    echo "ok ($what): $(cat "$work/err")"
  fi
}
head -c 1000 "$work/a.state" >"$work/short.state"
expect_bad "truncated state" --load "$work/short.state"
cp "$work/a.state" "$work/flipped.state"
printf '\xff' | dd of="$work/flipped.state" bs=1 seek=2000 conv=notrunc 2>/dev/null
expect_bad "damaged state" --load "$work/flipped.state"
expect_bad "missing state" --load "$work/nope.state"
expect_bad "not a state" --load "$0"
expect_bad "machine option beside --load" --load "$work/a.state" -m 256
expect_bad "bad --save-on-serial" --save-on-serial "no-file-name"
expect_bad "monitor and COM1 both on stdio" --monitor stdio

# The monitor on a Unix socket (python3 talks to it).
if command -v python3 >/dev/null && [ -z "${TERN_EMULATOR:-}" ]; then
  sock=$work/mon.sock
  run --monitor "unix:$sock" --timeout 60 &
  pid=$!
  python3 - "$sock" "$work/m.state" >"$work/monitor.log" 2>&1 <<'PY'
import socket, sys, time
path, state = sys.argv[1:]
for _ in range(200):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(path); break
    except OSError:
        time.sleep(0.05)
s.settimeout(30)
def read_prompt():
    out = b""
    while not out.endswith(b"(tern) "):
        chunk = s.recv(4096)
        if not chunk: break
        out += chunk
    return out.decode()
read_prompt()
for line in ["info status", f"savevm {state}", f"loadvm {state}", "loadvm /nonexistent.state", "quit"]:
    s.sendall((line + "\n").encode())
    print(line, "->", read_prompt().replace("(tern) ", "").strip())
PY
  wait "$pid"
  code=$?
  cat "$work/monitor.log"
  [ "$code" = 0 ] || fail "monitor quit: exit $code"
  grep -q "info status -> status: running" "$work/monitor.log" || fail "monitor: info status"
  grep -q "savevm .* -> saved: " "$work/monitor.log" || fail "monitor: savevm"
  grep -q "loadvm $work/m.state -> loaded: " "$work/monitor.log" || fail "monitor: loadvm"
  grep -q "nonexistent.state -> error: " "$work/monitor.log" || fail "monitor: a bad loadvm is an error"
  grep -q "quit -> bye" "$work/monitor.log" || fail "monitor: quit"
fi
[ "$failures" = 0 ] && echo "all save-state command line checks passed"
exit $((failures > 0))
