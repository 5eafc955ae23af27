#!/bin/bash
# build-trbe-module.sh [--no-kvm-call] KERNEL_OUT SRC OUT: build the boot
# test's TRBE test module (tools/testing/kvm-qemu-boot/trbe-on) out of
# tree, with W=1, against the kernel mk/build-kernel.sh built from SRC in
# KERNEL_OUT. --no-kvm-call leaves out its kvm_enable_trbe() call (7.x),
# for the negative control. Leaves OUT/trbe_on.ko; the log is
# OUT/build.log. A warning is an error.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

USAGE="usage: build-trbe-module.sh [--no-kvm-call] KERNEL_OUT SRC OUT"
nocall=""
if [ "${1:-}" = --no-kvm-call ]; then nocall=1; shift; fi
KOUT=${1:?$USAGE}
SRC=${2:?$USAGE}
OUT=${3:?$USAGE}
MOD=$TOP/tools/testing/kvm-qemu-boot/trbe-on

[ -f "$SRC/Makefile" ] || die "$SRC is not a kernel tree; run 'make tree' first"
[ -f "$KOUT/Module.symvers" ] ||
	die "no kernel built in $KOUT; run 'make build' first"
grep -qx 'CONFIG_MODULES=y' "$KOUT/.config" ||
	die "the kernel in $KOUT has no module support; rebuild it with 'make build'"
KOUT=$(cd "$KOUT" && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
LOG=$OUT/build.log

# Kbuild writes its objects next to the source: build a copy.
rm -rf "$OUT/src" "$OUT/trbe_on.ko"
mkdir "$OUT/src"
cp "$MOD/Kbuild" "$MOD/trbe_on.c" "$OUT/src/"
info "building trbe_on.ko for $(tree_version "$SRC") (log: $LOG)"
if ! kernel_make "$SRC" "$KOUT" M="$OUT/src" W=1 TRBE_ON_NO_KVM_CALL="$nocall" modules >"$LOG" 2>&1; then
	grep -E 'error|Error' "$LOG" | head -n 20 >&2 || true
	die "module build failed; see $LOG"
fi
if grep -iE 'warning' "$LOG" >&2; then
	die "the module build warned (W=1); fix the warnings above"
fi
cp "$OUT/src/trbe_on.ko" "$OUT/trbe_on.ko"
info "$OUT/trbe_on.ko"
