#!/usr/bin/env bash
# Installs the Debian packages tern needs to build, run and test, if any are missing.
# Only Debian's archive is used (apt-get). Run as root, or install the printed list yourself.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config nasm
  libasmjit-dev libzydis-dev catch2 libboost-program-options-dev libfmt-dev libzstd-dev
  libpng-dev libsdl2-dev
  # run: the firmware
  seabios
  # tests of the window (tests/frontend/window.sh): a virtual X server, key typing, window dumps
  xvfb xauth xdotool x11-apps
  # guest images: tests/boot/*.sh make them from Debian packages (docs/guests.md)
  cpio e2fsprogs fdisk grub-pc-bin xorriso
)

# `tools/deps.sh aarch64`: the cross toolchain, the arm64 libraries and qemu-user as well.
if [ "${1:-}" = aarch64 ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    [ "$(id -u)" -eq 0 ] || { echo "tern: run 'sudo dpkg --add-architecture arm64' first" >&2; exit 1; }
    dpkg --add-architecture arm64
  fi
  packages+=(g++-aarch64-linux-gnu qemu-user libzstd-dev:arm64 libboost-program-options-dev:arm64
             libfmt-dev:arm64 libpng-dev:arm64 libzydis-dev:arm64)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "tern: installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=sudo
  else
    echo "tern: these packages are missing and installing them needs root:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
