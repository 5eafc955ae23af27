#!/bin/bash
# test-build-kernel.sh: mk/build-kernel.sh builds nothing when asked again
# for a clean git tree it built already, and builds whenever anything it
# was made from may differ: a change not committed, a new file, a new
# commit, a tree that is not git, a result changed in OUT, a build that
# failed. A fake make on PATH stands in for the kernel's: it records each
# call and writes the results a build leaves.
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
git -C "$T" init -q
git -C "$T" add -A
git -C "$T" -c user.name=t -c user.email=t@invalid commit -q -m base

# built NAME WANT [ENV...]: run build-kernel.sh on T (with ENV); WANT is
# "built" (the fake make ran) or "skipped" (it did not, and the script
# said why).
built()
{
	local name=$1 want=$2 rc=0 got

	shift 2
	: >"$FAKE_CALLS"
	env "$@" "$TOP/mk/build-kernel.sh" "$T" "$TMP/out" >"$TMP/log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		got="failed (exit $rc)"
	elif grep -q ' Image ' "$FAKE_CALLS"; then
		got=built
	elif grep -q 'built from this tree and config already' "$TMP/log"; then
		got=skipped
	else
		got="neither built nor said why"
	fi
	if [ "$got" = "$want" ]; then
		tap_ok "$name: $want"
	else
		tap_fail "$name: $got, want $want" "$TMP/log"
	fi
}

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
echo junk >"$TMP/out/arch/arm64/boot/Image"
built "the Image changed in OUT" built
rm "$TMP/out/Module.symvers"
built "Module.symvers gone from OUT" built
echo 'int w;' >>"$T/file.c"
git -C "$T" -c user.name=t -c user.email=t@invalid commit -q -a -m another
built "a failed build" "failed (exit 1)" FAKE_FAIL=1
if [ -e "$TMP/out/.knb-stamp" ]; then
	tap_fail "a failed build left a stamp"
else
	tap_ok "a failed build leaves no stamp"
fi
built "after the failed build" built
built "and again" skipped
rm -rf "$T/.git"
built "a tree that is not git" built
built "that tree again" built

tap_done test-build-kernel
