#!/bin/bash
# build-qemu.sh [--key]: build qemu-system-aarch64 from QEMU 10.0.2 plus
# patches/qemu (build/qemu, made by qemu-tree.sh) and print its absolute
# path, the only thing on stdout. The binary is cached across clones in
# $CACHE/qemu/KEY/, KEY hashing the base, the series, the configure flags
# and the build scripts; a hit prints it and does nothing else (but mark it
# used: builds unused for two weeks are removed). Next to it, qemu.env
# records what it was made from. --key prints KEY only.
set -eu
. "$(dirname "$0")/lib.sh"
# shellcheck source=apt-private.sh
. "$TOP/mk/apt-private.sh"
# shellcheck source=qemu-lib.sh
. "$TOP/mk/qemu-lib.sh"

# bookworm's meson (1.0) is too old for QEMU 10: these run from TOOLS.
TOOL_DEBS="meson=1.7.0-1~bpo12+1 python3-pycotap=1.3.1-2~bpo12+1"
TOOLS=$CACHE/qemu-tools
export PYTHONPATH=$TOOLS/usr/lib/python3/dist-packages
OUT=$BUILD/qemu-build
# ccache: paths relative to BUILD, so that two clones share hits, in a
# cache of QEMU's own. A source changed in the middle of a compile can file
# an object under the old source's hash, so nothing changes build/qemu
# while a build runs (qemu_lock); do not edit it then either.
# Depend mode (QEMU compiles with -MD): a miss runs the compiler once,
# not the preprocessor first (lib.sh's kernel_make says what it saves).
export CCACHE_DIR=$CACHE/ccache-qemu CCACHE_MAXSIZE=2G CCACHE_DEPEND=1
export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
LOGS=$BUILD/logs/qemu
# What is built; --download stays off, so nothing but Debian's archive is
# ever reached (the tarball carries the subprojects). Only the virt board
# and its virtio disk (patches/qemu 0009, virt-only.mak: about 1300 build
# steps instead of 1900), no debug information: QEMU from nothing builds
# in about half the time.
CONFIGURE=(--target-list=aarch64-softmmu --without-default-features
	--without-default-devices --with-devices-aarch64=virt-only
	--enable-fdt=system --enable-tcg --disable-debug-info --disable-docs
	--disable-install-blobs --disable-werror --disable-download)

# cache_key BASE_ID: a short hash of everything the binary is made from.
cache_key()
{
	{
		echo "base $1"
		echo "series $(series_id qemu)"
		echo "configure ${CONFIGURE[*]}"
		echo "tools $TOOL_DEBS"
		sha256sum "$TOP/mk/build-qemu.sh" "$TOP/mk/qemu-lib.sh" | cut -d' ' -f1
	} | sha256sum | cut -c1-16
}

# get_tools: meson and pycotap from bookworm-backports, unpacked (not
# installed) into TOOLS once.
get_tools()
{
	local pkg url name sum tmp

	[ "$(cat "$TOOLS/.debs" 2>/dev/null)" = "$TOOL_DEBS" ] && return 0
	apt_refresh
	tmp=$(mktemp -d "$CACHE/.qemu-tools.XXXXXX")
	for pkg in $TOOL_DEBS; do
		read -r url name sum < <(papt apt-get download --print-uris "$pkg" 2>/dev/null |
			split_uri) ||
			die "the archive lists no $pkg; check $APT_DIR/sources.list (bookworm-backports)"
		fetch "$url" "$name" "$sum" || die "cannot download $url; check the network"
		dpkg-deb -x "$DL/$name" "$tmp"
	done
	echo "$TOOL_DEBS" >"$tmp/.debs"
	rm -rf "$TOOLS"
	mv "$tmp" "$TOOLS"
}

# configure_cmd: the configure command line, one word per line; ccache
# when installed.
configure_cmd()
{
	local cc=gcc cxx=g++

	if [ -x /usr/lib/ccache/gcc ]; then
		cc=/usr/lib/ccache/gcc cxx=/usr/lib/ccache/g++
	fi
	printf '%s\n' "$DEST/configure" --python=/usr/bin/python3 \
		--cc="$cc" --cxx="$cxx" "${CONFIGURE[@]}"
}

# configure: run QEMU's configure in OUT, unless OUT was configured with
# this very command line.
configure()
{
	local cmd

	mapfile -t cmd < <(configure_cmd)
	if [ -f "$OUT/build.ninja" ] &&
	   [ "$(cat "$OUT/knb.configure" 2>/dev/null)" = "${cmd[*]}" ]; then
		return 0
	fi
	info "configuring QEMU in $OUT (log: $LOGS/configure.log)"
	rm -rf "$OUT"
	mkdir -p "$OUT"
	(cd "$OUT" && "${cmd[@]}") >"$LOGS/configure.log" 2>&1 ||
		failed "configure" "$LOGS/configure.log"
	echo "${cmd[*]}" >"$OUT/knb.configure"
}

