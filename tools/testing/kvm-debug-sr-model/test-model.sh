#!/bin/bash
# test-model.sh: test the world-switch model itself.
#  - mainline is clean, unpatched 6.12 and 6.1 show the named violations;
#  - copies of mainline's debug-sr.c, each broken in one way (made with sed
#    in the output directory), are caught by the invariant named for it;
#  - the report fails an unpatched target without violations, a patched
#    target with one, and a patched target that costs more than allowed;
#  - the proposed exit-regime-synced (patches/mainline-barrier): mainline
#    violates it and nothing else, mainline with the follow-up
#    (mk/followup-tree.sh) does not, and copies that drop the follow-up's
#    isb or the SPE restore's are caught; the report keeps it out of the
#    results and fails a follow-up that leaves it, or a base that lacks it.
# Trees: env MAINLINE, UNPATCHED (6.12), UNPATCHED_6_1, else the cached
# trees from mk/fetch-tree.sh. Output: env O, else $BUILD/model-test.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../../mk/lib.sh
. "$HERE/../../../mk/lib.sh"
# shellcheck source=../../../mk/tests/tap.sh
. "$HERE/../../../mk/tests/tap.sh"

MAINLINE=${MAINLINE:-$("$TOP/mk/fetch-tree.sh" mainline)}
UNPATCHED=${UNPATCHED:-$("$TOP/mk/fetch-tree.sh" 6.12.y)}
UNPATCHED_6_1=${UNPATCHED_6_1:-$("$TOP/mk/fetch-tree.sh" 6.1.y)}
O=${O:-$BUILD/model-test}
SRC=arch/arm64/kvm/hyp/nvhe/debug-sr.c
for t in "$MAINLINE" "$UNPATCHED" "$UNPATCHED_6_1"; do
	[ -f "$t/$SRC" ] || die "$t has no $SRC; pass a kernel source tree"
done
rm -rf "$O"
mkdir -p "$O"

ok() { tap_ok "$*"; }
bad() { tap_fail "$*"; }

model() { make -s -C "$HERE" O="$1" "${@:2}"; }

# violations FILE HONEST: the invariants violated in honest (1) or other
# (0) states of a results file, one per line.
violations()
{
	awk -F'\t' -v c="$2" '!/^#/ && $3 == c && $5 != "-" { print $5 }' "$1" |
		tr , '\n' | sort -u
}
# upstream_violations FILE HONEST: the same, without the proposed ones.
upstream_violations()
{
	violations "$@" | grep -vx exit-regime-synced || true
}

expect()
{
	local what=$1 file=$2 honest=$3 inv=$4

	if violations "$file" "$honest" | grep -qx "$inv"; then
		ok "$what: $inv"
	else
		bad "$what: expected $inv, got: $(violations "$file" "$honest" | tr '\n' ' ')"
	fi
}

echo "model on the real trees"
model "$O/real" MAINLINE="$MAINLINE" UNPATCHED="$UNPATCHED" \
	UNPATCHED_6_1="$UNPATCHED_6_1" results
R=$O/real
if [ -z "$(upstream_violations "$R/mainline/results" 1)$(upstream_violations "$R/mainline/results" 0)" ]; then
	ok "mainline: no violation of upstream's invariants"
else
	bad "mainline violates: $(upstream_violations "$R/mainline/results" 1)"
fi
# The proposed one: the release tree lacks the exit isb.
expect "mainline (proposed)" "$R/mainline/results" 1 exit-regime-synced
if "$R/mainline/model" explain | grep -q '^(only a proposed invariant fails'; then
	ok "mainline: explain says only a proposed invariant fails"
else
	bad "mainline: explain does not set the proposed violation apart"
fi
for t in unpatched-6.12 unpatched-6.1; do
	expect "$t" "$R/$t/results" 1 entry-trbe-disabled
	expect "$t" "$R/$t/results" 1 entry-spe-disabled
	expect "$t, host-set flags" "$R/$t/results" 0 no-absent-access
done
if "$R/unpatched-6.12/model" explain |
   grep -q '^  guest VIOLATION entry-trbe-disabled'; then
	ok "unpatched-6.12: counterexample printed"
