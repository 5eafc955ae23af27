#!/bin/bash
# reproduce.sh TARGET [PATCHED]: show the bug, and the fix, on emulated SPE
# and TRBE. Boots TARGET's kernel in nVHE on the project's QEMU
# (patches/qemu, -cpu max,x-spe=on,x-trbe=on), with the host owning both
# buffers (perf SPE from the selftest's host part, TRBE from the test
# module), runs host_trace_buffers and reads how often QEMU saw a vcpu
# enter guest context with a buffer still enabled.
#
#   PATCHED=0     the base tree only: a stable line must show hazards
#   PATCHED=1     the series applied: no hazard, and the selftest's SPE
#                 host part runs and passes
#   PATCHED=both  both (the default; what make check runs)
#
# mainline already carries the fix, so there both must show none.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
PATCHED=${2:-${PATCHED:-both}}
case "$PATCHED" in
0 | 1 | both) ;;
*) die "PATCHED takes 0, 1 or both, not '$PATCHED'" ;;
esac
RUN=$TOP/mk/stage.sh
OUT=$BUILD/out-$TARGET
LOGS=$BUILD/logs/$TARGET-hazard

# module KERNEL_OUT SRC OUT NAME: the TRBE test module for that kernel, as
# the stage "module NAME".
module()
{
	"$RUN" "module $4" "$TOP/mk/build-trbe-module.sh" "$1" "$2" "$3"
}

# boot NAME IMAGE MODULE HAZARDS [INNER]: one boot in mode hazard-nvhe.
boot()
{
	local rc=0

	REQUIRE_INNER=${5:-} "$TOP/tools/testing/kvm-qemu-boot/run-boot.sh" \
		--qemu "$QEMU" --kernel "$2" --module "$3" --hazards "$4" \
		--selftests "$OUT/selftests" --tests host_trace_buffers \
		--modes hazard-nvhe --timeout 400 --logdir "$LOGS/$1" \
		--name "$TARGET $1" || rc=$?
	grep -q 'knb-init: /trbe_on.ko loaded' "$LOGS/$1/hazard-nvhe.log" || {
		echo "  $TARGET $1: the TRBE test module did not load; see $LOGS/$1/hazard-nvhe.log"
		rc=1
	}
	return "$rc"
}

# show NAME: the first hazards QEMU logged, and its totals.
show()
{
	local log=$LOGS/$1/hazard-nvhe.log

	grep -m 2 -e 'arm-buffer-hazard: .* SPE' "$log" | sed 's/^/    /' || true
	grep -m 2 -e 'arm-buffer-hazard: .* TRBE' "$log" | sed 's/^/    /' || true
	grep 'arm-buffer-hazards:' "$log" | sed 's/^qemu-system-aarch64: info: /    /' || true
}

QEMU=$("$RUN" qemu "$TOP/mk/build-qemu.sh")
"$RUN" "tree $TARGET" "$TOP/mk/make-tree.sh" "$TARGET"
"$RUN" "selftests $TARGET" "$TOP/mk/build-selftests.sh" \
	"$BUILD/linux-$TARGET" "$OUT/selftests" "$SELFTEST_DIR" "$LINE"

status=0
if [ "$PATCHED" != 0 ]; then
	"$RUN" "kernel $TARGET" "$TOP/mk/build-kernel.sh" "$BUILD/linux-$TARGET" "$OUT/kernel"
	module "$OUT/kernel" "$BUILD/linux-$TARGET" "$OUT/trbe-on" "$TARGET"
	boot patched "$OUT/kernel/arch/arm64/boot/Image" "$OUT/trbe-on/trbe_on.ko" \
		none spe: || status=1
	show patched
fi
if [ "$PATCHED" != 1 ]; then
	want=some
	[ "$STABLE" = yes ] || want=none
	"$RUN" "base kernel $TARGET" "$TOP/mk/base-kernel.sh" "$TARGET"
	base=$BUILD/base/out-$TARGET
	module "$base/kernel" "$BUILD/base/linux-$TARGET" "$base/trbe-on" "$TARGET base"
	boot unpatched "$base/kernel/arch/arm64/boot/Image" "$base/trbe-on/trbe_on.ko" \
		"$want" || status=1
	show unpatched
fi
if [ "$status" -eq 0 ]; then
	echo "reproduce $TARGET: as expected (PATCHED=$PATCHED); logs in $LOGS"
else
	echo "reproduce $TARGET: NOT as expected (PATCHED=$PATCHED); logs in $LOGS"
fi
exit "$status"
