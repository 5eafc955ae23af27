#!/bin/bash
# boot-test.sh TARGET: make the tree, build the kernel and the selftests the
# boot test runs, then boot them under QEMU in every KVM mode the line has.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
OUT=$BUILD/out-$TARGET
RUN=$TOP/mk/stage.sh

"$RUN" "tree $TARGET" "$TOP/mk/make-tree.sh" "$TARGET"
"$RUN" "kernel $TARGET" "$TOP/mk/build-kernel.sh" "$BUILD/linux-$TARGET" "$OUT/kernel"
"$RUN" "selftests $TARGET" "$TOP/mk/build-selftests.sh" \
	"$BUILD/linux-$TARGET" "$OUT/selftests" "$SELFTEST_DIR" "$LINE"
"$RUN" "boot $TARGET" "$TOP/tools/testing/kvm-qemu-boot/run-boot.sh" \
	--kernel "$OUT/kernel/arch/arm64/boot/Image" --selftests "$OUT/selftests" \
	--modes "$MODES" --logdir "$BUILD/logs/$TARGET" --name "$TARGET"
