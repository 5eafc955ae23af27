#!/bin/bash
# reproduce.sh TARGET [PATCHED] [--all-selftests] [--no-mutants]: show
# the bug, and the fix, on emulated SPE and TRBE. Boots TARGET's kernels on the project's QEMU (patches/qemu,
# x-spe=on,x-trbe=on,x-ete=on) in every KVM mode of the line, with the
# host owning both buffers (perf SPE and cs_etm from the selftest's host
# part, TRBE also from the test module), runs host_trace_buffers and reads
# QEMU's hazard report: how often a buffer stayed enabled while its owning
# translation regime was switched, per unit (SPE, TRBE) and direction
# (guest entry, guest exit).
#
#   PATCHED=0     the base tree only: a stable line must show entry
#                 hazards for SPE and for TRBE in every mode
#   PATCHED=1     the series applied: no hazard either way, a clean boot,
#                 and the selftest's SPE and TRBE host parts run and pass
#   PATCHED=both  both, and each mutant of the series kept in
#                 tools/testing/kvm-qemu-boot/mutants/TARGET/ must be
#                 caught as its "Expect:" line says: "fatal-entry" or
#                 "fatal-exit" (QEMU stops at its first hazard, which must
#                 be of that direction), "entry" (counted entry hazards),
#                 or "fails PROGRAM" (that selftest, and each inner test
#                 its "Fails:" lines name, must fail); what make check runs
#
# Every boot has a task on each CPU that wakes every $WAKER us (init.c):
# the selftest's thread is switched out and in during its recording, as on
# a busy host, and a perf driver that programs the buffer again at switch
# in must not hide a mutant that leaves it disabled.
#
# --all-selftests: the series' boots run every selftest of the boot test
# (tools/testing/kvm-qemu-boot/selftests), not host_trace_buffers alone.
# --no-mutants: PATCHED=both boots the base and the series only. 'make'
# runs both (then mk/verdict.sh).
#
# FATAL=1 makes the unpatched boots stop at their first hazard too, which
# then names the unit, the direction, the PC and the registers.
# HAZARD_MODES="nvhe ..." boots only those modes (default: the line's).
# With PATCHED=both (and the mutants), a line whose target file sets
# TWO_SPE_MODE boots the series once more, in that mode, on a board with
# two SPE units (x-spe-instances=2, one per CPU, as on a part with two
# kinds of cores): both instances' results (arm_spe_0:, arm_spe_1:) must
# pass under their own names, each run on the CPU of its unit.
# mainline already carries the fix, so its unpatched boots (PATCHED=0)
# must show none; with both it boots the negative control instead.
# Writes $BUILD/logs/TARGET-hazard/hazards.tsv: one line per boot, fields
# named by its header line.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
shift
# A run that stops before its boots (bad input, a failed build) leaves no
# records of an earlier one for the verdict to show.
rm -f "$BUILD/logs/$TARGET-hazard/hazards.tsv"
PATCHED=${PATCHED:-both}
case "${1:-}" in --* | "") ;; *) PATCHED=$1; shift ;; esac
ALL_TESTS=0 MUTANTS=1
for opt; do
	case "$opt" in
	--all-selftests) ALL_TESTS=1 ;;
	--no-mutants) MUTANTS=0 ;;
	*) die "unknown option '$opt'; use --all-selftests or --no-mutants" ;;
	esac
done
case "$PATCHED" in
0 | 1 | both) ;;
*) die "PATCHED takes 0, 1 or both, not '$PATCHED'" ;;
esac
case "${FATAL:-0}" in
0 | 1) ;;
*) die "FATAL takes 0 or 1, not '$FATAL'" ;;
esac
HAZARD_MODES=${HAZARD_MODES:-$MODES}
for m in $HAZARD_MODES ${TWO_SPE_MODE:-}; do
	case " $MODES " in
	*" $m "*) ;;
	*) die "$TARGET has no KVM mode '$m'; it has: $MODES" ;;
	esac
done
WAKER=2000
# The boots of one call, as many at once as there are cores: QEMU runs a
# boot's CPUs in one thread with the models' -icount (run-boot.sh --jobs).
JOBS=$(nproc)
RUN=$TOP/mk/stage.sh
OUT=$BUILD/out-$TARGET
LOGS=$BUILD/logs/$TARGET-hazard

