#!/bin/bash
# run-boot.sh: boot an arm64 kernel under QEMU (TCG, virtualization=on)
# once per KVM mode, run the selftests from an initramfs, and judge each
# serial log with parse-log.sh.
#
#   run-boot.sh --kernel Image --selftests DIR --modes "nvhe pkvm-nvhe ..."
#               --logdir DIR [--name NAME] [--timeout SECONDS]
#               [--qemu BINARY] [--tests "NAME ..."] [--module KO]
#               [--buffers none|entry|entry-spe|entry-trbe|exit]
#               [--fatal entry|exit]
#               [--must-fail "PROGRAM ..."] [--must-fail-inner "NAME|..."]
#               [--require-inner "TAG: ..."] [--waker USEC]
#               [--spe-instances N] [--jobs N]
#
# DIR of --selftests holds bin/ (static programs) and tests (the run list),
# as mk/build-selftests.sh leaves them; --tests keeps only the named ones.
# Modes are files in qemu_configs/. --module puts a test module in the
# initramfs for init to load, --waker a task on each CPU that wakes every
# USEC microseconds while the programs run (init.c).
# --buffers boots each mode on the project's QEMU (patches/qemu, --qemu)
# with its SPE, TRBE and ETE models on (x-spe, x-trbe, x-ete: perf's
# cs_etm drives TRBE; -icount shift=0 so that SPE samples and ETE traces
# by instruction count) and says which hazards it must report
# (parse-log.sh's --hazards). --fatal instead makes QEMU stop at the first
# hazard (x-buffer-hazard-fatal), which must be of that direction.
# --spe-instances N (with --buffers or --fatal) boots the virt board with
# N SPE units (x-spe-instances: the CPUs in N shares, each a partition of
# the SPE interrupt, as on a part with clusters of different cores).
# --must-fail and --must-fail-inner name the programs and inner KTAP tests
# a mutant of the fix must make fail, --require-inner the groups of inner
# tests that must run and pass (parse-log.sh's options of those names).
# --jobs N boots up to N modes at once (default 1): with the buffer
# models QEMU runs the guest's CPUs in one host thread (-icount), and the
# guest's clock counts instructions, not the host's time. A warm hazard
# run of 6.12.y (22 boots of 1-2 s) took 19 s with --jobs 2, 27 s with 1.
# Writes LOGDIR/MODE.log per boot (with MODE.result, parse-log.sh's
# judgement, and MODE.secs, the boot's time) and two summaries, one line
# per mode:
# LOGDIR/summary.tsv, a header line naming the fields (mode result pass
# fail skip parts spe_entry spe_exit trbe_entry trbe_exit fatal stopped
# waker secs log; parts as parse-log.sh prints them, stopped the unit,
# direction and event of a fatal hazard, waker the --waker period), and
# LOGDIR/summary, "MODE ok|FAIL pass=N fail=N skip=N SECSs LOG".
# Exit 1 if any boot failed.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "run-boot.sh: error: $*" >&2; exit 1; }

kernel="" selftests="" modes="" logdir="" name=boot timeout=900
qemu=qemu-system-aarch64 only="" module="" hazards="" buffers="" fatal=""
must_fail="" must_fail_inner="" require_inner="" waker="" spe_instances="" jobs=1
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || die "$1 needs a value; see the head of $0"
	case "$1" in
	--qemu) qemu=$2 ;;
	--tests) only=$2 ;;
	--module) module=$2 ;;
	--waker) waker=$2 ;;
	--spe-instances) spe_instances=$2 ;;
	--jobs) jobs=$2 ;;
	--buffers) buffers=$2 ;;
	--fatal) fatal=$2 ;;
	--must-fail) must_fail=$2 ;;
	--must-fail-inner) must_fail_inner=$2 ;;
	--require-inner) require_inner=$2 ;;
	--kernel) kernel=$2 ;;
	--selftests) selftests=$2 ;;
	--modes) modes=$2 ;;
	--logdir) logdir=$2 ;;
	--name) name=$2 ;;
	--timeout) timeout=$2 ;;
	*) die "unknown option $1; see the head of $0" ;;
	esac
	shift 2
done
[ -f "$kernel" ] || die "no kernel image '$kernel'; build it first"
[ -s "$selftests/tests" ] || die "no run list in '$selftests'; build the selftests first"
if [ -z "$modes" ] || [ -z "$logdir" ]; then
	die "--modes and --logdir are required"