else
	bad "unpatched-6.12: no counterexample"
fi

# broken_from NAME INVARIANT TREE SED-SCRIPT: TREE's debug-sr.c with one
# thing broken, on mainline's headers.
broken_from()
{
	local d=$O/trees/$1

	mkdir -p "$d/arch/arm64/kvm/hyp/nvhe"
	ln -sfn "$MAINLINE/arch/arm64/kvm/hyp/include" "$d/arch/arm64/kvm/hyp/include"
	ln -sfn "$MAINLINE/arch/arm64/include" "$d/arch/arm64/include"
	sed -e "$4" "$3/$SRC" >"$d/$SRC"
	if cmp -s "$3/$SRC" "$d/$SRC"; then
		bad "$1: the sed script changed nothing (the code moved?)"
		return
	fi
	BROKEN="$BROKEN $1=$d"
	EXPECT="$EXPECT $1=$2"
}

# broken NAME INVARIANT SED-SCRIPT: mainline with one thing broken.
broken()
{
	broken_from "$1" "$2" "$MAINLINE" "$3"
}
BROKEN=
EXPECT=

echo "broken copies of mainline"
broken no-trbe-disable entry-trbe-disabled '/write_sysreg_s(0, SYS_TRBLIMITR_EL1);/d'
broken no-spe-disable entry-spe-disabled '/write_sysreg_s(0, SYS_PMBLIMITR_EL1);/d'
broken no-tsb drain-before-disable '0,/tsb_csync();/{/tsb_csync();/d}'
broken no-psb drain-before-disable '/psb_csync();/d'
broken no-isb-before-tsb prohibit-before-drain '/prior write to TRFCR has stuck/{n;d}'
broken no-isb-after-disable isb-after-disable '/^[[:space:]]*\* configuration\.$/{n;n;d}'
broken no-redrain erratum-2064142-redrain 's/ARM64_WORKAROUND_2064142/ARM64_WORKAROUND_2038923/'
broken no-2038923 erratum-2038923-isb 's/cpus_have_final_cap(ARM64_WORKAROUND_2038923)/0/'
broken no-trbe-reenable exit-enable-before-filter '/write_sysreg_s(trblimitr_el1, SYS_TRBLIMITR_EL1);/d'
broken no-isb-after-spe-enable exit-enable-before-filter '/write_sysreg_s(pmblimitr_el1, SYS_PMBLIMITR_EL1);/{n;d}'
broken no-pmscr-restore exit-restore-identical '/write_sysreg_el1(\*host_data_ptr(host_debug_state.pmscr_el1), SYS_PMSCR);/d'
broken spe-always no-absent-access 's/host_data_test_flag(HAS_SPE)/1/'
broken spe-even-if-off idle-untouched 's/if (!(\*pmblimitr_el1 & BIT(PMBLIMITR_EL1_E_SHIFT)))/if (0)/'
broken trfcr-el1-encoding prohibit-before-drain 's/read_sysreg_el1(SYS_TRFCR)/read_sysreg_s(SYS_TRFCR_EL1)/; s/write_sysreg_el1(new_trfcr, SYS_TRFCR)/write_sysreg_s(new_trfcr, SYS_TRFCR_EL1)/'
# The proposed exit isb: mainline with its follow-up (patches/
# mainline-barrier) must not violate exit-regime-synced; without the
# follow-up's isb, or without the isb mainline's SPE restore has, it must.
MLB=$("$TOP/mk/followup-tree.sh" mainline "$MAINLINE" "$O/trees/mainline+barrier")
BROKEN="$BROKEN mainline+barrier=$MLB"
broken_from barrier-no-isb exit-regime-synced "$MLB" '/host.s regime before it is enabled\./{n;n;d}'
broken_from no-isb-before-spe-enable exit-regime-synced "$MAINLINE" '/the host page table is installed, but not yet synchronised/I{n;d}'
model "$O/real" -j2 EXTRA="$BROKEN" results-extra
if [ -z "$(violations "$O/real/mainline+barrier/results" 1)$(violations "$O/real/mainline+barrier/results" 0)" ]; then
	ok "mainline+barrier: no violation, the proposed one included"