# failed STEP LOG: show the end of LOG and die.
failed()
{
	tail -n 20 "$2" | sed 's/^/    | /' >&2
	die "QEMU's $1 failed (log: $2); fix the cause above, or remove $OUT and retry"
}

# build: ninja the one target.
build()
{
	info "building qemu-system-aarch64 with ninja -j$(nproc) (log: $LOGS/ninja.log)"
	nice ninja -C "$OUT" -j"$(nproc)" qemu-system-aarch64 >"$LOGS/ninja.log" 2>&1 ||
		failed "build" "$LOGS/ninja.log"
}

# verify BIN: it is QEMU_VERSION, and a copy of it alone, with -L pointing
# at an empty directory, starts a virt machine and quits on request. Says
# what is wrong in PROBLEM and fails otherwise.
verify()
{
	local bin=$1 tmp out rc=0

	if ! "$bin" --version | grep -q "version $QEMU_VERSION\\b"; then
		PROBLEM="$bin does not say version $QEMU_VERSION"
		return 1
	fi
	tmp=$(mktemp -d)
	mkdir "$tmp/empty"
	cp "$bin" "$tmp/"
	out=$(cd "$tmp/empty" && echo quit | timeout 60 "$tmp/qemu-system-aarch64" \
		-L "$tmp/empty" -M virt,virtualization=on,gic-version=3 -cpu max \
		-nodefaults -S -display none -monitor stdio 2>&1) || rc=$?
	rm -rf "$tmp"
	[ "$rc" -eq 0 ] && return 0
	PROBLEM="a copy of $bin does not start a virt machine on its own (exit $rc: $(echo "$out" | grep -v '^QEMU .* monitor' | head -n 1))"
	return 1
}

# build_verified: configure, build and verify; when the binary fails,
# build once more from an empty OUT (objects left by an interrupted or
# foreign build can be stale), then give up.
build_verified()
{
	configure
	build
	verify "$OUT/qemu-system-aarch64" && return 0
	warn "$PROBLEM; building again from scratch in $OUT"
	rm -rf "$OUT"
	configure
	build
	verify "$OUT/qemu-system-aarch64" ||
		die "$PROBLEM; see $LOGS, fix the cause (patches/qemu?) and run again"
}

# record KEY DIR: what the binary in DIR is made from, for reports.
record()
{
	{
		echo "version=$("$2/qemu-system-aarch64" --version | head -n 1)"
		echo "base=$(cat "$DEST.base")"
		echo "series_id=$(series_id qemu)"
		echo "patches=$(git -C "$DEST" rev-list --count base..HEAD)"
		echo "head=$(git -C "$DEST" rev-parse HEAD)"
		echo "configure=${CONFIGURE[*]}"
		echo "key=$1"
		echo "built=$(date -u '+%F %H:%M UTC')"
	} >"$2/qemu.env"
}

# store KEY: the binary and its record into the cache, atomically.
store()
{
	local dir=$CACHE/qemu/$1 tmp

	mkdir -p "$CACHE/qemu"
	tmp=$(mktemp -d "$CACHE/qemu/.new.XXXXXX")
	cp "$OUT/qemu-system-aarch64" "$tmp/"
	record "$1" "$tmp"
	chmod 755 "$tmp"
	if [ -d "$dir" ]; then
		rm -rf "$tmp"
	else
		mv "$tmp" "$dir"
	fi
	# Builds not used for two weeks go (a hit touches its directory).
	find "$CACHE/qemu" -mindepth 1 -maxdepth 1 -type d -name '[0-9a-f]*' \
		-mtime +14 -exec rm -rf {} +
}

main()
{
	local base key bin

	qemu_series_init
	base=$(qemu_base_id)
	key=$(cache_key "$base")
	[ "${1:-}" != --key ] || { echo "$key"; return 0; }
	bin=$CACHE/qemu/$key/qemu-system-aarch64
	[ -x "$bin" ] || qemu_lock
	if [ -x "$bin" ]; then
		touch "$CACHE/qemu/$key"
		info "QEMU $QEMU_VERSION + $SERIES_NAME ($(series_id qemu)): cached"
		echo "$bin"
		return 0
	fi
	"$TOP/mk/need-tools.sh" fetch qemu >&2
	"$TOP/mk/qemu-tree.sh" >&2
	cache_lock
	get_tools
	cache_unlock
	mkdir -p "$LOGS"
	build_verified
	cache_lock
	store "$key"
	cache_unlock
	info "QEMU $QEMU_VERSION + $(git -C "$DEST" rev-list --count base..HEAD) patches: $bin"
	echo "$bin"
}

main "$@"
