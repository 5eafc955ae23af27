#!/bin/bash
# mutant-kernel.sh TARGET MUTANT: build the kernel of TARGET's series with
# one deliberate bug, tools/testing/kvm-qemu-boot/mutants/TARGET/MUTANT.patch
# applied on top of $BUILD/linux-TARGET ('make tree'), for the boots that
# must catch it. The tree, the kernel and the TRBE test module go under
# $BUILD/mutant/MUTANT/, laid out as under $BUILD so that ccache hits for
# every file the mutant leaves alone. The tree is made again when the
# series or the mutant changed. Prints nothing; the paths are fixed:
#   $BUILD/mutant/MUTANT/out-TARGET/kernel/arch/arm64/boot/Image
#   $BUILD/mutant/MUTANT/out-TARGET/trbe-on/trbe_on.ko
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
MUTANT=${2:?usage: mutant-kernel.sh TARGET MUTANT}
PATCH=$TOP/tools/testing/kvm-qemu-boot/mutants/$TARGET/$MUTANT.patch
[ -f "$PATCH" ] ||
	die "no mutant '$MUTANT' for $TARGET; have: $(mutant_names "$TARGET")"
SRC=$BUILD/linux-$TARGET
ROOT=$BUILD/mutant/$MUTANT
DEST=$ROOT/linux-$TARGET
OUT=$ROOT/out-$TARGET

git -C "$SRC" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
	die "$SRC is not made; run 'make tree TARGET=$TARGET' first"
stamp="$(git -C "$SRC" rev-parse HEAD) $(sha256sum <"$PATCH" | cut -c1-16)"
if [ "$(cat "$DEST.stamp" 2>/dev/null)" != "$stamp" ] ||
   [ -n "$(git -C "$DEST" status --porcelain --untracked-files=no 2>/dev/null || echo gone)" ]; then
	info "making $DEST: $TARGET's series with mutant $MUTANT"
	rm -rf "$DEST" "$DEST.stamp"
	mkdir -p "$ROOT"
	git clone -q --shared --no-checkout "$SRC" "$DEST"
	git -C "$DEST" checkout -q --detach "$(git -C "$SRC" rev-parse HEAD)"
	git -C "$DEST" apply "$PATCH" ||
		die "mutant $MUTANT no longer applies to $TARGET's series; update $PATCH"
	git -C "$DEST" -c user.name=kvm-nvhe-buffers -c user.email=kvm-nvhe-buffers@invalid \
		commit -q -a -m "mutant: $MUTANT"
	echo "$stamp" >"$DEST.stamp"
fi
BUILD=$ROOT "$TOP/mk/build-kernel.sh" "$DEST" "$OUT/kernel"
"$TOP/mk/build-trbe-module.sh" "$OUT/kernel" "$DEST" "$OUT/trbe-on"
