#!/bin/bash
# make-tree.sh TARGET: build/linux-TARGET as a git tree whose base commit is
# the pristine tree and whose commits are patches/TARGET applied with git am.
# Refuses to throw away commits or changes made there and not exported.
# With SYNC=1, files the project keeps in full (the kselftest) replace the
# copies the patches carry; 'make sync' then exports the result.
set -eu
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
PATCHES=$TOP/patches/$TARGET
DEST=$BUILD/linux-$TARGET
STAMP=knb.exported

# Committer identity and dates fixed so that a tree made twice from the same
# series has the same commit ids, and export gives back the same files.
export GIT_COMMITTER_NAME=kvm-nvhe-buffers GIT_COMMITTER_EMAIL=kvm-nvhe-buffers@invalid

guard_unexported()
{
	local head known

	[ -z "$(git -C "$DEST" status --porcelain --untracked-files=no)" ] ||
		die "$DEST has uncommitted changes; commit them and run 'make export TARGET=$TARGET', or remove $DEST"
	head=$(git -C "$DEST" rev-parse HEAD)
	known=$(git -C "$DEST" config --get "$STAMP" || true)
	[ "$head" = "$known" ] ||
		die "$DEST has commits not exported to patches/$TARGET; run 'make export TARGET=$TARGET' first, or remove $DEST"
}

# prepare GITDIR REV: a clean checkout of REV in $DEST on branch $TARGET.
prepare()
{
	local gitdir=$1 rev=$2

	if [ -d "$DEST/.git" ]; then
		guard_unexported
		if [ "$(git -C "$DEST" config --get remote.origin.url)" != "$gitdir" ]; then
			rm -rf "$DEST"
		fi
	fi
	if [ ! -d "$DEST/.git" ]; then
		rm -rf "$DEST"
		mkdir -p "$BUILD"
		info "checking out $rev into $DEST"
		git clone -q --shared --no-checkout "$gitdir" "$DEST"
	fi
	git -C "$DEST" checkout -q -f -B "$TARGET" "$rev"
	git -C "$DEST" clean -q -f -d
	git -C "$DEST" tag -f base "$rev" >/dev/null
}

# repo_path PATH: the project's own copy of a file a patch carries, if any.
# Selftests live under arm64/ here and under aarch64/ in older trees.
repo_path()
{
	local f=$1

	case "$f" in
	tools/testing/selftests/kvm/"$SELFTEST_DIR"/*)
		f=tools/testing/selftests/kvm/arm64/${f#tools/testing/selftests/kvm/"$SELFTEST_DIR"/}
		;;
	esac
	[ -f "$TOP/$f" ] && echo "$f"
	return 0
}

# sync_sources: make the commit just applied carry the project's copy of
# every file it touches that the project writes in full, keeping its
# message, author and dates.
sync_sources()
{
	local f own date

	git -C "$DEST" diff-tree --no-commit-id --name-only -r HEAD | while read -r f; do
		own=$(repo_path "$f")
		[ -n "$own" ] || continue
		own_content "$own" | cmp -s - "$DEST/$f" && continue
		info "syncing $f from $own"
		own_content "$own" >"$DEST/$f"
		git -C "$DEST" add -f "$f"
		date=$(git -C "$DEST" log -1 --format=%aI HEAD)
		GIT_COMMITTER_DATE=$date git -C "$DEST" commit -q --amend --no-edit
	done
}

# apply_one PATCH: git am it, or say which patch and file did not apply.
apply_one()
{
	local p=$1 log file

	log=$(git -C "$DEST" am -q --committer-date-is-author-date "$PATCHES/$p" 2>&1) && return 0
	git -C "$DEST" am --abort >/dev/null 2>&1 || true
	file=$(printf '%s\n' "$log" | sed -n \
		-e 's/^error: patch failed: \([^:]*\):.*/\1/p' \
		-e 's/^error: \([^:]*\): does not exist in index/\1/p' \
		-e 's/^error: \([^:]*\): already exists in index/\1/p' | head -n 1)
	die "patches/$TARGET/$p does not apply to Linux $VER ($ORIGIN)${file:+: $file}; refresh the series against this tree"
}

# cover_description: the cover letter's subject and blurb, which export
# turns back into a cover letter through the branch description.
cover_description()
{
	local cover=$PATCHES/0000-cover-letter.patch tmp subject

	[ -f "$cover" ] || return 0
	tmp=$(mktemp -d)
	git mailinfo "$tmp/msg" "$tmp/patch" <"$cover" >"$tmp/info"
	subject=$(sed -n 's/^Subject: //p' "$tmp/info")
	{
		echo "$subject"
		echo
		awk 'prev == "" && /^[^ ].* \([0-9]+\):$/ { exit }
		     { print; prev = $0 }' "$tmp/msg"
	} | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$tmp/desc"
	git -C "$DEST" config "branch.$TARGET.description" "$(cat "$tmp/desc")"
	rm -rf "$tmp"
}

# up_to_date GITDIR REV: DEST is already this base plus this very series,
# untouched since; leaving it as it is keeps a warm build warm.
up_to_date()
{
	[ "${SYNC:-0}" = 0 ] && [ -d "$DEST/.git" ] && [ -f "$DEST.base" ] || return 1
	[ "$(git -C "$DEST" config --get knb.made-from || true)" = "$1 $2 $(series_id "$TARGET")" ] ||
		return 1
	guard_unexported
	[ -z "$(git -C "$DEST" status --porcelain)" ]
}

main()
{
	local gitdir rev n=0 p

	read -r gitdir rev VER ORIGIN < <("$TOP/mk/base-tree.sh" "$TARGET")
	[ -f "$PATCHES/series" ] || die "patches/$TARGET/series is missing"
	if up_to_date "$gitdir" "$rev"; then
		info "$DEST: Linux $VER ($ORIGIN) + patches/$TARGET, up to date"
		return 0
	fi
	prepare "$gitdir" "$rev"
	while read -r p; do
		case "$p" in '' | '#'*) continue ;; esac
		[ -f "$PATCHES/$p" ] || die "patches/$TARGET/series names $p, which does not exist"
		apply_one "$p"
		[ "${SYNC:-0}" = 0 ] || sync_sources
		n=$((n + 1))
	done <"$PATCHES/series"
	cover_description
	git -C "$DEST" config "$STAMP" "$(git -C "$DEST" rev-parse HEAD)"
	git -C "$DEST" config knb.made-from "$gitdir $rev $(series_id "$TARGET")"
	echo "$VER $ORIGIN" >"$DEST.base"
	info "$DEST: Linux $VER ($ORIGIN) + $n patches"
}

main
