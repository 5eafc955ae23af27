#!/bin/bash
# test-parse-log.sh: tests of parse-log.sh on made-up serial logs: a good
# run passes, and each way a boot can go wrong is caught with its reason.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../../mk/tests/tap.sh
. "$HERE/../../../mk/tests/tap.sh"
NVHE='kvm \[1\]: Hyp (nVHE )?mode initialized successfully$'

good_log()
{
	cat <<'LOG'
[    0.3] kvm [1]: Hyp nVHE mode initialized successfully
KTAP version 1
1..3
# knb-init: running psci_test
# TAP version 13
# ok 1 some inner test
ok 1 psci_test
ok 2 vgic_init # SKIP
ok 3 host_trace_buffers
# knb-init: done pass:2 fail:0 skip:1
LOG
}

# expect NAME STATUS PATTERN: parse $TMP/log; want exit STATUS and PATTERN
# in the output.
expect()
{
	local name=$1 want=$2 pattern=$3 rc=0

	# The cases set these as variables; parse-log.sh takes them as options.
	"$HERE/parse-log.sh" --require "${REQUIRE:-}" --hazards "${HAZARDS:-}" \
		--qemu-rc "${QEMU_RC:-}" --require-inner "${REQUIRE_INNER:-}" \
		--must-fail "${MUST_FAIL:-}" --must-fail-inner "${MUST_FAIL_INNER:-}" \
		"$TMP/log" "${MODE:-$NVHE}" >"$TMP/out" 2>&1 || rc=$?
	if [ "$rc" -eq "$want" ] && grep -qE -- "$pattern" "$TMP/out"; then
		tap_ok "$name"
	else
		tap_fail "$name (exit $rc, wanted $want and /$pattern/)" "$TMP/out"
	fi
}

good_log >"$TMP/log"
expect "good run" 0 'result: ok pass=2 fail=0 skip=1'
REQUIRE=host_trace_buffers expect "required test passed" 0 'result: ok'
REQUIRE=vgic_init expect "required test skipped" 1 'required test did not pass: vgic_init \(skipped\)'
MODE='kvm \[1\]: Protected hVHE mode initialized successfully$' \
	expect "wrong KVM mode" 1 'not in the expected KVM mode.*Hyp nVHE mode'

good_log | sed 's/^ok 3 host_trace_buffers/not ok 3 host_trace_buffers # exit=1/' >"$TMP/log"
expect "failed test" 1 'problem: failed: not ok 3 host_trace_buffers'

good_log | sed '/knb-init: done/d' >"$TMP/log"
expect "hang before the end" 1 'init did not finish'

good_log | sed '/kvm \[1\]/d' >"$TMP/log"
expect "no KVM at all" 1 'no KVM init message'

{ good_log; echo '[    9.1] kvm [1]: nVHE hyp panic at: [<ffff800008f0>] __kvm_nvhe_handle_trap+0x10/0x20!'; } >"$TMP/log"
expect "hyp panic" 1 'problem: hyp panic'

{ good_log; echo '[    9.1] Kernel panic - not syncing: Attempted to kill init!'; } >"$TMP/log"
expect "kernel panic" 1 'problem: kernel panic'

{ good_log; echo '[    9.1] WARNING: CPU: 0 PID: 1 at arch/arm64/kvm/arm.c:100 x+0x0/0x4'; } >"$TMP/log"
expect "WARN" 1 'problem: WARN'

{ good_log; echo '[    9.1] BUG: sleeping function called from invalid context'; } >"$TMP/log"
expect "BUG" 1 'problem: BUG'

{ good_log; echo '[    9.1] Internal error: Oops: 0000000096000004 [#1] SMP'; } >"$TMP/log"
expect "oops" 1 'problem: oops'

good_log | sed -e 's/^ok [0-9] psci_test/ok 1 psci_test # SKIP/' \
	-e 's/^ok 3 host_trace_buffers/ok 3 host_trace_buffers # SKIP/' >"$TMP/log"
expect "everything skipped" 1 'no test passed'

good_log | sed 's/$/\r/' >"$TMP/log"
expect "serial CRLF line ends" 0 'result: ok pass=2'

