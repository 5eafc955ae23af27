# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by the scripts that source it
# Common helpers for the project's scripts. Source it; do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The download cache: without XDG_CACHE_HOME it is under HOME, which must
# then be a real directory (an unset or empty HOME would put it under /).
if [ -z "${KNB_CACHE:-}" ] && [ -z "${XDG_CACHE_HOME:-}" ]; then
	case "${HOME:-}" in
	/?*) ;;
	*)
		printf '%s: error: HOME %s: no place for the download cache; set HOME, or XDG_CACHE_HOME=/path/to/a/cache/directory\n' \
			"${0##*/}" "$([ -n "${HOME+set}" ] && echo "is '${HOME}', not an absolute path" || echo "is not set")" >&2
		exit 1
		;;
	esac
fi
CACHE=${KNB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-nvhe-buffers}
[ "${BUILD-unset}" != "" ] || {
	printf '%s: error: %s\n' "${0##*/}" "BUILD is set but empty; leave it unset for ./build, or give a directory" >&2
	exit 1
}
BUILD=${BUILD:-$TOP/build}
case "$BUILD" in
/*) ;;
*) BUILD=$PWD/$BUILD ;;
esac
# A build directory this project creates carries this mark; make clean
# removes only such a directory (mk/clean.sh). The script that made it
# takes it away again when it stops on bad input with nothing else
# written there (die).
BUILD_MARK=.kvm-nvhe-buffers
if [ ! -e "$BUILD" ] && [ ! -L "$BUILD" ] && [ "${KNB_NO_MKBUILD:-0}" = 0 ]; then
	if mkdir -p "$BUILD" 2>/dev/null && : >"$BUILD/$BUILD_MARK"; then
		KNB_BUILD_MADE_BY=$$
	else
		printf '%s: error: %s\n' "${0##*/}" "cannot create BUILD=$BUILD ($(id -un) may not write there); choose another BUILD" >&2
		exit 1
	fi
fi
if [ "${KNB_NO_MKBUILD:-0}" = 0 ]; then
	if [ ! -d "$BUILD" ]; then
		printf '%s: error: %s\n' "${0##*/}" "BUILD=$BUILD exists and is not a directory; choose another BUILD" >&2
		exit 1
	elif [ ! -w "$BUILD" ] || [ ! -x "$BUILD" ]; then
		printf '%s: error: %s\n' "${0##*/}" "BUILD=$BUILD is not writable by $(id -un) (read-only?); fix its permissions or choose another BUILD" >&2
		exit 1
	fi
fi
# git never takes its optional locks here: 'git status' in a check then
# does not rewrite the index of the tree it looks at (a user's LINUX, or a
# tree being audited), which it otherwise does to refresh stat data.
export GIT_OPTIONAL_LOCKS=0
# The test kernel's config: allnoconfig plus this fragment.
CONFIG_FRAG=$TOP/arch/arm64/configs/kvm_nvhe_buffers.config

# One line on stderr saying what is wrong and what to do, then exit 1.
die()
{
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	unmake_build
	exit 1
}

# unmake_build: the BUILD this script created, if it still holds nothing
# but its mark (bad input was refused before any work), is removed.
unmake_build()
{
	[ "${KNB_BUILD_MADE_BY:-}" = "$$" ] || return 0
	[ "$(ls -A "$BUILD" 2>/dev/null)" = "$BUILD_MARK" ] || return 0
	rm -f "$BUILD/$BUILD_MARK"
	rmdir "$BUILD" 2>/dev/null || true
}

info()
{
	printf '  %-8s %s\n' "${0##*/}" "$*" >&2
}

warn()
{
	printf '%s: warning: %s\n' "${0##*/}" "$*" >&2
}

# target_names: the targets mk/targets/ defines, space-separated.
target_names()
{
	local f names=""

	for f in "$TOP"/mk/targets/*; do
		case "$f" in
		*.sed) ;;
		*) names="$names ${f##*/}" ;;
		esac
	done
	echo "${names# }"
}