# log_has LOG PATTERN PROBLEM: LOG has a line matching PATTERN (grep -E);
# else say PROBLEM, naming the log, and fail.
log_has()
{
	grep -Eq -- "$2" "$1" && return 0
	echo "  $TARGET $3; see $1"
	return 1
}

# boot VARIANT KERNEL_OUT MODULE_DIR EXPECT [INNER [FAILS [TESTS]]]: boot
# one kernel in every mode, running TESTS (default host_trace_buffers;
# "" for every one); EXPECT is parse-log.sh's --hazards (fatal-DIR: stop
# at the first hazard, which must be of direction DIR) or "fails PROGRAM"
# (no hazard, and PROGRAM and the inner tests FAILS, '|'-separated, fail).
boot()
{
	local rc=0 m opt tests=host_trace_buffers timeout=400 start

	start=$(date +%s)
	case "$4" in
	fatal-*) opt="--fatal ${4#fatal-}" ;;
	"fails "*) opt="--buffers none --must-fail ${4#fails }" ;;
	*) opt="--buffers $4" ;;
	esac
	[ $# -lt 7 ] || tests=$7
	[ -n "$tests" ] || timeout=900
	# shellcheck disable=SC2086 # opt is an option and its value
	"$TOP/tools/testing/kvm-qemu-boot/run-boot.sh" --require-inner "${5:-}" \
		--qemu "$QEMU" --kernel "$2/arch/arm64/boot/Image" \
		--module "$3/trbe_on.ko" --waker "$WAKER" $opt --must-fail-inner "${6:-}" \
		${SPE_INSTANCES:+--spe-instances "$SPE_INSTANCES"} \
		--selftests "$OUT/selftests" --tests "$tests" \
		--modes "$HAZARD_MODES" --jobs "$JOBS" --timeout "$timeout" --logdir "$LOGS/$1" \
		--name "$TARGET $1" || rc=$?
	# The boots' wall time (they run several at once), for the verdict.
	record_time "boots $1 $TARGET" "$(($(date +%s) - start))" "$rc"
	for m in $HAZARD_MODES; do
		log_has "$LOGS/$1/$m.log" 'knb-init: /trbe_on.ko loaded' \
			"$1 $m: the TRBE test module did not load" || rc=1
		log_has "$LOGS/$1/$m.log" 'knb-init: a waker on each of' \
			"$1 $m: init started no waker" || rc=1
	done
	show "$1"
	# hazards.tsv: run-boot's records, each behind its variant.
	[ -f "$LOGS/hazards.tsv" ] ||
		printf 'variant\t%s\n' "$(head -n 1 "$LOGS/$1/summary.tsv")" >"$LOGS/hazards.tsv"
	tail -n +2 "$LOGS/$1/summary.tsv" | sed "s/^/$1\t/" >>"$LOGS/hazards.tsv"
	return "$rc"
}

# show VARIANT: per mode, the first hazards QEMU logged, or where it stopped.
show()
{
	local m log

	for m in $HAZARD_MODES; do
		log=$LOGS/$1/$m.log
		if grep -q 'arm-buffer-hazard: fatal:' "$log"; then
			grep -m 1 'arm-buffer-hazard: fatal:' "$log" | sed "s/^.*hazard: /    $m: /"
			continue
		fi
		grep -m 1 'arm-buffer-hazard: .*unit=SPE' "$log" | sed "s/^.*hazard: /    $m: /" || true
		grep -m 1 'arm-buffer-hazard: .*unit=TRBE' "$log" | sed "s/^.*hazard: /    $m: /" || true
	done
}

# two_spe_cpus LOG: the kernel probed two SPE units, one per CPU, and the
# selftest ran each instance on the CPU of its unit (the first unit's
# node comes first, so its PMU is arm_spe_0).
two_spe_cpus()
{
	local n rc=0

	for n in 0 1; do
		log_has "$1" "arm_spe_pmu spe-$n: probed .* for CPUs $n " \
			"two-spe: no SPE unit probed for CPU $n alone" || rc=1
		log_has "$1" "^(# )+arm_spe_$n on CPU $n," \
			"two-spe: arm_spe_$n did not run on CPU $n" || rc=1
	done
	return "$rc"
}

