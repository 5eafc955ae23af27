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

# base_repo SRC OLD REPO MESSAGE...: make REPO, a bare repository whose
# master and tag 'base' are one commit of SRC's files with the kernel's
# own .gitignore. Its objects come from OLD, the first layout's
# repository of the same tarball, when there is one (a local clone
# hard-links them: no second copy on disk, and no tarball read again),
# else from SRC. Either way the commit is the same.
base_repo()
{
	local src=$1 old=$2 repo=$3 new=$3.new idx blob tree commit m

	shift 3
	info "making a git repository of $1 in $repo (once)"
	idx=$new.index
	rm -rf "$new" "$idx" "$new.msg"
	if git --git-dir="$old" rev-parse -q --verify 'refs/tags/base^{tree}' >/dev/null 2>&1; then
		git clone -q --bare --local "$old" "$new"
		GIT_INDEX_FILE=$idx git --git-dir="$new" read-tree 'base^{tree}'
	else
		git init -q --bare "$new"
		GIT_INDEX_FILE=$idx git --git-dir="$new" --work-tree="$src" add -A -f
	fi
	if blob=$(GIT_INDEX_FILE=$idx git --git-dir="$new" rev-parse -q --verify :.gitignore) &&
	   git --git-dir="$new" cat-file blob "$blob" | grep -qx '/\*'; then
		blob=$(git --git-dir="$new" cat-file blob "$blob" | kernel_gitignore |
			git --git-dir="$new" hash-object -w --stdin)
		GIT_INDEX_FILE=$idx git --git-dir="$new" update-index --cacheinfo "100644,$blob,.gitignore"
		set -- "$@" "The top-level .gitignore without the packaging's '/*' rule."
	fi
	tree=$(GIT_INDEX_FILE=$idx git --git-dir="$new" write-tree)
	rm -f "$idx"
	for m in "$@"; do printf '%s\n\n' "$m"; done | sed '$d' >"$new.msg"
	commit=$(git --git-dir="$new" commit-tree "$tree" -F "$new.msg")
	rm -f "$new.msg"
	git --git-dir="$new" update-ref refs/heads/master "$commit"
	git --git-dir="$new" symbolic-ref HEAD refs/heads/master
	git --git-dir="$new" tag -f base "$commit" >/dev/null
	mv "$new" "$repo"
}

cached_tree()
{
	local src ver repo origin rev

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
	[ -d "$repo" ] || base_repo "$src" "$CACHE/git/linux-$ver" "$repo" "Linux $ver" "Base: $origin"
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
