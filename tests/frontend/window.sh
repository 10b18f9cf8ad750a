#!/usr/bin/env bash
# The SDL window under Xvfb: tern without --headless opens a window showing the guest's screen
# (a dump of the X window must contain the picture tern renders headless for the same guest),
# its title tells the state and speed, typed keys reach the guest through SDL and the PS/2
# keyboard (the guest echoes them), Ctrl+Alt+S saves a state that resumes headless, and closing
# the window ends the run with exit code 0.
# Skipped (exit 77) when xvfb-run, xdotool or xwd is missing: tools/deps.sh installs them.
# usage: window.sh TERN IMAGE_TOOL X11_CLOSE GUEST
set -u
if [ "${1:-}" != --inner ]; then
  for tool in xvfb-run xauth xdotool xwd; do
    if ! command -v "$tool" >/dev/null; then
      echo "SKIP: $tool is not installed (tools/deps.sh installs xvfb, xauth, xdotool and x11-apps)"
      exit 77
    fi
  done
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # The reference picture: the same guest headless, once its banner is drawn.
  "$1" --headless --serial none --bios "$4" --timeout 3 --screenshot "$work/ref.png@0.05"
  [ -s "$work/ref.png" ] || { echo "FAIL: no headless reference screenshot"; exit 1; }
  xvfb-run -a -s "-screen 0 1280x1024x24" "$0" --inner "$@" "$work"
  exit $?
fi

shift
tern=$1 tool=$2 closer=$3 guest=$4 work=$5
fail() {
  echo "FAIL: $*"
  echo "--- tern output:"; cat "$work/out.log"
  echo "--- debug console:"; cat "$work/con.log" 2>/dev/null
  kill "$pid" 2>/dev/null
  exit 1
}
wait_for_text() {  # FILE TEXT SECONDS
  for _ in $(seq $(($3 * 10))); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

"$tern" --serial none --bios "$guest" --debugcon "file:$work/con.log" --timeout 90 \
  --dump-text "$work/end.txt" --save "$work/window.state" >"$work/out.log" 2>&1 &
pid=$!
win=$(timeout 30 xdotool search --sync --onlyvisible --name '^tern' | head -1)
[ -n "$win" ] || fail "no tern window appeared"
wait_for_text "$work/con.log" "vga keys ready" 30 || fail "the guest did not start"
sleep 1  # a few frames

xwd -id "$win" -silent >"$work/window.xwd" || fail "xwd could not dump the window"
"$tool" xwd-to-png "$work/window.xwd" "$work/window.png" || fail "unreadable window dump"
"$tool" find "$work/window.png" "$work/ref.png" || fail "the window does not show the guest's screen"
title=$(xdotool getwindowname "$win")
echo "title: $title"
[[ "$title" =~ ^tern\ -\ (running|halted)\ -\ [0-9.]+\ MIPS ]] || fail "title '$title' lacks the state and speed"

grep -qF "no keyboard controller" "$work/con.log" && fail "the guest found no PS/2 controller"
xdotool windowfocus --sync "$win"
xdotool type --delay 40 "HELLO 42"
xdotool key Return
wait_for_text "$work/con.log" "typed" 20 || fail "the guest did not see Enter"
grep -qF "HELLO 42" "$work/con.log" || fail "the guest saw other keys: $(cat "$work/con.log")"

# The modifiers first and apart: SDL must have seen them down when S arrives.
xdotool keydown ctrl alt
sleep 0.2
xdotool key s
xdotool keyup alt ctrl
wait_for_text "$work/out.log" "state saved to $work/window.state" 20 || fail "Ctrl+Alt+S saved no state"

"$closer" "$win" || fail "could not ask the window to close"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "tern still runs after its window was closed"
wait "$pid"
code=$?
[ "$code" = 0 ] || fail "closing the window ended the run with exit code $code"
grep -qF "TERN WINDOW TEST" "$work/end.txt" || fail "--dump-text lacks the banner"
grep -qF "> HELLO 42" "$work/end.txt" || fail "--dump-text lacks the typed text"
"$tern" --headless --load "$work/window.state" --debugcon none --guest-timeout 0.1 >>"$work/out.log" 2>&1
code=$?
[ "$code" = 124 ] || fail "the state saved by Ctrl+Alt+S did not resume (exit code $code, expected 124)"
echo "ok: the window shows the guest's screen, typed keys reach the guest, Ctrl+Alt+S saves a state that"
echo "    resumes, closing ends the run cleanly"
