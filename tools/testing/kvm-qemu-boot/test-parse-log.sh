#!/bin/bash
# test-parse-log.sh: tests of parse-log.sh on made-up serial logs: a good
# run passes, and each way a boot can go wrong is caught with its reason.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
NVHE='kvm \[1\]: Hyp (nVHE )?mode initialized successfully$'
failures=0

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

	REQUIRE=${REQUIRE:-} "$HERE/parse-log.sh" "$TMP/log" "${MODE:-$NVHE}" \
		>"$TMP/out" 2>&1 || rc=$?
	if [ "$rc" -eq "$want" ] && grep -qE -- "$pattern" "$TMP/out"; then
		echo "ok - $name"
	else
		echo "not ok - $name (exit $rc, wanted $want and /$pattern/)"
		sed 's/^/#   /' "$TMP/out"
		failures=$((failures + 1))
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

[ "$failures" -eq 0 ] || { echo "test-parse-log.sh: $failures failed"; exit 1; }
echo "test-parse-log.sh: all passed"
