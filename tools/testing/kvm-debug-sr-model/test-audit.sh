#!/bin/bash
# test-audit.sh: test make audit (mk/audit.sh, audit.py) on trees whose
# verdict is known:
#  - the project's trees: patched 6.12.y, 6.1.y and mainline fixed (exit
#    0), the pristine 6.12 and 6.1 bases affected (exit 2);
#  - broken copies of the patched 6.12.y tree in shapes seen in real
#    backports, each made with sed here and each a mutant the audit must
#    catch with the named unit and invariant (or the cost rule);
#  - the same shapes on a line the project has no reference for (the
#    Makefile says 6.6): judged by the invariants, the skipped checks said;
#  - the fixture trees in fixtures/ (written for these tests: other field
#    and per-CPU names, ID registers read at EL2, old vcpu flags) and one
#    the model cannot build, which must name the construct;
#  - bad input: one line, non-zero exit;
#  - audit.py alone on recorded results (fixtures/audit-py);
#  - the proposed class (exit-regime-synced, patches/mainline-barrier):
#    shown with its counts, never a change of the verdict or exit status;
#    patched 6.12.y with its follow-up holds it, copies that drop the
#    follow-up's isb or the SPE restore's violate it.
# Each case checks the exit status and the lines that justify it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../../mk/lib.sh
. "$HERE/../../../mk/lib.sh"
# shellcheck source=../../../mk/tests/tap.sh
. "$HERE/../../../mk/tests/tap.sh"
unset LINUX LINUX_TARGET

AUDIT=$TOP/mk/audit.sh
SRC=arch/arm64/kvm/hyp/nvhe/debug-sr.c
O=$(mktemp -d)
trap 'chmod -R u+rwX "$O" 2>/dev/null; rm -rf "$O" "$TMP"' EXIT

ok() { tap_ok "$*"; }
bad() { tap_fail "$*"; }

