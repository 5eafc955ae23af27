# shellcheck shell=bash
# fake-project.sh: what test-tree-state.sh and test-user-work.sh share.
# Source it after tap.sh. It makes a copy of the project (committed plus
# the working tree's changes) in P with a made-up target 9.9.y (an empty
# series), a small kernel tree of that line in L (for LINUX), and sets B
# (a BUILD) and T (the tree make tree makes there); the download cache is
# KNB_CACHE. The helpers state each case as a user meets it: the command,
# its exit status and its one line, and what must still be there.

: "${TMP:?fake-project.sh: source tap.sh first}"
P=$TMP/proj
L=$TMP/linux
B=$TMP/build
T=$B/linux-9.9.y
export KNB_CACHE=$TMP/cache
unset LINUX BUILD TARGET VERSION UPSTREAM_GIT

# check NAME WANT_RC PATTERN CMD...: CMD exits WANT_RC (a number, or
# "fail" for any non-zero) and, when WANT_RC is "fail", prints one line
# matching PATTERN, besides make's "***" trailer and the scripts' progress
# lines ("  NAME.sh ..."); a success need only print a line matching it.
check()
{
	local name=$1 want=$2 pattern=$3 rc=0 lines

	shift 3
	"$@" >"$TMP/out" 2>&1 || rc=$?
	lines=$(grep -Evc -e '^make(\[[0-9]+\])?: \*\*\*' -e '^  [a-z-]+\.(sh|py) ' \
		"$TMP/out" || true)
	if [ "$want" = fail ] && [ "$rc" -ne 0 ] && [ "$lines" -eq 1 ] &&
	   grep -qE -- "$pattern" "$TMP/out"; then
		tap_ok "$name"
	elif [ "$want" = "$rc" ] && grep -qE -- "$pattern" "$TMP/out"; then
		tap_ok "$name"
	else
		tap_fail "$name (exit $rc, wanted $want and /$pattern/)" "$TMP/out"
	fi
}

# same NAME A B: A and B are equal.
same()
{
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_fail "$1 ('$2', not '$3')"
	fi
}

sums()
{
	(cd "$1" && find . -type f ! -path './.git/*' -print0 | sort -z |
		xargs -0 -r sha256sum | sha256sum)
}

# mk ARGS...: make in the copy, for target 9.9.y on the fake tree.
mk()
{
	make -s -C "$P" TARGET=9.9.y BUILD="$B" LINUX="$L" "$@"
}

# commits: the subjects of the tree's commits after its base.
commits()
{
	git -C "$T" log --format=%s base..HEAD | paste -sd'|'
}

git_quiet()
{
	git -c user.name=Test -c user.email=test@invalid "$@" >/dev/null
}

# The project, as committed plus the working tree's changes, with a
# target of its own.
mkdir -p "$P"
(cd "$TOP" && git ls-files -z -c -o --exclude-standard | rsync -a --from0 --files-from=- ./ "$P/")
cat >"$P/mk/targets/9.9.y" <<'EOF'
# Target 9.9.y: a made-up line for the tests of the tools.
LINE=9.9
SELFTEST_DIR=arm64
MODES="nvhe"
STABLE=yes
EOF
mkdir -p "$P/patches/9.9.y"
: >"$P/patches/9.9.y/series"
git_quiet -C "$P" init -q
git_quiet -C "$P" add -A
git_quiet -C "$P" commit -q -m project

# A kernel tree of the 9.9 line, small enough to make in a second.
mkdir -p "$L/arch/arm64/kvm"
printf 'VERSION = 9\nPATCHLEVEL = 9\nSUBLEVEL = 1\nEXTRAVERSION =\n\nNAME = Test\n' \
	>"$L/Makefile"
printf 'line %s\n' 1 2 3 4 5 6 7 8 9 >"$L/arch/arm64/kvm/debug-sr.c"
git_quiet -C "$L" init -q
git_quiet -C "$L" add -A
git_quiet -C "$L" commit -q -m "Linux 9.9.1"