# hazard_log SE SX TE TX: a good run under the buffer models, with the SPE
# inner tests, and QEMU's exit report of SPE and TRBE entry and exit
# hazards on CPU 0 (its fields in another order on CPU 1).
hazard_log()
{
	good_log | sed '/^ok 3 host_trace_buffers/i\
# ok 7 spe: AUX head advances after vcpu runs\
# ok 8 spe: nothing recorded while the guest spins\
# ok 4 # SKIP trbe: AUX head advances after vcpu runs'
	echo "qemu-system-aarch64: info: arm-buffer-hazards: cpu=0 spe-entry=$1 spe-exit=$2 trbe-entry=$3 trbe-exit=$4"
	echo "qemu-system-aarch64: info: arm-buffer-hazards: cpu=1 trbe-exit=1 trbe-entry=0 spe-exit=0 spe-entry=0"
}

# fatal_log DIR: a run that QEMU stopped at its first hazard, of DIR.
fatal_log()
{
	good_log | sed '/^# knb-init: running psci_test/,$d'
	echo "qemu-system-aarch64: arm-buffer-hazard: fatal: cpu=0 unit=TRBE dir=$1 event=mdcr_el2 pc=0xffff800080012345 el=2 owner=EL2"
}

hazard_log 0 0 0 0 | sed '/cpu=1/d' >"$TMP/log"
HAZARDS=none REQUIRE_INNER=spe: expect "patched: no hazard" 0 \
	'result: ok .* hazards=spe-entry:0,spe-exit:0,trbe-entry:0,trbe-exit:0'
HAZARDS=entry expect "unpatched run without hazards" 1 \
	'expected entry hazards from both buffers, got SPE entry 0 exit 0, TRBE entry 0 exit 0'
REQUIRE_INNER=trbe: expect "inner tests skipped" 1 'inner tests trbe: did not all run: 0 passed, 1 skipped'
expect "what became of each host part" 0 '^parts: spe:ran,trbe:skipped$'
hazard_log 2000 3 1999 0 >"$TMP/log"
HAZARDS=entry expect "unpatched: hazards, summed by name over CPUs" 0 \
	'result: ok .* hazards=spe-entry:2000,spe-exit:3,trbe-entry:1999,trbe-exit:1'
HAZARDS=none expect "patched run with hazards" 1 \
	'problem: buffer enabled across a change of its owning regime: SPE entry 2000 exit 3, TRBE entry 1999 exit 1'
HAZARDS="exit" expect "exit mutant: more entry than exit hazards" 1 \
	'expected exit hazards from both buffers, more than entry ones'
hazard_log 0 0 0 0 >"$TMP/log"
HAZARDS=none expect "patched run with one exit hazard on CPU 1" 1 'TRBE entry 0 exit 1'
hazard_log 0 4 0 2 >"$TMP/log"
HAZARDS="exit" expect "exit mutant: exit hazards only" 0 'result: ok'
HAZARDS=entry expect "exit hazards are not entry hazards" 1 'expected entry hazards'
hazard_log 1 4 1 2 >"$TMP/log"
HAZARDS="exit" expect "exit mutant: a given-up switch counted as entry" 0 'result: ok'
hazard_log 4 4 3 2 >"$TMP/log"
HAZARDS="exit" expect "exit mutant: as many entry as exit (the unpatched shape)" 1 \
	'got SPE entry 4 exit 4, TRBE entry 3 exit 3'
hazard_log 5 0 0 0 >"$TMP/log"
HAZARDS=entry expect "one buffer only" 1 'got SPE entry 5 exit 0, TRBE entry 0 exit 1'
HAZARDS=entry-spe expect "SPE only, but a TRBE exit hazard" 1 'expected entry hazards from SPE only'
hazard_log 5 2 0 0 | sed '/cpu=1/d' >"$TMP/log"
HAZARDS=entry-spe expect "SPE entry hazards only" 0 'result: ok'
HAZARDS=entry-trbe expect "TRBE wanted, SPE seen" 1 'expected entry hazards from TRBE only, got SPE entry 5'
hazard_log 0 0 7 7 | sed '/cpu=1/d' >"$TMP/log"
HAZARDS=entry-trbe expect "TRBE entry hazards only" 0 'result: ok'
good_log >"$TMP/log"
HAZARDS=none expect "stock QEMU" 1 'no arm-buffer-hazards report'
expect "no tagged inner tests" 0 '^parts: none$'
fatal_log entry >"$TMP/log"
QEMU_RC=3 HAZARDS=fatal-entry expect "fatal: stopped at an entry hazard" 0 'fatal: cpu=0 unit=TRBE dir=entry'
QEMU_RC=3 HAZARDS=fatal-exit expect "fatal: wrong direction" 1 'first hazard was entry, wanted exit'
QEMU_RC=1 HAZARDS=fatal-entry expect "fatal: wrong exit status" 1 'QEMU exit status 1 after a fatal hazard, wanted 3'
HAZARDS=entry expect "fatal run judged as a full one" 1 'init did not finish'
good_log >"$TMP/log"
QEMU_RC=0 HAZARDS=fatal-entry expect "fatal: no hazard at all" 1 'no fatal hazard: QEMU ran on \(exit status 0\)'

