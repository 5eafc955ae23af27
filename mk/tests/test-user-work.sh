#!/bin/bash
# test-user-work.sh: nothing of the user's is lost (issue 24), each case
# replayed as the issue reproduced it on a copy of the project with a
# made-up 9.9.y (fake-project.sh): the command a user types, its exit
# status and its one line, and what must still be there afterwards. The
# work tree (branches, stash, unexported commits, files ignored or not),
# patches/ (hand edits, a new patch, a series cut short), BUILD (make
# clean, names beside the tree, make audit), the trees' ignore rules, the
# run itself (a killed make, the lock by any spelling of BUILD), and the
# unclear messages of the issue's group 10.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
# shellcheck source=fake-project.sh
. "$(dirname "$0")/fake-project.sh"

# has NAME CMD...: CMD succeeds (what must still be there).
has()
{
	local name=$1

	shift
	if "$@" >/dev/null 2>&1; then
		tap_ok "$name"
	else
		tap_fail "$name"
	fi
}

# top_names: what is at the top of B, but build/audit.
top_names()
{
	find "$B" -mindepth 1 -maxdepth 1 ! -name audit -printf '%f\n' | sort | paste -sd' '
}

# mkc ARGS...: make for 9.9.y from Debian's (here: a fake) cached tree.
mkc()
{
	make -s -C "$P" TARGET=9.9.y BUILD="$B" VERSION=9.9.1 "$@"
}

# This copy's 9.9.y has a test-only series too; the tree L and the fake
# cached tree ignore *.o, as the kernel's .gitignore does; the cached one
# ends with the block Debian's linux-source adds.
echo "TEST_SERIES=patches/9.9.y-test" >>"$P/mk/targets/9.9.y"
mkdir -p "$P/patches/9.9.y-test"
: >"$P/patches/9.9.y-test/series"
git_quiet -C "$P" add -A
git_quiet -C "$P" commit -q -m "9.9.y with a test series"
printf '*.o\n' >"$L/.gitignore"
git_quiet -C "$L" add -A
git_quiet -C "$L" commit -q -m "Linux 9.9.1, ignore rules"
mkdir -p "$KNB_CACHE/src/linux-9.9.1"
git -C "$L" archive HEAD | tar -x -C "$KNB_CACHE/src/linux-9.9.1"
printf '\n#\n# Debian packaging: ignore everything at the top level\n#\n/*\n!/debian/\n' \
	>>"$KNB_CACHE/src/linux-9.9.1/.gitignore"
echo "9.9.1 binary linux-source-9.9 (test)" >"$KNB_CACHE/src/linux-9.9.1.origin"

# A series of three patches and a test-only one, exported from the tree.
mk tree >/dev/null 2>&1
for n in 2:one 5:two 8:three; do
	sed -i "s/^line ${n%%:*}\$/line ${n#*:}/" "$T/arch/arm64/kvm/debug-sr.c"
	git_quiet -C "$T" commit -q -a -m "KVM: arm64: ${n#*:}"
done
mkdir -p "$T/tools/testing/selftests/kvm/arm64"
echo "int main(void) { return 0; }" >"$T/tools/testing/selftests/kvm/arm64/t.c"
git_quiet -C "$T" add -A
git_quiet -C "$T" commit -q -m "KVM: arm64: selftests: a test" -m "[ Test only: not for stable ]"
check "the series exported" 0 "rewritten" mk export
git_quiet -C "$P" add -A
git_quiet -C "$P" commit -q -m "the series"
same "three patches and one test-only" \
	"$(grep -c . "$P/patches/9.9.y/series") $(grep -c . "$P/patches/9.9.y-test/series")" "3 1"
patches=$(sums "$P/patches")
# From here a case that fails (say, a guard that lost the file the next
# step removes) must not stop the cases after it.
set +e

# --- 1. a tree whose source changes is replaced only when nothing in it is
# the user's: a branch, a stash, a format-patch'ed file (issue, group 1).
git_quiet -C "$T" checkout -q -b wip
echo "wip" >>"$T/Makefile"
git_quiet -C "$T" commit -q -a -m "wip: mine"
git -C "$T" format-patch -q -1 -o .
git_quiet -C "$T" checkout -q 9.9.y
echo "edit" >>"$T/Makefile"
git_quiet -C "$T" stash -q
check "make tree from another source, a branch, a stash and a file in the tree" fail \
	"holds branch wip, the stash, 1 file the project did not write \\(0001-wip-mine.patch\\), which replacing it .* would lose; to keep it, copy branches, tags and stashes elsewhere" \
	mkc tree