# two_spe: the series once more, host_trace_buffers alone, in TWO_SPE_MODE
# on a board with two SPE units; each instance's results by name, each on
# its unit's CPU. The same CPU check on the one-unit boot of that mode must
# fail, or it could not tell one unit from two.
two_spe()
{
	local rc=0

	HAZARD_MODES=$TWO_SPE_MODE SPE_INSTANCES=2 boot two-spe "$OUT/kernel" \
		"$OUT/trbe-on" none "arm_spe_0: arm_spe_1: trbe:" "" \
		host_trace_buffers || rc=1
	two_spe_cpus "$LOGS/two-spe/$TWO_SPE_MODE.log" || rc=1
	if [ ! -f "$LOGS/patched/$TWO_SPE_MODE.log" ]; then
		echo "  $TARGET two-spe: no one-unit boot in $TWO_SPE_MODE to check against"
		rc=1
	elif two_spe_cpus "$LOGS/patched/$TWO_SPE_MODE.log" >/dev/null; then
		echo "  $TARGET two-spe: the one-unit boot passes the two-unit check too: it cannot fail"
		rc=1
	else
		echo "  $TARGET two-spe: the one-unit boot fails the two-unit check, as it must"
	fi
	return "$rc"
}

# start_qemu: build the project's QEMU (cached: a no-op once built) in
# the background, in a process group of its own, its path to a file,
# while the kernels build: its downloads, git tree, configure and link
# leave a core idle that the kernels' make takes, and the other way
# round. Started after the tree, so that no two steps of this run want
# the download cache's lock at once. wait_qemu sets QEMU; stop_qemu, on
# exit, ends a build still running (a kernel's build failed).
start_qemu()
{
	qemu_out=$(mktemp)
	setsid "$RUN" qemu "$TOP/mk/build-qemu.sh" >"$qemu_out" &
	qemu_job=$!
}

wait_qemu()
{
	local rc=0

	wait "$qemu_job" || rc=$?
	qemu_job=""
	[ "$rc" -eq 0 ] || die "the project's QEMU did not build (above); 'make qemu' builds it alone"
	QEMU=$(cat "$qemu_out")
}

# shellcheck disable=SC2317 # called by the trap
stop_qemu()
{
	if [ -n "${qemu_job:-}" ]; then
		kill -TERM -- "-$qemu_job" 2>/dev/null || true
		wait "$qemu_job" 2>/dev/null || true
	fi
	rm -f "${qemu_out:-}"
}

# The kernels to build: the series' unless PATCHED=0; the base tree's for
# PATCHED=0, and for both on a line that does not carry the fix (STABLE:
# on one that does, the base differs from the series only by the
# selftest, and both leaves it out).
BASE_TOO=no
if [ "$PATCHED" = 0 ] || { [ "$PATCHED" = both ] && [ "$STABLE" = yes ]; }; then
	BASE_TOO=yes
fi
base=$BUILD/base/out-$TARGET
# Every tool first, so that no two steps run apt-get at once.
"$TOP/mk/need-tools.sh" fetch build qemu
"$RUN" "tree $TARGET" "$TOP/mk/make-tree.sh" "$TARGET"
"$RUN" "selftests $TARGET" "$TOP/mk/build-selftests.sh" \
	"$BUILD/linux-$TARGET" "$OUT/selftests" "$SELFTEST_DIR" "$LINE"
trap stop_qemu EXIT
start_qemu
if [ "$PATCHED" != 0 ]; then
	"$RUN" "kernel $TARGET" "$TOP/mk/build-kernel.sh" "$BUILD/linux-$TARGET" "$OUT/kernel"
	"$RUN" "module $TARGET" "$TOP/mk/build-trbe-module.sh" "$OUT/kernel" \
		"$BUILD/linux-$TARGET" "$OUT/trbe-on"
fi
if [ "$BASE_TOO" = yes ]; then
	"$RUN" "base kernel $TARGET" "$TOP/mk/base-kernel.sh" "$TARGET"
	"$RUN" "module $TARGET base" "$TOP/mk/build-trbe-module.sh" "$base/kernel" \
		"$BUILD/base/linux-$TARGET" "$base/trbe-on"
