#!/bin/bash
# qemu-tree.sh: build/qemu as a git tree whose base commit (tag 'base') is
# QEMU 10.0.2 and whose commits are patches/qemu applied with git am, as
# make-tree.sh does for the kernel lines. The base is Debian's +ds orig
# tarball (checked against the pinned checksum and apt's signed metadata),
# made once into a git repository in $CACHE/git; with QEMU_SRC=/path/to/a/
# qemu/git/tree it is that tree's HEAD, which is never modified. Refuses to
# throw away commits or changes made in build/qemu and not exported.
set -eu
. "$(dirname "$0")/lib.sh"
# shellcheck source=apt-private.sh
. "$TOP/mk/apt-private.sh"
# shellcheck source=qemu-lib.sh
. "$TOP/mk/qemu-lib.sh"
# shellcheck source=series-lib.sh
. "$TOP/mk/series-lib.sh"

# fetch_orig: the orig tarball in $DL, from the archive if it is not
# there yet. The URL and checksum come from apt's signed metadata.
fetch_orig()
{
	local url name sum

	if [ -f "$DL/$QEMU_ORIG" ] &&
	   echo "$QEMU_ORIG_SHA256  $DL/$QEMU_ORIG" | sha256sum -c --status; then
		return 0
	fi
	apt_refresh
	read -r url name sum < <(papt apt-get source --download-only --print-uris \
		"qemu=$QEMU_DEB_SRC" 2>/dev/null | split_uri | grep " $QEMU_ORIG ") ||
		die "the archive lists no qemu $QEMU_DEB_SRC source; check $APT_DIR/sources.list (bookworm-backports) or pass QEMU_SRC=/path/to/qemu/git/tree"
	[ "$sum" = "$QEMU_ORIG_SHA256" ] ||
		die "apt's metadata gives sha256 $sum for $QEMU_ORIG, the project pins $QEMU_ORIG_SHA256; check the mirror, or update the pin in mk/qemu-lib.sh"
	fetch "$url" "$name" "$sum" ||
		die "cannot download $url; check the network or pass QEMU_SRC=/path/to/qemu/git/tree"
}

# cached_repo: set BASE_GITDIR, BASE_REV and BASE_ORIGIN for the tarball's
# git repository, making it first if need be.
cached_repo()
{
	local repo=$CACHE/git/qemu-$QEMU_VERSION+ds tmp

	cache_lock
	rm -rf "$CACHE/src"/.qemu.*
	if [ ! -d "$repo" ]; then
		fetch_orig
		info "making a git repository of QEMU $QEMU_VERSION in $repo (once)"
		mkdir -p "$CACHE/src"
		tmp=$(mktemp -d "$CACHE/src/.qemu.XXXXXX")
		tar -xf "$DL/$QEMU_ORIG" -C "$tmp"
		[ "$(cat "$tmp/qemu-$QEMU_VERSION/VERSION" 2>/dev/null)" = "$QEMU_VERSION" ] ||
			die "unexpected layout in $DL/$QEMU_ORIG (no qemu-$QEMU_VERSION/VERSION); remove it and retry"
		rm -rf "$repo.new"
		git init -q --bare "$repo.new"
		git --git-dir="$repo.new" --work-tree="$tmp/qemu-$QEMU_VERSION" add -A -f
		commit_base "$repo.new" "$tmp/qemu-$QEMU_VERSION"
		mv "$repo.new" "$repo"
		rm -rf "$tmp"
	fi
	cache_unlock
	BASE_GITDIR=$repo
	BASE_REV=$(git --git-dir="$repo" rev-parse -q --verify 'refs/tags/base^{commit}') ||
		die "git cannot read the tag 'base' of the cached repository $repo (kept); check that git works, and if it does, remove $repo to have it made again"
	BASE_ORIGIN=$QEMU_ORIGIN
}

# commit_base REPO WORKTREE: the base commit, with a fixed identity and
# date so that it has the same id on every machine, tagged 'base'.
commit_base()
{
	GIT_AUTHOR_NAME=kvm-nvhe-buffers GIT_AUTHOR_EMAIL=kvm-nvhe-buffers@invalid \
	GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
	git --git-dir="$1" --work-tree="$2" commit -q \
		-m "QEMU $QEMU_VERSION" -m "Base: $QEMU_ORIGIN"
	git --git-dir="$1" tag base
}

# copy_subprojects: QEMU_SRC's downloaded (git-ignored) subprojects into
# DEST, which a clone does not carry; --disable-download needs them.
copy_subprojects()
{
	local d name

	for d in "$BASE_GITDIR"/subprojects/*/; do
		name=$(basename "$d")
		[ -z "$(git -C "$BASE_GITDIR" ls-files "subprojects/$name")" ] || continue
		[ -e "$DEST/subprojects/$name" ] && continue
		exclude_path "/subprojects/$name/"
		cp -a "$d" "$DEST/subprojects/$name"
	done
}

# exclude_path PATTERN: keep an untracked build input out of git status.
exclude_path()
{
	local ex=$DEST/.git/info/exclude

	mkdir -p "$(dirname "$ex")"
	grep -qxF -- "$1" "$ex" 2>/dev/null || echo "$1" >>"$ex"
}

# bios_placeholders: the +ds tarball lacks the edk2 firmware images that
# pc-bios/meson.build unpacks when bzip2 exists; empty ones stand in,
# untracked (the project boots kernels directly, not through firmware).
bios_placeholders()
{
	local f

	sed -n "s/^ *'\(edk2-[^']*\.fd\)',\$/\1/p" "$DEST/pc-bios/meson.build" |
		while read -r f; do
			[ -e "$DEST/pc-bios/$f.bz2" ] && continue
			exclude_path "/pc-bios/$f.bz2"
			bzip2 -c </dev/null >"$DEST/pc-bios/$f.bz2"
		done
}

main()
{
	local made_from

	qemu_lock
	qemu_series_init
	if [ -n "${QEMU_SRC:-}" ]; then
		qemu_user_tree
	else
		cached_repo
	fi
	BASE_DESC="QEMU $QEMU_VERSION ($BASE_ORIGIN)"
	made_from="$BASE_GITDIR $BASE_REV $(series_id qemu)"
	if [ -f "$DEST.base" ] && tree_current "$made_from"; then
		info "$DEST: $BASE_DESC + $SERIES_NAME, up to date"
		return 0
	fi
	prepare "$BASE_GITDIR" "$BASE_REV"
	apply_series
	cover_description
	[ -z "${QEMU_SRC:-}" ] || copy_subprojects
	bios_placeholders
	finish_tree "$made_from"
	echo "$QEMU_VERSION $BASE_ORIGIN" >"$DEST.base"
	info "$DEST: $BASE_DESC + $APPLIED patches"
}

main
