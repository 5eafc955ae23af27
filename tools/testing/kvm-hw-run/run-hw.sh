#!/bin/bash
# run-hw.sh: run the KVM host_trace_buffers selftest on an arm64 board and
# say what the board has that the test depends on: the trace (TRBE, via
# cs_etm) and profiling (SPE) PMUs, each CPU's MIDR with the errata the
# kernel knows for that part, and the KVM mode asked for on the command line.
#
#   run-hw.sh [--selftest PATH] [--repeat N]
#
# PATH defaults to host_trace_buffers next to this script. N runs in a row
# (default 1); any failing run fails the whole. Each KTAP result is also
# printed as "# result: NAME pass|fail|skip" for labs that parse lines.
# Exit: 0 no run failed and at least one ran (its host part may skip),
# 1 a run failed, 2 bad usage, 4 nothing ran here (no /dev/kvm, not arm64,
# or the selftest skipped as a whole).
#
# For testing the script itself: SYSFS_ROOT and PROC_ROOT replace /sys and
# /proc, KVM_DEV replaces /dev/kvm.
set -eu

SYS=${SYSFS_ROOT:-/sys}
PROC=${PROC_ROOT:-/proc}
KVM_DEV=${KVM_DEV:-/dev/kvm}
HERE=$(cd "$(dirname "$0")" && pwd)

usage()
{
	echo "run-hw.sh: error: $*; usage: run-hw.sh [--selftest PATH] [--repeat N]" >&2
	exit 2
}

selftest=$HERE/host_trace_buffers
repeat=1
while [ $# -gt 0 ]; do
	case "$1" in
	--selftest) [ $# -ge 2 ] || usage "--selftest needs a path"; selftest=$2; shift ;;
	--repeat) [ $# -ge 2 ] || usage "--repeat needs a number"; repeat=$2; shift ;;
	*) usage "unknown argument '$1'" ;;
	esac
	shift
done
case "$repeat" in
'' | *[!0-9]* | 0) usage "--repeat wants a positive number, not '$repeat'" ;;
esac
[ -x "$selftest" ] ||
	usage "no executable selftest at '$selftest'; build it (make -C tools/testing/selftests/kvm) or pass --selftest"

# part_name IMPLEMENTER PART: the core's name, as cputype.h knows it.
part_name()
{
	case "$1:$2" in
	0x41:0xd46) echo Cortex-A510 ;;
	0x41:0xd47) echo Cortex-A710 ;;
	0x41:0xd48) echo Cortex-X2 ;;
	0x41:0xd49) echo Neoverse-N2 ;;
	0x6d:0xd49) echo "Azure Cobalt 100" ;;
	0x41:*) echo "Arm part $2" ;;
	*) echo "implementer $1 part $2" ;;
	esac
}

# part_errata IMPLEMENTER PART: the trace-buffer errata silicon-errata.rst
# lists for the part (every revision it names is not checked here).
part_errata()
{
	case "$1:$2" in
	0x41:0xd46) echo "2064142 2038923" ;;
	0x41:0xd47 | 0x41:0xd48) echo "2119858 2224489" ;;
	0x41:0xd49 | 0x6d:0xd49) echo "2139208 2067961 2253138" ;;
	esac
}

# config_of SYMBOL: y/m/n from /proc/config.gz, or "?" when not available.
config_of()
{
	local v

	[ -r "$PROC/config.gz" ] || { echo "?"; return; }
	v=$(zcat "$PROC/config.gz" | sed -n "s/^CONFIG_$1=//p")
	echo "${v:-n}"
}

