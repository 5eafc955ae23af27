#!/bin/bash
# test-reproduce.sh: make reproduce's bad input ends in one line and a
# non-zero exit before anything is built or booted, and every kept mutant
# says what its boots must show in a form parse-log.sh takes.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export BUILD=$TMP/build
failures=0

# refused NAME PATTERN CMD...: CMD must fail with one line saying PATTERN
# (besides make's own "***" line), having made nothing in BUILD but the
# project's mark.
refused()
{
	local name=$1 pattern=$2

	shift 2
	if ! "$@" >"$TMP/out" 2>&1 && [ "$(grep -vc '^make: \*\*\*' "$TMP/out")" -eq 1 ] &&
	   grep -qE -- "$pattern" "$TMP/out" &&
	   [ -z "$(find "$BUILD" -mindepth 1 ! -name .kvm-nvhe-buffers 2>/dev/null)" ]; then
		echo "ok - $name"
	else
		echo "not ok - $name (wanted one line saying /$pattern/, nothing built)"
		sed 's/^/#   /' "$TMP/out"
		failures=$((failures + 1))
	fi
}

cd "$TOP"
refused "PATCHED=2" "PATCHED takes 0, 1 or both, not '2'" \
	make -s reproduce TARGET=6.12.y PATCHED=2
refused "FATAL=yes" "FATAL takes 0 or 1, not 'yes'" \
	make -s reproduce TARGET=6.12.y FATAL=yes
refused "a mode the line does not have" "6.1.y has no KVM mode 'pkvm-hvhe'" \
	make -s reproduce TARGET=6.1.y HAZARD_MODES="nvhe pkvm-hvhe"
refused "unknown TARGET" "unknown TARGET '6.13.y'" \
	make -s reproduce TARGET=6.13.y

# Every mutant: an Expect: line parse-log.sh knows, and a diff to apply.
n=0
for m in tools/testing/kvm-qemu-boot/mutants/*/*.patch; do
	[ -f "$m" ] || continue
	n=$((n + 1))
	want=$(sed -n 's/^Expect: *//p' "$m" | head -n 1)
	case "$want" in
	none | entry | exit | fatal-entry | fatal-exit | "fails "?*)
		if grep -q '^+++ b/' "$m"; then
			echo "ok - mutant $m: expects $want"
		else
			echo "not ok - mutant $m: no diff in it"
			failures=$((failures + 1))
		fi
		;;
	*)
		echo "not ok - mutant $m: Expect: '$want' is not a HAZARDS value of parse-log.sh nor 'fails PROGRAM'"
		failures=$((failures + 1))
		;;
	esac
done
[ "$n" -gt 0 ] || { echo "not ok - no mutants kept"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] || { echo "test-reproduce.sh: $failures failed"; exit 1; }
echo "test-reproduce.sh: all passed"
