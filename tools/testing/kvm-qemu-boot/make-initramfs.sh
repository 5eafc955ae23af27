#!/bin/bash
# make-initramfs.sh [--module KO] [--waker USEC] SELFTESTS OUT: an
# initramfs (newc cpio) holding the boot test's init, built static from
# init.c, and the selftests of SELFTESTS/bin with their run list
# SELFTESTS/tests. With --module (a trbe_on.ko, see
# mk/build-trbe-module.sh), that module goes in too, as /trbe_on.ko, for
# the init to load. With --waker USEC, the init keeps a task on each CPU
# waking every USEC microseconds (init.c).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "make-initramfs.sh: error: $*" >&2; exit 1; }

USAGE="usage: make-initramfs.sh [--module KO] [--waker USEC] SELFTESTS OUT"
TRBE_MODULE="" WAKER=""
while [ $# -gt 0 ]; do
	case "$1" in
	--module) TRBE_MODULE=${2:?$USAGE} ;;
	--waker) WAKER=${2:?$USAGE} ;;
	*) break ;;
	esac
	shift 2
done
SELFTESTS=${1:?$USAGE}
OUT=${2:?$USAGE}
STAGE=$OUT.d

if [ -n "$TRBE_MODULE" ] && [ ! -f "$TRBE_MODULE" ]; then
	die "--module $TRBE_MODULE: no such file; build it with mk/build-trbe-module.sh"
fi
case "$WAKER" in
*[!0-9]* | 0*) die "--waker '$WAKER': give a period in microseconds (a whole number above 0)" ;;
esac
rm -rf "$STAGE"
mkdir -p "$STAGE/selftests" "$STAGE/dev"
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror \
	-o "$STAGE/init" "$HERE/init.c"
cp "$SELFTESTS"/bin/* "$STAGE/selftests/"
cp "$SELFTESTS/tests" "$STAGE/tests"
[ -z "$TRBE_MODULE" ] || cp "$TRBE_MODULE" "$STAGE/trbe_on.ko"
[ -z "$WAKER" ] || echo "$WAKER" >"$STAGE/waker"
(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$OUT"
