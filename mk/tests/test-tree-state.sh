#!/bin/bash
# test-tree-state.sh: what README's workflow leaves behind when it goes
# wrong, as a user would meet it. A copy of the project gets a target of
# its own (9.9.y, on a small fake kernel tree passed as LINUX), and each
# case is the command a user types, its exit status and its one line, and
# what must still be there afterwards: the user's files, the cache,
# patches/. Also the locks (two runs at once) and a killed make.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
# shellcheck source=fake-project.sh
. "$(dirname "$0")/fake-project.sh"

# The made-up line is a target everywhere once its one file is there.
check "the new target is listed" fail "unknown TARGET 'nosuch'; use one of: .*9\.9\.y" \
	make -s -C "$P" tree TARGET=nosuch BUILD="$B"

# README's workflow: make tree, commit there, make export.
check "make tree, empty series" 0 "up to date|0 patches" mk tree
sed -i 's/^line 5$/line five/' "$T/arch/arm64/kvm/debug-sr.c"
git_quiet -C "$T" commit -q -a -m "KVM: arm64: the fix"
check "make export" 0 "rewritten" mk export
git_quiet -C "$P" add -A
git_quiet -C "$P" commit -q -m "the series"
same "the series has the fix" "$(grep -c . "$P/patches/9.9.y/series")" 1
check "make tree after export: the tree is the series" 0 "up to date" mk tree
same "the tree has the fix" "$(commits)" "KVM: arm64: the fix"
patches=$(sums "$P/patches")

# Item 3: a patch that does not apply leaves a half-made tree, which is
# neither exported nor blamed on the user, and is made again once fixed.
sed -i 's/^-line 5$/-line 50/' "$P/patches/9.9.y/0001-"*.patch
check "a patch that does not apply" fail "0001-.* does not apply to Linux 9.9.1" mk tree
broken=$(sums "$P/patches")
check "make export of the half-made tree" fail "is half-made" mk export
same "patches/ untouched by that export" "$(sums "$P/patches")" "$broken"
git -C "$P" checkout -q patches/
check "make tree after the patch is fixed" 0 "\\+ 1 patches" mk tree
same "the fixed series is in the tree" "$(commits)" "KVM: arm64: the fix"
same "patches/ as committed" "$(sums "$P/patches")" "$patches"

# A half-made tree a user then worked in is theirs: not made again.
sed -i 's/^-line 5$/-line 50/' "$P/patches/9.9.y/0001-"*.patch
mk tree >/dev/null 2>&1 || true
sed -i 's/^line 5$/line FIVE/' "$T/arch/arm64/kvm/debug-sr.c"
git_quiet -C "$T" commit -q -a -m "KVM: arm64: fixed by hand"
check "a half-made tree the user committed in" fail "holds 1 commit not exported to patches/9.9.y \\(the last: [0-9a-f]+ \"KVM: arm64: fixed by hand\"\\)" mk tree
same "the user's commit is kept" "$(commits)" "KVM: arm64: fixed by hand"
git -C "$P" checkout -q patches/
rm -rf "$T" "$T.base"
mk tree >/dev/null 2>&1

# Discarding an export with git checkout: the tree follows patches/.
sed -i 's/^line 7$/line seven/' "$T/arch/arm64/kvm/debug-sr.c"
git_quiet -C "$T" commit -q -a -m "KVM: arm64: a change to discard"
mk export >/dev/null 2>&1
git -C "$P" checkout -q patches/
git -C "$P" clean -q -f patches/
check "make tree after discarding an export" 0 "\\+ 1 patches" mk tree
same "the discarded commit is gone" "$(commits)" "KVM: arm64: the fix"

# A series naming a patch that is not there: one line, nothing else.
echo 0002-missing.patch >>"$P/patches/9.9.y/series"
check "a series naming a missing patch" fail "series names 0002-missing.patch, which does not exist" mk tree
git -C "$P" checkout -q patches/

