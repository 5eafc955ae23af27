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

# kernel_gitignore: the .gitignore on stdin without the block Debian's
# linux-source appends to it (a comment, then '/*' and '!/debian/':
# everything at the top level ignored), which would hide every new file
# of a tree made from it from git status and git add -A. The kernel's
# own rules, here and in each directory's .gitignore, stay.
kernel_gitignore()
{
	awk '
		/^#/ || /^$/ { held = held $0 "\n"; next }
		$0 == "/*" { held = ""; drop = 1; next }
		drop && /^!\// { next }
		{ printf "%s", held; held = ""; drop = 0; print }
		END { printf "%s", held }
	'
}

cached_tree()
{
	local src ver repo origin rev blob msg

	cache_lock
	src=$("$TOP/mk/fetch-tree.sh" "$TARGET")
	ver=$(tree_version "$src")
	origin=$(cut -d' ' -f2- "$src.origin")
	# The base commit's .gitignore is the kernel's own (kernel_gitignore).
	# The '.2' tells this layout from the first (linux-VERSION, whose
	# .gitignore kept Debian's '/*'), which stays for the trees that
	# borrow its objects.
	repo=$CACHE/git/linux-$ver.2
	# Made beside its place and moved there whole: a repository in place
	# is complete, and is never removed (other trees borrow its objects).
	if [ ! -d "$repo" ]; then
		info "making a git repository of Linux $ver in $repo (once)"
		rm -rf "$repo.new"
		git init -q --bare "$repo.new"
		git --git-dir="$repo.new" --work-tree="$src" add -A -f
		msg=(-m "Linux $ver" -m "Base: $origin")
		if [ -f "$src/.gitignore" ] && grep -qx '/\*' "$src/.gitignore"; then
			blob=$(kernel_gitignore <"$src/.gitignore" |
				git --git-dir="$repo.new" hash-object -w --stdin)
			git --git-dir="$repo.new" update-index --cacheinfo "100644,$blob,.gitignore"
			msg+=(-m "The top-level .gitignore without the packaging's '/*' rule.")
		fi
		git --git-dir="$repo.new" --work-tree="$src" commit -q "${msg[@]}"
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
