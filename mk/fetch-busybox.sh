#!/bin/bash
# fetch-busybox.sh: Debian bookworm's static arm64 busybox (busybox-static,
# arm64), for the LAVA run's initramfs; print its path, the only thing on
# stdout. The package comes through a private apt configuration for arm64
# in $CACHE/busybox-arm64 (apt checks it against the archive's signed
# lists); the system's sources and architectures are never touched. Cached:
# a warm run fetches nothing.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

DIR=$CACHE/busybox-arm64
BIN=$DIR/root/bin/busybox
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

if [ -x "$BIN" ]; then
	echo "$BIN"
	exit 0
fi
cache_lock
if [ -x "$BIN" ]; then
	echo "$BIN"
	exit 0
fi
[ -f "$KEYRING" ] || die "$KEYRING is missing; install debian-archive-keyring"
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing; install dpkg"
mkdir -p "$DIR/lists/partial" "$DIR/cache/archives/partial" "$DIR/deb"
echo "deb [signed-by=$KEYRING arch=arm64] $MIRROR bookworm main" >"$DIR/sources.list"
apt_arm64()
{
	apt-get -q -o Dir::Etc::SourceList="$DIR/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists="$DIR/lists" \
		-o Dir::Cache="$DIR/cache" -o Dir::State::Status=/dev/null \
		-o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
		-o APT::Sandbox::User="$(id -un)" "$@"
}
info "fetching busybox-static (arm64) from Debian bookworm"
apt_arm64 update >"$DIR/update.log" 2>&1 ||
	die "apt-get update of the arm64 list failed (see $DIR/update.log): no route to Debian's archive?"
(cd "$DIR/deb" && apt_arm64 download busybox-static) >"$DIR/download.log" 2>&1 ||
	die "apt-get download busybox-static (arm64) failed; see $DIR/download.log"
deb=$(ls "$DIR"/deb/busybox-static_*_arm64.deb)
rm -rf "$DIR/root.new"
dpkg-deb -x "$deb" "$DIR/root.new"
[ -x "$DIR/root.new/bin/busybox" ] || die "$deb holds no bin/busybox"
rm -rf "$DIR/root"
mv "$DIR/root.new" "$DIR/root"
echo "$BIN"
