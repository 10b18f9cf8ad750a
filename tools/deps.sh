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
)

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
