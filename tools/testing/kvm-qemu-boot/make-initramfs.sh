#!/bin/bash
# make-initramfs.sh SELFTESTS OUT: an initramfs (newc cpio) holding the
# boot test's init, built static from init.c, and the selftests of
# SELFTESTS/bin with their run list SELFTESTS/tests. With TRBE_MODULE set
# in the environment (a trbe_on.ko, see mk/build-trbe-module.sh), that
# module goes in too, as /trbe_on.ko, for the init to load.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "make-initramfs.sh: error: $*" >&2; exit 1; }

SELFTESTS=${1:?usage: make-initramfs.sh SELFTESTS OUT}
OUT=${2:?usage: make-initramfs.sh SELFTESTS OUT}
STAGE=$OUT.d
TRBE_MODULE=${TRBE_MODULE:-}

if [ -n "$TRBE_MODULE" ] && [ ! -f "$TRBE_MODULE" ]; then
	die "TRBE_MODULE=$TRBE_MODULE: no such file; build it with mk/build-trbe-module.sh"
fi
rm -rf "$STAGE"
mkdir -p "$STAGE/selftests" "$STAGE/dev"
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
	-o "$STAGE/init" "$HERE/init.c"
cp "$SELFTESTS"/bin/* "$STAGE/selftests/"
cp "$SELFTESTS/tests" "$STAGE/tests"
[ -z "$TRBE_MODULE" ] || cp "$TRBE_MODULE" "$STAGE/trbe_on.ko"
(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$OUT"