# audit NAME TREE WANT_RC PATTERN...: run the audit on TREE; its exit
# status must be WANT_RC and its output must match every PATTERN (grep -E,
# one line each). The audits run $JOBS at a time, each in a work directory
# of its slot (mk/audit.sh's KNB_AUDIT_OUT; the model's own objects are
# kept there from one audit to the next); settle() waits for them and
# judges them in order. TREE must not change until then. The first audit
# of each line leaves its references' lines in $O/refs for the next ones
# (KNB_AUDIT_REFS): the reference trees are checked once per line, not
# once per audit (about 3 of each audit's 6 seconds).
JOBS=1
pids=()
slots=()
queue=()
audit()
{
	local name=$1 tree=$2 q slot=0

	q=$O/queue/$((${#queue[@]} + 1000))
	mkdir -p "$O/queue"
	printf '%s\n' "$@" >"$q"
	queue+=("$q")
	while [ "${#pids[@]}" -ge "$JOBS" ]; do
		wait "${pids[0]}" || true
		pids=("${pids[@]:1}")
		slots=("${slots[@]:1}")
	done
	while [[ " ${slots[*]} " == *" $slot "* ]]; do
		slot=$((slot + 1))
	done
	(
		rc=0
		KNB_AUDIT_OUT=$O/work/$slot KNB_AUDIT_REFS=$O/refs \
			"$AUDIT" "$tree" >"$O/$name.out" 2>&1 || rc=$?
		echo "$rc" >"$O/$name.rc"
	) &
	pids+=("$!")
	slots+=("$slot")
}

# later TEXT: print TEXT (a heading, or a failure found before the
# audit) in its place among the audits' results.
later()
{
	queue+=("$1")
}

# settle: wait for the audits started, then judge each in order.
settle()
{
	local pid q

	for pid in "${pids[@]}"; do
		wait "$pid" || true
	done
	pids=()
	slots=()
	for q in "${queue[@]}"; do
		case "$q" in
		"$O"/queue/*) judged "$q" ;;
		"not ok: "*) bad "${q#not ok: }" ;;
		*) echo "$q" ;;
		esac
	done
	queue=()
}

# judged FILE: the verdict on one audit() (FILE: its arguments, a line
# each).
judged()
{
	local -a a
	local name rc want out p

	mapfile -t a <"$1"
	name=${a[0]} want=${a[2]} out=$O/${a[0]}.out
	rc=$(cat "$O/$name.rc" 2>/dev/null || echo "none (it did not finish)")
	if [ "$rc" != "$want" ]; then
		bad "$name: exit $rc, want $want; output:"
		sed 's/^/        | /' "$out" | head -n 40
		return
	fi
	for p in "${a[@]:3}"; do
		if ! grep -Eq -- "$p" "$out"; then
			bad "$name: exit $rc but no line matches '$p'; output:"
			sed 's/^/        | /' "$out" | head -n 40
			return
		fi
	done
	ok "$name: exit $rc ($(grep -m1 -E '^(verdict|audit: cannot|audit.sh: error)' "$out" || head -n 1 "$out"))"
}

# copy NAME BASE [VERSION]: a tree of links to BASE with its own debug-sr.c
# (and, with VERSION X.Y, a Makefile that says so); prints its path.
copy()
{
	local d=$O/trees/$1 base=$2 f

	mkdir -p "$d/arch/arm64/kvm/hyp/nvhe"
	ln -s "$base/arch/arm64/include" "$d/arch/arm64/include"
	ln -s "$base/arch/arm64/kvm/hyp/include" "$d/arch/arm64/kvm/hyp/include"
	for f in "$base"/arch/arm64/kvm/hyp/nvhe/*; do
		ln -s "$f" "$d/arch/arm64/kvm/hyp/nvhe/"
	done
	rm "$d/$SRC"
	cp "$base/$SRC" "$d/$SRC"
	if [ -n "${3:-}" ]; then
		sed -e "s/^VERSION = .*/VERSION = ${3%%.*}/" \
			-e "s/^PATCHLEVEL = .*/PATCHLEVEL = ${3#*.}/" \
			"$base/Makefile" >"$d/Makefile"
	else
		ln -s "$base/Makefile" "$d/Makefile"
	fi
	echo "$d"
}

# broken NAME BASE SED [VERSION]: copy() with debug-sr.c edited by SED,
# which must change it; prints the path (empty when SED changed nothing).
broken()
{
	local d

	d=$(copy "$1" "$2" "${4:-}")
	sed -i -e "$3" "$d/$SRC"
	cmp -s "$2/$SRC" "$d/$SRC" || echo "$d"
}

# judge NAME DIR ARGS...: audit() DIR, or fail when broken() made none.
judge()
{
	if [ -z "$2" ]; then
		later "not ok: $1: the sed script changed nothing (the patched code moved?)"
	else
		audit "$@"
	fi
}

# el2_id NAME BASE FIXTURE [sysreg|nosysreg [VERSION]]: BASE with
# fixtures/el2-id/FIXTURE as its debug-sr.c and BASE's arch/arm64/tools
# (unless nosysreg); with VERSION X.Y, a Makefile that says so.
el2_id()
{
	local d

	d=$(copy "$1" "$2" "${5:-}")
	cp "$HERE/fixtures/el2-id/$3" "$d/$SRC"
	if [ "${4:-}" != nosysreg ]; then
		mkdir -p "$d/arch/arm64/tools"
		cp "$2/arch/arm64/tools/sysreg" "$2/arch/arm64/tools/gen-sysreg.awk" \
			"$d/arch/arm64/tools/"
	fi
	echo "$d"
}

# mutant NAME SED WANT_RC PATTERN...: broken() on patched 6.12, audited.
mutant()
{
	local name=$1 sed=$2 d

	shift 2
	d=$(broken "$name" "$P612" "$sed")
	judge "$name" "$d" "$@"
}

# py NAME WANT_RC INFO-LINES RESULTS PATTERN...: audit.py verdict alone on
# recorded results (fixtures/audit-py), with an info record of INFO-LINES.
py()
{
	local name=$1 want=$2 rc=0 p out=$O/py-$1.out

	printf '%s\n' "$3" >"$O/py-$1.info"
	/usr/bin/python3 "$HERE/audit.py" verdict --info "$O/py-$1.info" \
		--results "$R/$4" >"$out" 2>&1 || rc=$?
	shift 4
	if [ "$rc" -ne "$want" ]; then
		bad "audit.py $name: exit $rc, want $want"
		sed 's/^/        | /' "$out"
		return
	fi
	for p in "$@"; do
		grep -Eq -- "$p" "$out" || { bad "audit.py $name: no line matches '$p'"; sed 's/^/        | /' "$out"; return; }
	done
	ok "audit.py $name: exit $rc"
}
R=$HERE/fixtures/audit-py
refs="ref_mainline=$R/ref-mainline.results
ref_unpatched=$R/ref-unpatched.results"
echo "audit.py's rules (audit_test.py)"
if /usr/bin/python3 "$HERE/audit_test.py" >"$O/audit_test.out" 2>&1; then
	ok "audit_test.py: $(grep -E '^Ran [0-9]+ tests' "$O/audit_test.out")"
else
	bad "audit_test.py failed"
	sed 's/^/        | /' "$O/audit_test.out"
fi
echo "audit.py on recorded results"
py lying-host-untrusted 3 "line=6.12.y
version=6.12.1
protected=yes
hyp_vcpu=yes
$refs" fixed-but-lying.results '^verdict: FIXED BUT WRONG$' \
	'no-absent-access .* in protected: 1 with host-set vcpu flags' \
	'^counterexample \([A-Z]+\): protected .*\(host: host-sets:SAVE_SPE=1'
py lying-host-trusted 0 "line=6.1.y
version=6.1.1
protected=yes
hyp_vcpu=no
$refs" fixed-but-lying.results '^verdict: FIXED$' 'not counted: 1 state'
py no-protected-mode 0 "line=none
version=5.10.1
protected=no
ref_mainline=$R/ref-mainline.results" fixed-but-lying.results '^verdict: FIXED$' \
	'modes judged: nvhe; 2 states' 'cost of an idle unit against the tree.s unpatched line'
py affected 2 "line=6.12.y
version=6.12.1
protected=yes
hyp_vcpu=yes
$refs" affected.results '^verdict: AFFECTED$' '^  TRBE: AFFECTED' \
	'entry-trbe-disabled .* in nvhe: 1 honest state' 'next: apply patches/6.12.y'
py idle-writes 0 "line=6.12.y
version=6.12.1
protected=yes
hyp_vcpu=yes
$refs" idle-writes.results '^verdict: FIXED$' \
	'cost: a note, not a fault: .* in 1 of 2 states, e.g. nvhe trbe=owned,E=0 trfcr=0 .*trace writes 2, the unpatched line 0' \
	'^next: nothing is required'
# A verdict with no counterexample never points at one.
if grep -q counterexample "$O/py-idle-writes.out"; then
	bad "audit.py idle-writes: mentions a counterexample it does not print"
else
	ok "audit.py idle-writes: no counterexample named"
fi
py idle-writes-no-reference 0 "line=none
version=6.6.1
protected=yes
hyp_vcpu=yes
ref_mainline=$R/ref-mainline.results" idle-writes.results '^verdict: FIXED$' '^skipped:'
py no-trbe-driver 0 "line=none
version=5.10.1
protected=no
trbe_driver=no
spe_driver=yes" affected.results '^verdict: FIXED$' '^  TRBE: n/a' \
	'1 more with a buffer enabled that has no host driver'
py no-fields 1 "line=none" no-fields.results 'has no #fields line'
py proposed-violated 0 "line=6.12.y
version=6.12.1
protected=yes
hyp_vcpu=yes
$refs" proposed-violated.results '^verdict: FIXED$' '^  TRBE: ok' \
	'^  proposed: exit isb, patches/mainline-barrier \(the project.s own rule' \
	'^        TRBE exit-regime-synced .* in nvhe: 1 honest state' \
	'^next: optional, the project.s proposal .*patches/6\.12\.y-barrier'
py proposed-held 0 "line=6.12.y
version=6.12.1
protected=yes
hyp_vcpu=yes
$refs" proposed-held.results '^verdict: FIXED$' \
	'^  proposed: exit isb, patches/mainline-barrier: holds' \
	'^  1 of them only by the proposed exit isb .*which mainline lacks' '^next: nothing: '
py proposed-spe-wrong-trbe 3 "line=6.12.y
version=6.12.1
protected=yes
hyp_vcpu=yes
$refs" proposed-spe-wrong-trbe.results '^verdict: FIXED BUT WRONG$' '^  SPE:  ok' \
	'^        SPE exit-regime-synced .*the tree lost it' '^counterexample \(TRBE\)'

for t in mainline 6.12.y 6.1.y; do
	"$TOP/mk/make-tree.sh" "$t" >"$O/tree-$t.log" 2>&1 ||
		{ cat "$O/tree-$t.log"; die "make-tree.sh $t failed"; }
done
P612=$BUILD/linux-6.12.y
U612=$("$TOP/mk/fetch-tree.sh" 6.12.y)
U61=$("$TOP/mk/fetch-tree.sh" 6.1.y)

echo "the project's trees"
head_before=$(git -C "$P612" rev-parse HEAD)
index_before=$(stat -c %Y "$(git -C "$P612" rev-parse --absolute-git-dir)/index")
audit patched-6.12.y "$P612" 0 '^verdict: FIXED$' '^  TRBE: ok' '^  SPE:  ok' \
	'sequences: [0-9]+ run .*, 0 failing' \
	'cost rule: ok' 'identical to the project.s patched 6.12.y in ([0-9]+) of \1 '
settle
if [ "$(git -C "$P612" rev-parse HEAD)" = "$head_before" ] &&
   [ "$(stat -c %Y "$(git -C "$P612" rev-parse --absolute-git-dir)/index")" = "$index_before" ] &&
   [ -z "$(git -C "$P612" status --porcelain)" ]; then
	ok "patched-6.12.y: the audited tree is unchanged (HEAD, index, git status)"
else
	bad "patched-6.12.y: the audit changed the tree it read"
fi
audit patched-6.1.y "$BUILD/linux-6.1.y" 0 '^verdict: FIXED$' 'not counted: .*trusted' \
	'sequences: [0-9]+ run .*, 0 failing'
audit patched-mainline "$BUILD/linux-mainline" 0 '^verdict: FIXED$' 'line: mainline'
audit unpatched-6.12.y "$U612" 2 '^verdict: AFFECTED$' '^  TRBE: AFFECTED' \
	'^  SPE:  AFFECTED' 'entry-trbe-disabled .* in nvhe, protected, protected-hvhe' \
	'^counterexample \([A-Z]+\): nvhe ' 'guest VIOLATION entry-trbe-disabled'
audit unpatched-6.1.y "$U61" 2 '^verdict: AFFECTED$' 'entry-spe-disabled .* in nvhe, protected:'
# The references' results (mainline, each line's base and series) are
# made by now: from here on two audits run at once, sharing them.
settle
JOBS=2

later "the proposed exit isb (a class apart: never the verdict)"
audit proposed-patched-6.12.y "$P612" 0 '^verdict: FIXED$' \
	'^        TRBE exit-regime-synced .* in nvhe, protected, protected-hvhe: [0-9]+ honest state' \
	'^next: optional, the project.s proposal'
B612=$("$TOP/mk/followup-tree.sh" 6.12.y "$P612" "$O/trees/patched-6.12.y+barrier")
audit proposed-6.12.y+barrier "$B612" 0 '^verdict: FIXED$' \
	'^  proposed: exit isb, patches/mainline-barrier: holds' \
	'^  ([0-9]+) of them only by the proposed exit isb.*' '^next: nothing: '
# Mutants: the follow-up without its isb; the SPE restore without mainline's.
judge proposed-barrier-no-isb "$(broken proposed-barrier-no-isb "$B612" '/host.s regime before it is enabled\./{n;n;d}')" \
	0 '^verdict: FIXED$' '^        TRBE exit-regime-synced .*: [0-9]+ honest state'
mutant proposed-no-spe-isb '/The host page table is installed, but not yet synchronised/{n;d}' \
	0 '^verdict: FIXED$' '^  SPE:  ok' '^        SPE exit-regime-synced .*the tree lost it'

later "broken copies of patched 6.12.y"
# The TRBE half backported, the SPE half not.
mutant spe-half-missing '/write_sysreg_s(0, SYS_PMBLIMITR_EL1);/d; /write_sysreg_s(pmblimitr_el1, SYS_PMBLIMITR_EL1);/d' \
	3 '^verdict: FIXED BUT WRONG$' '^  TRBE: ok' '^  SPE:  AFFECTED' \
	'entry-spe-disabled' 'guest VIOLATION entry-spe-disabled'
# The unit is turned back on only when the saved TRFCR was non-zero.
mutant trbe-reenable-if-trfcr 's/if (!(trblimitr_el1 & TRBLIMITR_EL1_E))/if (!trfcr_el1)/' \
	3 '^verdict: FIXED BUT WRONG$' '^  TRBE: WRONG' '^  SPE:  ok' \
	'exit-restore-identical' 'trfcr=0 ' 'VIOLATION exit-restore-identical: TRBLIMITR_EL1'
# With the unit off, the exit path still writes the TRFCR it saved (0).
mutant stale-trfcr-when-off '/Nothing was changed if the host had the TRBE disabled/{n;n;s/return;/{ write_sysreg_el1(trfcr_el1, SYS_TRFCR); return; }/}' \
	3 '^verdict: FIXED BUT WRONG$' '^  TRBE: WRONG' 'exit-restore-identical' \
	'VIOLATION exit-restore-identical: TRFCR_EL1'
# Protected mode believes the vcpu flags the host wrote: wrong where the
# line does not trust the host (mk/targets/6.12.y MODEL_TRUSTED_HOST).
if [ "$(load_target 6.12.y && echo "${MODEL_TRUSTED_HOST:-no}")" = yes ]; then
	tap_skip pkvm-trusts-host "the project trusts the host in 6.12.y's protected mode (mk/targets/6.12.y)"
	audit patched-6.12.y-trusted "$P612" 0 '^verdict: FIXED$' \
		'not counted: .*MODEL_TRUSTED_HOST=yes in mk/targets/6.12.y'
else
	mutant pkvm-trusts-host '/if (is_protected_kvm_enabled())/{N;/has_trbe\|has_spe/d}' \
		3 '^verdict: FIXED BUT WRONG$' '^  TRBE: WRONG' '^  SPE:  WRONG' \
		'in protected, protected-hvhe: [0-9]+ with host-set vcpu flags' \
		'^counterexample \([A-Z]+\): protected.* \(host: host-sets:' \
		'^next: in protected mode, decide from what the hyp recorded'
fi
# TRFCR saved and written on every entry and exit, buffer on or not:
# right, but a sysreg write per world switch more than the unpatched line
# when nothing is in use.
idle='/Check if the TRBE is enabled/i\
	*trfcr_el1 = read_sysreg_el1(SYS_TRFCR);\
	write_sysreg_el1(0, SYS_TRFCR);
/^	\*trfcr_el1 = 0;$/d
/^	\*trfcr_el1 = read_sysreg_el1(SYS_TRFCR);$/d
/^	write_sysreg_el1(0, SYS_TRFCR);$/d
/Nothing was changed if the host had the TRBE disabled/{n;n;s/return;/{ write_sysreg_el1(trfcr_el1, SYS_TRFCR); return; }/}'
mutant idle-trfcr-write "$idle" 0 '^verdict: FIXED$' '^  TRBE: ok' \
	'cost: a note, not a fault: .* in [0-9]+ of [0-9]+ states, e.g. .*the unpatched line' \
	'^next: nothing is required'
settle
if grep -Eq 'counterexample|invariant' "$O/idle-trfcr-write.out"; then
	bad "idle-trfcr-write: points at invariants or a counterexample it does not print"
else
	ok "idle-trfcr-write: next points at nothing unprinted"
fi

later "shapes that show only over several world switches or CPUs (seq-shapes.sh)"
# shellcheck source=seq-shapes.sh
. "$HERE/seq-shapes.sh"
# seq_mutant NAME BASE SED INV UNIT: broken() BASE, judged wrong with INV
# counted in failing sequences and the shortest one as the counterexample.
seq_mutant()
{
	local d

	d=$(broken "$1" "$2" "$3")
	judge "$1" "$d" 3 '^verdict: FIXED BUT WRONG$' "^  $5: +WRONG" \
		"^        $4 .*: [0-9]+ failing sequence\\(s\\)$" \
		"^counterexample \\($5\\): the shortest failing sequence \\([0-9]+ steps\\): " \
		'^ *[0-9]+\. (run|guest exit of) vcpu .*: VIOLATION' \
		'^next: keep what the entry path saves per CPU'
}
P61=$BUILD/linux-6.1.y
for l in 6.12 6.1; do
	base=$P612
	keyed=$keyed612
	if [ "$l" = 6.1 ]; then
		base=$P61
		keyed=$keyed61
	fi
	seq_mutant "seq-stale-$l" "$base" "$stale" seq-stale-restore TRBE
	seq_mutant "seq-shared-$l" "$base" "$shared" seq-cross-cpu TRBE
	seq_mutant "seq-keyed-$l" "$base" "$keyed" no-absent-access TRBE
	seq_mutant "seq-read-once-$l" "$base" "$readonce" seq-stale-restore SPE
done

later "a line without a reference (the Makefile says 6.6)"
# The el2-id backport (fixtures/el2-id: its verdict does not depend on
# whether the host is trusted) as a 6.6 tree: right, and costlier than
# mainline, with no reference for the idle cost: FIXED, checks skipped.
d=$(el2_id el2-id-as-6.6 "$P612" debug-sr-6.12.c sysreg 6.6)
audit el2-id-as-6.6 "$d" 0 '^verdict: FIXED$' 'line: no reference line' \
	'^skipped' 'cost of an idle unit against the tree.s unpatched line' \
	'comparison with the project.s patched tree'
d=$(broken spe-half-missing-6.6 "$P612" '/write_sysreg_s(0, SYS_PMBLIMITR_EL1);/d' 6.6)
judge spe-half-missing-6.6 "$d" 3 '^verdict: FIXED BUT WRONG$' \
	'^  SPE:  AFFECTED' '^skipped'

# kvm_header DIR BASE SED: DIR's asm/kvm_host.h becomes BASE's edited by SED
# (the other headers stay links).
kvm_header()
{
	local d=$1 f

	rm "$d/arch/arm64/include"
	mkdir -p "$d/arch/arm64/include/asm"
	for f in "$2"/arch/arm64/include/asm/*; do
		ln -s "$f" "$d/arch/arm64/include/asm/"
	done
	rm "$d/arch/arm64/include/asm/kvm_host.h"
	sed -e "$3" "$2/arch/arm64/include/asm/kvm_host.h" >"$d/arch/arm64/include/asm/kvm_host.h"
}

later "other names for the saved state and the presence flags"
d=$(broken renamed-host-data "$P612" 's/host_debug_state\.trblimitr_el1/host_debug_state.trbe_saved_limit/g; s/has_trbe/trbe_present/g')
if [ -n "$d" ]; then
	kvm_header "$d" "$P612" 's/^\(\t*u64 \)trblimitr_el1;/\1trbe_saved_limit;/; s/has_trbe;/trbe_present;/'
fi
judge renamed-host-data "$d" 0 '^verdict: FIXED$'
d=$(broken renamed-vcpu "$P61" 's/host_debug_state\.trblimitr_el1/host_debug_state.saved_trbe_limit/g; s/vcpu->arch\.host_debug_state\.pmblimitr_el1/vcpu->arch.host_pmb_limit/g')
if [ -n "$d" ]; then
	kvm_header "$d" "$P61" 's/^\(\t*u64 \)trblimitr_el1;/\1saved_trbe_limit;/; /^\t} host_debug_state;/a\
	u64 host_pmb_limit;'
fi
judge renamed-vcpu "$d" 0 '^verdict: FIXED$'

# Older lines test cpucaps with cpus_have_const_cap().
d=$(broken const-cap "$P612" 's/cpus_have_final_cap/cpus_have_const_cap/g')
judge const-cap "$d" 0 '^verdict: FIXED$'
d=$(broken const-cap-wrong-erratum "$P612" 's/cpus_have_final_cap(ARM64_WORKAROUND_2064142)/cpus_have_const_cap(ARM64_WORKAROUND_TSB_FLUSH_FAILURE)/')
judge const-cap-wrong-erratum "$d" 3 '^  TRBE: WRONG' 'erratum-2064142-redrain'

# Android and vendor trees include more headers (stand-ins in shim/).
d=$(broken more-headers "$P612" 's|^#include <asm/kvm_mmu.h>|&\n#include <linux/bitfield.h>\n#include <asm/sysreg.h>\n#include <nvhe/pkvm.h>\n#include <nvhe/mem_protect.h>|')
judge more-headers "$d" 0 '^verdict: FIXED$'
d=$(broken unknown-header "$P612" 's|^#include <asm/kvm_mmu.h>|&\n#include <asm/vendor_trace.h>|')
judge unknown-header "$d" 1 'cannot model .*debug-sr.c:[0-9]+ includes <asm/vendor_trace.h>'

later "fixture: a vendor 5.10 tree with its own backport"
V=$HERE/fixtures/vendor-5.10
audit vendor-5.10 "$V" 0 '^verdict: FIXED$' 'Linux 5.10.198-vendor, line: no reference line' \
	'the hyp reads: vcpu-arch-flags' 'modes judged: nvhe, protected;' '^skipped' \
	'host driver is not known'
vcopy()
{
	cp -r "$V" "$O/trees/$1"
	echo "$O/trees/$1"
}
mkdir -p "$O/trees"
d=$(vcopy vendor-trusts-host)
sed -i 's/if (!is_protected_kvm_enabled())/if (1)/' "$d/$SRC"
audit vendor-trusts-host "$d" 3 '^verdict: FIXED BUT WRONG$' \
	'no-absent-access .* in protected: [0-9]+ with host-set vcpu flags' \
	'^counterexample \([A-Z]+\): protected .*host-sets:'
# The same code where the hyp runs the host's own vcpu: the host is trusted.
d=$(vcopy vendor-trusts-host-no-shadow)
sed -i 's/if (!is_protected_kvm_enabled())/if (1)/' "$d/$SRC"
echo '/* no hyp copy of the vcpu here */' >"$d/arch/arm64/kvm/hyp/nvhe/hyp-main.c"
audit vendor-trusts-host-no-shadow "$d" 0 '^verdict: FIXED$' 'not counted: [0-9]+ state'

later "backports deciding at EL2 from generated ID_AA64DFR0_EL1 field names"
d=$(el2_id el2-id-6.12 "$P612" debug-sr-6.12.c)
audit el2-id-6.12 "$d" 0 '^verdict: FIXED$' '^  TRBE: ok' '^  SPE:  ok' \
	'generated register names: from the tree.s gen-sysreg.awk' 'cost: a note, not a fault'
d=$(el2_id el2-id-6.1 "$BUILD/linux-6.1.y" debug-sr-6.1.c)
audit el2-id-6.1 "$d" 0 '^verdict: FIXED$' '^  TRBE: ok' '^  SPE:  ok' \
	'generated register names: from the tree.s gen-sysreg.awk' 'cost: a note, not a fault'
# A tree whose protected mode never reads a host-writable flag: a host
# lying about the vcpu flags changes nothing, so no host-set count.
d=$(el2_id el2-id-6.12-no-spe-disable "$P612" debug-sr-6.12.c)
sed -i '/write_sysreg_s(0, SYS_PMBLIMITR_EL1);/d' "$d/$SRC"
audit el2-id-6.12-no-spe-disable "$d" 3 '^verdict: FIXED BUT WRONG$' '^  SPE:  AFFECTED' \
	'entry-spe-disabled .* in nvhe, protected, protected-hvhe: [0-9]+ honest state\(s\)$'
settle
if grep -q 'host-set' "$O/el2-id-6.12-no-spe-disable.out"; then
	bad "el2-id-6.12-no-spe-disable: host-set counts for a tree that reads no vcpu flag"
else
	ok "el2-id-6.12-no-spe-disable: no host-set count (the tree reads no vcpu flag)"
fi
# Without the tree's sysreg and gen-sysreg.awk the names are unknown.
d=$(el2_id el2-id-6.12-nosysreg "$P612" debug-sr-6.12.c nosysreg)
audit el2-id-6.12-nosysreg "$d" 1 'cannot model .*debug-sr.c:[0-9]+ uses ID_AA64DFR0_EL1_(PMSVer|TraceBuffer), a register field name kbuild generates'

later "input read right, or named"
d=$(copy crlf-makefile "$P612")
rm "$d/Makefile"
sed 's/$/\r/' "$P612/Makefile" >"$d/Makefile"
audit crlf-makefile "$d" 0 '^verdict: FIXED$' 'Linux 6.12.118, line: 6.12.y;' \
	'trace identical to the project.s patched 6.12.y'
# The sources the model compiles and reads with CRLF line ends too.
d=$(copy crlf-sources "$P612")
rm "$d/Makefile"
sed 's/$/\r/' "$P612/Makefile" >"$d/Makefile"
sed -i 's/$/\r/' "$d/$SRC"
kvm_header "$d" "$P612" 's/$/\r/'
audit crlf-sources "$d" 0 '^verdict: FIXED$' 'Linux 6.12.118, line: 6.12.y;' \
	'identical to the project.s patched 6.12.y in ([0-9]+) of \1 '
# sparse NAME: a tree of copies of the files the audit reads, less some.
sparse()
{
	local d=$O/trees/$1 f

	for f in Makefile "$SRC" arch/arm64/include/asm/kvm_host.h \
		arch/arm64/include/asm/kvm_hyp.h arch/arm64/include/asm/virt.h \
		arch/arm64/kvm/hyp/nvhe/hyp-main.c arch/arm64/kvm/hyp/include/hyp/debug-sr.h \
		arch/arm64/kvm/hyp/include/hyp/switch.h; do
		[ -f "$P612/$f" ] || continue
		mkdir -p "$(dirname "$d/$f")"
		cp "$P612/$f" "$d/$f"
	done
	echo "$d"
}
d=$(sparse sparse-all)
audit sparse-all "$d" 0 '^verdict: FIXED$' 'modes judged: nvhe, protected, protected-hvhe;'
d=$(sparse no-virt-h)
rm "$d/arch/arm64/include/asm/virt.h"
audit no-virt-h "$d" 1 'has no arch/arm64/include/asm/virt.h, .*protected mode'
d=$(sparse no-hyp-main)
rm "$d/arch/arm64/kvm/hyp/nvhe/hyp-main.c"
audit no-hyp-main "$d" 1 'has no arch/arm64/kvm/hyp/nvhe/hyp-main.c, .*vcpu flags'
d=$(sparse no-hyp-include)
rm -r "$d/arch/arm64/kvm/hyp/include"
audit no-hyp-include "$d" 1 'has no arch/arm64/kvm/hyp/include/hyp/debug-sr.h, .*includes <hyp/debug-sr.h>'
settle
for f in no-virt-h no-hyp-main no-hyp-include; do
	[ "$(wc -l <"$O/$f.out")" -eq 1 ] || bad "$f: more than one line"
done

later "trees the model cannot build: the construct is named"
d=$(broken unknown-call "$P612" 's/^\(\t*\)write_sysreg_s(0, SYS_TRBLIMITR_EL1);/&\n\1vendor_trbe_quiesce();/')
judge unknown-call "$d" 1 'cannot model .*arch/arm64/kvm/hyp/nvhe/debug-sr.c:[0-9]+ calls vendor_trbe_quiesce\(\)' \
	': `.*vendor_trbe_quiesce\(\);'
d=$(broken unknown-field "$P612" 's/host_debug_state\.trblimitr_el1/host_debug_state.vendor_limit/')
judge unknown-field "$d" 1 'cannot model .*debug-sr.c:[0-9]+ uses field vendor_limit of struct'
d=$(vcopy percpu-undefined)
sed -i 's/^struct kvm_host_buffers {/struct kvm_host_buffers_v2 {/' "$d/arch/arm64/include/asm/kvm_host.h"
audit percpu-undefined "$d" 1 'cannot model .*per-CPU kvm_host_buffers is of struct kvm_host_buffers, which no header'

later "bad input"
audit no-linux "" 1 'LINUX is not set'
audit not-a-dir "$TOP/Makefile" 1 'is not a directory'
mkdir -p "$O/empty" "$O/x86/arch/x86"
audit not-a-kernel "$O/empty" 1 'is not a Linux source tree'
printf 'VERSION = 6\nPATCHLEVEL = 6\nSUBLEVEL = 0\n' >"$O/x86/Makefile"
audit not-arm64 "$O/x86" 1 'no arch/arm64'
mkdir -p "$O/nokvm/arch/arm64"
cp "$O/x86/Makefile" "$O/nokvm/Makefile"
audit no-kvm "$O/nokvm" 1 'no arch/arm64/kvm/hyp/nvhe/debug-sr.c'
settle
JOBS=1
# Unreadable: as root everything is readable, so run the audit as nobody.
unreadable()
{
	local name=$1 tree=$2 rc=0 out=$O/$1.out

	shift 2
	if [ "$(id -u)" -ne 0 ]; then
		audit "$name" "$tree" 1 "$@"
		settle
	elif command -v setpriv >/dev/null; then
		mkdir -p "$O/nb"
		chmod 777 "$O/nb"
		BUILD=$O/nb/build HOME=$O/nb setpriv --reuid=65534 --regid=65534 \
			--clear-groups "$AUDIT" "$tree" >"$out" 2>&1 || rc=$?
		if [ "$rc" -eq 1 ] && grep -Eq -- "$1" "$out" && [ "$(wc -l <"$out")" -eq 1 ]; then
			ok "$name: exit 1 as nobody ($(cat "$out"))"
		else
			bad "$name: exit $rc as nobody: $(cat "$out")"
		fi
	else
		bad "$name: running as root without setpriv: cannot test"
	fi
}
chmod 755 "$O"
mkdir -p "$O/unreadable"
chmod 000 "$O/unreadable"
unreadable unreadable-dir "$O/unreadable" 'is not readable by'
d=$(copy unreadable-src "$P612")
chmod 755 "$O/trees" "$O/trees/unreadable-src"
chmod 000 "$d/$SRC"
unreadable unreadable-src "$d" 'debug-sr.c is not readable by'
settle
for f in "$O"/*.out; do
	case "$f" in
	*/no-linux.out | */not-a-*.out | */no-kvm.out)
		[ "$(wc -l <"$f")" -eq 1 ] || bad "$(basename "$f" .out): more than one line"
		;;
	esac
done

tap_done test-audit.sh
