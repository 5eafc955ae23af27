#!/bin/bash
# check-patches.sh TARGET: the series applies with git am to the target's
# tree, is checkpatch --strict clean, exports back unchanged, carries the
# project's own copy of every file the project writes in full, and, for a
# stable line, says which upstream commit each backport is.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
PATCHES=$TOP/patches/$TARGET
DEST=$BUILD/linux-$TARGET
fails=0

fail()
{
	printf '  FAIL %s\n' "$*"
	fails=$((fails + 1))
}

series()
{
	grep -v -e '^#' -e '^$' "$PATCHES/series" || true
}

check_style()
{
	local p out

	# The sender's Signed-off-by is added when mailing (make send-email),
	# which runs checkpatch again without this exception.
	for p in $(series); do
		# shellcheck disable=SC2046 # options, one a word
		out=$(cd "$DEST" && checkpatch --strict --quiet \
			--ignore MISSING_SIGN_OFF \
			$(checkpatch_opts "$DEST" "$PATCHES/$p") "$PATCHES/$p" 2>&1) ||
			fail "checkpatch --strict: $p"$'\n'"$out"
	done
	if grep -q '\*\*\* .* HERE \*\*\*' "$PATCHES"/0000-cover-letter.patch 2>/dev/null; then
		fail "the cover letter still has format-patch placeholders"
	fi
}

check_upstream_refs()
{
	local p

	[ "$STABLE" = yes ] || return 0
	for p in $(series); do
		if grep -q '^commit [0-9a-f]* upstream\.$' "$PATCHES/$p"; then
			grep -q '^commit [0-9a-f]\{40\} upstream\.$' "$PATCHES/$p" ||
				fail "$p: 'commit <sha> upstream.' needs the full 40-character id"
			grep -qi '^Cc: stable@vger.kernel.org' "$PATCHES/$p" ||
				fail "$p: no 'Cc: stable@vger.kernel.org'"
		fi
	done
}

check_roundtrip()
{
	local tmp

	tmp=$(mktemp -d)
	EXPORT_DIR=$tmp "$TOP/mk/export-series.sh" "$TARGET" 2>/dev/null
	diff -r "$PATCHES" "$tmp" >"$tmp.diff" 2>&1 ||
		fail "exporting the tree does not give patches/$TARGET back:"$'\n'"$(head -n 20 "$tmp.diff")"
	rm -rf "$tmp" "$tmp.diff"
}

check_sources()
{
	local f own

	for f in $(git -C "$DEST" diff --name-only base..HEAD); do
		case "$f" in
		tools/testing/selftests/kvm/"$SELFTEST_DIR"/*)
			own=tools/testing/selftests/kvm/arm64/${f#tools/testing/selftests/kvm/"$SELFTEST_DIR"/} ;;
		*) own=$f ;;
		esac
		[ -f "$TOP/$own" ] || continue
		cmp -s <(git -C "$DEST" show "HEAD:$f") <(own_content "$own") ||
			fail "patches/$TARGET carries a copy of $f that differs from $own; run 'make sync TARGET=$TARGET'"
	done
}

"$TOP/mk/make-tree.sh" "$TARGET"
check_style
check_upstream_refs
check_roundtrip
check_sources
n=$(series | wc -l)
if [ "$fails" -ne 0 ]; then
	echo "check-patches $TARGET: $fails problem(s) in $n patches"
	exit 1
fi
echo "check-patches $TARGET: $n patches apply to $(cat "$DEST.base"), checkpatch --strict clean, export round trip exact, sources in sync"
