#!/bin/sh
# run-hw.sh: run the KVM host_trace_buffers selftest on an arm64 board and
# judge what the run shows, one named case per thing checked. POSIX sh: it
# runs under busybox sh (or dash, or bash) and says what it misses.
#
#   run-hw.sh [--selftest PATH] [--repeat N] [--expect-mode MODE] [--allow-skip]
#
# PATH defaults to host_trace_buffers next to this script; N runs in a row
# (default 1). MODE is the KVM mode the board must have initialised: nvhe,
# protected-nvhe, protected-hvhe, or protected (either of the two).
#
# First it prints what the board has ("# hw" lines: kernel, each CPU's MIDR
# with the trace-buffer errata the kernel knows for that part, the TRBE and
# SPE PMUs). Then the selftest's KTAP output, streamed as it comes. Every
# case is a line "# result: NAME pass|fail|skip", NAME stable from run to
# run whatever the outcome:
#
#   kvm-mode          the kernel's own "... mode initialized successfully"
#                     line names a mode that uses the nVHE world switch
#                     (not VHE, not none), and MODE when given
#   runI.TEST         each KTAP result of run I; TEST is the result's
#                     "unit: check" text, without a skip's reason
#   runI.selftest     run I as a whole: pass (exit 0), skip (exit 4), fail
#   host-parts        some run tested a host buffer (an spe or trbe result
#                     that is not a skip); if none could, fail, or skip
#                     with --allow-skip (a board known to have neither)
#   dmesg             no WARN, BUG, SError, hyp panic, Oops or lockup line
#                     appeared in the kernel log during the runs
#
# The last line counts the cases. Exit: 0 no case failed, 1 one did,
# 2 bad usage, 3 a command this script needs is missing.
#
# For testing the script itself: SYSFS_ROOT and PROC_ROOT replace /sys and
# /proc, KVM_DEV replaces /dev/kvm, DMESG names the command that prints the
# kernel log (default: dmesg), UNAME_M replaces what uname -m says.
set -eu

SYS=${SYSFS_ROOT:-/sys}
PROC=${PROC_ROOT:-/proc}
KVM_DEV=${KVM_DEV:-/dev/kvm}
DMESG=${DMESG:-dmesg}
NEEDS="awk cat dirname grep head mkdir mktemp rm sed tail tr uname wc"

usage()
{
	echo "run-hw.sh: error: $*; usage: run-hw.sh [--selftest PATH] [--repeat N] [--expect-mode nvhe|protected-nvhe|protected-hvhe|protected] [--allow-skip]" >&2
	exit 2
}

missing=""
for c in $NEEDS "$DMESG"; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
	echo "run-hw.sh: error: missing commands:$missing (needs: $NEEDS, $DMESG; busybox has them all)" >&2
	exit 3
fi

HERE=$(cd "$(dirname "$0")" && pwd)
selftest=$HERE/host_trace_buffers
repeat=1
expect=""
allow_skip=0
while [ $# -gt 0 ]; do
	case "$1" in
	--selftest) [ $# -ge 2 ] || usage "--selftest needs a path"; selftest=$2; shift ;;
	--repeat) [ $# -ge 2 ] || usage "--repeat needs a number"; repeat=$2; shift ;;
	--expect-mode) [ $# -ge 2 ] || usage "--expect-mode needs a mode"; expect=$2; shift ;;
	--allow-skip) allow_skip=1 ;;
	*) usage "unknown argument '$1'" ;;
	esac
	shift
done
case "$repeat" in
'' | *[!0-9]* | 0*) usage "--repeat wants a positive number, not '$repeat'" ;;
esac
case "$expect" in
'' | nvhe | protected-nvhe | protected-hvhe | protected) ;;
*) usage "--expect-mode takes nvhe, protected-nvhe, protected-hvhe or protected, not '$expect'" ;;
esac
if [ ! -f "$selftest" ] || [ ! -x "$selftest" ]; then
	usage "no executable selftest at '$selftest'; build it (make -C tools/testing/selftests/kvm) or pass --selftest"
fi
if [ -r "$PROC/config.gz" ] && ! command -v zcat >/dev/null 2>&1; then
	echo "run-hw.sh: error: missing command: zcat (to read $PROC/config.gz)" >&2
	exit 3
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
: >"$TMP/cases"

# emit NAME RESULT [WHY]: one case, printed and recorded.
emit()
{
	if [ $# -ge 3 ] && [ -n "$3" ]; then
		echo "# $1: $3"
	fi
	echo "# result: $1 $2"
	echo "$1 $2" >>"$TMP/cases"
}

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

# part_errata IMPLEMENTER PART: the TRBE and TSB errata that the kernel's
# arch/arm64/Kconfig and silicon-errata.rst list for the part (6.1 to 7.3;
# none names SPE). Which revisions each affects is not checked here.
part_errata()
{
	case "$1:$2" in
	0x41:0xd46) echo "1902691 2038923 2064142" ;;
	0x41:0xd47) echo "2054223 2119858 2224489" ;;
	0x41:0xd48) echo "2119858 2224489" ;;
	0x41:0xd49 | 0x6d:0xd49) echo "2067961 2139208 2253138" ;;
	esac
}

