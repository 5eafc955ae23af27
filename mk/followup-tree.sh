#!/bin/bash
# followup-tree.sh TARGET SRC DEST: make DEST a copy of the source tree SRC
# with TARGET's follow-up series applied (FOLLOWUP_SERIES in
# mk/targets/TARGET: the project's proposed patch for mainline, or its
# backport, which is not part of the stable series), for the world-switch
# model (check-model.sh) and make audit (audit-check.sh). DEST is made of
# links to SRC, except for the files the series touches, which are
# patched copies. SRC is only read. Prints DEST.
#
# DEST must be new or made by this script (it holds .followup-tree);
# it is made again on every call. A patched file gets the time of the
# newest of its source and the series, so the model rebuilds only when
# one of them changed.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ "$#" -eq 3 ] || die "usage: followup-tree.sh TARGET SRC DEST"
load_target "$1"
src=$(cd "$2" && pwd -P)
dest=$3
[ -n "${FOLLOWUP_SERIES:-}" ] || die "mk/targets/$TARGET has no FOLLOWUP_SERIES"
dir=$TOP/$FOLLOWUP_SERIES
[ -f "$dir/series" ] || die "$FOLLOWUP_SERIES/series is missing"
if [ -e "$dest" ] && [ ! -f "$dest/.followup-tree" ]; then
	die "$dest exists and was not made by followup-tree.sh; remove it or choose another place"
fi
rm -rf "$dest"
mkdir -p "$dest"
: >"$dest/.followup-tree"

# farm REL: the directories above DEST/REL become real directories of
# links to SRC's entries, and DEST/REL a copy of SRC/REL (if it exists).
farm()
{
	local rest=$1 sub="" part e

	while :; do
		for e in "$src/$sub"*; do
			[ -e "$e" ] || [ -L "$e" ] || continue
			[ -e "$dest/$sub${e##*/}" ] || [ -L "$dest/$sub${e##*/}" ] ||
				ln -s "$e" "$dest/$sub${e##*/}"
		done
		part=${rest%%/*}
		if [ "$part" = "$rest" ]; then
			rm -f "$dest/$sub$part"
			[ ! -f "$src/$sub$part" ] || cp "$src/$sub$part" "$dest/$sub$part"
			return
		fi
		if [ -L "$dest/$sub$part" ]; then
			rm "$dest/$sub$part"
			mkdir "$dest/$sub$part"
		fi
		mkdir -p "$dest/$sub$part"
		sub=$sub$part/
		rest=${rest#*/}
	done
}

patches=""
for p in $(series_list "$dir"); do
	[ -f "$dir/$p" ] || die "$FOLLOWUP_SERIES/series names $p, which does not exist"
	patches="$patches $dir/$p"
done
[ -n "$patches" ] || die "$FOLLOWUP_SERIES/series names no patch"
# shellcheck disable=SC2086 # one word per patch path
files=$(sed -n 's|^+++ b/||p' $patches | sort -u)
for f in $files; do
	[ -f "$dest/$f" ] || farm "$f"
done
for p in $patches; do
	patch -p1 -s -f -N -d "$dest" <"$p" >"$dest/.patch.log" 2>&1 ||
		die "${p#"$TOP"/} does not apply to $src: $(head -n 3 "$dest/.patch.log")"
done
rm -f "$dest/.patch.log"
newest=
for p in $patches; do
	[ -n "$newest" ] && [ ! "$p" -nt "$newest" ] || newest=$p
done
for f in $files; do
	ref=$newest
	[ ! "$src/$f" -nt "$ref" ] || ref=$src/$f
	touch -r "$ref" "$dest/$f"
done
echo "$dest"
