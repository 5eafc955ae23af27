#!/bin/bash
# base-tree.sh TARGET: print "GITDIR REV VERSION ORIGIN" for the tree the
# TARGET's series applies to. With LINUX=/path/to/git/tree that is the
# user's HEAD (checked, never modified); otherwise a git repository made
# once in $CACHE/git from the Debian tree fetch-tree.sh unpacks.
set -eu
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
need git git

# Fixed identity and date so the base commit, and every commit made on top
# of it with the same patches, has the same id on every machine.
export GIT_AUTHOR_NAME=kvm-nvhe-buffers GIT_AUTHOR_EMAIL=kvm-nvhe-buffers@invalid
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z'

user_tree()
{
	local ver

	if [ ! -f "$LINUX/Makefile" ] || [ ! -d "$LINUX/arch/arm64/kvm" ]; then
		die "LINUX=$LINUX is not a Linux source tree (no Makefile or arch/arm64/kvm)"
	fi
	clean_git_tree LINUX "$LINUX"
	ver=$(tree_version "$LINUX")
	version_in_line "$ver" "$LINE" ||
		die "LINUX=$LINUX is Linux $ver, not of the $TARGET line ($LINE.x); check out a $LINE.x release"
	echo "$(cd "$LINUX" && pwd) $(git -C "$LINUX" rev-parse HEAD) $ver user-tree:$LINUX@$(git -C "$LINUX" describe --always --tags)"
}

cached_tree()
{
	local src ver repo origin rev

	cache_lock
	src=$("$TOP/mk/fetch-tree.sh" "$TARGET")
	ver=$(tree_version "$src")
	origin=$(cut -d' ' -f2- "$src.origin")
	repo=$CACHE/git/linux-$ver
	# Made beside its place and moved there whole: a repository in place
	# is complete, and is never removed (other trees borrow its objects).
	if [ ! -d "$repo" ]; then
		info "making a git repository of Linux $ver in $repo (once)"
		rm -rf "$repo.new"
		git init -q --bare "$repo.new"
		git --git-dir="$repo.new" --work-tree="$src" add -A -f
		git --git-dir="$repo.new" --work-tree="$src" commit -q \
			-m "Linux $ver" -m "Base: $origin"
		git --git-dir="$repo.new" tag base
		mv "$repo.new" "$repo"
	fi
	rev=$(git --git-dir="$repo" rev-parse -q --verify 'refs/tags/base^{commit}') ||
		die "git cannot read the tag 'base' of the cached repository $repo (kept); check that git works, and if it does, remove $repo to have it made again"
	echo "$repo $rev $ver $origin"
}

# LINUX names one tree: it serves the target 'make' was given (LINUX_TARGET)
# and leaves the other lines to the cache.
if [ -n "${LINUX:-}" ] && [ "${LINUX_TARGET:-$TARGET}" = "$TARGET" ]; then
	user_tree
else
	cached_tree
fi
