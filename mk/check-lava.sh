#!/bin/bash
# check-lava.sh [TARGET]: the lab jobs of tools/testing/kvm-hw-run checked
# by LAVA's own code. lava_common's schemas validate the board jobs
# (strict), the test definition and the QEMU device dictionary; then
# lava-dispatcher runs the test definition on TARGET's kernel (default
# 6.12.y, as make boot-test builds it) on the project's QEMU, and LAVA's
# recorded results must match what run-hw.sh printed (lava-qemu-run.sh).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

t=${1:-6.12.y}
HW=$TOP/tools/testing/kvm-hw-run
kernel=$BUILD/out-$t/kernel/arch/arm64/boot/Image
selftest=$BUILD/out-$t/selftests/bin/host_trace_buffers

"$TOP/mk/need-tools.sh" lava
"$HW/lava-jobs.py" check "$HW"/lava-host-trace-buffers*.yaml \
	--testdef "$HW/kvm-host-trace-buffers.yaml" --device "$HW/lava/qemu-device.yaml"
if [ ! -f "$kernel" ] || [ ! -x "$selftest" ]; then
	die "no kernel or host_trace_buffers of $t in $BUILD; run make boot-test TARGET=$t first"
fi
qemu=$("$TOP/mk/build-qemu.sh")
busybox=$("$TOP/mk/fetch-busybox.sh")
"$HW/lava-qemu-run.sh" --kernel "$kernel" --selftest "$selftest" --qemu "$qemu" \
	--busybox "$busybox" --out "$BUILD/logs/lava-$t"
