# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by the scripts that source it
# What the project's QEMU is made from, and where it lives. Source it after
# mk/lib.sh. The tree variables are those mk/series-lib.sh expects.

QEMU_VERSION=10.0.2
# Debian's source package (bookworm-backports) whose orig tarball is QEMU
# 10.0.2 with the non-free blobs removed; the checksum is pinned, and must
# also be what apt's signed metadata says.
QEMU_DEB_SRC=1:10.0.2+ds-2+deb13u1~bpo12+1
QEMU_ORIG=qemu_10.0.2+ds.orig.tar.xz
QEMU_ORIG_SHA256=0901da33844a331bf8b3602b9c1fbd178e60b737c8e3ade678255bd090c9b9f1
QEMU_ORIGIN="orig $QEMU_ORIG sha256:$QEMU_ORIG_SHA256 (qemu $QEMU_DEB_SRC)"

DEST=$BUILD/qemu
BRANCH=qemu
PATCHES=$TOP/patches/qemu
SERIES_NAME=patches/qemu
EXPORT_HINT="make qemu-export"
TREE_HINT="make qemu-tree"

# qemu_series_init: patches/qemu/series, with a comment header only, when
# there is none yet.
qemu_series_init()
{
	[ -f "$PATCHES/series" ] && return 0
	mkdir -p "$PATCHES"
	cat >"$PATCHES/series" <<-'EOF'
	# patches/qemu: the project's QEMU patches (the emulated SPE/TRBE model),
	# applied in this order with git am to QEMU 10.0.2 by 'make qemu-tree';
	# 'make qemu-export' rewrites the list below this header.
	EOF
	info "created $SERIES_NAME/series (no patches yet)"
}

# qemu_user_tree: check QEMU_SRC (a clean git tree of QEMU $QEMU_VERSION
# with its subprojects) and set BASE_GITDIR, BASE_REV and BASE_ORIGIN.
qemu_user_tree()
{
	local src=$QEMU_SRC ver

	if [ ! -f "$src/VERSION" ] || [ ! -f "$src/target/arm/cpu.c" ]; then
		die "QEMU_SRC=$src is not a QEMU source tree (no VERSION or target/arm/cpu.c)"
	fi
	clean_git_tree QEMU_SRC "$src"
	ver=$(cat "$src/VERSION")
	[ "$ver" = "$QEMU_VERSION" ] ||
		die "QEMU_SRC=$src is QEMU $ver; check out v$QEMU_VERSION"
	[ -f "$src/subprojects/keycodemapdb/README" ] ||
		die "QEMU_SRC=$src has no subprojects; run 'meson subprojects download' there (they are git-ignored)"
	BASE_GITDIR=$(cd "$src" && pwd)
	BASE_REV=$(git -C "$src" rev-parse HEAD)
	BASE_ORIGIN="user-tree:$BASE_GITDIR@$(git -C "$src" describe --always --tags)"
}

# qemu_base_id: print what the base is, in one word: the pinned tarball's
# checksum, or the commit of QEMU_SRC (checked first).
qemu_base_id()
{
	if [ -n "${QEMU_SRC:-}" ]; then
		qemu_user_tree
		echo "git:$BASE_REV"
	else
		echo "sha256:$QEMU_ORIG_SHA256"
	fi
}

# qemu_lock: hold $BUILD/qemu.lock until this script and its children end,
# so that two runs never change build/qemu or build it at once (a source
# changed under a running ninja leaves stale objects). Taken once per run.
qemu_lock()
{
	[ -z "${KNB_QEMU_LOCKED:-}" ] || return 0
	mkdir -p "$BUILD"
	exec 9>"$BUILD/qemu.lock"
	if ! flock -n 9; then
		info "waiting for another QEMU tree or build in $BUILD to finish"
		flock 9
	fi
	export KNB_QEMU_LOCKED=1
}