fi
wait_qemu
mkdir -p "$LOGS"

status=0
if [ "$PATCHED" != 0 ]; then
	tests=host_trace_buffers
	[ "$ALL_TESTS" = 0 ] || tests=""
	boot patched "$OUT/kernel" "$OUT/trbe-on" none "spe: trbe:" "" "$tests" || status=1
fi
if [ "$PATCHED" = both ] && [ "$MUTANTS" = 1 ] && [ -n "${TWO_SPE_MODE:-}" ]; then
	case " $HAZARD_MODES " in
	*" $TWO_SPE_MODE "*) two_spe || status=1 ;;
	*) echo "  $TARGET two-spe: not booted, its mode $TWO_SPE_MODE is not in HAZARD_MODES" ;;
	esac
fi
if [ "$BASE_TOO" = yes ]; then
	want=entry
	[ "$STABLE" = yes ] || want=none
	[ "${FATAL:-0}" = 0 ] || want=fatal-$want
	[ "$want" != fatal-none ] || want=none
	boot unpatched "$base/kernel" "$base/trbe-on" "$want" || status=1
fi
# The negative control of the module's kvm_enable_trbe() call (trees that
# have it): without it an nVHE hyp leaves the module's TRBE enabled in the
# guest (TRBE entry hazards), a protected one stops it all the same.
if [ "$PATCHED" = both ] && [ "$MUTANTS" = 1 ] &&
   grep -qw kvm_enable_trbe "$BUILD/linux-$TARGET/arch/arm64/include/asm/kvm_host.h"; then
	"$RUN" "module $TARGET no call" "$TOP/mk/build-trbe-module.sh" --no-kvm-call \
		"$OUT/kernel" "$BUILD/linux-$TARGET" "$OUT/trbe-on-no-call"
	plain="" protected=""
	for m in $HAZARD_MODES; do
		if grep -q 'mode=protected' "$TOP/tools/testing/kvm-qemu-boot/qemu_configs/$m"; then
			protected="$protected $m"
		else
			plain="$plain $m"
		fi
	done
	[ -z "$plain" ] || HAZARD_MODES=${plain# } boot no-kvm-call "$OUT/kernel" \
		"$OUT/trbe-on-no-call" entry-trbe || status=1
	[ -z "$protected" ] || HAZARD_MODES=${protected# } boot no-kvm-call-protected \
		"$OUT/kernel" "$OUT/trbe-on-no-call" none || status=1
fi
if [ "$PATCHED" = both ] && [ "$MUTANTS" = 1 ]; then
	for mutant in $(mutant_names "$TARGET"); do
		want=$(mutant_expect "$TARGET" "$mutant")
		[ -n "$want" ] || die "mutant $mutant of $TARGET has no 'Expect:' line"
		"$RUN" "mutant $mutant" "$TOP/mk/mutant-kernel.sh" "$TARGET" "$mutant"
		dir=$BUILD/mutant/$mutant/out-$TARGET
		boot "mutant-$mutant" "$dir/kernel" "$dir/trbe-on" "$want" "" \
			"$(mutant_fails "$TARGET" "$mutant")" || status=1
	done
fi
echo "hazards per boot (SPE entry/exit, TRBE entry/exit):"
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		stop = ""
		if ($col["fatal"] != "") {
			n = split($col["fatal"], w, " ")
			for (i = 1; i <= n; i++)
				if (w[i] ~ /^(unit|dir|event|pc)=/)
					stop = stop " " w[i]
			stop = "  stopped at:" stop
		}
		printf "  %-24s %-10s %-4s SPE %s/%s TRBE %s/%s%s\n", $col["variant"], $col["mode"],
			$col["result"], $col["spe_entry"], $col["spe_exit"], $col["trbe_entry"],
			$col["trbe_exit"], stop
	}' \
	"$LOGS/hazards.tsv"
if [ "$status" -eq 0 ]; then
	echo "reproduce $TARGET: as expected (PATCHED=$PATCHED); logs in $LOGS"
else
	echo "reproduce $TARGET: NOT as expected (PATCHED=$PATCHED); logs in $LOGS"
fi
exit "$status"
