#!/bin/bash
# lava-qemu-run.sh: run the board job's test action under lava-dispatcher
# on a QEMU device: LAVA boots the kernel under test on the project's QEMU
# with its SPE/TRBE models, runs the test definition the board jobs use
# (kvm-host-trace-buffers.yaml) and parses run-hw.sh's lines from the
# serial console with its own pattern code. Then lava-jobs.py compare
# checks, case by case, that what LAVA recorded is what run-hw.sh printed
# on the console, as QEMU wrote it to a file of its own (CR LF and all).
#
#   lava-qemu-run.sh --kernel IMAGE --selftest PROGRAM --qemu QEMU
#                    --busybox BUSYBOX --out DIR [--mode nvhe|protected-hvhe]
#                    [--runs "models-nvhe models-protected-hvhe stock warn"]
#
# PROGRAM is a static arm64 host_trace_buffers, QEMU the project's
# qemu-system-aarch64 (make qemu), BUSYBOX a static arm64 busybox (the
# initramfs is that busybox, its init, run-hw.sh and PROGRAM). Runs (the
# default is all of them), each in MODE (default nvhe) unless it names one:
#   models-MODE  the buffer models on, kvm-arm.mode for MODE (nvhe, or
#           protected-hvhe: protected mode on the device's CPU, which has
#           VHE): every case as run-hw.sh printed it, no case failed, the
#           SPE host part ran (host-parts pass), the kernel said MODE
#   stock   the same CPU without the models: every host part skips, and
#           LAVA must record host-parts and run-hw as failed
#   warn    the models on, and a wrapper that puts a kernel WARNING line
#           into the kernel log (/dev/kmsg) before the selftest: LAVA must
#           record dmesg and run-hw as failed
# Each run is one boot of five to ten seconds. Writes DIR/RUN/lava.log
# (lava-run's log), DIR/RUN/serial.log (QEMU's copy of the console),
# DIR/RUN/compare and DIR/summary.tsv (run, result,
# cases, failed, skipped, secs). Exit 1 if any run is not as it must be.
# lava-run needs root (it works in /var/lib/lava/dispatcher).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "lava-qemu-run.sh: error: $*" >&2; exit 2; }

kernel="" selftest="" qemu="" busybox="" out="" mode=nvhe
runs="models-nvhe models-protected-hvhe stock warn"
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || die "$1 needs a value; see the head of $0"
	case "$1" in
	--kernel) kernel=$2 ;;
	--selftest) selftest=$2 ;;
	--qemu) qemu=$2 ;;
	--busybox) busybox=$2 ;;
	--out) out=$2 ;;
	--mode) mode=$2 ;;
	--runs) runs=$2 ;;
	*) die "unknown option $1; see the head of $0" ;;
	esac
	shift 2
done
[ -f "$kernel" ] || die "no kernel image '$kernel'; make boot-test TARGET=6.12.y builds it"
[ -x "$selftest" ] || die "no selftest program '$selftest'; make boot-test TARGET=6.12.y builds it"
[ -x "$qemu" ] || die "no QEMU '$qemu'; make qemu builds it"
[ -x "$busybox" ] || die "no busybox '$busybox'; mk/fetch-busybox.sh fetches it"
[ -n "$out" ] || die "--out DIR is required"
case "$mode" in nvhe | protected-hvhe) ;; *) die "--mode takes nvhe or protected-hvhe (the device's CPU has VHE)" ;; esac
for r in $runs; do
	case "$r" in
	models-nvhe | models-protected-hvhe | stock | warn) ;;
	*) die "unknown run '$r'; have: models-nvhe models-protected-hvhe stock warn" ;;
	esac
done
command -v lava-run >/dev/null || die "lava-run is missing; as root: apt-get install lava-dispatcher"
[ "$(id -u)" -eq 0 ] || die "lava-run works in /var/lib/lava/dispatcher: run as root"
"$qemu" -cpu help -M virt 2>/dev/null | grep -q . || die "$qemu does not run"

mkdir -p "$out"
out=$(cd "$out" && pwd)
scratch=$(mktemp -d "$out/.scratch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The initramfs: busybox's init mounts what run-hw.sh reads and starts a
# login shell on the console; /opt/khtb holds what the test definition's
# ARTIFACTS names. /opt/khtb-warn has the same run-hw.sh and a wrapper
# (run by sh: the test kernel has no BINFMT_SCRIPT) that warns first.
root=$scratch/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,opt/khtb,opt/khtb-warn}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
ln -s bin/busybox "$root/init"
printf '%s\n' '::sysinit:/bin/busybox sh /etc/rcS' 'ttyAMA0::respawn:-/bin/sh' >"$root/etc/inittab"
printf '%s\n' 'mount -t proc proc /proc' 'mount -t sysfs sysfs /sys' \
	'mount -t devtmpfs devtmpfs /dev' '/bin/busybox --install -s' \
	| sed 's|^mount|/bin/busybox mount|' >"$root/etc/rcS"
