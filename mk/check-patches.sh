#!/bin/bash
# check-patches.sh TARGET: the series applies with git am to the target's
# tree, is checkpatch --strict clean, exports back unchanged, carries the
# project's own copy of every file the project writes in full, and, for a
# stable line, holds only backports of recorded upstream commits
# (patches/upstream.tsv), From: their upstream author, with their title,
# their messages the id line and a backport note (mk/upstream.py patches).
# The target's test-only series (TEST_SERIES) is checked alike, except
# for the upstream part. Its follow-up series (FOLLOWUP_SERIES: the
# project's proposed patch, or its backport, not part of the series) must
# apply on top of the tree, be checkpatch --strict clean and carry no
# trailer (whoever sends it adds their sign-off).
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
	series_list "$PATCHES"
}

# all_patches: the paths of the series' patches and of the test-only ones.
all_patches()
{
	local p

	for p in $(series); do echo "$PATCHES/$p"; done
	[ -n "${TEST_SERIES:-}" ] || return 0
	for p in $(series_list "$TOP/$TEST_SERIES"); do
		echo "$TOP/$TEST_SERIES/$p"
	done
}

check_style()
{
	local p out

	# The sender's Signed-off-by is added when mailing (make send-email),
	# which runs checkpatch again without this exception.
	for p in $(all_patches); do
		# shellcheck disable=SC2046 # options, one a word
		out=$(cd "$DEST" && checkpatch --strict --quiet \
			--ignore MISSING_SIGN_OFF \
			$(checkpatch_opts "$DEST" "$p") "$p" 2>&1) ||
			fail "checkpatch --strict: ${p#"$TOP"/}"$'\n'"$out"
	done
	if grep -q '\*\*\* .* HERE \*\*\*' "$PATCHES"/0000-cover-letter.patch 2>/dev/null; then
		fail "the cover letter still has format-patch placeholders"
	fi
}

# check_upstream_refs: a stable series holds only backports of recorded
# upstream commits, From: the author, titled as the commit, each message
# the 'commit <id> upstream.' line and a bracketed backport note, with no
# trailer (those come from UPSTREAM_GIT when mailing) and, over stable's
# 100 lines with context, a note saying why (mk/upstream.py patches).
check_upstream_refs()
{
	local out

	[ "$STABLE" = yes ] || return 0
	# shellcheck disable=SC2046 # one word per patch path
	out=$("$TOP/mk/upstream.py" patches $(series | sed "s|^|$PATCHES/|") 2>&1) ||
		fail "patches/$TARGET is not what stable takes:"$'\n'"$out"
}

# check_test_series: the test-only patches say so (TEST_MARK).
check_test_series()
{
	local p

	[ -n "${TEST_SERIES:-}" ] || return 0
	for p in $(all_patches); do
		case "$p" in "$TOP/$TEST_SERIES"/*) ;; *) continue ;; esac
		grep -qF '[ Test only: ' "$p" ||
			fail "${p#"$TOP"/}: a test-only patch starts its message with '[ Test only: ...]'"
	done
}

# check_followup: FOLLOWUP_SERIES applies, in order, on top of the tree's
# HEAD (git apply into a scratch index: the tree is not touched), and each
# patch is checkpatch --strict clean, From: the project's placeholder, with
# no trailer in its message.
check_followup()
{
	local dir p out index list=""

	[ -n "${FOLLOWUP_SERIES:-}" ] || return 0
	dir=$TOP/$FOLLOWUP_SERIES
	[ -f "$dir/series" ] || { fail "$FOLLOWUP_SERIES/series is missing"; return; }
	for p in $(series_list "$dir"); do
		[ -f "$dir/$p" ] || { fail "$FOLLOWUP_SERIES/series names $p, which does not exist"; return; }
		list="$list $dir/$p"
	done
	[ -n "$list" ] || { fail "$FOLLOWUP_SERIES/series names no patch"; return; }
	index=$(mktemp)
	# shellcheck disable=SC2086 # one word per patch path
	if ! out=$(GIT_INDEX_FILE=$index git -C "$DEST" read-tree HEAD 2>&1 &&
		GIT_INDEX_FILE=$index git -C "$DEST" apply --cached $list 2>&1); then
		fail "$FOLLOWUP_SERIES does not apply on top of patches/$TARGET:"$'\n'"$out"
	fi
	rm -f "$index"
	for p in $list; do
		# shellcheck disable=SC2046 # options, one a word
		out=$(cd "$DEST" && checkpatch --strict --quiet \
			--ignore MISSING_SIGN_OFF \
			$(checkpatch_opts "$DEST" "$p") "$p" 2>&1) ||
			fail "checkpatch --strict: ${p#"$TOP"/}"$'\n'"$out"
		grep -qx 'From: kvm-nvhe-buffers <kvm-nvhe-buffers@invalid>' "$p" ||
			fail "${p#"$TOP"/}: not From: the project's placeholder (the sender sets the author)"
		out=$(sed -n '/^$/,/^---$/p' "$p" | grep -Ei '^(fixes|cc|signed-off-by|reviewed-by|acked-by|tested-by|reported-by|link|suggested-by):' || true)
		[ -z "$out" ] || fail "${p#"$TOP"/}: a trailer in the message ($out); whoever sends it adds theirs"
	done
	FOLLOWUP_N=$(echo "$list" | wc -w)
}

check_roundtrip()
{
	local tmp

	tmp=$(mktemp -d)
	"$TOP/mk/export-series.sh" --to "$tmp" "$TARGET" 2>/dev/null
	diff -r "$PATCHES" "$tmp" >"$tmp.diff" 2>&1 ||
		fail "exporting the tree does not give patches/$TARGET back:"$'\n'"$(head -n 20 "$tmp.diff")"
	if [ -n "${TEST_SERIES:-}" ]; then
		diff -r "$TOP/$TEST_SERIES" "$tmp.test" >"$tmp.diff" 2>&1 ||
			fail "exporting the tree does not give $TEST_SERIES back:"$'\n'"$(head -n 20 "$tmp.diff")"
	fi
	rm -rf "$tmp" "$tmp.test" "$tmp.diff"
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
			fail "patches/$TARGET${TEST_SERIES:+ or $TEST_SERIES} carries a copy of $f that differs from $own; run 'make sync TARGET=$TARGET'"
	done
}

"$TOP/mk/make-tree.sh" "$TARGET"
check_style
check_upstream_refs
check_test_series
FOLLOWUP_N=0
check_followup
check_roundtrip
check_sources
n=$(series | wc -l)
[ -z "${TEST_SERIES:-}" ] || n="$n (and $(($(all_patches | wc -l) - n)) test-only)"

if [ "$fails" -ne 0 ]; then
	echo "check-patches $TARGET: $fails problem(s) in $n patches"
	exit 1
fi
echo "check-patches $TARGET: $n patches apply to $(cat "$DEST.base"), checkpatch --strict clean, export round trip exact, sources in sync${FOLLOWUP_SERIES:+; $FOLLOWUP_SERIES ($FOLLOWUP_N) applies on top, checkpatch --strict clean}"
