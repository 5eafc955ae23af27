#!/bin/bash
# clean.sh: remove $BUILD, but only when this project made it: lib.sh
# marks a build directory it creates with a .kvm-nvhe-buffers file. A
# directory without the mark (one of yours, given as BUILD=) is left alone.
# The download cache is not touched.
set -eu
# shellcheck source=lib.sh
KNB_NO_MKBUILD=1 . "$(dirname "$0")/lib.sh"

if [ ! -e "$BUILD" ]; then
	info "nothing to clean: $BUILD does not exist"
	exit 0
fi
[ -f "$BUILD/$BUILD_MARK" ] ||
	die "$BUILD was not made by this project (no $BUILD_MARK in it): not removing it; remove what you want there yourself"
rm -rf -- "$BUILD"
info "removed $BUILD"
