#!/bin/bash
# export-series.sh [--to DIR] TARGET: git format-patch build/linux-TARGET (base..HEAD)
# back into patches/TARGET, with its cover letter and series file, and its
# test-only commits (the last ones, see TEST_MARK in series-lib.sh) into
# the target's TEST_SERIES, without a cover letter. Output is a function of
# the commits alone, so exporting an unchanged tree changes nothing.
# --to DIR writes the series there and the test-only series to DIR.test
# (used by the checks), and leaves the tree's record alone.
set -eu
. "$(dirname "$0")/lib.sh"

EXPORT_DIR=""
if [ "${1:-}" = --to ]; then EXPORT_DIR=${2:?usage: export-series.sh [--to DIR] TARGET}; shift 2; fi
load_target "${1:-}"
kernel_tree

[ -d "$DEST/.git" ] || die "$DEST does not exist; run '$TREE_HINT' first"
project_tree ||
	die "$DEST is a git tree the project did not make: nothing to export from it; move it away, then '$TREE_HINT'"
end=$(series_end)
prefix=PATCH
[ "$STABLE" = yes ] && prefix="PATCH $TARGET"
if [ -z "${TEST_SERIES:-}" ] && [ "$end" != "$(git -C "$DEST" rev-parse HEAD)" ]; then
	die "$DEST has test-only commits, but mk/targets/$TARGET names no TEST_SERIES to export them to"
fi
# Both parts checked before either is written.
if [ -z "${EXPORT_DIR:-}" ]; then
	guard_export "$PATCHES" base "$end"
	[ -z "${TEST_SERIES:-}" ] ||
		PATCHES=$TOP/$TEST_SERIES SERIES_NAME=$TEST_SERIES guard_export "$TOP/$TEST_SERIES" "$end" HEAD
fi
EXPORT_TO=$end export_patches "${EXPORT_DIR:-$PATCHES}" "$prefix"
if [ -n "${TEST_SERIES:-}" ]; then
	out=$TOP/$TEST_SERIES
	[ -z "${EXPORT_DIR:-}" ] || out=$EXPORT_DIR.test
	PATCHES=$TOP/$TEST_SERIES SERIES_NAME=$TEST_SERIES EXPORT_FROM=$end \
		EXPORT_COVER=no export_patches "$out" "$prefix test"
fi
# The tree is now what the exported series makes: record that, so that
# patches/ put back as it was (git checkout) makes the tree again.
base=$(git -C "$DEST" config --get knb.base || true)
if [ -z "${EXPORT_DIR:-}" ] && [ -n "$base" ]; then
	git -C "$DEST" config knb.made-from "$(made_from "$base")"
	# A tree make tree did not finish, completed by hand, is now whole.
	git -C "$DEST" config --unset knb.making || true
	git -C "$DEST" config --unset knb.stopped-at || true
fi
