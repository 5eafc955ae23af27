#!/bin/bash
# mutant-kernel.sh TARGET MUTANT: build the kernel of TARGET's series with
# one deliberate bug, tools/testing/kvm-qemu-boot/mutants/TARGET/MUTANT.patch
# applied on top of $BUILD/linux-TARGET ('make tree'), for the boots that
# must catch it. Prints nothing; the paths are fixed:
#   $BUILD/mutant/MUTANT/out-TARGET/kernel/arch/arm64/boot/Image
#   $BUILD/mutant/MUTANT/out-TARGET/trbe-on/trbe_on.ko
#
# All mutants of a target share one work tree and one build directory,
# $BUILD/mutant/.work/{linux,out}-TARGET (laid out as under $BUILD, so that
# ccache hits for every file a mutant leaves alone): each mutant is the
# series plus its patch, built incrementally there, and only the Image and
# the module are kept. One tree and one build per target, not one per
# mutant: make check's mutants fit in a few GB of disk. A mutant is built
# again only when its stamp changes: the series' commit, the mutant, the
# config fragment, the module's source and these build scripts.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
MUTANT=${2:?usage: mutant-kernel.sh TARGET MUTANT}
PATCH=$TOP/tools/testing/kvm-qemu-boot/mutants/$TARGET/$MUTANT.patch
[ -f "$PATCH" ] ||
	die "no mutant '$MUTANT' for $TARGET; have: $(mutant_names "$TARGET")"
SRC=$BUILD/linux-$TARGET
WORK=$BUILD/mutant/.work
TREE=$WORK/linux-$TARGET
KOUT=$WORK/out-$TARGET/kernel
DEST=$BUILD/mutant/$MUTANT/out-$TARGET

git -C "$SRC" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
	die "$SRC is not made; run 'make tree TARGET=$TARGET' first"
head=$(git -C "$SRC" rev-parse HEAD)
stamp="$head $(cat "$PATCH" "$CONFIG_FRAG" \
	"$TOP/tools/testing/kvm-qemu-boot/trbe-on/"* "$0" \
	"$TOP/mk/build-kernel.sh" "$TOP/mk/build-trbe-module.sh" |
	sha256sum | cut -c1-16)"
[ "$(cat "$DEST/stamp" 2>/dev/null)" != "$stamp" ] || exit 0

# The layout of earlier versions (a tree and a build per mutant) goes.
rm -rf "$BUILD/mutant/$MUTANT/linux-$TARGET" \
	"$BUILD/mutant/$MUTANT/linux-$TARGET.stamp" "$DEST"
if ! git -C "$TREE" rev-parse -q --verify HEAD >/dev/null 2>&1; then
	rm -rf "$TREE"
	mkdir -p "$WORK"
	git clone -q --shared --no-checkout "$SRC" "$TREE"
fi
# The shared objects hold every commit of the series' tree: no fetch.
info "$TARGET's series with mutant $MUTANT, in $TREE"
git -C "$TREE" checkout -q -f --detach "$head"
git -C "$TREE" reset -q --hard "$head"
git -C "$TREE" apply "$PATCH" ||
	die "mutant $MUTANT no longer applies to $TARGET's series; update $PATCH"
git -C "$TREE" -c user.name=kvm-nvhe-buffers -c user.email=kvm-nvhe-buffers@invalid \
	commit -q -a -m "mutant: $MUTANT"
BUILD=$WORK "$TOP/mk/build-kernel.sh" "$TREE" "$KOUT"
BUILD=$WORK "$TOP/mk/build-trbe-module.sh" "$KOUT" "$TREE" "$DEST/trbe-on"
mkdir -p "$DEST/kernel/arch/arm64/boot"
cp "$KOUT/arch/arm64/boot/Image" "$DEST/kernel/arch/arm64/boot/Image"
cp "$KOUT/build.log" "$DEST/kernel/build.log"
echo "$stamp" >"$DEST/stamp"
