#!/bin/bash
# test-variables.sh: each variable README documents reaches the script
# that reads it both ways a user passes it: on make's command line
# (make tree LINUX=/x) and from the environment (LINUX=/x make tree).
# The scripts the Makefile runs are stand-ins here that write down their
# arguments and environment, so only the Makefile's plumbing is tested.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
# shellcheck source=fake-project.sh
. "$(dirname "$0")/fake-project.sh"

# A make above this one (make check-scripts BUILD=...) passes its
# command line down in MAKEFLAGS, which would beat the environment here.
unset MAKEFLAGS MFLAGS MAKELEVEL
unset V SEND PATCHED QEMU_SRC FATAL HAZARD_MODES CHECK_BOOT_TARGETS \
	CHECK_HAZARD_TARGETS KNB_LOCK_WAIT XDG_CACHE_HOME
export KNB_TEST_SEEN=$TMP/seen
for s in make-tree.sh send-email.sh upstream.py reproduce.sh build-qemu.sh check.sh; do
	# shellcheck disable=SC2016 # the stand-in's own $0, $* and variable
	printf '#!/bin/sh\n{ echo "%s $*"; env; } >"$KNB_TEST_SEEN"\n' "$s" >"$P/mk/$s"
done

# seen NAME WANT CMD...: CMD (a make in the copy) succeeds, and the
# stand-in it ran saw the line WANT (its name and arguments, or
# VAR=value in its environment).
seen()
{
	local name=$1 want=$2

	shift 2
	rm -f "$KNB_TEST_SEEN"
	if ! "$@" >"$TMP/out" 2>&1; then
		tap_fail "$name: make failed" "$TMP/out"
	elif grep -qxF -- "$want" "$KNB_TEST_SEEN"; then
		tap_ok "$name"
	else
		grep -E -e "^[a-z-]+\.(sh|py) " -e "^${want%%=*}=" "$KNB_TEST_SEEN" >"$TMP/saw" || true
		tap_fail "$name: no line '$want'; it saw:" "$TMP/saw"
	fi
}

# both MAKE-TARGET VAR VALUE [WANT]: VAR=VALUE on make's command line,
# and from the environment, gives the stand-in of MAKE-TARGET the line
# WANT (default: VAR=VALUE in its environment).
both()
{
	local target=$1 var=$2 value=$3 want=${4:-$2=$3}

	seen "$var on make's command line ($target)" "$want" \
		make -s -C "$P" "$target" "$var=$value"
	seen "$var from the environment ($target)" "$want" \
		env "$var=$value" make -s -C "$P" "$target"
}

both tree TARGET 6.1.y "make-tree.sh 6.1.y"
both tree LINUX "$TMP/mylinux"
both tree BUILD "$TMP/mybuild"
both tree VERSION 6.12.1
both tree KNB_LOCK_WAIT 7
both tree XDG_CACHE_HOME "$TMP/xdg"
both send-email V 2
both send-email SEND 1
both send-email UPSTREAM_GIT "$TMP/upstream"
both check-upstream UPSTREAM_GIT "$TMP/upstream" "upstream.py check --git $TMP/upstream"
both reproduce PATCHED 0 "reproduce.sh 6.12.y 0"
both reproduce FATAL 1
both reproduce HAZARD_MODES nvhe
both qemu QEMU_SRC "$TMP/qemu"
both check CHECK_BOOT_TARGETS 6.1.y
both check CHECK_HAZARD_TARGETS 6.1.y

tap_done test-variables.sh
