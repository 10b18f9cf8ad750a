# Shared helpers for the guest-image scripts in tests/boot/ (sourced, not run).
#
# Every guest is made from Debian packages fetched with `apt-get download` through a private
# i386 apt state kept in the cache folder, so the host's apt configuration and package database
# are never changed. Packages are unpacked with `dpkg-deb -x` (no install). Each image records
# the package versions and the scripts it was made from in a stamp file; a later run with the
# same stamp does nothing, so a second run costs seconds and needs no network.
#
# Environment:
#   TERN_GUEST_APT_MAX_AGE   refresh the private package lists when older than this many
#                            minutes (default 1440); 0 refreshes on every run.

set -euo pipefail

BOOT_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BOOT_SCRIPTS/../.." && pwd)

say() { echo "tern-guests: $*" >&2; }
die() { say "error: $*"; exit 1; }

# open_cache [DIR]: sets GUEST_CACHE to the image cache folder (default build/guest-images under
# the repo), created, as an absolute path. The first script of a run takes an exclusive lock on
# it (held on fd 9 until that script ends, inherited by the scripts it starts), so parallel runs
# (ctest -j) wait for each other and build each image once.
open_cache() {
  GUEST_CACHE=${1:-$REPO_ROOT/build/guest-images}
  mkdir -p "$GUEST_CACHE"
  GUEST_CACHE=$(cd "$GUEST_CACHE" && pwd)
  if [ "${TERN_GUEST_LOCK:-}" != "$GUEST_CACHE" ]; then
    exec 9>"$GUEST_CACHE/.lock"
    flock 9
    export TERN_GUEST_LOCK=$GUEST_CACHE
  fi
}

# need_tools TOOL...: fails naming the missing host tools; tools/deps.sh installs them all.
export PATH=$PATH:/usr/sbin:/sbin
need_tools() {
  local tool missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing host tools: ${missing[*]} (run tools/deps.sh as root)"
}

# --- private i386 apt state -------------------------------------------------------------------

# apt32 apt-get|apt-cache ARGS...: runs the apt tool with i386 as the only architecture and its
# lists, caches and dpkg status kept under $GUEST_CACHE/apt. Sources are the host's.
apt32() {
  local tool=$1 state=$GUEST_CACHE/apt
  shift
  "$tool" -q -oAPT::Architecture=i386 -oAPT::Architectures=i386 \
    "-oDir::State=$state/state" "-oDir::State::Lists=$state/lists" \
    "-oDir::State::status=$state/status" "-oDir::Cache=$state/cache" \
    -oAPT::Sandbox::User=root -oDebug::NoLocking=1 "$@"
}

apt32_lists_present() {
  compgen -G "$GUEST_CACHE/apt/lists/*_binary-i386_Packages*" >/dev/null
}

# apt32_refresh: updates the private lists when missing or older than TERN_GUEST_APT_MAX_AGE
# (the age of our own stamp: apt keeps the server's dates on the files it gets). A partial
# failure (one mirror out of sync) is tolerated as long as lists are present.
apt32_refresh() {
  local state=$GUEST_CACHE/apt max_age=${TERN_GUEST_APT_MAX_AGE:-1440}
  mkdir -p "$state/state" "$state/lists/partial" "$state/cache/archives/partial"
  touch "$state/status"
  if apt32_lists_present && [ "$max_age" != 0 ] && [ -f "$state/updated" ] \
      && [ -z "$(find "$state/updated" -mmin +"$max_age")" ]; then
    return 0
  fi
  say "updating the private i386 package lists"
  rm -f "$state/versions" "$state/updated"
  if ! apt32 apt-get update >"$state/update.log" 2>&1; then
    apt32_lists_present || { cat "$state/update.log" >&2; die "apt-get update failed"; }
    say "warning: apt-get update reported errors (see $state/update.log); using the lists it got"
  fi
  touch "$state/updated"
}

# The packages the guests are made from; their candidate versions are looked up in one apt-cache
# call after each refresh and kept in $GUEST_CACHE/apt/versions (apt-cache needs about half a
# second a call, which a cached run should not pay for every package).
kGuestPackages="busybox-static grub-rescue-pc isolinux syslinux-common"

