#!/bin/bash
# audit-check.sh: make check's audit step. mk/audit.sh on the project's own
# trees of every line: each patched tree (build/linux-TARGET, made by
# make-tree.sh) must be judged fixed, each pristine base affected, and
# mainline fixed. The broken copies are in
# tools/testing/kvm-debug-sr-model/test-audit.sh (make check-scripts).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

unset LINUX LINUX_TARGET
fails=0
summary=""

# expect NAME TREE RC: audit TREE, which must exit RC.
expect()
{
	local name=$1 tree=$2 want=$3 rc=0

	echo "== $name: $tree"
	"$TOP/mk/audit.sh" "$tree" || rc=$?
	if [ "$rc" -eq "$want" ]; then
		summary="$summary $name ok"
	else
		summary="$summary $name FAIL(exit $rc, want $want)"
		fails=$((fails + 1))
	fi
}

for t in mainline 6.12.y 6.1.y; do
	"$TOP/mk/make-tree.sh" "$t" 2>&1
	expect "patched-$t" "$BUILD/linux-$t" 0
	[ "$t" = mainline ] && continue
	expect "unpatched-$t" "$("$TOP/mk/fetch-tree.sh" "$t")" 2
done
expect "mainline-release" "$("$TOP/mk/fetch-tree.sh" mainline)" 0
echo "audit:$summary"
[ "$fails" -eq 0 ]