has "the branch is kept" git -C "$T" rev-parse -q --verify wip
same "the stash is kept" "$(git -C "$T" stash list | wc -l)" 1
has "the format-patch'ed file is kept" test -f "$T/0001-wip-mine.patch"
check "the same tree made again in place keeps branch and stash, not a stray file" fail \
	"1 file the project did not write \\(0001-wip-mine.patch\\)" mk tree
git_quiet -C "$T" branch -q -D wip
git_quiet -C "$T" stash drop -q
rm "$T/0001-wip-mine.patch"
echo "object" >"$T/arch/arm64/kvm/mine.o"
check "an ignored file of the user's" fail \
	"holds 1 file the project did not write \\(arch/arm64/kvm/mine.o\\)" mkc tree
has "the ignored file is kept" test -f "$T/arch/arm64/kvm/mine.o"
rm "$T/arch/arm64/kvm/mine.o"
# What the project's own steps write into the tree is the project's:
# the selftests' generated headers, checkpatch's cache.
project_outputs()
{
	mkdir -p "$T/tools/arch/arm64/include/generated/asm"
	echo "/* generated */" >"$T/tools/arch/arm64/include/generated/asm/sysreg-defs.h"
	echo "cache" >"$T/.checkpatch-camelcase.git.0123456789ab"
}
project_outputs
check "nothing of the user's: the tree is replaced" 0 "\\+ 4 patches" mkc tree

# --- 2. a tree made from Debian's tarball shows new files (group 2).
# The cached repository's base commit is the same whether it is made
# from the tarball or from a repository of the first layout, whose
# .gitignore kept Debian's '/*' (its objects are then hard-linked).
mkdir -p "$KNB_CACHE/src/linux-9.9.3"
cp -a "$KNB_CACHE/src/linux-9.9.1/." "$KNB_CACHE/src/linux-9.9.3/"
sed -i 's/^SUBLEVEL = 1$/SUBLEVEL = 3/' "$KNB_CACHE/src/linux-9.9.3/Makefile"
echo "9.9.3 binary linux-source-9.9 (test)" >"$KNB_CACHE/src/linux-9.9.3.origin"
fresh=$(VERSION=9.9.3 "$P/mk/base-tree.sh" 9.9.y 2>/dev/null | cut -d' ' -f2)
mv "$KNB_CACHE/git/linux-9.9.3.2" "$TMP/fresh.git"
old=$KNB_CACHE/git/linux-9.9.3
git init -q --bare "$old"
git --git-dir="$old" --work-tree="$KNB_CACHE/src/linux-9.9.3" add -A -f
git_quiet --git-dir="$old" --work-tree="$KNB_CACHE/src/linux-9.9.3" commit -q -m "Linux 9.9.3"
git --git-dir="$old" tag base
derived=$(VERSION=9.9.3 "$P/mk/base-tree.sh" 9.9.y 2>/dev/null | cut -d' ' -f2)
same "a repository of the first layout gives the same base commit" "$derived" "$fresh"
if git --git-dir="$KNB_CACHE/git/linux-9.9.3.2" show base:.gitignore | grep -qx '/\*'; then
	tap_fail "the base commit's .gitignore keeps Debian's '/*'"
else
	tap_ok "the base commit's .gitignore is the kernel's own"
fi
echo "new" >"$T/arch/arm64/kvm/new_file.c"
same "a new file shows in git status" "$(git -C "$T" status --porcelain)" "?? arch/arm64/kvm/new_file.c"
if git -C "$T" check-ignore -q arch/arm64/kvm/new_file.c; then
	tap_fail "Debian's '/*' still ignores new files"
else
	tap_ok "the top .gitignore is the kernel's own"
fi
touch "$T/arch/arm64/kvm/x.o"
has "the kernel's own rules still apply (*.o)" git -C "$T" check-ignore -q arch/arm64/kvm/x.o
rm "$T/arch/arm64/kvm/x.o"
git_quiet -C "$T" add -A
git_quiet -C "$T" commit -q -m "KVM: arm64: a new file"
same "git add -A commits the new file" "$(git -C "$T" show --name-only --format= HEAD)" \
	arch/arm64/kvm/new_file.c
