#!/bin/bash
# make-tree.sh [--sync|--current] TARGET: build/linux-TARGET as a git tree whose base commit is
# the pristine tree and whose commits are patches/TARGET applied with git am,
# followed by the test-only patches of TEST_SERIES (mk/targets/TARGET).
# Refuses to throw away commits or changes made there and not exported.
# With --sync, files the project keeps in full (the kselftest) replace the
# copies the patches carry; 'make sync' then exports the result. With
# --current it changes nothing and exits 0 only when the tree is already
# made from this base and series and untouched.
set -eu
. "$(dirname "$0")/lib.sh"

SYNC=0 CURRENT=0
if [ "${1:-}" = --sync ]; then SYNC=1; shift; fi
if [ "${1:-}" = --current ]; then CURRENT=1; shift; fi
load_target "${1:-}"
kernel_tree

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

# up_to_date GITDIR REV: DEST is already this base plus this very series,
# untouched since (see tree_current).
up_to_date()
{
	[ "$SYNC" = 0 ] && [ -f "$DEST.base" ] || return 1
	tree_current "$(made_from "$1 $2")"
}

# apply_test_series: git am TEST_SERIES after the series, each patch of
# which must be a test-only commit (see TEST_MARK), so that export and
# send-email can tell them from the series.
apply_test_series()
{
	local n=$APPLIED c

	[ -n "${TEST_SERIES:-}" ] || return 0
	PATCHES=$TOP/$TEST_SERIES SERIES_NAME=$TEST_SERIES apply_series
	for c in $(git -C "$DEST" rev-list "HEAD~$APPLIED..HEAD"); do
		is_test_commit "$c" ||
			die "$TEST_SERIES: '$(git -C "$DEST" log -1 --format=%s "$c")' does not start its message with '$TEST_MARK...]'; mark it as test-only"
	done
	info "$DEST: $APPLIED test-only patches from $TEST_SERIES"
	APPLIED=$((n + APPLIED))
}

main()
{
	local gitdir rev

	read -r gitdir rev VER ORIGIN < <("$TOP/mk/base-tree.sh" "$TARGET")
	BASE_DESC="Linux $VER ($ORIGIN)"
	# Each series whole (every patch it names there) before anything else.
	series_id "$TARGET" >/dev/null
	[ -z "${TEST_SERIES:-}" ] || series_id "${TEST_SERIES#patches/}" >/dev/null
	# --current: only say (exit status) whether DEST is this base plus
	# this very series, untouched, changing nothing (make audit reads it).
	if [ "$CURRENT" = 1 ]; then
		[ -f "$DEST.base" ] && [ -d "$DEST/.git" ] && ! half_made &&
			[ "$(git -C "$DEST" config --get knb.made-from || true)" = "$(made_from "$gitdir $rev")" ] &&
			[ -z "$(tree_at_risk inplace)" ] && [ -z "$(git -C "$DEST" status --porcelain)" ]
		return
	fi
	if up_to_date "$gitdir" "$rev"; then
		info "$DEST: $BASE_DESC + patches/$TARGET, up to date"
		return 0
	fi
	prepare "$gitdir" "$rev"
	[ "$SYNC" = 0 ] || APPLY_HOOK=sync_sources
	apply_series
	apply_test_series
	cover_description
	finish_tree "$(made_from "$gitdir $rev")"
	[ -z "${TEST_SERIES:-}" ] || record_series "$TOP/$TEST_SERIES"
	# The base alone too, for export to say what the tree is made from.
	git -C "$DEST" config knb.base "$gitdir $rev"
	echo "$VER $ORIGIN" >"$DEST.base"
	info "$DEST: $BASE_DESC + $APPLIED patches"
}

main