# config_of SYMBOL: y/m/n from /proc/config.gz, or "?" when not available.
config_of()
{
	if [ ! -r "$PROC/config.gz" ]; then
		echo "?"
		return
	fi
	zcat "$PROC/config.gz" | sed -n "s/^CONFIG_$1=//p" | grep . || echo n
}

report_cpus()
{
	for f in "$SYS"/devices/system/cpu/cpu[0-9]*/regs/identification/midr_el1; do
		if [ ! -r "$f" ]; then
			echo "# hw cpu: no MIDR in $SYS/devices/system/cpu/*/regs"
			return
		fi
		cpu=${f#"$SYS"/devices/system/cpu/}
		cpu=${cpu%%/*}
		midr=$(($(cat "$f")))
		imp=$(printf '0x%02x' $(((midr >> 24) & 0xff)))
		part=$(printf '0x%03x' $(((midr >> 4) & 0xfff)))
		line=$(printf '# hw cpu: %s MIDR 0x%x %s r%sp%s' "$cpu" "$midr" \
			"$(part_name "$imp" "$part")" $(((midr >> 20) & 0xf)) $((midr & 0xf)))
		for e in $(part_errata "$imp" "$part"); do
			line="$line erratum-$e(CONFIG_ARM64_ERRATUM_$e=$(config_of "ARM64_ERRATUM_$e"))"
		done
		echo "$line"
	done
}

report_pmus()
{
	trbe=""
	for d in "$SYS"/bus/coresight/devices/trbe*; do
		[ -e "$d" ] && trbe="$trbe ${d##*/}"
	done
	if [ -r "$SYS/bus/event_source/devices/cs_etm/type" ] && [ -n "$trbe" ]; then
		echo "# hw trbe: cs_etm type $(cat "$SYS/bus/event_source/devices/cs_etm/type"), sinks:$trbe"
	else
		echo "# hw trbe: none (no cs_etm PMU with a trbe sink)"
	fi
	spe=""
	for d in "$SYS"/bus/event_source/devices/arm_spe_*; do
		[ -r "$d/type" ] || continue
		spe="$spe ${d##*/}(type $(cat "$d/type"), cpus $(cat "$d/cpumask" 2>/dev/null || echo '?'))"
	done
	echo "# hw spe:${spe:- none (no arm_spe PMU)}"
}

# kernel_log FILE: the kernel log into FILE; false when it cannot be read.
kernel_log()
{
	"$DMESG" >"$1" 2>"$TMP/dmesg.err" && [ -s "$1" ]
}

# check_mode: the kvm-mode case, from the kernel's own message.
check_mode()
{
	if [ "$have_log" = 0 ]; then
		emit kvm-mode fail "cannot read the kernel log with '$DMESG'; run as root"
		return
	fi
	msg=$(grep -E 'kvm \[[0-9]+\]: .*mode initialized successfully' "$TMP/before" | tail -n 1 || true)
	case "$msg" in
	*"Protected hVHE mode initialized"*) mode=protected-hvhe ;;
	*"Protected nVHE mode initialized"*) mode=protected-nvhe ;;
	*"Hyp nVHE mode initialized"* | *"Hyp mode initialized"*) mode=nvhe ;;
	*"VHE mode initialized"*) mode=vhe ;;
	*) mode=none ;;
	esac
	echo "# kvm-mode: $mode${msg:+ (kernel: ${msg#*kvm })}"
	case "$mode:$expect" in
	vhe:*) emit kvm-mode fail "VHE: the nVHE world switch is not used; boot with kvm-arm.mode=nvhe or protected" ;;
	none:*) emit kvm-mode fail "no 'mode initialized successfully' line from KVM in the kernel log" ;;
	*:) emit kvm-mode pass ;;
	"$expect:$expect" | protected-*:protected) emit kvm-mode pass ;;
	*) emit kvm-mode fail "the kernel initialised $mode, the job expects $expect" ;;
	esac
}