git_quiet -C "$T" reset -q --hard HEAD~1
check "back to LINUX's tree" 0 "\\+ 4 patches" mk tree

# --- 3. export keeps what the user changed in patches/ (group 3).
echo "/* more */" >>"$T/tools/testing/selftests/kvm/arm64/t.c"
git_quiet -C "$T" commit -q -a --amend --no-edit
p2=$(ls "$P/patches/9.9.y/"0002-*.patch)
echo "a reviewer's note" >>"$p2"
edited=$(sums "$P/patches")
check "make export over a hand-edited patch" fail \
	"patches/9.9.y has changes export would overwrite or delete: 0002-.*\\(edited\\)" mk export
same "the hand edit is kept" "$(sums "$P/patches")" "$edited"
git -C "$P" checkout -q patches/
echo "my next fix" >"$P/patches/9.9.y/0004-my-next-fix.patch"
check "make export with a new patch not in the series" fail \
	"0004-my-next-fix.patch \\(not written by export\\)" mk export
has "the new patch is kept" test -f "$P/patches/9.9.y/0004-my-next-fix.patch"
rm "$P/patches/9.9.y/0004-my-next-fix.patch"
check "make export, patches/ as exported" 0 "9.9.y-test rewritten \\(1 patches\\)" mk export
git -C "$P" checkout -q patches/
git -C "$P" clean -q -f patches/
check "make tree follows patches/ put back" 0 "\\+ 4 patches" mk tree

# --- 6. export does not shrink the series (group 6): a rebase stopped
# at an 'edit', and a tree make tree did not finish.
GIT_SEQUENCE_EDITOR="sed -i 1s/^pick/edit/" git_quiet -C "$T" rebase -q -i base 2>/dev/null
check "make export during git rebase -i" fail "has a git rebase in progress" mk export
same "patches/ untouched" "$(sums "$P/patches")" "$patches"
git -C "$T" rebase --abort
sed -i "s/^line 6\$/line 6, upstream/" "$L/arch/arm64/kvm/debug-sr.c"
git_quiet -C "$L" commit -q -a -m "Linux 9.9.2"
check "make tree on a base 0002 does not apply to" fail "0002-.* does not apply" mk tree
sed -i "s/^line 5\$/line two/" "$T/arch/arm64/kvm/debug-sr.c"
git_quiet -C "$T" commit -q -a -m "KVM: arm64: two"
check "make export of the tree make tree did not finish" fail \
	"lacks 1 patch of patches/9.9.y \\(0003-KVM-arm64-three.patch\\).*exporting now would drop" mk export
sed -i "s/^line 8\$/line three/" "$T/arch/arm64/kvm/debug-sr.c"
git_quiet -C "$T" commit -q -a -m "KVM: arm64: three"
check "make export without the test-only patch" fail \
	"lacks 1 patch of patches/9.9.y-test \\(0001-KVM-arm64-selftests-a-test.patch\\)" mk export
same "patches/ untouched by either" "$(sums "$P/patches")" "$patches"
git_quiet -C "$T" am -q "$P/patches/9.9.y-test/"0001-*.patch
check "make export of the completed tree" 0 "patches/9.9.y(-test)? (rewritten|is up to date)" mk export
same "the series keeps all its patches" \
	"$(grep -c . "$P/patches/9.9.y/series") $(grep -c . "$P/patches/9.9.y-test/series")" "3 1"
git_quiet -C "$L" reset -q --hard HEAD~1
git -C "$P" checkout -q patches/
check "make tree on the old base again" 0 "\\+ 4 patches" mk tree

# --- 4. make clean keeps unexported commits and the user's files (group 4).
sed -i "s/^line 1\$/line one/" "$T/arch/arm64/kvm/debug-sr.c"
git_quiet -C "$T" commit -q -a -m "KVM: arm64: mine"
echo notes >"$B/my-notes.txt"
check "make clean with an unexported commit and a file of the user's" fail \
	"not removing $B: it holds linux-9.9.y: 1 commit not exported to patches/9.9.y \\(the last: [0-9a-f]+ \"KVM: arm64: mine\"\\); my-notes.txt \\(not the project's\\)" \
	make -s -C "$P" clean BUILD="$B"