# load_target NAME: read mk/targets/NAME into LINE, SELFTEST_DIR, MODES, STABLE.
load_target()
{
	local t=$1

	[ -n "$t" ] || die "no TARGET given; use TARGET=mainline, 6.12.y or 6.1.y"
	case "$t" in
	*/* | .*) die "unknown TARGET '$t'; use one of: $(target_names)" ;;
	esac
	# mk/targets/ also holds the selftest adaptations (NAME.selftest.sed).
	if [ ! -f "$TOP/mk/targets/$t" ] || [ "${t%.sed}" != "$t" ]; then
		die "unknown TARGET '$t'; use one of: $(target_names)"
	fi
	# shellcheck source=/dev/null
	. "$TOP/mk/targets/$t"
	TARGET=$t
}

# kernel_tree: after load_target, the variables mk/series-lib.sh wants for
# build/linux-TARGET and patches/TARGET, and series-lib itself.
kernel_tree()
{
	PATCHES=$TOP/patches/$TARGET
	DEST=$BUILD/linux-$TARGET
	BRANCH=$TARGET
	SERIES_NAME=patches/$TARGET
	EXPORT_HINT="make export TARGET=$TARGET"
	TREE_HINT="make tree TARGET=$TARGET"
	# shellcheck source=series-lib.sh
	. "$TOP/mk/series-lib.sh"
}

# mutant_names TARGET: the mutants kept for TARGET's series (each a patch
# on top of it, tools/testing/kvm-qemu-boot/mutants/TARGET/NAME.patch).
mutant_names()
{
	local f names=""

	for f in "$TOP/tools/testing/kvm-qemu-boot/mutants/$1"/*.patch; do
		[ -f "$f" ] && names="$names $(basename "$f" .patch)"
	done
	echo "${names# }"
}

# mutant_expect TARGET NAME: what the boots must show for that mutant, from
# the "Expect:" line of its patch: a --hazards value of parse-log.sh, or
# "fails PROGRAM".
mutant_expect()
{
	sed -n 's/^Expect: *//p' \
		"$TOP/tools/testing/kvm-qemu-boot/mutants/$1/$2.patch" | head -n 1
}

# mutant_fails TARGET NAME: the inner tests its "Fails:" lines say must
# fail, '|'-separated.
mutant_fails()
{
	sed -n 's/^Fails: *//p' \
		"$TOP/tools/testing/kvm-qemu-boot/mutants/$1/$2.patch" | paste -sd'|'
}

# clean_git_tree VAR DIR: die unless DIR (given as VAR=DIR) is a git tree
# with commits and no uncommitted changes to tracked files.
clean_git_tree()
{
	local top

	[ -d "$2" ] || die "$1=$2 does not exist or is not a directory; pass a git checkout"
	top=$(git -C "$2" rev-parse --show-toplevel 2>/dev/null) ||
		die "$1=$2 is not a git tree; pass a git checkout"
	[ "$(cd "$2" && pwd -P)" = "$(cd "$top" && pwd -P)" ] ||
		die "$1=$2 is not the top of a git tree but a directory inside $top; pass the tree's own checkout"
	git -C "$2" rev-parse --verify -q HEAD >/dev/null ||
		die "$1=$2 is not a git tree with commits; pass a git checkout"
	[ -z "$(git -C "$2" status --porcelain --untracked-files=no)" ] ||
		die "$1=$2 has uncommitted changes; commit or stash them first"
}

# tree_version DIR: the kernel version a source tree's Makefile declares
# (read as make reads it: a Makefile stored with CRLF line ends too).
tree_version()
{
	awk -F' *= *' '
		{ sub(/\r$/, ""); $0 = $0 }
		$1 == "VERSION" { v = $2 }
		$1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 }
		$1 == "EXTRAVERSION" { e = $2 }
		/^$/ && v != "" { exit }
		END { if (v != "") printf "%s.%s.%s%s\n", v, p, s, e }
	' "$1/Makefile"
}

# version_in_line VERSION LINE: true when e.g. 6.12.117 belongs to 6.12,
# or 7.3.4 to 7.
version_in_line()
{
	case "$1" in
	"$2".*) return 0 ;;
	*) return 1 ;;
	esac
}

# series_list DIR: the file names DIR/series lists, in order, one a line
# (comments and blank lines left out; the cover letter, if listed, kept).
# The one reader of a series file.
series_list()
{
	local p

	while read -r p || [ -n "$p" ]; do
		p=${p%$'\r'}
		case "$p" in '' | '#'*) continue ;; esac
		echo "$p"
	done <"$1/series"
}

# series_id TARGET: a short hash of patches/TARGET as it is now.
series_id()
{
	local dir=$TOP/patches/$1 p

	[ -f "$dir/series" ] || die "patches/$1/series is missing"
	for p in $(series_list "$dir"); do
		[ -f "$dir/$p" ] || die "patches/$1/series names $p, which does not exist"
	done
	# shellcheck disable=SC2046 # the series file lists plain file names
	(cd "$dir" && cat series $(series_list .)) | sha256sum | cut -c1-16
}

