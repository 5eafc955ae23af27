#!/bin/bash
# build-selftests.sh SRC OUT DIR LINE: cross-build, static, the arm64 KVM
# selftests of tree SRC (kept in tools/testing/selftests/kvm/DIR) that the
# boot test runs on kernel line LINE (6.1, 6.12, 7), as
# tools/testing/kvm-qemu-boot/selftests decides. Leaves the programs in
# OUT/bin and the run list in OUT/tests.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

USAGE="usage: build-selftests.sh SRC OUT DIR LINE"
SRC=${1:?$USAGE}
OUT=${2:?$USAGE}
DIR=${3:?$USAGE}
LINE=${4:?$USAGE}
DECISIONS=$TOP/tools/testing/kvm-qemu-boot/selftests
KVM=$SRC/tools/testing/selftests/kvm
[ -d "$KVM/$DIR" ] || die "$KVM/$DIR not found; is $SRC a kernel tree of that line?"

"$TOP/mk/need-tools.sh" build
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
LOG=$OUT/build.log

# A clean git tree built before with the same inputs (lib.sh's
# tree_stamp) is not built again: headers_install and make's walk of the
# selftests take 10-20 s even when nothing changed.
want=$(tree_stamp "$SRC" "$DECISIONS" "$0" "$TOP/mk/lib.sh")
[ -z "$want" ] || want="$want $DIR $LINE"
# The results the stamp names: the run list and the programs.
if stamp_matches "$OUT/.knb-stamp" "$want" "$OUT/tests" "$OUT"/bin/*; then
	info "$OUT/tests: built from this tree already: $(cut -d' ' -f1 "$OUT/tests" | tr '\n' ' ')"
	exit 0
fi
rm -f "$OUT/.knb-stamp"
: >"$LOG"

# arch_tests: the names of the tree's tests in DIR, as its Makefile lists them.
arch_tests()
{
	# shellcheck disable=SC2016 # a make variable, for make to expand
	printf 'knb-print-tests:\n\t@echo $(TEST_GEN_PROGS)\n' >"$OUT/print.mk"
	make -s -C "$KVM" -f Makefile -f "$OUT/print.mk" ARCH=arm64 \
		OUTPUT=/knb knb-print-tests | tr ' ' '\n' |
		sed -n "s|^/knb/$DIR/||p"
}

# run_list: "NAME ARGS" for each test to run, in the tree's order.
run_list()
{
	local t

	for t in $(arch_tests); do
		awk -v t="$t" -v line="$LINE" '
			$1 == "skip" && $2 == t &&
			($3 == "all" || index("," $3 ",", "," line ",")) { skip = 1 }
			$1 == "run" && $2 == t { $1 = ""; $2 = ""; args = $0 }
			END { if (!skip) print t, args }
		' "$DECISIONS"
	done | sed 's/  */ /g; s/ $//'
}

info "installing $(tree_version "$SRC") UAPI headers"
nice make -C "$SRC" ARCH=arm64 O="$OUT/hdr" INSTALL_HDR_PATH="$OUT/usr" \
	headers_install >>"$LOG" 2>&1 || die "headers_install failed; see $LOG"

run_list >"$OUT/tests"
[ -s "$OUT/tests" ] || die "no arm64 KVM selftests found in $KVM/$DIR"
targets=$(awk -v o="$OUT/$DIR/" '{ print o $1 }' "$OUT/tests")
info "building $(wc -l <"$OUT/tests") selftests of $DIR (log: $LOG)"
# shellcheck disable=SC2086 # one word per program
if ! nice make -C "$KVM" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	OUTPUT="$OUT" KHDR_INCLUDES="-isystem $OUT/usr/include" \
	LDFLAGS=-static -j"$(($(nproc) + 1))" $targets >>"$LOG" 2>&1; then
	grep -E 'error' "$LOG" | head -n 20 >&2 || true
	die "selftest build failed; see $LOG"
fi
rm -rf "${OUT:?}/bin"
mkdir -p "$OUT/bin"
for t in $targets; do
	cp "$t" "$OUT/bin/"
done
stamp_write "$OUT/.knb-stamp" "$want" "$OUT/tests" "$OUT"/bin/*
info "$OUT/tests: $(cut -d' ' -f1 "$OUT/tests" | tr '\n' ' ')"
