#!/bin/bash
# fetch-tree.sh TARGET: download and unpack the newest upstream release of the
# TARGET's line that Debian ships, into $CACHE/src/linux-VERSION, and print
# that directory. Prefers the source package's pristine orig tarball; falls
# back to the linux-source-X.Y binary package (which carries Debian's
# patches) when the archive does not serve the orig. Checksums come from
# apt's signed metadata. A warm cache fetches nothing.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apt-private.sh"

load_target "${1:-}"
SRC=$CACHE/src
need curl curl
cache_lock
mkdir -p "$DL" "$SRC"
# Left by a run that was stopped while unpacking: nobody else can be
# unpacking now (the cache is locked).
rm -rf "$SRC"/.unpack.*

# listed_versions: the upstream versions of the line the archive lists,
# in the source package or the linux-source binary packages, sorted.
listed_versions()
{
	{
		papt apt-cache showsrc linux 2>/dev/null |
			awk '/^Version:/ { print $2 }'
		papt apt-cache search --names-only '^linux-source-[0-9.]+$' |
			awk '{ print $1 }' | while read -r p; do
				papt apt-cache madison "$p" | awk '{ print $3 }'
			done
	} | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//' |
		while read -r v; do
			version_in_line "$v" "$LINE" && echo "$v"
		done | sort -uV
}

# newest_upstream: the highest of them.
newest_upstream()
{
	listed_versions | tail -n 1
}

# resolved_version: newest_upstream, remembered until the lists change.
resolved_version()
{
	local memo=$CACHE/resolved-$TARGET

	if [ ! -s "$memo" ] || [ "$APT_DIR/lists/.updated" -nt "$memo" ]; then
		newest_upstream >"$memo.tmp"
		mv "$memo.tmp" "$memo"
	fi
	cat "$memo"
}

try_orig()
{
	local ver=$1 rev url name sum

	for rev in $(papt apt-cache showsrc linux 2>/dev/null |
		     awk '/^Version:/ { print $2 }' | grep "^$ver-" | sort -uV); do
		read -r url name sum < <(papt apt-get source --download-only \
			--print-uris "linux=$rev" 2>/dev/null | grep '\.orig\.tar' |
			split_uri) || continue
		TRIED=$url
		if fetch "$url" "$name" "$sum" 2>/dev/null; then
			ORIGIN="orig $name sha256:$sum (linux $rev)"
			ARCHIVE=$DL/$name
			return 0
		fi
	done
	return 1
}

try_binary()
{
	local ver=$1 pkg rev url name sum

	pkg=linux-source-$(echo "$ver" | cut -d. -f1,2)
	rev=$(papt apt-cache madison "$pkg" | awk '{ print $3 }' |
	      grep "^$ver-" | sort -uV | tail -n 1)
	[ -n "$rev" ] || return 1
	read -r url name sum < <(papt apt-get download --print-uris \
		"$pkg=$rev" 2>/dev/null | split_uri) || return 1
	TRIED=$url
	fetch "$url" "$name" "$sum" || return 1
	ORIGIN="binary $name sha256:$sum (Debian's patches applied)"
	ARCHIVE=$DL/$name
}

unpack()
{
	local dest=$1 tmp

	tmp=$(mktemp -d "$SRC/.unpack.XXXXXX")
	# shellcheck disable=SC2064 # tmp is fixed from here on
	trap "rm -rf '$tmp'" EXIT
	case "$ARCHIVE" in
	*.deb)
		dpkg-deb --fsys-tarfile "$ARCHIVE" |
			tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
			tar -xJ -C "$tmp"
		;;
	*)
		tar -xf "$ARCHIVE" -C "$tmp"
		;;
	esac
	set -- "$tmp"/*
	if [ $# -ne 1 ] || [ ! -f "$1/Makefile" ]; then
		die "unexpected layout in $ARCHIVE"
	fi
	mv "$1" "$dest"
	rmdir "$tmp"
	trap - EXIT
}

# check_mainline DIR: the reference tree must carry the upstream fix.
check_mainline()
{
	local f=$1/arch/arm64/kvm/hyp/nvhe/debug-sr.c

	if ! grep -q 'write_sysreg_s(0, SYS_TRBLIMITR_EL1)' "$f" ||
	   ! grep -q 'write_sysreg_s(0, SYS_PMBLIMITR_EL1)' "$f"; then
		die "$1 ($(tree_version "$1")) lacks the TRBE/SPE world-switch fix (d133aa75e39d, 07695f7dc1e1); mainline must be v7.1 or later"
	fi
}

main()
{
	local ver dest

	if [ -n "${VERSION:-}" ]; then
		ver=$VERSION
		version_in_line "$ver" "$LINE" ||
			die "VERSION=$ver is not of the $TARGET line ($LINE.x)"
	else
		apt_refresh
		ver=$(resolved_version)
		[ -n "$ver" ] || die "Debian ships no $LINE.x kernel source in the suites searched; check $APT_DIR/sources.list"
	fi
	dest=$SRC/linux-$ver
	if [ ! -f "$dest.origin" ]; then
		apt_refresh
		listed_versions | grep -qxF "$ver" ||
			die "Debian's archive lists no Linux $ver (the newest $LINE.x it has: $(newest_upstream)); unset VERSION, or pass LINUX=/path/to/a tree of that release"
		rm -rf "$dest"
		TRIED=""
		if try_orig "$ver"; then
			:
		elif try_binary "$ver"; then
			warn "the archive does not serve linux_$ver.orig.tar.xz; using linux-source: Debian's patches are in this tree"
		else
			die "cannot download Linux $ver${TRIED:+ from $TRIED}; check the network (or DEBIAN_MIRROR), or pass LINUX=/path/to/tree"
		fi
		info "unpacking $ARCHIVE"
		unpack "$dest"
		echo "$ver $ORIGIN" >"$dest.origin"
	fi
	[ "$TARGET" != mainline ] || check_mainline "$dest"
	echo "$dest"
}

main