fi
for m in $modes; do
	[ -f "$HERE/qemu_configs/$m" ] ||
		die "unknown mode '$m'; have: $(cd "$HERE/qemu_configs" && echo *)"
done
command -v "$qemu" >/dev/null ||
	die "$qemu not found; apt-get install qemu-system-arm (or 'make qemu' for the buffer models)"
qver=$("$qemu" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
[ "${qver:-0}" -ge 7 ] ||
	die "QEMU ${qver:-?} is too old (7.2 or newer boots pKVM hVHE); apt-get install qemu-system-arm"
case "$buffers" in
"" | none | entry | entry-spe | entry-trbe | exit) ;;
*) die "--buffers takes none, entry, entry-spe, entry-trbe or exit, not '$buffers'" ;;
esac
case "$fatal" in
"" | entry | exit) ;;
*) die "--fatal takes entry or exit, not '$fatal'" ;;
esac
[ -z "$buffers" ] || [ -z "$fatal" ] || die "--buffers and --fatal exclude each other"
hazards=$buffers
[ -z "$fatal" ] || hazards=fatal-$fatal
[ -z "$module" ] || [ -f "$module" ] || die "no module '$module'; build it first"
case "$spe_instances" in
"") ;;
*[!0-9]* | 0*) die "--spe-instances takes a number of SPE units (1 or more), not '$spe_instances'" ;;
*) [ -n "$hazards" ] || die "--spe-instances needs the buffer models (--buffers or --fatal)" ;;
esac
case "$jobs" in
*[!0-9]* | 0* | "") die "--jobs takes a number of boots at once (1 or more), not '$jobs'" ;;
esac

mkdir -p "$logdir"
logdir=$(cd "$logdir" && pwd)
# run_list: the selftests' run list, cut to --tests when given.
run_list()
{
	if [ -z "$only" ]; then
		cat "$selftests/tests"
	else
		grep -wF -f <(tr ' ' '\n' <<<"$only" | sed '/^$/d') "$selftests/tests" ||
			die "none of '$only' is in $selftests/tests"
	fi
}
# The initramfs takes its programs from LOGDIR/selftests: a link to the
# built ones and the run list of this run.
mkdir -p "$logdir/selftests"
ln -sfn "$(cd "$selftests" && pwd)/bin" "$logdir/selftests/bin"
run_list >"$logdir/selftests/tests"
"$HERE/make-initramfs.sh" ${module:+--module "$module"} ${waker:+--waker "$waker"} \
	"$logdir/selftests" "$logdir/initramfs.cpio"

# required: the programs of this run that must pass rather than skip: the
# selftests file's "run" lines, on the buffer models only. Without them no
# CPU has SPE or TRBE, and the project's own test can but skip (which the
# verdict reports as such).
required()
{
	[ -n "$hazards" ] || return 0
	awk '$1 == "run" { printf "%s ", $2 }' "$HERE/selftests" |
		tr ' ' '\n' | grep -xF -f <(cut -d' ' -f1 "$logdir/selftests/tests") |
		tr '\n' ' ' || true
}

# boot MODE: one QEMU run; the serial log goes to LOGDIR/MODE.log.
boot()
{
	local mode=$1 QEMU_CPU KERNEL_ARGS EXPECT QEMU_EXTRA="" rc=0
	local machine=virt,virtualization=on,gic-version=3

	# shellcheck source=/dev/null
	. "$HERE/qemu_configs/$mode"
	if [ -n "$hazards" ]; then
		QEMU_CPU=$QEMU_CPU,x-spe=on,x-trbe=on,x-ete=on
		[ -z "$fatal" ] || QEMU_CPU=$QEMU_CPU,x-buffer-hazard-fatal=on
		QEMU_EXTRA="$QEMU_EXTRA -icount shift=0 -d guest_errors"
	fi
	[ -z "$spe_instances" ] || machine=$machine,x-spe-instances=$spe_instances
	# shellcheck disable=SC2086 # QEMU_EXTRA is a list of options
	timeout -k 10 "$timeout" "$qemu" $QEMU_EXTRA \
		-M "$machine" -cpu "$QEMU_CPU" \
		-smp 2 -m 1024 -nographic -no-reboot -nic none \
		-kernel "$kernel" -initrd "$logdir/initramfs.cpio" \
		-append "console=ttyAMA0 panic=-1 $KERNEL_ARGS" \
		</dev/null >"$logdir/$mode.log" 2>&1 &
	echo "$!" >"$logdir/$mode.pid"
	wait "$!" || rc=$?
	rm -f "$logdir/$mode.pid"
	"$HERE/parse-log.sh" --require "$(required)" --hazards "$hazards" \
		--qemu-rc "$rc" --require-inner "$require_inner" \
		--must-fail "$must_fail" --must-fail-inner "$must_fail_inner" \
		"$logdir/$mode.log" "$EXPECT" >"$logdir/$mode.result" || true
}

