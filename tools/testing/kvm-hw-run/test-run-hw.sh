#!/bin/bash
# test-run-hw.sh: test run-hw.sh against fake boards (a made-up /sys and
# /proc) and a fake selftest, without hardware. No arguments.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
RUN=$HERE/run-hw.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 n=0

check()
{
	local what=$1

	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $what"
	else
		echo "not ok $n $what"
		fails=$((fails + 1))
	fi
}

# board DIR CPU=MIDR...: a fake /sys and /proc in DIR with those CPUs.
board()
{
	local dir=$1 c

	shift
	mkdir -p "$dir/sys/bus/event_source/devices" "$dir/sys/bus/coresight/devices" "$dir/proc"
	echo "console=ttyAMA0 kvm-arm.mode=protected" >"$dir/proc/cmdline"
	: >"$dir/kvm"
	for c in "$@"; do
		mkdir -p "$dir/sys/devices/system/cpu/cpu${c%%=*}/regs/identification"
		echo "${c#*=}" >"$dir/sys/devices/system/cpu/cpu${c%%=*}/regs/identification/midr_el1"
	done
}

with_pmus()
{
	local ev=$1/sys/bus/event_source/devices

	mkdir -p "$ev/cs_etm" "$ev/arm_spe_0" "$1/sys/bus/coresight/devices/trbe0"
	echo 9 >"$ev/cs_etm/type"
	echo 10 >"$ev/arm_spe_0/type"
	echo 0-1 >"$ev/arm_spe_0/cpumask"
}

# A selftest that prints the KTAP given in $T/ktap and exits with $T/rc.
cat >"$T/selftest" <<EOF
#!/bin/sh
cat "$T/ktap"
exit "\$(cat "$T/rc")"
EOF
chmod +x "$T/selftest"
ktap()
{
	printf '%s\n' "TAP version 13" "1..3" "ok 1 ID_AA64DFR0_EL1 hides TraceBuffer, TraceFilt and PMSVer" \
		"$1 2 buffer and filter registers UNDEF in the guest" \
		"ok 3 # SKIP spe: AUX head advances after vcpu runs" >"$T/ktap"
	echo "$2" >"$T/rc"
}

# run BOARD ARGS...: run-hw.sh on BOARD; output in $T/out, status in $T/status.
run()
{
	local b=$1

	shift
	echo 0 >"$T/status"
	SYSFS_ROOT=$b/sys PROC_ROOT=$b/proc KVM_DEV=$b/kvm "$RUN" "$@" >"$T/out" 2>&1 ||
		echo $? >"$T/status"
}

has() { grep -qF -- "$1" "$T/out"; }
status() { [ "$(cat "$T/status")" = "$1" ]; }

board "$T/a" 0=0x00000000410fd461 1=0x00000000410fd490 2=0x000000006d0fd490
with_pmus "$T/a"
ktap ok 0
run "$T/a" --selftest "$T/selftest" --repeat 2
check "passing runs exit 0" status 0
check "Cortex-A510 named with its revision" has "# hw cpu: cpu0 MIDR 0x410fd461 Cortex-A510 r0p1"
check "A510 errata listed" has "erratum-2064142(CONFIG_ARM64_ERRATUM_2064142=?) erratum-2038923"
check "Neoverse-N2 errata listed" has "Neoverse-N2 r0p0 erratum-2139208(CONFIG_ARM64_ERRATUM_2139208=?) erratum-2067961"
check "Azure Cobalt 100 by its own implementer" has "cpu2 MIDR 0x6d0fd490 Azure Cobalt 100 r0p0 erratum-2139208"
check "TRBE found" has "# hw trbe: cs_etm type 9, sinks: trbe0"
check "SPE found" has "# hw spe: arm_spe_0(type 10, cpus 0-1)"
check "KVM mode from the command line" has "kvm-arm.mode=protected"
check "pass result line" has "# result: run2.buffer_and_filter_registers_UNDEF_in_the_guest pass"
check "skip result line" has "# result: run1.spe_AUX_head_advances_after_vcpu_runs skip"
check "summary" has "host_trace_buffers: 2 passed, 0 failed, 0 skipped"

board "$T/b" 0=0x00000000410fd034
ktap "not ok" 1
run "$T/b" --selftest "$T/selftest"
check "failing run exits 1" status 1
check "fail result line" has "# result: run1.buffer_and_filter_registers_UNDEF_in_the_guest fail"
check "no TRBE reported" has "# hw trbe: none"
check "no SPE reported" has "# hw spe: none"
check "no errata for a part without any" has "# hw cpu: cpu0 MIDR 0x410fd034 Arm part 0xd03 r0p4"

ktap ok 4
run "$T/b" --selftest "$T/selftest"
check "selftest skipped as a whole exits 4, not 0" status 4

rm "$T/b/kvm"
run "$T/b" --selftest "$T/selftest"
check "no /dev/kvm exits 4" status 4
check "no /dev/kvm says so" has "no $T/b/kvm"

run "$T/a" --selftest "$T/selftest" --repeat x
check "bad --repeat exits 2" status 2
check "bad --repeat is one line" [ "$(wc -l <"$T/out")" -eq 1 ]
run "$T/a" --selftest "$T/missing"
check "missing selftest exits 2" status 2

# The LAVA job: its artifact URLs are all marked placeholders, it runs
# this runner, and its parse pattern takes the runner's result lines.
LAVA=$HERE/lava-host-trace-buffers.yaml
urls_marked() { ! grep -E '^ *url:' "$LAVA" | grep -qv 'url: PLACEHOLDER-'; }
check "LAVA artifact URLs are placeholders" urls_marked
check "LAVA job runs run-hw.sh 20 times" grep -q -- 'run-hw.sh --selftest ./host_trace_buffers --repeat 20' "$LAVA"
pattern=$(sed -n "s/^ *pattern: '\(.*\)'$/\1/p" "$LAVA" | sed 's/?P<[a-z_]*>//g; s/\\S/[^ ]/g')
run "$T/a" --selftest "$T/selftest"
lava_parses() { [ "$(grep -cE "$pattern" "$T/out")" -eq "$(grep -c '^# result: ' "$T/out")" ]; }
check "LAVA pattern takes every result line" lava_parses

echo "# $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