same "the commit is kept" "$(git -C "$T" log -1 --format=%s)" "KVM: arm64: mine"
same "the notes are kept" "$(cat "$B/my-notes.txt")" notes
git_quiet -C "$T" reset -q --hard HEAD~1
rm "$B/my-notes.txt"
project_outputs
same "checkpatch's cache is no file of the series" \
	"$(git -C "$T" status --porcelain --untracked-files=all | grep -c checkpatch)" 0
check "make clean of the project's own" 0 "removed $B" make -s -C "$P" clean BUILD="$B"

# --- 5. make tree into a user's directory reuses no name of theirs.
U=$TMP/user
mkdir -p "$U/linux-9.9.y.new"
echo precious >"$U/linux-9.9.y.new/precious.txt"
echo "my base notes" >"$U/linux-9.9.y.base"
check "a user's linux-9.9.y.new" fail "$U/linux-9.9.y.new is in the way" \
	make -s -C "$P" tree TARGET=9.9.y BUILD="$U" LINUX="$L"
rm -r "$U/linux-9.9.y.new"
check "a user's linux-9.9.y.base" fail "$U/linux-9.9.y.base is in the way" \
	make -s -C "$P" tree TARGET=9.9.y BUILD="$U" LINUX="$L"
same "the user's .base is kept" "$(cat "$U/linux-9.9.y.base")" "my base notes"
if [ -e "$U/linux-9.9.y" ]; then tap_fail "a tree was made in U"; else tap_ok "no tree made in U"; fi

# --- 2 (audit). make audit writes only build/audit, never build/linux-*.
# A fake 6.12 tree, an empty 6.12.y series in the copy, the references
# refused at once (VERSION of another line) or from the fake cache.
L6=$TMP/linux-6.12
mkdir -p "$L6/arch/arm64/kvm/hyp/nvhe" "$L6/arch/arm64/include/asm"
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 999\nEXTRAVERSION =\n\nNAME = Test\n' >"$L6/Makefile"
echo "/* fake */" >"$L6/arch/arm64/kvm/hyp/nvhe/debug-sr.c"
touch "$L6/arch/arm64/include/asm/kvm_host.h" "$L6/arch/arm64/include/asm/kvm_hyp.h" \
	"$L6/arch/arm64/include/asm/virt.h"
git_quiet -C "$L6" init -q
git_quiet -C "$L6" add -A
git_quiet -C "$L6" commit -q -m "Linux 6.12.999"
mkdir -p "$KNB_CACHE/src/linux-6.12.999"
git -C "$L6" archive HEAD | tar -x -C "$KNB_CACHE/src/linux-6.12.999"
echo "6.12.999 test" >"$KNB_CACHE/src/linux-6.12.999.origin"
for s in 6.12.y 6.12.y-test; do
	git -C "$P" rm -q -r "patches/$s"
	mkdir -p "$P/patches/$s"
	: >"$P/patches/$s/series"
done
git_quiet -C "$P" add -A
git_quiet -C "$P" commit -q -m "an empty 6.12.y series"
make -s -C "$P" tree TARGET=6.12.y BUILD="$B" LINUX="$L6" >/dev/null 2>&1
T6=$B/linux-6.12.y
git_quiet -C "$T6" checkout -q -b wip
echo notes >"$T6/notes.txt"
git_quiet -C "$T6" add notes.txt
git_quiet -C "$T6" commit -q -m "notes"
git_quiet -C "$T6" checkout -q 6.12.y
top=$(top_names)
head6=$(git -C "$T6" rev-parse wip)
make -s -C "$P" audit BUILD="$B" LINUX="$L6" VERSION=6.12.999 >"$TMP/audit.out" 2>&1 || true
same "make audit keeps the user's branch in build/linux-6.12.y" \
	"$(git -C "$T6" rev-parse -q --verify wip || echo gone)" "$head6"
same "make audit writes nothing else at the top of BUILD" "$(top_names)" "$top"
if grep -q "patched.*6.12" "$B/audit/info" 2>/dev/null && [ -d "$B/audit/trees/linux-6.12.y/.git" ]; then
	tap_ok "make audit made its patched tree under build/audit"