# A checkout stopped half-way (marked, files left untracked) is made
# again, not blamed on the user.
git -C "$T" config knb.making "2026-01-01T00:00:00Z"
echo "left by a stopped checkout" >"$T/half-written.c"
check "a checkout stopped half-way is made again" 0 "\\+ 1 patches" mk tree
if [ -e "$T/half-written.c" ] || [ -n "$(git -C "$T" config --get knb.making || true)" ]; then
	tap_fail "the stopped checkout's leftovers are still there"
else
	tap_ok "the stopped checkout's leftovers are gone"
fi

# SEND=1 without the upstream messages (no UPSTREAM_GIT) refuses before any work.
check "SEND=1 refuses at once" fail "not sending: the upstream messages of .* are needed" \
	env GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="Test Sender" \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=test@invalid \
	make -s -C "$TOP" send-email TARGET=6.12.y BUILD="$TMP/sendbuild" SEND=1 UPSTREAM_GIT=
if [ -e "$TMP/sendbuild/linux-6.12.y" ]; then
	tap_fail "SEND=1 made a tree before refusing"
else
	tap_ok "SEND=1 refused before making a tree"
fi

# Item 4: a user's untracked files in the tree are never deleted.
echo "my notes" >"$T/notes.txt"
check "untracked files in the tree" fail "holds 1 file the project did not write \\(notes.txt\\).*move them out" mk tree
same "the user's file is kept" "$(cat "$T/notes.txt")" "my notes"
rm "$T/notes.txt"

# Item 6: a LINUX inside another git repository.
head=$(git -C "$T" rev-parse HEAD)
mkdir -p "$TMP/outer"
cp -a "$L" "$TMP/outer/linux"
rm -rf "$TMP/outer/linux/.git"
git_quiet -C "$TMP/outer" init -q
git_quiet -C "$TMP/outer" add -A
git_quiet -C "$TMP/outer" commit -q -m outer
check "LINUX inside another git tree" fail "not the top of a git tree" \
	make -s -C "$P" tree TARGET=9.9.y BUILD="$B" LINUX="$TMP/outer/linux"
same "the tree is kept" "$(git -C "$T" rev-parse HEAD)" "$head"
check "LINUX that does not exist" fail "is not a Linux source tree" \
	make -s -C "$P" tree TARGET=9.9.y BUILD="$B" LINUX="$TMP/nosuch"

# Item 5: without git, or with a repository git cannot read, the cached
# repository is kept and the message names the cause.
mkdir -p "$KNB_CACHE/src/linux-9.9.1" "$TMP/nogit"
cp -a "$L/." "$KNB_CACHE/src/linux-9.9.1/"
rm -rf "$KNB_CACHE/src/linux-9.9.1/.git"
echo "9.9.1 test tree" >"$KNB_CACHE/src/linux-9.9.1.origin"
VERSION=9.9.1 "$P/mk/base-tree.sh" 9.9.y >/dev/null 2>&1
repo=$KNB_CACHE/git/linux-9.9.1.2
cached=$(sums "$repo")
for f in /usr/local/bin/* /usr/bin/* /bin/*; do
	case "${f##*/}" in git | git-*) continue ;; esac
	[ -e "$TMP/nogit/${f##*/}" ] || ln -s "$f" "$TMP/nogit/${f##*/}"
done
check "no git" fail "git is not installed" \
	env PATH="$TMP/nogit" VERSION=9.9.1 "$P/mk/base-tree.sh" 9.9.y
git --git-dir="$repo" tag -d base >/dev/null
cached=$(sums "$repo")
check "a cached repository git cannot read" fail "cannot read the tag 'base'.*\\(kept\\)" \
	env VERSION=9.9.1 "$P/mk/base-tree.sh" 9.9.y
same "the cached repository is kept" "$(sums "$repo")" "$cached"

