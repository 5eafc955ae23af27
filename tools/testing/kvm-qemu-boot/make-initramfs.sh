#!/bin/bash
# make-initramfs.sh SELFTESTS OUT: an initramfs (newc cpio) holding the
# boot test's init, built static from init.c, and the selftests of
# SELFTESTS/bin with their run list SELFTESTS/tests.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SELFTESTS=${1:?usage: make-initramfs.sh SELFTESTS OUT}
OUT=${2:?usage: make-initramfs.sh SELFTESTS OUT}
STAGE=$OUT.d

rm -rf "$STAGE"
mkdir -p "$STAGE/selftests" "$STAGE/dev"
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
	-o "$STAGE/init" "$HERE/init.c"
cp "$SELFTESTS"/bin/* "$STAGE/selftests/"
cp "$SELFTESTS/tests" "$STAGE/tests"
(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$OUT"
