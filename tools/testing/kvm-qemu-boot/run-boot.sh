#!/bin/bash
# run-boot.sh: boot an arm64 kernel under QEMU (TCG, virtualization=on)
# once per KVM mode, run the selftests from an initramfs, and judge each
# serial log with parse-log.sh.
#
#   run-boot.sh --kernel Image --selftests DIR --modes "nvhe pkvm-nvhe ..."
#               --logdir DIR [--name NAME] [--timeout SECONDS]
#               [--qemu BINARY] [--tests "NAME ..."] [--module KO]
#               [--hazards none|some]
#
# DIR of --selftests holds bin/ (static programs) and tests (the run list),
# as mk/build-selftests.sh leaves them; --tests keeps only the named ones.
# Modes are files in qemu_configs/. --module puts a test module in the
# initramfs for init to load. --hazards says what the QEMU buffer models
# (patches/qemu, --qemu) must report: see parse-log.sh.
# Writes LOGDIR/MODE.log per boot and LOGDIR/summary, one line per mode:
# "MODE ok|FAIL pass=N fail=N skip=N LOG". Exit 1 if any boot failed.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "run-boot.sh: error: $*" >&2; exit 1; }

kernel="" selftests="" modes="" logdir="" name=boot timeout=900
qemu=qemu-system-aarch64 only="" module="" hazards=""
while [ $# -gt 0 ]; do
	case "$1" in
	--qemu) qemu=$2 ;;
	--tests) only=$2 ;;
	--module) module=$2 ;;
	--hazards) hazards=$2 ;;
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
case "$hazards" in
"" | none | some) ;;
*) die "--hazards takes none or some, not '$hazards'" ;;
esac
[ -z "$module" ] || [ -f "$module" ] || die "no module '$module'; build it first"

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
TRBE_MODULE=$module "$HERE/make-initramfs.sh" "$logdir/selftests" "$logdir/initramfs.cpio"

# boot MODE: one QEMU run; the serial log goes to LOGDIR/MODE.log.
boot()
{
	local mode=$1 QEMU_CPU KERNEL_ARGS EXPECT QEMU_EXTRA=""

	# shellcheck source=/dev/null
	. "$HERE/qemu_configs/$mode"
	# shellcheck disable=SC2086 # QEMU_EXTRA is a list of options
	timeout -k 10 "$timeout" "$qemu" $QEMU_EXTRA \
		-M virt,virtualization=on,gic-version=3 -cpu "$QEMU_CPU" \
		-smp 2 -m 1024 -nographic -no-reboot -nic none \
		-kernel "$kernel" -initrd "$logdir/initramfs.cpio" \
		-append "console=ttyAMA0 panic=-1 $KERNEL_ARGS" \
		</dev/null >"$logdir/$mode.log" 2>&1 || true
	REQUIRE=$(awk '$1 == "run" { printf "%s ", $2 }' "$HERE/selftests" |
		tr ' ' '\n' | grep -xF -f <(cut -d' ' -f1 "$logdir/selftests/tests") |
		tr '\n' ' ' || true) HAZARDS=$hazards REQUIRE_INNER=${REQUIRE_INNER:-} \
		"$HERE/parse-log.sh" "$logdir/$mode.log" "$EXPECT" >"$logdir/$mode.result" || true
}

: >"$logdir/summary"
status=0
for m in $modes; do
	start=$(date +%s)
	boot "$m"
	res=$(sed -n 's/^result: //p' "$logdir/$m.result")
	printf '%s %s %ss %s\n' "$m" "$res" "$(($(date +%s) - start))" \
		"$logdir/$m.log" >>"$logdir/summary"
	printf '  %-8s %-10s %s (%ss) log: %s\n' "$name" "$m" "$res" \
		"$(($(date +%s) - start))" "$logdir/$m.log"
	grep '^problem: ' "$logdir/$m.result" | sed 's/^/             /' || true
	case "$res" in ok*) ;; *) status=1 ;; esac
done
exit "$status"
