#!/bin/bash
# test-series-split.sh: series-lib.sh's split of a tree into its series and
# its test-only commits, on a small made-up tree: series_end finds the last
# commit of the series, refuses a series commit after a test-only one, and
# export_patches writes each part, the cover letter (from the branch
# description) with the series only.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
tmp=$TMP

fail()
{
	tap_fail "$*"
}

ok()
{
	tap_ok "$*"
}

# expect DESCRIPTION COMMAND...: COMMAND succeeds.
expect()
{
	local what=$1

	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# files DIR: the names of DIR's files, on one line.
files()
{
	find "$1" -type f -printf '%f\n' | sort | tr '\n' ' '
}

# commit FILE MESSAGE: a commit in the made-up tree.
commit()
{
	echo "$2" >"$DEST/$1"
	git -C "$DEST" add "$1"
	git -C "$DEST" -c user.name=Test -c user.email=test@example.invalid \
		commit -q -m "$2"
}

# shellcheck source=../lib.sh
. "$TOP/mk/lib.sh"
DEST=$tmp/tree
BRANCH=main
SERIES_NAME="test series"
EXPORT_HINT="make export"
TREE_HINT="make tree"
PATCHES=$tmp/none
# shellcheck source=../series-lib.sh
. "$TOP/mk/series-lib.sh"

git init -q -b main "$DEST"
commit base "base"
git -C "$DEST" tag base
commit a "fix: one"
commit b "fix: two"
git -C "$DEST" config branch.main.description "A cover subject"$'\n\n'"A cover text."
end=$(git -C "$DEST" rev-parse HEAD)
commit t "selftest: only for tests"$'\n\n'"$TEST_MARK""applied after the series. ]"

expect "series_end is the last fix" [ "$(series_end)" = "$end" ]

EXPORT_TO=$end export_patches "$tmp/series" "PATCH 9.9.y" 2>/dev/null
PATCHES=$tmp/none EXPORT_FROM=$end EXPORT_COVER=no \
	export_patches "$tmp/test" "PATCH 9.9.y test" 2>/dev/null
expect "the series exports two fixes and a cover letter" \
	[ "$(files "$tmp/series")" = "0000-cover-letter.patch 0001-fix-one.patch 0002-fix-two.patch series " ]
expect "the cover letter comes from the branch description" \
	grep -q '^Subject: \[PATCH 9.9.y 0/2\] A cover subject' "$tmp/series/0000-cover-letter.patch"
expect "the test-only commit exports alone, without a cover letter" \
	[ "$(files "$tmp/test")" = "0001-selftest-only-for-tests.patch series " ]
expect "no stand-in branch left" \
	[ -z "$(git -C "$DEST" branch --list "$DESCRIBED")" ]

commit c "fix: three, after the test-only commit"
if (series_end) >/dev/null 2>&1; then
	fail "series_end accepts a fix after a test-only commit"
else
	ok "series_end refuses a fix after a test-only commit"
fi

tap_done test-series-split
