#!/bin/bash
# clean.sh: remove $BUILD, but only when this project made it and nothing
# in it is the user's: lib.sh marks a build directory it creates with a
# .kvm-nvhe-buffers file, and a directory without the mark (one of yours,
# given as BUILD=) is left alone. In a marked one, the trees you work in
# (linux-TARGET, qemu) must hold nothing the project did not make (commits
# not exported, other branches, a stash, files: see tree_at_risk), and
# its top level only names the project writes. The download cache is not
# touched.
set -eu
# shellcheck source=lib.sh
KNB_NO_MKBUILD=1 . "$(dirname "$0")/lib.sh"
# shellcheck source=series-lib.sh
. "$TOP/mk/series-lib.sh"

# The names the project writes at the top of a BUILD (README: "How the
# pieces fit"); anything else there is someone else's.
own_top_name()
{
	case "$1" in
	"$BUILD_MARK" | times.tsv | linux-* | out-* | base | base-* | mutant | \
	model | model-* | logs | results | mail | audit | scratch | qemu | qemu.* | qemu-build)
		return 0 ;;
	esac
	return 1
}

# at_risk: what removing BUILD would lose, "WHAT -- HOW TO KEEP IT" a line.
at_risk()
{
	local d name risk strays=""

	for d in "$BUILD"/linux-* "$BUILD"/qemu; do
		[ -d "$d/.git" ] || continue
		name=${d##*/}
		DEST=$d
		case "$name" in
		qemu)
			BRANCH=qemu SERIES_NAME=patches/qemu EXPORT_HINT="make qemu-export" ;;
		linux-*.new)
			continue ;;
		*)
			BRANCH=${name#linux-} SERIES_NAME=patches/${name#linux-}
			EXPORT_HINT="make export TARGET=${name#linux-}" ;;
		esac
		BRANCH=$(git -C "$d" config --get knb.branch || echo "$BRANCH")
		if ! project_tree; then
			echo "$name (a git tree the project did not make) -- move $d away"
			continue
		fi
		risk=$(tree_at_risk all)
		[ -z "$risk" ] || echo "$name: $risk"
	done
	for d in "$BUILD"/* "$BUILD"/.[!.]* "$BUILD"/..?*; do
		[ -e "$d" ] || [ -L "$d" ] || continue
		own_top_name "${d##*/}" || strays="$strays ${d##*/}"
	done
	[ -z "$strays" ] ||
		echo "$(echo "${strays# }" | tr ' ' '\n' | listing 3) (not the project's) -- move them out of $BUILD"
}

if [ ! -e "$BUILD" ]; then
	info "nothing to clean: $BUILD does not exist"
	exit 0
fi
[ -f "$BUILD/$BUILD_MARK" ] ||
	die "$BUILD was not made by this project (no $BUILD_MARK in it): not removing it; remove what you want there yourself"
risk=$(at_risk)
if [ -n "$risk" ]; then
	what=$(echo "$risk" | sed 's/ -- .*//' | paste -sd';' | sed 's/;/; /g')
	keep=$(echo "$risk" | sed 's/.* -- //' | paste -sd';' | sed 's/;/; /g')
	die "not removing $BUILD: it holds $what; to keep it, $keep; then make clean again (or remove $BUILD yourself)"
fi
parent=$(dirname "$BUILD")
{ [ -w "$BUILD" ] && [ -w "$parent" ]; } ||
	die "$BUILD or $parent is not writable by $(id -un) (read-only?): not removing anything; fix the permissions, then make clean again"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
if ! rm -rf -- "$BUILD" 2>"$err"; then
	die "could not remove all of $BUILD ($(grep -c . "$err") errors, the first: $(head -n 1 "$err")); fix the permissions, then make clean again"
fi
info "removed $BUILD"
