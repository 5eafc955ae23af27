#!/bin/bash
# export-series.sh TARGET: git format-patch build/linux-TARGET (base..HEAD)
# back into patches/TARGET, with its cover letter and series file. Output is
# a function of the commits alone, so exporting an unchanged tree changes
# nothing. EXPORT_DIR=dir writes elsewhere (used by the checks).
set -eu
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
PATCHES=${EXPORT_DIR:-$TOP/patches/$TARGET}
DEST=$BUILD/linux-$TARGET

[ -d "$DEST/.git" ] || die "$DEST does not exist; run 'make tree TARGET=$TARGET' first"
git -C "$DEST" rev-parse -q --verify base >/dev/null ||
	die "$DEST has no 'base' tag; remake it with 'make tree TARGET=$TARGET'"

if [ "$STABLE" = yes ]; then
	prefix="PATCH $TARGET"
else
	prefix=PATCH
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(git -C "$DEST" rev-list --count base..HEAD)" -gt 0 ]; then
	GIT_COMMITTER_NAME=kvm-nvhe-buffers \
	GIT_COMMITTER_EMAIL=kvm-nvhe-buffers@invalid \
	GIT_COMMITTER_DATE=$(git -C "$DEST" log -1 --format=%cI HEAD) \
	git -C "$DEST" -c core.abbrev=12 -c diff.renames=true format-patch -q \
		--no-signature --zero-commit --cover-letter \
		--cover-from-description=subject --subject-prefix="$prefix" \
		-o "$tmp" base..HEAD
fi
find "$tmp" -name '0*.patch' ! -name '0000-*' -printf '%f\n' | sort >"$tmp/series"

mkdir -p "$PATCHES"
if diff -qr "$PATCHES" "$tmp" >/dev/null 2>&1; then
	info "patches/$TARGET is up to date ($(wc -l <"$tmp/series") patches)"
else
	rm -f "$PATCHES"/*.patch
	cp "$tmp"/* "$PATCHES"/
	info "patches/$TARGET rewritten ($(wc -l <"$tmp/series") patches); review with git diff"
fi
[ -n "${EXPORT_DIR:-}" ] ||
	git -C "$DEST" config knb.exported "$(git -C "$DEST" rev-parse HEAD)"
