#!/bin/bash
# test-run-hw.sh: test run-hw.sh against fake boards (a made-up /sys, /proc
# and kernel log) and a fake selftest, without hardware, under dash, bash
# and busybox sh; and the board jobs' result pattern the way LAVA applies
# it (lava_dispatcher's own PatternFixup, re.M) to a CRLF serial stream.
# No arguments.
# shellcheck disable=SC2016 # check's eval strings expand when they run
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
RUN=$HERE/run-hw.sh
# shellcheck source=../../../mk/tests/tap.sh
. "$HERE/../../../mk/tests/tap.sh"
T=$TMP
PY=/usr/bin/python3

check()
{
	tap_check "$@"
}

# board DIR CPU=MIDR...: a fake /sys and /proc in DIR with those CPUs.
board()
{
	local dir=$1 c

	shift
	mkdir -p "$dir/sys/bus/event_source/devices" "$dir/sys/bus/coresight/devices" "$dir/proc"
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

# The kernel log: $T/kmsg, printed by a fake dmesg.
printf '#!/bin/sh\ncat "%s"\n' "$T/kmsg" >"$T/dmesg"
chmod +x "$T/dmesg"
kmsg()
{
	printf '[    0.0%02d000] %s\n' 1 "Booting Linux on physical CPU 0x0" \
		2 "kvm [1]: $1 mode initialized successfully" >"$T/kmsg"
}

# A selftest that prints the KTAP in $T/ktap and exits with $T/rc; with
# $T/during it runs that in between (to warn in the log or to wait).
cat >"$T/selftest" <<EOF
#!/bin/sh
head -n 2 "$T/ktap"
[ ! -x "$T/during" ] || "$T/during"
tail -n +3 "$T/ktap"
exit "\$(cat "$T/rc")"
EOF
chmod +x "$T/selftest"

# ktap NAME: one of the selftest's outputs, with its exit status.
ktap()
{
	local guest="guest: PMBLIMITR_EL1 and TRBLIMITR_EL1 UNDEF"
	local resumes="recording resumes after vcpu runs" sample="spe: no guest sample in the host's buffer"

	case "$1" in
	good) printf '%s\n' "TAP version 13" "ok 1 $guest" "ok 2 spe: $resumes" \
		"ok 3 # SKIP $sample: host EL1 not permitted" \
		"ok 4 # SKIP trbe: $resumes: no TRBE or no cs_etm PMU" >"$T/ktap"
		echo 0 >"$T/rc" ;;
	failing) printf '%s\n' "TAP version 13" "ok 1 $guest" "not ok 2 spe: $resumes" \
		"ok 3 $sample" "ok 4 # SKIP trbe: $resumes: no TRBE or no cs_etm PMU" >"$T/ktap"
		echo 1 >"$T/rc" ;;
	allskip) printf '%s\n' "TAP version 13" "ok 1 $guest" \
		"ok 2 # SKIP spe: $resumes: no arm_spe_N PMU" \
		"ok 3 # SKIP $sample: no arm_spe_N PMU" \
		"ok 4 # SKIP trbe: $resumes: no TRBE or no cs_etm PMU" >"$T/ktap"
		echo 4 >"$T/rc" ;;
	whole) printf '%s\n' "TAP version 13" "1..0 # SKIP no SPE (arm_spe_N) or TRBE (cs_etm) perf PMU" >"$T/ktap"
		echo 4 >"$T/rc" ;;
	esac
}

# run [SHELL] BOARD ARGS...: run-hw.sh on BOARD; output in $T/out, status
# in $T/status.
run()
{
	local sh=sh b

	case "$1" in sh | dash | bash | busybox) sh=$1; shift ;; esac
	b=$1
	shift
	[ "$sh" != busybox ] || sh="busybox sh"
	echo 0 >"$T/status"
	# shellcheck disable=SC2086 # "busybox sh" is two words
	SYSFS_ROOT=$b/sys PROC_ROOT=$b/proc KVM_DEV=$b/kvm UNAME_M=${UNAME_M:-aarch64} \
		DMESG=${DMESG:-$T/dmesg} $sh "$RUN" --selftest "$T/selftest" "$@" >"$T/out" 2>&1 ||
		echo $? >"$T/status"
}