# Item 7: stale unpack directories of a stopped run go; the cache lock.
mkdir -p "$KNB_CACHE/src/.unpack.stale"
VERSION=9.9.1 "$P/mk/fetch-tree.sh" 9.9.y >/dev/null 2>&1
if [ -e "$KNB_CACHE/src/.unpack.stale" ]; then
	tap_fail "a stopped run's unpack directory is left"
else
	tap_ok "a stopped run's unpack directory is removed"
fi

# make tools says what is still missing after apt-get "succeeded".
mkdir -p "$TMP/fakeapt"
printf '#!/bin/sh\nexit 0\n' >"$TMP/fakeapt/apt-get"
chmod +x "$TMP/fakeapt/apt-get"
rm -f "$TMP/nogit/shellcheck"
check "a tool apt-get did not install" fail "still missing: shellcheck|as root run: apt-get install .*shellcheck" \
	env PATH="$TMP/fakeapt:$TMP/nogit" "$P/mk/need-tools.sh" check

# Item 8: one run at a time per build directory. A run holds the lock
# (KNB_RUN unset: a run of its own), a second one refuses or waits.
# shellcheck disable=SC2016 # $1 is the inner shell's
env -u KNB_RUN BUILD="$B" bash -c '. "$1/mk/lib.sh"; sleep 6' sh "$P" &
holder=$!
sleep 1
check "a second run, not waiting" fail "BUILD=$B is in use by another run" \
	env -u KNB_RUN KNB_LOCK_WAIT=0 make -s -C "$P" tree TARGET=9.9.y BUILD="$B" LINUX="$L"
check "a second run waits, then runs" 0 "waiting for BUILD=$B" \
	env -u KNB_RUN KNB_LOCK_WAIT=30 make -s -C "$P" tree TARGET=9.9.y BUILD="$B" LINUX="$L"
check "a wait that is not a number" fail "KNB_LOCK_WAIT=1h is not a number of seconds" \
	env -u KNB_RUN KNB_LOCK_WAIT=1h make -s -C "$P" tree TARGET=9.9.y BUILD="$B" LINUX="$L"
wait "$holder" || true

# Two clones (two build directories) run at once, and take the download
# cache's lock in turn: a writer of the cache waits for the other.
# shellcheck disable=SC2016 # $1 is the inner shell's
env -u KNB_RUN BUILD="$TMP/clone1" bash -c '. "$1/mk/lib.sh"; cache_lock; sleep 6' sh "$P" &
holder=$!
sleep 1
check "another clone's cache writer, not waiting" fail "the download cache $KNB_CACHE is in use by another run" \
	env -u KNB_RUN BUILD="$TMP/clone2" KNB_LOCK_WAIT=0 VERSION=9.9.1 "$P/mk/fetch-tree.sh" 9.9.y
check "another clone's cache writer waits, then runs" 0 "waiting for the download cache" \
	env -u KNB_RUN BUILD="$TMP/clone2" KNB_LOCK_WAIT=30 VERSION=9.9.1 "$P/mk/fetch-tree.sh" 9.9.y
wait "$holder" || true

# Item 7: a killed make takes the run's processes with it.
cat >"$TMP/Makefile" <<EOF
all:
	@$TMP/long.sh
EOF
cat >"$TMP/long.sh" <<EOF
#!/bin/bash
set -eu
. "$P/mk/lib.sh"
sleep 421
EOF
chmod +x "$TMP/long.sh"
env -u KNB_RUN BUILD="$TMP/b2" make -s -C "$TMP" >/dev/null 2>&1 &
mkpid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	pgrep -f '^sleep 421$' >/dev/null && break
	sleep 0.5
done
kill -TERM "$mkpid"
wait "$mkpid" 2>/dev/null || true
for _ in $(seq 1 20); do
	pgrep -f '^sleep 421$' >/dev/null || break
	sleep 0.5
done
if pgrep -f '^sleep 421$' >/dev/null; then
	tap_fail "a killed make left its run's processes running"
	pkill -f '^sleep 421$' || true
else
	tap_ok "a killed make takes its run's processes with it"
fi

tap_done test-tree-state.sh
