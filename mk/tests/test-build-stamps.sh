#!/bin/bash
# test-build-stamps.sh: mk/build-kernel.sh and mk/build-selftests.sh build
# nothing when asked again for a clean git tree they built already, and
# build whenever anything the result was made from may differ: a change
# not committed, a new file, a new commit, a tree that is not git, a
# result changed in OUT, a build that failed. A fake make on PATH stands
# in for the kernel's: it records each call and writes the results a
# build leaves.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

mkdir -p "$TMP/bin" "$TMP/tree"
cat >"$TMP/bin/make" <<'EOF'
#!/bin/bash
# The kernel's make, as far as build-kernel.sh sees it: O=, the goals.
set -eu
out=""
for a; do
	case "$a" in O=*) out=${a#O=} ;; esac
done
echo "$*" >>"$FAKE_CALLS"
case " $* " in
*" knb-print-tests "*) echo "/knb/arm64/fake_test_a /knb/arm64/fake_test_b"; exit 0 ;;
*" headers_install "*) exit 0 ;;
*"/arm64/fake_test_a "*)
	[ -z "${FAKE_FAIL:-}" ] || { echo "error: asked to fail"; exit 2; }
	for a; do
		case "$a" in */arm64/fake_test_*) mkdir -p "${a%/*}"; date +%N >"$a" ;; esac
	done
	;;
*" allnoconfig "*) mkdir -p "$out"; echo CONFIG_KVM=y >"$out/.config" ;;
*" Image "*)
	[ -z "${FAKE_FAIL:-}" ] || { echo "error: asked to fail"; exit 2; }
	mkdir -p "$out/arch/arm64/boot"
	date +%N >"$out/arch/arm64/boot/Image"
	: >"$out/Module.symvers"
	;;
esac
EOF
chmod +x "$TMP/bin/make"
export PATH=$TMP/bin:$PATH FAKE_CALLS=$TMP/calls BUILD=$TMP/build

# A kernel tree as far as the script reads one: a Makefile with a version.
T=$TMP/tree
printf 'VERSION = 9\nPATCHLEVEL = 9\nSUBLEVEL = 1\nEXTRAVERSION =\n' >"$T/Makefile"
echo 'int x;' >"$T/file.c"
mkdir -p "$T/tools/testing/selftests/kvm/arm64"
: >"$T/tools/testing/selftests/kvm/arm64/.keep"
git -C "$T" init -q
git -C "$T" add -A
git -C "$T" -c user.name=t -c user.email=t@invalid commit -q -m base

# built NAME WANT [ENV...]: run $WHAT (kernel: build-kernel.sh, or
# selftests: build-selftests.sh) on T (with ENV); WANT is "built" (the
# fake make built) or "skipped" (it did not, and the script said why).
built()
{
	local name=$1 want=$2 rc=0 got build skip

	shift 2
	: >"$FAKE_CALLS"
	if [ "$WHAT" = kernel ]; then
		env "$@" "$TOP/mk/build-kernel.sh" "$T" "$OUT" >"$TMP/log" 2>&1 || rc=$?
		build=' Image ' skip='built from this tree and config already'
	else
		env "$@" "$TOP/mk/build-selftests.sh" "$T" "$OUT" arm64 9.9 >"$TMP/log" 2>&1 || rc=$?
		build='/arm64/fake_test_a ' skip='built from this tree already'
	fi
	if [ "$rc" -ne 0 ]; then
		got="failed (exit $rc)"
	elif grep -q -- "$build" "$FAKE_CALLS"; then
		got=built
	elif grep -q -- "$skip" "$TMP/log"; then
		got=skipped
	else
		got="neither built nor said why"
	fi
	if [ "$got" = "$want" ]; then
		tap_ok "$WHAT: $name: $want"
	else
		tap_fail "$WHAT: $name: $got, want $want" "$TMP/log"
	fi
}

# cases RESULT...: every case, for $WHAT, whose results include each
# OUT/RESULT.
cases()
{

	built "first build" built
	built "the same tree again" skipped
	echo 'int y;' >>"$T/file.c"
	built "a change not committed" built
	built "that change, again" built
	git -C "$T" -c user.name=t -c user.email=t@invalid commit -q -a -m change
	built "the change committed" built
	built "the new commit, again" skipped
	echo 'int z;' >"$T/new.c"
	built "a new file" built
	rm "$T/new.c"
	# A build of a changed tree leaves no stamp: the next one builds too.
	built "the new file gone" built
	built "the clean tree again" skipped
	for r; do
		echo junk >"$OUT/$r"
		built "$r changed in OUT" built
		rm "$OUT/$r"
		built "$r gone from OUT" built
	done
	echo 'int w;' >>"$T/file.c"
	git -C "$T" -c user.name=t -c user.email=t@invalid commit -q -a -m another
	built "a failed build" "failed (exit 1)" FAKE_FAIL=1
	if [ -e "$OUT/.knb-stamp" ]; then
		tap_fail "$WHAT: a failed build left a stamp"
	else
		tap_ok "$WHAT: a failed build leaves no stamp"
	fi
	built "after the failed build" built
	built "and again" skipped
	mv "$T/.git" "$TMP/git"
	built "a tree that is not git" built
	built "that tree again" built
	mv "$TMP/git" "$T/.git"
}

WHAT=kernel OUT=$TMP/out-kernel
cases arch/arm64/boot/Image Module.symvers
WHAT=selftests OUT=$TMP/out-selftests
cases tests bin/fake_test_b

tap_done test-build-stamps