else
	tap_fail "make audit made no patched tree under build/audit" "$TMP/audit.out"
fi

# A build/linux-6.12.y that is the series as is, untouched, is only read.
B2=$TMP/b6
make -s -C "$P" tree TARGET=6.12.y BUILD="$B2" VERSION=6.12.999 >/dev/null 2>&1
before=$(sums "$B2/linux-6.12.y")
make -s -C "$P" audit BUILD="$B2" LINUX="$L6" VERSION=6.12.999 >"$TMP/audit.out" 2>&1 || true
# (The fake tree cannot be modelled: the reference is named as it fails.)
if grep -qF "patched-6.12.y ($B2/linux-6.12.y)" "$TMP/audit.out" && [ ! -e "$B2/audit/trees" ] &&
   [ "$(sums "$B2/linux-6.12.y")" = "$before" ]; then
	tap_ok "make audit reads a current build/linux-6.12.y and makes no tree"
else
	tap_fail "make audit did not just read the current build/linux-6.12.y" "$TMP/audit.out"
fi

# --- 7. one run at a time per directory, however it is spelled; a killed
# make ends its run, before or after the lock; no lock file is left.
mkdir -p "$TMP/links"
ln -s "$B" "$TMP/links/b"
# shellcheck disable=SC2016 # $1 is the inner shell's
env -u KNB_RUN BUILD="$B" bash -c '. "$1/mk/lib.sh"; sleep 4' sh "$P" &
holder=$!
sleep 1
check "the lock through a symbolic link" fail "BUILD=$TMP/links/b is in use by another run" \
	env -u KNB_RUN KNB_LOCK_WAIT=0 make -s -C "$P" tree TARGET=9.9.y BUILD="$TMP/links/b" LINUX="$L"
check "the lock through .." fail "is in use by another run" \
	env -u KNB_RUN KNB_LOCK_WAIT=0 make -s -C "$P" tree TARGET=9.9.y BUILD="$TMP/links/../build" LINUX="$L"
wait "$holder" || true

# (The shell's notices of the jobs killed below are not the test's.)
exec 3>&2 2>/dev/null
B3=$TMP/b3
# shellcheck disable=SC2016 # $1 is the inner shell's
env -u KNB_RUN BUILD="$B3" bash -c '. "$1/mk/lib.sh"; sleep 3' sh "$P" &
holder=$!
sleep 1
env -u KNB_RUN make -s -C "$P" tree TARGET=9.9.y BUILD="$B3" LINUX="$L" >/dev/null 2>&1 &
waiter=$!
sleep 1
kill -KILL "$waiter"
wait "$waiter" 2>/dev/null || true
wait "$holder" || true
sleep 3
if [ -e "$B3/linux-9.9.y" ] || pgrep -f "mk/make-tree.sh 9.9.y" >/dev/null; then
	tap_fail "make killed while waiting for the lock left its run going"
else
	tap_ok "make killed while waiting for the lock ends its run"
fi

cat >"$TMP/Makefile" <<EOF
all:
	@$TMP/long.sh
EOF
cat >"$TMP/long.sh" <<EOF
#!/bin/bash
set -eu
. "$P/mk/lib.sh"
sleep 422
EOF
chmod +x "$TMP/long.sh"
env -u KNB_RUN BUILD="$TMP/b2" make -s -C "$TMP" >/dev/null 2>&1 &
mkpid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	pgrep -f '^sleep 422$' >/dev/null && break
	sleep 0.5
done
kill -KILL "$mkpid"
wait "$mkpid" 2>/dev/null || true
for _ in $(seq 1 20); do
	pgrep -f '^sleep 422$' >/dev/null || pgrep -f "^/bin/bash $TMP/long.sh" >/dev/null || break
	sleep 0.5
done
if pgrep -f '^sleep 422$' >/dev/null || pgrep -f "^/bin/bash $TMP/long.sh" >/dev/null; then
	tap_fail "make killed with -9 left its run going"
	pkill -f '^sleep 422$' || true
else
	tap_ok "make killed with -9 ends its run, the run's own script too"
fi
exec 2>&3 3>&-
sleep 1
same "no BUILD lock file is left" "$(find "$KNB_CACHE/locks" -name 'build-*' | wc -l)" 0