# apt32_resolve: writes $GUEST_CACHE/apt/versions ("NAME VERSION" lines, the kernel first as
# "kernel NAME") unless it is already there for the current lists.
apt32_resolve() {
  local versions=$GUEST_CACHE/apt/versions kernel
  [ -s "$versions" ] && return 0
  kernel=$(apt32 apt-cache depends linux-image-686 \
    | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  [ -n "$kernel" ] || die "cannot resolve linux-image-686 to a kernel package"
  {
    echo "kernel $kernel"
    # shellcheck disable=SC2086
    apt32 apt-cache policy "$kernel" $kGuestPackages \
      | awk '/^[^ ]/ {name = $1; sub(/:.*/, "", name)} /Candidate:/ && $2 != "(none)" {print name, $2}'
  } >"$versions.tmp"
  mv "$versions.tmp" "$versions"
}

# pkg_version NAME: the candidate version of an i386 (or all) package.
pkg_version() {
  local v
  apt32_resolve
  v=$(awk -v n="$1" '$1 == n {print $2}' "$GUEST_CACHE/apt/versions")
  [ -n "$v" ] || die "no Debian package '$1' for i386 in the package lists"
  echo "$v"
}

# kernel_package: the linux-image-*-686 package that linux-image-686 currently depends on.
kernel_package() {
  pkg_version kernel
}

# fetch_pkg NAME: downloads (once) and unpacks (once) the candidate version of NAME; prints the
# folder it is unpacked in. Other versions of NAME in the cache are removed. A caller may delete
# the unpacked folder when done: the .deb stays and is unpacked again when needed.
fetch_pkg() {
  local name=$1 version safe dir deb debs=$GUEST_CACHE/debs
  version=$(pkg_version "$name")
  safe=${version//:/_}
  dir=$GUEST_CACHE/pkgs/${name}_$safe
  deb=$(find "$debs" -maxdepth 1 -name "${name}_${version//:/%3a}_*.deb" 2>/dev/null | head -n1)
  if [ -z "$deb" ]; then
    mkdir -p "$debs"
    find "$debs" -maxdepth 1 -name "${name}_*.deb" -delete
    say "downloading $name $version"
    (cd "$debs" && apt32 apt-get download "$name=$version" >/dev/null) \
      || die "apt-get download $name=$version failed"
    deb=$(find "$debs" -maxdepth 1 -name "${name}_*.deb" | head -n1)
  fi
  if [ ! -d "$dir" ]; then
    mkdir -p "$GUEST_CACHE/pkgs"
    find "$GUEST_CACHE/pkgs" -maxdepth 1 -name "${name}_*" -exec rm -rf {} +
    dpkg-deb -x "$deb" "$dir.tmp"
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}

# --- stamps: rebuild only when the inputs change ----------------------------------------------

# stamp_text PKG... -- FILE...: the key of an image: package names with versions and the
# sha256 of each script or template file it is made from.
stamp_text() {
  local p
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    echo "$1=$(pkg_version "$1")"
    shift
  done
  shift
  for p in "$@"; do
    echo "$(basename "$p")=$(sha256sum <"$p" | cut -d' ' -f1)"
  done
}

# up_to_date STAMPFILE KEY OUTPUT...: true when STAMPFILE holds KEY and every output exists.
up_to_date() {
  local stamp=$1 key=$2 out
  shift 2
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] || return 1
  for out in "$@"; do [ -e "$out" ] || return 1; done
}

# --- deterministic archives --------------------------------------------------------------------

# Fixed timestamps make the images byte-identical from run to run for the same packages.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
export E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH

# newc_entry NAME MODE RDEV_MAJOR RDEV_MINOR: one empty cpio "newc" entry (a directory or a
# device node), written without needing root to create the node on the host.
newc_entry() {
  local name=$1 mode=$2 major=$3 minor=$4 namesize pad
  namesize=$((${#name} + 1))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
    0 "$mode" 0 0 1 "$SOURCE_DATE_EPOCH" 0 0 0 "$major" "$minor" "$namesize" 0
  printf '%s\0' "$name"
  pad=$(((4 - (110 + namesize) % 4) % 4))
  head -c "$pad" /dev/zero
}

# pack_initramfs TREE OUTPUT: a gzip'd newc cpio of TREE (owned by root, fixed times) with a
# /dev/console node prepended, so the kernel has a console before /init mounts devtmpfs.
pack_initramfs() {
  local tree=$1 out=$2
  find "$tree" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  {
    newc_entry dev $((0040755)) 0 0
    newc_entry dev/console $((0020600)) 5 1
    newc_entry TRAILER!!! 0 0 0
    (cd "$tree" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet)
  } | gzip -n -9 >"$out.tmp"
  mv "$out.tmp" "$out"
}

# --- the busybox userland of the Linux test guests ---------------------------------------------

# make_userland TREE KIND: a root tree with busybox-static (i386) as /bin/busybox, init.sh as
# /init and /sbin/init, workload.sh as /bin/tern-workload, and /etc/tern-guest = KIND
# (test, shell or disk; see init.sh). Applet links are made by /init at boot.
make_userland() {
  local tree=$1 kind=$2 busybox
  busybox=$(fetch_pkg busybox-static)
  rm -rf "$tree"
  mkdir -p "$tree"/{bin,sbin,etc,dev,proc,sys,run,tmp,var,media,newroot,lib/modules}
  install -m 0755 "$busybox/bin/busybox" "$tree/bin/busybox"
  install -m 0755 "$BOOT_SCRIPTS/init.sh" "$tree/init"
  ln -s ../init "$tree/sbin/init"
  install -m 0755 "$BOOT_SCRIPTS/workload.sh" "$tree/bin/tern-workload"
  echo "$kind" >"$tree/etc/tern-guest"
}