# record MODE SECS: MODE's line of summary.tsv, from its result file.
record()
{
	awk -v mode="$1" -v secs="$2" -v logf="$logdir/$1.log" -v waker="$waker" '
		/^result: / {
			res = $2
			for (i = 3; i <= NF; i++) {
				split($i, kv, "=")
				f[kv[1]] = kv[2]
			}
			n = split(f["hazards"], h, /[:,]/)
			for (i = 1; i < n; i += 2)
				f[h[i]] = h[i + 1]
		}
		/^fatal: / {
			fatal = substr($0, 8)
			gsub(/\t/, " ", fatal)
			for (i = 2; i <= NF; i++) {
				split($i, kv, "=")
				ff[kv[1]] = kv[2]
			}
			stopped = ff["unit"] "," ff["dir"] "," ff["event"]
		}
		/^parts: / { parts = $2 }
		END {
			printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mode, res,
				f["pass"], f["fail"], f["skip"], parts, f["spe-entry"], f["spe-exit"],
				f["trbe-entry"], f["trbe-exit"], fatal, stopped, waker, secs, logf
		}' "$logdir/$1.result"
}

: >"$logdir/summary"
printf 'mode\tresult\tpass\tfail\tskip\tparts\tspe_entry\tspe_exit\ttrbe_entry\ttrbe_exit\tfatal\tstopped\twaker\tsecs\tlog\n' \
	>"$logdir/summary.tsv"

# timed MODE: boot MODE, keeping how long it took in LOGDIR/MODE.secs.
timed()
{
	local start

	start=$(date +%s)
	boot "$1"
	echo "$(($(date +%s) - start))" >"$logdir/$1.secs"
}

# report MODE: MODE's lines in the summaries and on the terminal; fails
# when its boot did.
report()
{
	local res secs

	[ -f "$logdir/$1.result" ] ||
		echo "result: FAIL its boot ended before parse-log.sh judged it" >"$logdir/$1.result"
	res=$(sed -n 's/^result: //p' "$logdir/$1.result")
	secs=$(cat "$logdir/$1.secs" 2>/dev/null || echo "?")
	record "$1" "$secs" >>"$logdir/summary.tsv"
	printf '%s %s %ss %s\n' "$1" "$res" "$secs" "$logdir/$1.log" >>"$logdir/summary"
	printf '  %-8s %-10s %s (%ss) log: %s\n' "$name" "$1" "$res" "$secs" "$logdir/$1.log"
	grep '^problem: ' "$logdir/$1.result" | sed 's/^/             /' || true
	case "$res" in ok*) return 0 ;; *) return 1 ;; esac
}

# stop_boots: on an interrupt, the QEMUs still running (timeout(1) runs
# each in its own process group, out of reach of the terminal's signal).
# shellcheck disable=SC2317 # called by the trap
stop_boots()
{
	local f

	for f in "$logdir"/*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	wait
}

for m in $modes; do
	rm -f "$logdir/$m.pid" "$logdir/$m.secs" "$logdir/$m.result"
done
trap 'stop_boots; exit 130' INT
trap 'stop_boots; exit 143' TERM
status=0
if [ "$jobs" -eq 1 ]; then
	for m in $modes; do
		timed "$m"
		report "$m" || status=1
	done
	exit "$status"
fi
# Up to JOBS boots at once; their lines in the modes' order once all ended.
running=0
for m in $modes; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	timed "$m" &
	running=$((running + 1))
done
wait
for m in $modes; do
	report "$m" || status=1
done
exit "$status"