has() { grep -qF -- "$1" "$T/out"; }
hasnt() { ! grep -qF -- "$1" "$T/out"; }
status() { [ "$(cat "$T/status")" = "$1" ]; }
cases() { sed -n 's/^# result: //p' "$T/out"; }

board "$T/a" 0=0x00000000410fd461 1=0x00000000410fd490 2=0x000000006d0fd490 3=0x00000000410fd470
with_pmus "$T/a"
kmsg "Hyp nVHE"
ktap good
run "$T/a" --repeat 2 --expect-mode nvhe
check "passing runs exit 0" status 0
check "Cortex-A510 named with its revision" has "# hw cpu: cpu0 MIDR 0x410fd461 Cortex-A510 r0p1"
check "A510 errata listed, 1902691 too" has "erratum-1902691(CONFIG_ARM64_ERRATUM_1902691=?) erratum-2038923(CONFIG_ARM64_ERRATUM_2038923=?) erratum-2064142"
check "A710 errata listed, 2054223 too" has "Cortex-A710 r0p0 erratum-2054223(CONFIG_ARM64_ERRATUM_2054223=?) erratum-2119858"
check "Neoverse-N2 errata listed" has "Neoverse-N2 r0p0 erratum-2067961(CONFIG_ARM64_ERRATUM_2067961=?) erratum-2139208"
check "Azure Cobalt 100 by its own implementer" has "cpu2 MIDR 0x6d0fd490 Azure Cobalt 100 r0p0 erratum-2067961"
check "TRBE found" has "# hw trbe: cs_etm type 9, sinks: trbe0"
check "SPE found" has "# hw spe: arm_spe_0(type 10, cpus 0-1)"
check "KVM mode from the kernel's message" has "# kvm-mode: nvhe (kernel: [1]: Hyp nVHE mode initialized successfully)"
check "kvm-mode case passes" has "# result: kvm-mode pass"
check "KTAP streamed as is" has "ok 2 spe: recording resumes after vcpu runs"
check "pass case" has "# result: run2.spe_recording_resumes_after_vcpu_runs pass"
check "skip case named without its reason" has "# result: run1.spe_no_guest_sample_in_the_host_s_buffer skip"
check "each run as a whole" has "# result: run2.selftest pass"
check "host part ran" has "# result: host-parts pass"
check "clean kernel log" has "# result: dmesg pass"
check "summary of the cases" has "run-hw: 9 passed, 0 failed, 4 skipped"
cases >"$T/cases.good"
for sh in dash bash busybox; do
	run "$sh" "$T/a" --repeat 2 --expect-mode nvhe
	check "$sh: same cases and status" eval 'status 0 && cases | cmp -s - "$T/cases.good"'
done

# Under busybox alone: a PATH holding nothing but busybox's applets.
mkdir "$T/bb"
for c in awk cat dirname dmesg grep head mkdir mktemp rm sed sh tail tr uname wc zcat; do
	ln -s "$(command -v busybox)" "$T/bb/$c"
done
ln -s "$(command -v busybox)" "$T/bb/busybox"
PATH=$T/bb run busybox "$T/a" --repeat 2 --expect-mode nvhe
check "busybox's applets only: same cases" eval 'status 0 && cases | cmp -s - "$T/cases.good"'
rm "$T/bb/wc"
PATH=$T/bb run busybox "$T/a"
check "a missing command exits 3" status 3
check "a missing command is named in one line" eval '[ "$(wc -l <"$T/out")" -eq 1 ] && has "missing commands: wc"'

