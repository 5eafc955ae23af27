#!/bin/bash
# check-qemu-patches.sh: patches/qemu applies with git am to QEMU 10.0.2
# (the pristine tarball tree, or QEMU_SRC), each patch passes QEMU's own
# scripts/checkpatch.pl from that tree (Signed-off-by aside), and exporting
# build/qemu gives patches/qemu back byte for byte. An empty series passes
# with "no patches", provided patches/qemu holds no patch files either.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=qemu-lib.sh
. "$TOP/mk/qemu-lib.sh"
# shellcheck source=series-lib.sh
. "$TOP/mk/series-lib.sh"
fails=0

# fail WHAT: count one problem and say what it is.
fail()
{
	printf '  FAIL %s\n' "$*"
	fails=$((fails + 1))
}

# check_empty: with nothing in the series, no patch file may lie about
# unlisted (git am would never see it).
check_empty()
{
	local stray

	stray=$(cd "$PATCHES" && find . -maxdepth 1 -name '*.patch' -printf '%f\n' | sort)
	[ -z "$stray" ] ||
		die "$SERIES_NAME/series lists no patches, but $SERIES_NAME has: $(echo "$stray" | paste -sd' '); list them in the series, or remove them"
	echo "check-qemu-patches: no patches in $SERIES_NAME/series; nothing to check"
}

# check_style: QEMU's checkpatch.pl, run from the tree, on each patch. As
# for the kernel series (check-patches.sh), the Signed-off-by is the
# sender's, added when a patch is mailed; it is not asked for here.
check_style()
{
	local p out

	for p in $(series_patches); do
		out=$(cd "$DEST" && perl scripts/checkpatch.pl --no-signoff "$PATCHES/$p" 2>&1) ||
			fail "checkpatch.pl: $p"$'\n'"$out"
	done
	if grep -q '\*\*\* .* HERE \*\*\*' "$PATCHES"/0000-cover-letter.patch 2>/dev/null; then
		fail "the cover letter still has format-patch placeholders"
	fi
}

# check_roundtrip: export the tree elsewhere and compare.
check_roundtrip()
{
	local tmp

	tmp=$(mktemp -d)
	"$TOP/mk/export-qemu.sh" --to "$tmp" 2>/dev/null
	diff -r "$PATCHES" "$tmp" >"$tmp.diff" 2>&1 ||
		fail "exporting $DEST does not give $SERIES_NAME back:"$'\n'"$(head -n 20 "$tmp.diff")"
	rm -rf "$tmp" "$tmp.diff"
}

main()
{
	local n

	qemu_series_init
	n=$(series_patches | wc -l)
	if [ "$n" -eq 0 ]; then
		check_empty
		return 0
	fi
	"$TOP/mk/qemu-tree.sh"
	check_style
	check_roundtrip
	if [ "$fails" -ne 0 ]; then
		echo "check-qemu-patches: $fails problem(s) in $n patches"
		exit 1
	fi
	echo "check-qemu-patches: $n patches apply to QEMU $(cat "$DEST.base"), checkpatch.pl clean, export round trip exact"
}

main