echo "export PS1='khtb-lava # '" >"$root/etc/profile"
cp "$selftest" "$root/opt/khtb/host_trace_buffers"
cp "$HERE/run-hw.sh" "$root/opt/khtb/run-hw.sh"
cp "$HERE/run-hw.sh" "$root/opt/khtb-warn/run-hw.sh"
cp "$selftest" "$root/opt/khtb-warn/selftest.bin"
# shellcheck disable=SC2016 # the wrapper's own "$@"
printf '%s\n' 'echo "WARNING: CPU: 0 PID: 1 at lava-qemu-run.sh: a warning put in the log on purpose" >/dev/kmsg' \
	'exec /opt/khtb-warn/selftest.bin "$@"' >"$root/opt/khtb-warn/host_trace_buffers"
chmod +x "$root"/opt/*/*
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out/rootfs.cpio"

# The test definition comes, like on a board, from a git repository: a
# scratch one holding this tree's file at its path.
repo=$scratch/repo
mkdir -p "$repo/tools/testing/kvm-hw-run"
cp "$HERE/kvm-host-trace-buffers.yaml" "$repo/tools/testing/kvm-hw-run/"
git -C "$repo" init -q
git -C "$repo" add .
git -C "$repo" -c user.name=lava-qemu-run -c user.email=lava-qemu-run@invalid \
	commit -q -m "the test definition under test"

# The project's QEMU comes first in PATH for the device's qemu-system-aarch64.
mkdir -p "$scratch/bin"
ln -s "$(cd "$(dirname "$qemu")" && pwd)/$(basename "$qemu")" "$scratch/bin/qemu-system-aarch64"

printf 'run\tresult\tcases\tfailed\tskipped\tsecs\n' >"$out/summary.tsv"
status=0 n=0
for r in $runs; do
	n=$((n + 1))
	dir=$out/$r
	rm -rf "$dir"
	mkdir -p "$dir"
	artifacts=/opt/khtb expect="kvm-mode=pass host-parts=pass dmesg=pass run-hw=pass"
	device=$HERE/lava/qemu-device.yaml
	runmode=$mode
	case "$r" in
	models-*) runmode=${r#models-} ;;
	stock)
		# The same device without the buffer models: a derived dictionary.
		device=$dir/qemu-device-stock.yaml
		sed 's/^\( *- -cpu max\),x-spe=on,x-trbe=on,x-ete=on$/\1/' "$HERE/lava/qemu-device.yaml" >"$device"
		grep -q -- '- -cpu max$' "$device" || die "cannot take the models out of lava/qemu-device.yaml"
		expect="run1.selftest=skip host-parts=fail run-hw=fail" ;;
	warn) artifacts=/opt/khtb-warn expect="run1.selftest=pass host-parts=pass dmesg=fail run-hw=fail" ;;
	esac
	"$HERE/lava-jobs.py" qemu --board "$HERE/lava-host-trace-buffers.yaml" \
		--repository "file://$repo" --kernel "$kernel" --rootfs "$out/rootfs.cpio" \
		--mode "$runmode" --artifacts "$artifacts" --serial-log "$dir/serial.log" \
		--out "$dir/job.yaml"
	"$HERE/lava-jobs.py" check "$dir/job.yaml" --device "$device" >"$dir/check"
	start=$(date +%s)
	rc=0
	PATH=$scratch/bin:$PATH timeout -k 10 600 lava-run --job-id "$$$n" \
		--output-dir "$dir/output" --device "$device" \
		--dispatcher "$HERE/lava/dispatcher.yaml" "$dir/job.yaml" >"$dir/lava.log" 2>&1 || rc=$?
	secs=$(($(date +%s) - start))
	# shellcheck disable=SC2086 # one word per expectation
	if [ "$rc" -eq 0 ] && "$HERE/lava-jobs.py" compare "$dir/lava.log" --serial "$dir/serial.log" --mode "$runmode" \
		--qemu "$qemu" --expect $expect >"$dir/compare" 2>&1; then
		res=ok
	else
		res=FAIL
		status=1
		[ "$rc" -eq 0 ] || echo "lava-run exited $rc" >>"$dir/compare"
	fi
	cases=$(grep -c '^same ' "$dir/compare" || true)
	failed=$(grep -c '^same .* fail$' "$dir/compare" || true)
	skipped=$(grep -c '^same .* skip$' "$dir/compare" || true)
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$res" "$cases" "$failed" "$skipped" "$secs" >>"$out/summary.tsv"
	printf '  lava %-21s %-4s %s cases as run-hw.sh printed them (%s failed, %s skipped; must: %s) %ss log: %s\n' \
		"$r" "$res" "$cases" "$failed" "$skipped" "$expect" "$secs" "$dir/lava.log"
	[ "$res" = ok ] || sed 's/^/       | /' "$dir/compare" | grep -v '^       | same ' || true
done
ok=$(grep -c '	ok	' "$out/summary.tsv" || true)
echo "lava-qemu-run: $ok of $n lava-run jobs as they must be"
exit "$status"