# Case names do not change with the outcome.
ktap allskip
run "$T/a"
check "every host part skipped: exit 1" status 1
check "every host part skipped: host-parts fails" has "# result: host-parts fail"
check "skipped check keeps its name" has "# result: run1.spe_recording_resumes_after_vcpu_runs skip"
check "same names as when it passes" eval \
	'[ "$(cases | cut -d" " -f1)" = "$(sed -n "/^run1\./p; /^kvm-mode/p; /^host-parts/p; /^dmesg/p" "$T/cases.good" | cut -d" " -f1)" ]'
run "$T/a" --allow-skip
check "--allow-skip: exit 0" status 0
check "--allow-skip: host-parts is a skip, not a pass" has "# result: host-parts skip"
ktap whole
run "$T/a" --repeat 2
check "skipped as a whole: exit 1" status 1
check "skipped as a whole: the run's case skips" has "# result: run2.selftest skip"
check "skipped as a whole: host-parts fails" has "# result: host-parts fail"

ktap failing
run "$T/a"
check "failing run exits 1" status 1
check "fail case" has "# result: run1.spe_recording_resumes_after_vcpu_runs fail"
check "failing run as a whole" has "# result: run1.selftest fail"
check "a failed host part still ran" has "# result: host-parts pass"

# A WARN during the runs is its own failing case; one from boot is not.
ktap good
printf '#!/bin/sh\necho "[   12.000000] WARNING: CPU: 1 PID: 80 at arch/arm64/kvm/hyp/nvhe/switch.c:300" >>"%s"\n' \
	"$T/kmsg" >"$T/during"
chmod +x "$T/during"
run "$T/a"
check "WARN during the run: exit 1" status 1
check "WARN during the run: dmesg fails" has "# result: dmesg fail"
check "WARN during the run: the line is shown" has "# dmesg new: [   12.000000] WARNING: CPU: 1 PID: 80"
check "WARN during the run: the selftest itself passed" has "# result: run1.selftest pass"
rm "$T/during"
run "$T/a"
check "WARN from before the run is not new" eval 'status 0 && has "# dmesg at start: [   12.000000] WARNING"'
for l in "SError Interrupt on CPU1, code 0xbe000000 -- SError" "kvm [1]: nVHE hyp panic at: [<ffff800080c2a1b4>] __kvm_nvhe_handle_trap+0x4/0x8!" \
	"kvm [1]: nVHE hyp BUG at: arch/arm64/kvm/hyp/nvhe/mem_protect.c:500!" \
	"watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [host_trace_buffers:90]" \
	"rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:"; do
	kmsg "Hyp nVHE"
	printf '#!/bin/sh\necho "%s" >>"%s"\n' "$l" "$T/kmsg" >"$T/during"
	chmod +x "$T/during"
	run "$T/a"
	check "dmesg fails on: ${l:0:40}" eval 'status 1 && has "# result: dmesg fail"'
done
rm "$T/during"

# The KVM mode is what the kernel said, whatever the command line.
ktap good
kmsg "VHE"
run "$T/a"
check "VHE fails kvm-mode" eval 'status 1 && has "# result: kvm-mode fail" && has "# kvm-mode: vhe"'
kmsg "Protected hVHE"
run "$T/a" --expect-mode protected-nvhe
check "another mode than expected fails" eval 'status 1 && has "the kernel initialised protected-hvhe, the job expects protected-nvhe"'
run "$T/a" --expect-mode protected
check "'protected' takes hVHE" eval 'status 0 && has "# kvm-mode: protected-hvhe"'
kmsg "Hyp"
run "$T/a" --expect-mode nvhe
check "6.1's 'Hyp mode' is nVHE" eval 'status 0 && has "# kvm-mode: nvhe"'
printf '[    0.1] Booting Linux\n' >"$T/kmsg"
run "$T/a"
check "no KVM message fails kvm-mode" eval 'status 1 && has "no '\''mode initialized successfully'\'' line"'
kmsg "Hyp nVHE"
DMESG=false run "$T/a"
check "unreadable kernel log fails kvm-mode and dmesg" eval \
	'status 1 && has "# result: kvm-mode fail" && has "# result: dmesg fail"'

