#!/bin/bash
# test-clean.sh: make clean and the Makefile's checks of TARGET and BUILD,
# as a user would type them: each bad case ends in one line and a non-zero
# exit, and nothing the project did not make is removed or run.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

# check NAME WANT_RC PATTERN CMD...: CMD exits WANT_RC (0 or non-zero as
# "fail") with PATTERN in one line of output (make's "***" trailer aside).
check()
{
	local name=$1 want=$2 pattern=$3 rc=0

	shift 3
	"$@" >"$TMP/out" 2>&1 || rc=$?
	if { [ "$want" = fail ] && [ "$rc" -ne 0 ] || [ "$want" = "$rc" ]; } &&
	   [ "$(grep -Evc '^make(\[[0-9]+\])?: \*\*\*' "$TMP/out")" -eq 1 ] &&
	   grep -qE -- "$pattern" "$TMP/out"; then
		tap_ok "$name"
	else
		tap_fail "$name (exit $rc, wanted $want and one line /$pattern/)" "$TMP/out"
	fi
}

# intact NAME PATH SUM: PATH's files still hash to SUM.
intact()
{
	if [ "$(sums "$2")" = "$3" ]; then
		tap_ok "$1"
	else
		tap_fail "$1: $2 changed"
	fi
}

sums()
{
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
}

mkdir "$TMP/w"
cd "$TMP/w"
mkdir -p P/dir with space mine keep
echo precious >P/dir/file
echo precious >with/file
echo precious >space/file
echo notes >mine/notes.txt
echo sibling >keep/file
before=$(sums "$TMP/w")

check "BUILD with a space" fail "BUILD='$TMP/w/P/dir with space' must be one path" \
	make -s -C "$TOP" clean BUILD="$TMP/w/P/dir with space"
intact "BUILD with a space: nothing removed" "$TMP/w" "$before"

check "BUILD the project did not make" fail "was not made by this project" \
	make -s -C "$TOP" clean BUILD="$TMP/w/mine"
intact "a user's BUILD: kept" "$TMP/w" "$before"

check "TARGET with commands in it" fail "unknown TARGET '6.13.y;touch INJECTED'" \
	make -s -C "$TOP" tree BUILD="$TMP/b" "TARGET=6.13.y;touch INJECTED"
if [ -e "$TOP/INJECTED" ] || [ -e "$TMP/INJECTED" ]; then
	tap_fail "TARGET's commands ran"
	rm -f "$TOP/INJECTED" "$TMP/INJECTED"
else
	tap_ok "TARGET's commands did not run"
fi
check "CHECK_BOOT_TARGETS naming no target" fail "name '6.13.y', which is not a target" \
	make -s -C "$TOP" check BUILD="$TMP/b" CHECK_BOOT_TARGETS=6.13.y
check "TARGET naming a project file" fail "unknown TARGET '../lib.sh'" \
	env BUILD="$TMP/b" "$TOP/mk/make-tree.sh" ../lib.sh

# Bad input leaves no BUILD behind: the one the script made goes again.
check "a script given a bad TARGET" fail "unknown TARGET 'nosuch'" \
	env BUILD="$TMP/w/keep/build" "$TOP/mk/make-tree.sh" nosuch
if [ -e "$TMP/w/keep/build" ]; then
	tap_fail "bad input left the BUILD it made"
else
	tap_ok "bad input left no BUILD"
fi

# A build directory the project made is removed, and only it.
env BUILD="$TMP/w/keep/build" "$TOP/mk/stage.sh" test true 2>/dev/null
[ -f "$TMP/w/keep/build/.kvm-nvhe-buffers" ] || {
	tap_fail "the project's BUILD is not marked"
}
check "BUILD the project made" 0 "removed $TMP/w/keep/build" \
	make -s -C "$TOP" clean BUILD="$TMP/w/keep/build"
if [ ! -e "$TMP/w/keep/build" ] && [ "$(cat "$TMP/w/keep/file")" = sibling ]; then
	tap_ok "the project's BUILD is gone, its parent's files stay"
else
	tap_fail "make clean removed the wrong thing"
fi
check "relative BUILD, nothing there" 0 "nothing to clean" \
	make -s -C "$TOP" clean BUILD=no/such/dir

tap_done test-clean.sh