else
	bad "mainline+barrier violates: $(violations "$O/real/mainline+barrier/results" 1) $(violations "$O/real/mainline+barrier/results" 0)"
fi
# Only the SPE states where the TRBE restore did not synchronise first.
if awk -F'\t' '!/^#/ && $3 == 1 && $8 ~ /exit-regime-synced=/ { print $8 }' \
	"$O/real/no-isb-before-spe-enable/results" | grep -q 'exit-regime-synced=spe'; then
	ok "no-isb-before-spe-enable: exit-regime-synced about SPE"
else
	bad "no-isb-before-spe-enable: no exit-regime-synced about SPE"
fi
for x in $EXPECT; do
	expect "${x%%=*}" "$O/real/${x%%=*}/results" 1 "${x#*=}"
done

# Sequences: broken copies of the project's patched trees whose fault shows
# only over more than one world switch or CPU (the shapes: seq-shapes.sh).
echo "sequences: the project's trees and broken copies of them"
for t in 6.12.y 6.1.y; do
	"$TOP/mk/make-tree.sh" "$t" >"$O/tree-$t.log" 2>&1 ||
		{ cat "$O/tree-$t.log"; die "make-tree.sh $t failed"; }
done
P612=$BUILD/linux-6.12.y
P61=$BUILD/linux-6.1.y
# seq_broken NAME BASE SED: BASE's debug-sr.c edited by SED.
seq_broken()
{
	local d=$O/trees/$1

	mkdir -p "$d/arch/arm64/kvm/hyp/nvhe"
	ln -sfn "$2/arch/arm64/kvm/hyp/include" "$d/arch/arm64/kvm/hyp/include"
	ln -sfn "$2/arch/arm64/include" "$d/arch/arm64/include"
	sed -e "$3" "$2/$SRC" >"$d/$SRC"
	if cmp -s "$2/$SRC" "$d/$SRC"; then
		bad "$1: the sed script changed nothing (the patched code moved?)"
		return
	fi
	SEQ_BROKEN="$SEQ_BROKEN $1=$d"
}
# shellcheck source=seq-shapes.sh
. "$HERE/seq-shapes.sh"
SEQ_BROKEN=
seq_broken seq-stale-6.12 "$P612" "$stale"
seq_broken seq-stale-6.1 "$P61" "$stale"
seq_broken seq-shared-6.12 "$P612" "$shared"
seq_broken seq-shared-6.1 "$P61" "$shared"
seq_broken seq-keyed-6.12 "$P612" "$keyed612"
seq_broken seq-keyed-6.1 "$P61" "$keyed61"
seq_broken seq-read-once-6.12 "$P612" "$readonce"
seq_broken seq-read-once-6.1 "$P61" "$readonce"
model "$O/real" -j2 MAINLINE="$MAINLINE" EXTRA="$SEQ_BROKEN patched-6.12=$P612 patched-6.1=$P61" \
	results-extra sequences
# failing FILE: how many sequences failed; seq_invs FILE: their invariants.
failing() { sed -n '1s/.*failing=\([0-9]*\).*/\1/p' "$1"; }
seq_invs() { awk -F'\t' '!/^#/ { print $7 }' "$1" | tr , '\n' | sort -u; }
for t in mainline patched-6.12 patched-6.1; do
	f=$O/real/$t/sequences
	if [ "$(failing "$f")" = 0 ] && grep -q '^# sequences: run=[1-9]' "$f"; then
		ok "$t: $(head -n 1 "$f" | sed 's/^# sequences: //; s/\t.*//') sequences, none failing"
	else
		bad "$t: failing sequences: $(seq_invs "$f" | tr '\n' ' ')"
	fi