# Output is streamed: the first result shows while the selftest still runs.
printf '#!/bin/sh\ni=0\nwhile [ ! -e "%s" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done\n' \
	"$T/release" >"$T/during"
chmod +x "$T/during"
run "$T/a" &
runner=$!
streamed=0
for _ in $(seq 50); do
	if grep -q "^# result: run1.guest_PMBLIMITR_EL1_and_TRBLIMITR_EL1_UNDEF pass" "$T/out" 2>/dev/null; then
		streamed=1
		break
	fi
	sleep 0.1
done
: >"$T/release"
wait "$runner"
check "a result shows before the selftest ends" [ "$streamed" = 1 ]
rm "$T/during" "$T/release"

board "$T/b" 0=0x00000000410fd034
run "$T/b" --allow-skip
check "no TRBE reported" has "# hw trbe: none"
check "no SPE reported" has "# hw spe: none"
check "no errata for a part without any" has "# hw cpu: cpu0 MIDR 0x410fd034 Arm part 0xd03 r0p4"
rm "$T/b/kvm"
run "$T/b"
check "no /dev/kvm fails" eval 'status 1 && has "no $T/b/kvm" && has "# result: host-parts fail"'
UNAME_M=x86_64 run "$T/a"
check "not arm64 fails" eval 'status 1 && has "not an arm64 machine (x86_64)"'

run "$T/a" --repeat x
check "bad --repeat exits 2 in one line" eval 'status 2 && [ "$(wc -l <"$T/out")" -eq 1 ]'
run "$T/a" --expect-mode vhe
check "bad --expect-mode exits 2" status 2
SYSFS_ROOT=$T/a/sys "$RUN" --selftest "$T/missing" >"$T/out" 2>&1 && echo 0 >"$T/status" || echo $? >"$T/status"
check "missing selftest exits 2" status 2

# The test definition's result pattern, as LAVA applies it, on what
# run-hw.sh printed, with the CRLF line ends of a serial console. The
# pattern of the old job ('$' right after the result) is the negative case.
ktap good
kmsg "Hyp nVHE"
run "$T/a" --repeat 2
sed 's/$/\r/' "$T/out" >"$T/serial"
cases >"$T/want"
lava_cases()
{
	"$PY" - "$@" <<'EOF'
import sys
import yaml
try:
    from lava_dispatcher.actions.test.shell import PatternFixup
except ImportError:
    sys.exit("lava-dispatcher is missing; as root: mk/need-tools.sh lava")

testdef, serial, pattern = sys.argv[1], sys.argv[2], sys.argv[3:]
if pattern:
    pat = pattern[0]
else:
    pat = yaml.safe_load(open(testdef))["parse"]["pattern"]
# What the test shell does at the start of a definition's run.
fixup = PatternFixup(testdef=None, count=0)
fixup.update(pat, {})
text = open(serial, newline="").read()
for m in fixup.pat.finditer(text):
    print(m.group("test_case_id"), m.group("result"))
EOF
}
lava_cases "$HERE/kvm-host-trace-buffers.yaml" "$T/serial" >"$T/got" 2>"$T/err" || cat "$T/err"
check "LAVA's pattern code takes every case from CRLF lines" cmp -s "$T/want" "$T/got"
lava_cases "$HERE/kvm-host-trace-buffers.yaml" "$T/out" >"$T/got" 2>"$T/err" || true
check "and from LF lines" cmp -s "$T/want" "$T/got"
lava_cases - "$T/serial" '^# result: (?P<test_case_id>\S+) (?P<result>pass|fail|skip)$' >"$T/got" 2>&1 || true
check "negative: the old pattern takes none of them" [ ! -s "$T/got" ]

tap_done test-run-hw.sh
