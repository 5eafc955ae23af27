#!/bin/bash
# base-kernel.sh TARGET: build TARGET's kernel without the series, for the
# boots that must show the bug, from lib.sh's base_checkout, in
# $BUILD/base/out-TARGET/kernel: with ccache, only the files the series
# touches (and what includes them) compile again.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
BASE=$BUILD/base
DEST=$(base_checkout "$TARGET")
BUILD=$BASE "$TOP/mk/build-kernel.sh" "$DEST" "$BASE/out-$TARGET/kernel"