done
# seq_expect NAME INV=UNIT: NAME's sequences fail with INV about UNIT; its
# per-state results with an honest host do not (the shape needs a sequence).
seq_expect()
{
	local f=$O/real/$1/sequences r=$O/real/$1/results

	[ -f "$f" ] || { bad "$1: no sequences"; return; }
	if ! seq_invs "$f" | grep -qx "$2"; then
		bad "$1: expected $2 in a failing sequence, got: $(seq_invs "$f" | tr '\n' ' ')"
	elif [ -n "$(upstream_violations "$r" 1)" ]; then
		bad "$1: fails in a single world switch too ($(upstream_violations "$r" 1 | tr '\n' ' ')): not a sequence-only shape"
	else
		ok "$1: $2 in $(failing "$f") sequences, e.g. $(awk -F'\t' '!/^#/ { print $3; exit }' "$f")"
	fi
}
for l in 6.12 6.1; do
	seq_expect "seq-stale-$l" seq-stale-restore=trace
	seq_expect "seq-shared-$l" seq-cross-cpu=trace
	seq_expect "seq-keyed-$l" no-absent-access=trace
	seq_expect "seq-read-once-$l" seq-stale-restore=spe
done
if "$O/real/seq-keyed-6.1/model" explain-seq \
	"$(awk -F'\t' '!/^#/ { print $4; exit }' "$O/real/seq-keyed-6.1/sequences")" |
	grep -Eq 'VIOLATION no-absent-access: TRBLIMITR_EL1 accessed but its unit is .* on CPU1'; then
	ok "seq-keyed-6.1: the shortest sequence is explained step by step"
else
	bad "seq-keyed-6.1: explain-seq does not show the UNDEF access on CPU1"
fi

# report ARGS...: run the report, true when it fails with MESSAGE.
report_fails()
{
	local msg=$1

	shift
	if "$O/real/report" "$@" >"$O/report.out" 2>&1; then
		bad "report passed: $*"
	elif grep -q "$msg" "$O/report.out"; then
		ok "report fails: $msg"
	else
		bad "report failed without '$msg': $(tail -n 1 "$O/report.out")"
	fi
}

echo "report verdicts"
make -s -C "$HERE" O="$O/real" MAINLINE="$MAINLINE" "$O/real/report"
ml=$R/mainline/results
u612=$R/unpatched-6.12/results
report_fails "FAIL: no violation found" mainline="$ml" unpatched-6.12="$ml"
report_fails "patched-6.12 .*FAIL" mainline="$ml" unpatched-6.12="$u612" \
	patched-6.12="$u612"
report_fails "patched-6.12 .*FAIL" -t patched-6.12 mainline="$ml" \
	unpatched-6.12="$u612" patched-6.12="$u612"
report_fails "cost rule patched-6.12 *FAIL" mainline="$ml" \
	unpatched-6.12="$u612" patched-6.12="$ml"
mlb=$O/real/mainline+barrier/results
# The proposed class: never a result, but both directions with a follow-up.
if "$O/real/report" mainline="$ml" unpatched-6.12="$u612" >"$O/report.out" 2>&1 &&
   grep -Eq '^mainline +.* ok \(reference\)$' "$O/report.out" &&
   grep -Eq '^  mainline +[0-9]+ +[1-9][0-9]* +-$' "$O/report.out"; then
	ok "report: the proposed violations of mainline are counted, not a failure"
else
	bad "report: mainline's proposed violations failed it or were not counted: $(grep -E '^(mainline|  mainline|model:)' "$O/report.out" | tr '\n' ' ')"
fi
if "$O/real/report" mainline="$ml" mainline+barrier="$mlb" >"$O/report.out" 2>&1 &&
   grep -q '^  mainline .*ok: shown (none in +barrier)$' "$O/report.out"; then
	ok "report: mainline shows the proposed violation, mainline+barrier does not"
else
	bad "report with mainline+barrier: $(grep -E '^  mainline|^model:' "$O/report.out" | tr '\n' ' ')"
fi
report_fails "mainline+barrier .*FAIL: the follow-up leaves it violated" \
	mainline="$ml" mainline+barrier="$ml"
report_fails "mainline .*FAIL: not shown here, yet mainline+barrier is tested" \
	mainline="$mlb" mainline+barrier="$mlb"

tap_done test-model.sh
