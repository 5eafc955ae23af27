#!/bin/bash
# check-model.sh: run the world-switch model (tools/testing/kvm-debug-sr-model)
# on mainline, and on unpatched and patched 6.12.y and 6.1.y. Trees are made
# with make-tree.sh; the unpatched sources are the base commits of those
# trees.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# base_src TARGET: the target's base commit, unpacked under $BUILD (only the
# directories the model reads).
base_src()
{
	local t=$1 rev dir

	rev=$(git -C "$BUILD/linux-$t" rev-parse base)
	dir=$BUILD/base-$t
	if [ "$(cat "$dir/.rev" 2>/dev/null)" != "$rev" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		git -C "$BUILD/linux-$t" archive base arch/arm64 include Makefile |
			tar -x -C "$dir"
		echo "$rev" >"$dir/.rev"
	fi
	echo "$dir"
}

args=""
for t in mainline 6.12.y 6.1.y; do
	"$TOP/mk/make-tree.sh" "$t"
done
args="MAINLINE=$(base_src mainline) UNPATCHED=$(base_src 6.12.y)"
args="$args PATCHED_6_12=$BUILD/linux-6.12.y UNPATCHED_6_1=$(base_src 6.1.y)"
# 6.1's protected mode runs the host's own struct kvm_vcpu at EL2, with the
# stage 2 and traps the host set up: the host is trusted there, so a host
# that lies about the vcpu flags is not a 6.1.y violation.
args="$args PATCHED_6_1=$BUILD/linux-6.1.y TRUSTED_HOST=patched-6.1"
out=$BUILD/model/check.out
mkdir -p "$BUILD/model"
rc=0
# shellcheck disable=SC2086 # make variable assignments, one per word
make -s -C "$TOP/tools/testing/kvm-debug-sr-model" check O="$BUILD/model" \
	$args >"$out" 2>&1 || rc=$?
cat "$out"
# The verdict last, for make check's one-line summary.
echo "check-model: $(grep "^model:" "$out" || echo "model: no verdict") (exit $rc); full report above"
exit "$rc"