report_cpus()
{
	local f cpu midr imp part var rev errata e

	for f in "$SYS"/devices/system/cpu/cpu[0-9]*/regs/identification/midr_el1; do
		[ -r "$f" ] || { echo "# hw cpu: no MIDR in $SYS/devices/system/cpu/*/regs"; return; }
		cpu=${f#"$SYS"/devices/system/cpu/}
		cpu=${cpu%%/*}
		midr=$(($(cat "$f")))
		imp=$(printf '0x%02x' $(((midr >> 24) & 0xff)))
		part=$(printf '0x%03x' $(((midr >> 4) & 0xfff)))
		var=$(((midr >> 20) & 0xf))
		rev=$((midr & 0xf))
		errata=$(part_errata "$imp" "$part")
		printf '# hw cpu: %s MIDR %#x %s r%sp%s' "$cpu" "$midr" \
			"$(part_name "$imp" "$part")" "$var" "$rev"
		for e in $errata; do
			printf ' erratum-%s(CONFIG_ARM64_ERRATUM_%s=%s)' "$e" "$e" \
				"$(config_of "ARM64_ERRATUM_$e")"
		done
		echo
	done
}

report_pmus()
{
	local d trbe="" spe=""

	for d in "$SYS"/bus/coresight/devices/trbe*; do
		[ -e "$d" ] && trbe="$trbe ${d##*/}"
	done
	if [ -r "$SYS/bus/event_source/devices/cs_etm/type" ] && [ -n "$trbe" ]; then
		echo "# hw trbe: cs_etm type $(cat "$SYS/bus/event_source/devices/cs_etm/type"), sinks:$trbe"
	else
		echo "# hw trbe: none (no cs_etm PMU with a trbe sink)"
	fi
	for d in "$SYS"/bus/event_source/devices/arm_spe_*; do
		[ -r "$d/type" ] || continue
		spe="$spe ${d##*/}(type $(cat "$d/type"), cpus $(cat "$d/cpumask" 2>/dev/null || echo '?'))"
	done
	echo "# hw spe:${spe:- none (no arm_spe PMU)}"
}

report_host()
{
	local mode

	mode=$(tr ' ' '\n' <"$PROC/cmdline" | sed -n 's/^kvm-arm\.mode=//p')
	echo "# hw kernel: $(uname -r 2>/dev/null || echo '?'), kvm-arm.mode=${mode:-default}"
	report_cpus
	report_pmus
}

# run_once N: one run of the selftest; its KTAP as it is, plus a result line
# per test. Returns the selftest's exit status.
run_once()
{
	local out rc=0

	out=$(mktemp)
	"$selftest" >"$out" 2>&1 || rc=$?
	cat "$out"
	awk -v run="$1" '
		/^not ok [0-9]+ / { r = "fail" }
		/^ok [0-9]+ / { r = / # SKIP / ? "skip" : "pass" }
		r != "" {
			sub(/^(not )?ok [0-9]+ (# SKIP )?/, "")
			sub(/ # .*/, "")
			gsub(/[^A-Za-z0-9_.-]+/, "_")
			sub(/_+$/, "")
			print "# result: run" run "." $0 " " r
			r = ""
		}' "$out"
	rm -f "$out"
	return "$rc"
}

[ "$(uname -m)" = aarch64 ] || [ -n "${SYSFS_ROOT:-}" ] ||
	{ echo "# run-hw.sh: not an arm64 machine ($(uname -m)); nothing to run"; exit 4; }
[ -c "$KVM_DEV" ] || [ -f "$KVM_DEV" ] ||
	{ echo "# run-hw.sh: no $KVM_DEV; boot with KVM enabled (and kvm-arm.mode=nvhe or protected)"; exit 4; }

report_host
passed=0 failed=0 skipped=0
for i in $(seq 1 "$repeat"); do
	rc=0
	run_once "$i" || rc=$?
	case "$rc" in
	0) passed=$((passed + 1)) ;;
	4) skipped=$((skipped + 1)); echo "# run $i: skipped as a whole" ;;
	*) failed=$((failed + 1)); echo "# run $i: exit $rc" ;;
	esac
done
echo "host_trace_buffers: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || exit 1
[ "$passed" -gt 0 ] || exit 4
