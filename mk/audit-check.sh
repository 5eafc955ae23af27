#!/bin/bash
# audit-check.sh: make check's audit step. mk/audit.sh on the project's own
# trees of every line: each patched tree (build/linux-TARGET, made by
# make-tree.sh) must be judged fixed, each pristine base affected, and
# mainline fixed. The project's proposed exit isb (FOLLOWUP_SERIES in
# mk/targets) is a class apart that never changes those: the patched trees
# and the mainline release must show it violated, and each of them with
# its follow-up series (followup-tree.sh) fixed with it holding. The
# broken copies are in tools/testing/kvm-debug-sr-model/test-audit.sh
# (make check-scripts).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

unset LINUX LINUX_TARGET
mkdir -p "$BUILD/audit"
fails=0
summary=""

# Lines of the proposed class (audit.py print_proposed).
VIOLATED='^        TRBE exit-regime-synced .*: [1-9][0-9]* honest state'
HOLDS='^  proposed: exit isb, patches/mainline-barrier: holds'

# expect NAME TREE RC [PATTERN]: audit TREE, which must exit RC (and
# print a line matching PATTERN, grep -E).
expect()
{
	local name=$1 tree=$2 want=$3 rc=0 out=$BUILD/audit/check.out

	echo "== $name: $tree"
	"$TOP/mk/audit.sh" "$tree" >"$out" 2>&1 || rc=$?
	cat "$out"
	if [ "$rc" -ne "$want" ]; then
		summary="$summary $name FAIL(exit $rc, want $want)"
		fails=$((fails + 1))
	elif [ -n "${4:-}" ] && ! grep -Eq -- "$4" "$out"; then
		summary="$summary $name FAIL(no line matches '$4')"
		fails=$((fails + 1))
	else
		summary="$summary $name ok"
	fi
}

# followup TARGET SRC: SRC with TARGET's follow-up series, under $BUILD.
followup()
{
	"$TOP/mk/followup-tree.sh" "$1" "$2" "$BUILD/model-followup/audit-$1-$(basename "$2")"
}

for t in mainline 6.12.y 6.1.y; do
	"$TOP/mk/make-tree.sh" "$t" 2>&1
	expect "patched-$t" "$BUILD/linux-$t" 0 "$VIOLATED"
	expect "patched-$t+barrier" "$(followup "$t" "$BUILD/linux-$t")" 0 "$HOLDS"
	[ "$t" = mainline ] && continue
	expect "unpatched-$t" "$("$TOP/mk/fetch-tree.sh" "$t")" 2
done
ml=$("$TOP/mk/fetch-tree.sh" mainline)
expect "mainline-release" "$ml" 0 "$VIOLATED"
expect "mainline-release+barrier" "$(followup mainline "$ml")" 0 "$HOLDS"
echo "audit:$summary"
[ "$fails" -eq 0 ]
