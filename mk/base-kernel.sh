#!/bin/bash
# base-kernel.sh TARGET: build TARGET's kernel without the series, for the
# boots that must show the bug. The tree is $BUILD/base/linux-TARGET, a
# checkout of the base commit of $BUILD/linux-TARGET ('make tree'), built
# in $BUILD/base/out-TARGET/kernel. The same layout under $BUILD/base as
# under $BUILD keeps ccache's relative paths equal: only the files the
# series touches (and what includes them) compile again.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
SRC=$BUILD/linux-$TARGET
BASE=$BUILD/base
DEST=$BASE/linux-$TARGET

git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1 ||
	die "$SRC has no base commit; run 'make tree TARGET=$TARGET' first"
rev=$(git -C "$SRC" rev-parse base)

# checkout: $DEST clean at the base commit, made again when it is not.
checkout()
{
	if [ -d "$DEST/.git" ] &&
	   [ "$(git -C "$DEST" rev-parse HEAD)" = "$rev" ] &&
	   [ -z "$(git -C "$DEST" status --porcelain --untracked-files=no)" ]; then
		return 0
	fi
	info "checking out the base commit of $TARGET into $DEST"
	rm -rf "$DEST"
	mkdir -p "$BASE"
	git clone -q --shared --no-checkout "$SRC" "$DEST"
	git -C "$DEST" checkout -q --detach "$rev"
}

checkout
BUILD=$BASE "$TOP/mk/build-kernel.sh" "$DEST" "$BASE/out-$TARGET/kernel"
