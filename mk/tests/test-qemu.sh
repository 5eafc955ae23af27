#!/bin/bash
# test-qemu.sh: tests of the QEMU tree scripts on a tiny made-up QEMU git
# tree (QEMU_SRC) in a scratch copy of the project: making build/qemu,
# its guards, export and its round trip, check-qemu-patches, and the
# build cache's key and warm hit. Builds nothing; takes seconds.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
T=$TMP/top
export KNB_CACHE=$TMP/cache BUILD=$TMP/build QEMU_SRC=$TMP/src
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@invalid
export GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' GIT_COMMITTER_DATE='2020-01-01T00:00:00Z'
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@invalid
failures=0

# ok NAME CMD...: CMD must succeed.
ok()
{
	local name=$1

	shift
	if "$@" >"$TMP/out" 2>&1; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		sed 's/^/#   /' "$TMP/out"
		failures=$((failures + 1))
	fi
}

# refused NAME PATTERN CMD...: CMD must fail, saying PATTERN.
refused()
{
	local name=$1 pattern=$2

	shift 2
	if ! "$@" >"$TMP/out" 2>&1 && grep -qE -- "$pattern" "$TMP/out"; then
		echo "ok - $name"
	else
		echo "not ok - $name (wanted a failure saying /$pattern/)"
		sed 's/^/#   /' "$TMP/out"
		failures=$((failures + 1))
	fi
}

# fake_qemu: a git tree with just what the scripts look at, and a
# checkpatch.pl that objects to the word BADSTYLE.
fake_qemu()
{
	mkdir -p "$QEMU_SRC"/{target/arm,pc-bios,scripts,subprojects/keycodemapdb}
	cd "$QEMU_SRC"
	echo 10.0.2 >VERSION
	echo 'int cpu;' >target/arm/cpu.c
	printf "fds = [\n  'edk2-aarch64-code.fd',\n]\n" >pc-bios/meson.build
	printf '#!/usr/bin/perl\nwhile (<>) { exit 1 if /BADSTYLE/; }\n' >scripts/checkpatch.pl
	echo /keycodemapdb/ >subprojects/.gitignore
	echo keymaps >subprojects/keycodemapdb/README
	git init -q && git add -A && git commit -q -m 'QEMU 10.0.2' && git tag v10.0.2
	cd - >/dev/null
}

# commit_in_tree MSG LINE: a commit in build/qemu adding LINE to cpu.c.
commit_in_tree()
{
	echo "$2" >>"$BUILD/qemu/target/arm/cpu.c"
	git -C "$BUILD/qemu" commit -q -a -m "$1" -m "Signed-off-by: Tester <tester@invalid>"
}

# warm_hit: a binary in the cache under the key is printed, alone.
warm_hit()
{
	local key out

	key=$("$T/mk/build-qemu.sh" --key)
	mkdir -p "$KNB_CACHE/qemu/$key"
	printf '#!/bin/sh\n' >"$KNB_CACHE/qemu/$key/qemu-system-aarch64"
	chmod +x "$KNB_CACHE/qemu/$key/qemu-system-aarch64"
	out=$("$T/mk/build-qemu.sh" 2>/dev/null)
	[ "$out" = "$KNB_CACHE/qemu/$key/qemu-system-aarch64" ]
}

mkdir -p "$T"
cp -a "$HERE/.." "$T/mk"
fake_qemu

ok "tree from QEMU_SRC, series file created" "$T/mk/qemu-tree.sh"
ok "series starts with a comment header" grep -q '^# patches/qemu' "$T/patches/qemu/series"
ok "edk2 placeholder made, untracked" test -s "$BUILD/qemu/pc-bios/edk2-aarch64-code.fd.bz2"
ok "subprojects copied" test -f "$BUILD/qemu/subprojects/keycodemapdb/README"
ok "tree stays clean" test -z "$(git -C "$BUILD/qemu" status --porcelain)"
ok "empty series: no patches" "$T/mk/check-qemu-patches.sh"
key0=$("$T/mk/build-qemu.sh" --key)

commit_in_tree "target/arm: one" "int one;"
git -C "$BUILD/qemu" config branch.qemu.description "$(printf 'target/arm: a test series\n\nIts blurb.')"
refused "unexported commit kept" "not exported to patches/qemu.*make qemu-export" "$T/mk/qemu-tree.sh"
ok "export" "$T/mk/export-qemu.sh"
ok "export keeps the header" grep -q '^# patches/qemu' "$T/patches/qemu/series"
ok "export lists the patch" grep -qx '0001-target-arm-one.patch' "$T/patches/qemu/series"
ok "cover letter from the branch description" grep -q '^Its blurb' "$T/patches/qemu/0000-cover-letter.patch"
ok "remade tree" "$T/mk/qemu-tree.sh"
head=$(git -C "$BUILD/qemu" rev-parse HEAD)
rm -rf "$BUILD/qemu"
ok "made afresh" "$T/mk/qemu-tree.sh"
ok "same commit id when made afresh" test "$(git -C "$BUILD/qemu" rev-parse HEAD)" = "$head"
cp -a "$T/patches/qemu" "$TMP/exported"
ok "export right after make" "$T/mk/export-qemu.sh"
ok "... changes nothing" diff -r "$TMP/exported" "$T/patches/qemu"
ok "check-qemu-patches passes" "$T/mk/check-qemu-patches.sh"
ok "key changes with the series" test "$("$T/mk/build-qemu.sh" --key)" != "$key0"
ok "warm run prints the cached binary only" warm_hit

flock "$BUILD/qemu.lock" sleep 2 &
sleep 0.5
ok "a second run waits for the lock" "$T/mk/qemu-tree.sh"
cp "$TMP/out" "$TMP/lock.out"
ok "... and says so" grep -q 'waiting for another QEMU tree or build' "$TMP/lock.out"
wait

echo "0000-cover-letter.patch" >>"$T/patches/qemu/series"
ok "cover letter in series skipped by git am" "$T/mk/qemu-tree.sh"
sed -i '/^0000-cover-letter.patch$/d' "$T/patches/qemu/series"

commit_in_tree "target/arm: two" "int BADSTYLE;"
ok "export two" "$T/mk/export-qemu.sh"
refused "checkpatch failure reported" "FAIL checkpatch.pl: 0002-" "$T/mk/check-qemu-patches.sh"

echo junk >>"$BUILD/qemu/target/arm/cpu.c"
refused "uncommitted change kept" "uncommitted changes" "$T/mk/qemu-tree.sh"
git -C "$BUILD/qemu" checkout -q -- .

echo dirty >>"$QEMU_SRC/target/arm/cpu.c"
refused "dirty QEMU_SRC refused" "QEMU_SRC=.* has uncommitted changes" "$T/mk/build-qemu.sh"
git -C "$QEMU_SRC" checkout -q -- .
echo 9.2.0 >"$QEMU_SRC/VERSION"
git -C "$QEMU_SRC" commit -q -a -m 'other version'
refused "other QEMU version refused" "is QEMU 9.2.0; check out v10.0.2" "$T/mk/qemu-tree.sh"

printf '# header\n' >"$T/patches/qemu/series"
refused "empty series with stray patches fails" "lists no patches" "$T/mk/check-qemu-patches.sh"

if [ "$failures" -ne 0 ]; then
	echo "test-qemu: $failures failed"
	exit 1
fi
echo "test-qemu: all passed"