# instance_log NAME2: the host parts named by PMU instance, two SPE
# instances (the second named NAME2) and a TRBE.
instance_log()
{
	good_log | sed "/^ok 3 host_trace_buffers/i\\
# ok 4 arm_spe_0: recording resumes after vcpu runs\\
# ok 5 $1: recording resumes after vcpu runs\\
# ok 6 trbe0: recording resumes after vcpu runs"
}

instance_log arm_spe_1 >"$TMP/log"
REQUIRE_INNER="spe: trbe:" expect "instances count for their unit" 0 '^parts: spe:ran,trbe:ran$'
REQUIRE_INNER="arm_spe_0: arm_spe_1: trbe:" expect "each instance asked for by name" 0 'result: ok'
REQUIRE_INNER="arm_spe_0: arm_spe_2:" expect "an instance that did not run" 1 \
	'inner tests arm_spe_2: did not all run: 0 passed, 0 skipped'
instance_log arm_spe_1 | sed 's/^# ok 5 arm_spe_1:/# ok 5 # SKIP arm_spe_1:/' >"$TMP/log"
REQUIRE_INNER="spe: arm_spe_1:" expect "an instance that skipped" 1 \
	'inner tests arm_spe_1: did not all run: 0 passed, 1 skipped'
instance_log arm_spe_0 >"$TMP/log"
REQUIRE_INNER="arm_spe_0: arm_spe_1:" expect "one instance under two names" 1 \
	'inner tests arm_spe_1: did not all run: 0 passed, 0 skipped'
expect "two results of one name" 1 'problem: two inner results named "arm_spe_0: recording resumes after vcpu runs"'
{ instance_log arm_spe_1; instance_log arm_spe_1 | sed -n '/^# ok/p;/^ok 3/p'; } >"$TMP/log"
expect "the same names in another program" 0 'result: ok'

# mutant_log: the selftest caught a mutant: one inner test and the
# program failed.
mutant_log()
{
	good_log | sed -e 's/^ok 3 host_trace_buffers/not ok 3 host_trace_buffers/' \
		-e '/^not ok 3 host_trace_buffers/i\
# not ok 5 spe: records again after vcpu runs # buffer stayed off'
}

mutant_log >"$TMP/log"
REQUIRE=host_trace_buffers MUST_FAIL=host_trace_buffers \
	MUST_FAIL_INNER="spe: records again after vcpu runs" \
	expect "mutant caught by the named inner test" 0 'result: ok pass=1 fail=0 skip=1 xfail=1'
expect "a failed part" 1 '^parts: spe:failed$'
MUST_FAIL=host_trace_buffers MUST_FAIL_INNER="spe: nothing recorded while the guest spins" \
	expect "mutant caught, but not by the test named" 1 \
	'a mutant went unseen: inner test "spe: nothing recorded while the guest spins" did not fail'
expect "a failure that is not expected" 1 'problem: failed: not ok 3 host_trace_buffers'
good_log >"$TMP/log"
MUST_FAIL=host_trace_buffers expect "mutant unseen" 1 'a mutant went unseen: host_trace_buffers did not fail'

# The mode pattern reads the same whichever awk is /usr/bin/awk (gawk
# comes with lava-dispatcher; mawk is Debian's default).
for a in gawk mawk; do
	command -v "$a" >/dev/null || { tap_ok "$a as awk # SKIP $a not installed"; continue; }
	mkdir -p "$TMP/$a"
	ln -sf "$(command -v "$a")" "$TMP/$a/awk"
	good_log >"$TMP/log"
	PATH=$TMP/$a:$PATH expect "$a as awk: the mode pattern matches" 0 'result: ok'
done

# An option given without its value: one line, exit 2.
for opt in --hazards --must-fail-inner; do
	rc=0
	"$HERE/parse-log.sh" "$opt" >"$TMP/out" 2>&1 || rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/out")" -eq 1 ] &&
	   grep -q "^parse-log.sh: error: $opt needs a value" "$TMP/out"; then
		tap_ok "$opt without a value"
	else
		tap_fail "$opt without a value (exit $rc, wanted 2 and one line)" "$TMP/out"
	fi
done

tap_done test-parse-log.sh