# case_name TEXT: a KTAP description as a stable case name: its first two
# ": "-separated fields (unit and check; a skip adds its reason as a third),
# every run of other characters as one '_'.
case_name()
{
	n=$1
	rest=${1#*: }
	[ "$rest" = "$1" ] || n="${1%%: *}: ${rest%%: *}"
	printf '%s\n' "$n" | tr -cs 'A-Za-z0-9.-' '_' | sed 's/_*$//'
}

# ktap_result RUN LINE: the case of one KTAP result line (if it is one).
ktap_result()
{
	case "$2" in
	"ok "[0-9]* | "not ok "[0-9]*) ;;
	*) return 0 ;;
	esac
	res=pass
	desc=${2#ok }
	case "$2" in "not ok "*) res=fail; desc=${2#not ok } ;; esac
	desc=${desc#*[0-9] }
	case "$desc" in
	"# SKIP "*) res=skip; desc=${desc#"# SKIP "} ;;
	*" # SKIP"*) res=skip; desc=${desc%%" # SKIP"*} ;;
	*" # "*) desc=${desc%%" # "*} ;;
	esac
	name=run$1.$(case_name "$desc")
	seen=$(grep -cE "^$name(\.[0-9]+)? " "$TMP/cases" || true)
	[ "$seen" -eq 0 ] || name=$name.$((seen + 1))
	emit "$name" "$res"
	# Units by name (spe:, trbe:) or by instance (arm_spe_N:, trbeN:).
	case "$desc:$res" in
	spe:*:skip | trbe:*:skip | arm_spe_[0-9]*:*:skip | trbe[0-9]*:*:skip) ;;
	spe:*:* | trbe:*:* | arm_spe_[0-9]*:*:* | trbe[0-9]*:*:*) : >"$TMP/host-ran" ;;
	esac
}

# run_once I: run I of the selftest, its output streamed line by line with
# each result's case right after it.
run_once()
{
	{
		if "$selftest" 2>&1; then rc=0; else rc=$?; fi
		echo "$rc" >"$TMP/rc"
	} | while IFS= read -r l || [ -n "$l" ]; do
		printf '%s\n' "$l"
		ktap_result "$1" "$l"
	done
	rc=$(cat "$TMP/rc")
	case "$rc" in
	0) emit "run$1.selftest" pass ;;
	4) emit "run$1.selftest" skip "the selftest skipped as a whole" ;;
	*) emit "run$1.selftest" fail "the selftest exited $rc" ;;
	esac
}

# PROBLEMS: kernel log lines that mean the kernel or its hypervisor went
# wrong: warnings, BUGs, SErrors, hyp panics, oopses, lockups and stalls.
PROBLEMS='WARNING:|BUG:|BUG at|SError|[Hh]yp panic|Kernel panic|Internal error:|Unable to handle kernel|Oops|soft lockup|hard LOCKUP|detected stall|rcu_preempt self-detected'

# check_dmesg: the dmesg case, from the log before and after the runs. A
# line is new when it appears more often after than before.
check_dmesg()
{
	if [ "$have_log" = 0 ] || ! kernel_log "$TMP/after"; then
		emit dmesg fail "cannot read the kernel log with '$DMESG' ($(head -n 1 "$TMP/dmesg.err")); run as root"
		return
	fi
	awk 'NR == FNR { seen[$0]++; next } seen[$0]-- <= 0' "$TMP/before" "$TMP/after" |
		grep -E "$PROBLEMS" >"$TMP/new" || true
	grep -E "$PROBLEMS" "$TMP/before" | sed 's/^/# dmesg at start: /' || true
	if [ -s "$TMP/new" ]; then
		sed 's/^/# dmesg new: /' "$TMP/new"
		emit dmesg fail "$(wc -l <"$TMP/new" | tr -d ' ') new problem line(s) in the kernel log"
	else
		emit dmesg pass
	fi
}

arch=${UNAME_M:-$(uname -m)}
echo "# hw kernel: $(uname -r 2>/dev/null || echo '?') on $arch"
report_cpus
report_pmus

have_log=1
kernel_log "$TMP/before" || { have_log=0; : >"$TMP/before"; }
check_mode

i=1
if [ "$arch" != aarch64 ]; then
	emit run1.selftest fail "not an arm64 machine ($arch)"
elif [ ! -c "$KVM_DEV" ] && [ ! -f "$KVM_DEV" ]; then
	emit run1.selftest fail "no $KVM_DEV; boot with KVM enabled and kvm-arm.mode=nvhe or protected"
else
	while [ "$i" -le "$repeat" ]; do
		run_once "$i"
		i=$((i + 1))
	done
fi

if [ -e "$TMP/host-ran" ]; then
	emit host-parts pass
elif [ "$allow_skip" = 1 ]; then
	emit host-parts skip "no run tested a host buffer (allowed by --allow-skip)"
else
	emit host-parts fail "no run tested a host buffer (no SPE or TRBE usable); pass --allow-skip only for a board known to have neither"
fi
check_dmesg

passed=$(grep -c ' pass$' "$TMP/cases" || true)
failed=$(grep -c ' fail$' "$TMP/cases" || true)
skipped=$(grep -c ' skip$' "$TMP/cases" || true)
echo "run-hw: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || exit 1
