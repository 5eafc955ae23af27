#!/bin/bash
# export-series.sh TARGET: git format-patch build/linux-TARGET (base..HEAD)
# back into patches/TARGET, with its cover letter and series file. Output is
# a function of the commits alone, so exporting an unchanged tree changes
# nothing. EXPORT_DIR=dir writes elsewhere (used by the checks).
set -eu
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
PATCHES=$TOP/patches/$TARGET
DEST=$BUILD/linux-$TARGET
BRANCH=$TARGET
SERIES_NAME=patches/$TARGET
EXPORT_HINT="make export TARGET=$TARGET"
TREE_HINT="make tree TARGET=$TARGET"
# shellcheck source=series-lib.sh
. "$TOP/mk/series-lib.sh"

if [ "$STABLE" = yes ]; then
	export_patches "${EXPORT_DIR:-$PATCHES}" "PATCH $TARGET"
else
	export_patches "${EXPORT_DIR:-$PATCHES}" PATCH
fi