# tested_id TARGET: series_id of patches/TARGET and of its test-only
# series, if it has one: what a 'make check' result was made from.
tested_id()
{
	local ts

	ts=$(sed -n 's/^TEST_SERIES=//p' "$TOP/mk/targets/$1")
	if [ -n "$ts" ]; then
		echo "$(series_id "$1")+$(series_id "${ts#patches/}")"
	else
		series_id "$1"
	fi
}

# made_from BASE: what a tree of TARGET is made of (its knb.made-from):
# BASE ("GITDIR REV", as make-tree.sh records it in knb.base), and the
# series with its test-only series (tested_id).
made_from()
{
	echo "$1 $(tested_id "$TARGET")"
}

# checkpatch_opts TREE PATCH...: extra checkpatch options for these patches.
# checkpatch looks the commit ids a message cites up in TREE's history; a
# tree made from a Debian tarball has none, so the check is left out there
# (and said so on stderr) rather than failing on ids it cannot know.
checkpatch_opts()
{
	local tree=$1 id

	shift
	# shellcheck disable=SC2013 # commit ids, one a word
	for id in $(sed -n -e 's/^commit \([0-9a-f]\{12,40\}\) upstream\.$/\1/p' \
		-e 's/^Fixes: \([0-9a-f]\{12,40\}\) .*/\1/p' "$@" | sort -u); do
		git -C "$tree" cat-file -e "$id^{commit}" 2>/dev/null && continue
		info "commit $id is not in $tree's history: checkpatch's commit id check left out"
		echo "--ignore UNKNOWN_COMMIT_ID"
		break
	done
	covered_new_files "$tree" "$@" && echo "--ignore FILE_PATH_CHANGES"
	return 0
}

# covered_new_files TREE PATCH...: true when the patches add files and
# TREE's MAINTAINERS already has a subsystem entry for each of them, so
# checkpatch's "does MAINTAINERS need updating?" has its answer: no.
covered_new_files()
{
	local tree=$1 f subsys n=0

	shift
	# shellcheck disable=SC2013 # file names, one a word
	for f in $(sed -n 's|^+++ b/||p' "$@" | sort -u); do
		grep -q "^--- /dev/null" <(grep -B1 -F "+++ b/$f" "$@") || continue
		subsys=$(maintainer_entries "$tree" "$f")
		[ -n "$subsys" ] || return 1
		info "new file $f is covered by MAINTAINERS: $(echo "$subsys" | head -n 1)"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

# maintainer_entries TREE FILE: the MAINTAINERS entries of TREE for FILE,
# other than THE REST.
maintainer_entries()
{
	(
		cd "$1" || exit 1
		perl scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-email --no-l --subsystem -f "$2" 2>/dev/null
	) | grep -v '^THE REST$' || true
}

# checkpatch ARGS...: the tree's checkpatch.pl, run from the tree, with
# Debian's python3 first in PATH so that its SPDX check finds python3-ply.
checkpatch()
{
	PATH=/usr/bin:$PATH perl scripts/checkpatch.pl "$@"
}

# own_content FILE: the content the target's tree must have for FILE, a file
# the project writes in full: FILE itself, or for a kselftest source, FILE
# through mk/targets/$TARGET.selftest.sed where the line's selftest library
# differs.
own_content()
{
	local sed=$TOP/mk/targets/$TARGET.selftest.sed

	case "$1" in
	tools/testing/selftests/*)
		if [ -f "$sed" ]; then
			sed -f "$sed" "$TOP/$1"
			return
		fi
		;;
	esac
	cat "$TOP/$1"
}

# base_checkout TARGET: $BUILD/base/linux-TARGET, clean at the base commit
# of $BUILD/linux-TARGET ('make tree'), made again when it is not; prints
# its path. The same layout under $BUILD/base as under $BUILD keeps
# ccache's relative paths equal for the kernel built there.
base_checkout()
{
	local src=$BUILD/linux-$1 dest=$BUILD/base/linux-$1 rev

	git -C "$src" rev-parse -q --verify base >/dev/null 2>&1 ||
		die "$src has no base commit; run 'make tree TARGET=$1' first"
	rev=$(git -C "$src" rev-parse base)
	if [ ! -d "$dest/.git" ] ||
	   [ "$(git -C "$dest" rev-parse HEAD)" != "$rev" ] ||
	   [ -n "$(git -C "$dest" status --porcelain --untracked-files=no)" ]; then
		info "checking out the base commit of $1 into $dest"
		rm -rf "$dest"
		mkdir -p "$BUILD/base"
		git clone -q --shared --no-checkout "$src" "$dest"
		git -C "$dest" checkout -q --detach "$rev"
	fi
	echo "$dest"
}

# am_checkout TARGET: $BUILD/scratch/linux-TARGET, a tree to 'git am'
# emails or patches in, reset to the base commit of $BUILD/linux-TARGET
# (a clean checkout, tag 'base' on it, nothing left of the last use);
# prints its path. It is kept between uses: resetting it rewrites only the
# files the last 'git am' changed, where a fresh checkout writes the whole
# kernel.
am_checkout()
{
	local src=$BUILD/linux-$1 dest=$BUILD/scratch/linux-$1 rev

	git -C "$src" rev-parse -q --verify base >/dev/null 2>&1 ||
		die "$src has no base commit; run 'make tree TARGET=$1' first"
	rev=$(git -C "$src" rev-parse base)
	if ! git -C "$dest" cat-file -e "$rev^{commit}" 2>/dev/null ||
	   ! git -C "$dest" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		rm -rf "$dest"
		mkdir -p "$BUILD/scratch"
		git clone -q --shared --no-checkout "$src" "$dest"
	fi
	git -C "$dest" am --abort >/dev/null 2>&1 || true
	git -C "$dest" tag -f base "$rev" >/dev/null
	git -C "$dest" checkout -q -f --detach "$rev"
	git -C "$dest" clean -q -fdx
	echo "$dest"
}

# kernel_make SRC OUT ARGS...: make in the kernel tree SRC, output in OUT,
# cross-compiling for arm64, through ccache when it is installed (paths
# relative to $BUILD, so that two clones share hits; depend mode, which
# takes the headers from the compiler's -MMD file instead of running the
# preprocessor a second time on a miss: on 457 of QEMU's files, a cold
# build took 57% longer through ccache than without, 21% in depend mode).
kernel_make()
{
	local src=$1 out=$2 cc=aarch64-linux-gnu-gcc

	shift 2
	command -v ccache >/dev/null && cc="ccache $cc"
	CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1 CCACHE_DEPEND=1 nice make -C "$src" O="$out" \
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC="$cc" \
		-j"$(($(nproc) + 1))" "$@"
}

# kernel_config SRC OUT: allnoconfig plus the project's config fragment.
kernel_config()
{
	kernel_make "$1" "$2" allnoconfig \
		KCONFIG_ALLCONFIG="$CONFIG_FRAG"
}

# tree_stamp SRC FILE...: a short hash of what a build of the git tree
# SRC depends on besides the tree: its commit, the cross-compiler's
# version and the contents of FILE... (the build's scripts and inputs);
# nothing when SRC is not git or has any change or new file, whose builds
# are then never skipped (build-kernel.sh, build-selftests.sh).
tree_stamp()
{
	local src=$1 head

	shift
	head=$(git -C "$src" rev-parse -q --verify HEAD 2>/dev/null) || return 0
	[ -z "$(git -C "$src" status --porcelain 2>/dev/null || echo unknown)" ] || return 0
	{
		echo "tree $src $head"
		aarch64-linux-gnu-gcc --version | head -n 1
		cat "$@"
	} | sha256sum | cut -c1-16
}

# stamp_text STAMP RESULT...: what a stamp file holds: STAMP, then the
# name, size and time of each RESULT as it is now.
stamp_text()
{
	printf '%s\n' "$1"
	shift
	stat -c '%n %s %Y' "$@" 2>/dev/null || true
}

# stamp_matches FILE STAMP RESULT...: FILE says the build with STAMP left
# RESULT... as they are now (never for an empty STAMP: see tree_stamp).
stamp_matches()
{
	local f=$1 s=$2

	shift 2
	[ -n "$s" ] && [ -f "$f" ] && [ "$(cat "$f")" = "$(stamp_text "$s" "$@")" ]
}

# stamp_write FILE STAMP RESULT...: record a build with STAMP and its
# RESULT... in FILE; nothing for an empty STAMP.
stamp_write()
{
	local f=$1 s=$2

	shift 2
	[ -z "$s" ] || stamp_text "$s" "$@" >"$f"
}

# record_time STAGE SECS RC: one line of $BUILD/times.tsv (fields: when
# stage secs rc, named by its header), the one record of how long each
# stage of 'make' and each step of 'make check' took.
record_time()
{
	local f=$BUILD/times.tsv

	mkdir -p "$BUILD"
	[ -s "$f" ] || printf 'when\tstage\tsecs\trc\n' >"$f"
	printf '%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$1" "$2" "$3" >>"$f"
}

# need CMD PACKAGE: die, naming what to install, unless CMD is installed.
need()
{
	command -v "$1" >/dev/null ||
		die "$1 is not installed; run 'make tools' as root, or apt-get install $2"
}

# --- one run at a time ------------------------------------------------------
# The first of the project's scripts a command starts (the "run") starts
# a watcher that ends the run's processes, the run included, when make
# (its parent) or the run itself is gone, and then takes the lock of its
# build directory for its whole life (the watcher is there first, so a
# run killed while it waits for the lock ends too). Scripts the run
# starts find KNB_RUN set and do neither. The download cache has its own
# lock (cache_lock), taken only by the steps that write to it. flock(1)
# holds a lock on an open descriptor, which children inherit: a lock is
# released when the last process of the run that holds it ends. The
# watcher then removes the BUILD's lock file if nobody holds or waits for
# it, so no file is left per BUILD.
LOCKS=$CACHE/locks

# take_lock FILE WHAT: hold FILE's lock on a new descriptor; when another
# run holds it, say whose and wait (KNB_LOCK_WAIT seconds, default an
# hour; 0: refuse at once). A lock file removed while this run waited
# for it (by the last holder's watcher) is opened again.
take_lock()
{
	local file=$1 what=$2 fd wait=${KNB_LOCK_WAIT:-3600}

	case "$wait" in
	'' | *[!0-9]*) die "KNB_LOCK_WAIT=$wait is not a number of seconds; use e.g. KNB_LOCK_WAIT=600, or 0 to refuse at once" ;;
	esac
	mkdir -p "$LOCKS" 2>/dev/null ||
		die "cannot create $LOCKS ($(id -un) may not write to the download cache $CACHE); fix its permissions or set XDG_CACHE_HOME"
	while :; do
		exec {fd}>>"$file"
		# A second's grace: the last holder's watcher takes the lock
		# for a moment to remove its file.
		if ! flock -w 1 "$fd"; then
			[ "$wait" -gt 0 ] ||
				die "$what is in use by another run ($(cat "$file" 2>/dev/null)); wait for it to end"
			info "waiting for $what, in use by another run ($(cat "$file" 2>/dev/null))"
			flock -w "$wait" "$fd" ||
				die "$what was still in use after ${wait}s ($(cat "$file" 2>/dev/null)); try again when that run has ended"
		fi
		[ "$file" -ef "/proc/$$/fd/$fd" ] && break
		exec {fd}>&-
	done
	LOCK_FDS="${LOCK_FDS:-} $fd"
	printf 'pid %s, %s, since %s\n' "$$" "${0##*/}" "$(date -u +%TZ)" >"$file"
}

# cache_lock: hold the download cache's lock until this script ends or
# calls cache_unlock; the scripts it starts meanwhile share it.
cache_lock()
{
	[ -z "${KNB_CACHE_LOCKED:-}" ] || return 0
	take_lock "$LOCKS/cache.lock" "the download cache $CACHE"
	CACHE_LOCK_FD=${LOCK_FDS##* }
	export KNB_CACHE_LOCKED=$$
}

# cache_unlock: let go of the lock cache_lock took in this script.
cache_unlock()
{
	[ "${KNB_CACHE_LOCKED:-}" = "$$" ] || return 0
	exec {CACHE_LOCK_FD}>&-
	LOCK_FDS=${LOCK_FDS% *}
	unset KNB_CACHE_LOCKED
}

# start_watcher LOCKFILE: mk/watch-run.sh for this run, outside it (no
# KNB_RUN, none of its lock descriptors), watching make as well when
# make started the run through a shell; it removes LOCKFILE at the end.
start_watcher()
{
	local parents=$PPID fd

	case "$(ps -o comm= -p "$PPID" 2>/dev/null)" in
	sh | dash | bash) parents="$parents $(ps -o ppid= -p "$PPID" | tr -d ' ')" ;;
	esac
	(
		for fd in ${LOCK_FDS:-}; do
			exec {fd}>&-
		done
		exec env -u KNB_RUN -u KNB_CACHE_LOCKED "$TOP/mk/watch-run.sh" \
			"$KNB_RUN" "$parents" "$1" </dev/null >/dev/null 2>&1
	) &
}

# build_lock_file: the BUILD's lock, named by the directory itself
# (symbolic links and .. resolved), so that every spelling of one BUILD
# takes the same lock.
build_lock_file()
{
	echo "$LOCKS/build-$(realpath -m -- "$BUILD" | tr -d '\n' | sha256sum | cut -c1-16).lock"
}

if [ -z "${KNB_RUN:-}" ] && [ "${KNB_NO_RUN:-0}" = 0 ]; then
	export KNB_RUN=$$
	KNB_BUILD_LOCK=$(build_lock_file)
	start_watcher "$KNB_BUILD_LOCK"
	take_lock "$KNB_BUILD_LOCK" "BUILD=$BUILD"
fi