# --- 10. the unclear messages, each one line now.
check "HOME not set" fail "HOME is not set: no place for the download cache" \
	env -u HOME -u XDG_CACHE_HOME -u KNB_CACHE make -s -C "$P" tree TARGET=9.9.y BUILD="$B" LINUX="$L"
check "HOME empty" fail "HOME is '', not an absolute path" \
	env -u XDG_CACHE_HOME -u KNB_CACHE HOME= make -s -C "$P" tree TARGET=9.9.y BUILD="$B" LINUX="$L"
check "make -f from another directory" fail "run make in the project's directory: make -C $P" \
	make -s -C "$TMP" -f "$P/Makefile" tree TARGET=9.9.y
check "BUILD= empty" fail "BUILD is empty; leave it unset" \
	make -s -C "$P" tree TARGET=9.9.y BUILD= LINUX="$L"
check "BUILD empty in a script's environment" fail "BUILD is set but empty" \
	env BUILD= "$P/mk/make-tree.sh" 9.9.y
check "V= not a version, before any work" fail "V='two' is not a series version" \
	make -s -C "$P" send-email TARGET=9.9.y BUILD="$TMP/bv" V=two
if [ -e "$TMP/bv" ]; then tap_fail "V= was checked after work"; else tap_ok "V= is checked before any work"; fi
mkdir -p "$TMP/b4/linux-9.9.y"
git_quiet -C "$TMP/b4/linux-9.9.y" init -q
echo mine >"$TMP/b4/linux-9.9.y/mine.c"
git_quiet -C "$TMP/b4/linux-9.9.y" add -A
git_quiet -C "$TMP/b4/linux-9.9.y" commit -q -m mine
check "a foreign git tree at build/linux-9.9.y" fail "is a git tree the project did not make; move it away" \
	make -s -C "$P" tree TARGET=9.9.y BUILD="$TMP/b4" LINUX="$L"
check "make export from a foreign git tree" fail "is a git tree the project did not make: nothing to export" \
	make -s -C "$P" export TARGET=9.9.y BUILD="$TMP/b4"
same "the foreign tree is kept" "$(git -C "$TMP/b4/linux-9.9.y" log --format=%s)" mine
sed -i 's/$/\r/' "$P/patches/9.9.y/series"
check "a series file with CRLF line ends" 0 "\\+ 4 patches" mk tree
git -C "$P" checkout -q patches/
# A read-only BUILD (a read-only bind mount, in a namespace of our own).
mkdir -p "$TMP/ro"
: >"$TMP/ro/.kvm-nvhe-buffers"
echo keep >"$TMP/ro/times.tsv"
if unshare -rm true 2>/dev/null; then
	# ro CMD...: CMD with $TMP/ro mounted read-only.
	ro()
	{
		# shellcheck disable=SC2016 # the inner shell's $1 and $@
		unshare -rm sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' sh "$TMP/ro" "$@"
	}
	check "make tree into a read-only BUILD" fail "BUILD=$TMP/ro is not writable" \
		ro make -s -C "$P" tree TARGET=9.9.y BUILD="$TMP/ro" LINUX="$L"
	check "make clean of a read-only BUILD" fail "$TMP/ro or $TMP is not writable.*not removing anything" \
		ro make -s -C "$P" clean BUILD="$TMP/ro"
	same "the read-only BUILD is kept" "$(cat "$TMP/ro/times.tsv")" keep
else
	tap_skip "a read-only BUILD" "unshare -rm is not permitted here"
fi

# A BUILD on a nearly full file system: make check stops before its first
# step, in one line, instead of failing half way in some git checkout.
if unshare -rm true 2>/dev/null; then
	mkdir "$TMP/small"
	# shellcheck disable=SC2016 # the inner shell's $1 and $@
	check "make check with 16 MB free on BUILD's file system" fail \
		"only 0 GB free on the file system of $TMP/small/b; make check needs at least 5 GB" \
		unshare -rm sh -c 'mount -t tmpfs -o size=16m tmpfs "$1" && shift && exec "$@"' \
		sh "$TMP/small" make -s -C "$P" check BUILD="$TMP/small/b"
else
	tap_skip "make check on a full disk" "unshare -rm is not permitted here"
fi

tap_done test-user-work.sh
