#!/bin/bash
# am.sh TARGET [DIR]: TARGET's series as patches a downstream engineer
# applies with git am (default DIR: $BUILD/am/TARGET): each backport From:
# its upstream author, its message the 'commit <id> upstream.' line, the
# upstream message and trailers from UPSTREAM_GIT (default: LINUX) where
# that tree has the commit, the backport note and the Signed-off-by of git
# config's user (mk/upstream.py mail). No cover letter, no test-only
# commits. The patches are checked as the emails are: git am of them gives
# the series' tree, each commit by its upstream author with that message
# (check-mail.sh --am). DIR must be new, empty, or one this script made.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
kernel_tree
[ "$STABLE" = yes ] ||
	die "TARGET=$TARGET is not a stable line: its patches are the project's own; use 'make export' or patches/$TARGET"
OUT=${2:-$BUILD/am/$TARGET}
case "$OUT" in /*) ;; *) OUT=$PWD/$OUT ;; esac
MARK=.kvm-nvhe-buffers-am
UPSTREAM=${UPSTREAM_GIT:-${LINUX:-}}

if [ -e "$OUT" ] && [ ! -f "$OUT/$MARK" ] && [ -n "$(ls -A "$OUT" 2>/dev/null || echo x)" ]; then
	die "OUT=$OUT exists and this project did not make it; name a new or empty directory"
fi
name=$(git -C "$TOP" config user.name || true)
email=$(git -C "$TOP" config user.email || true)
if [ -z "$name" ] || [ -z "$email" ]; then
	die "git config user.name and user.email must be set: they sign off the patches you apply"
fi
SENDER="$name <$email>"

"$TOP/mk/make-tree.sh" "$TARGET"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$DEST" -c core.abbrev=12 format-patch -q --no-signature --zero-commit \
	--subject-prefix="PATCH $TARGET" -o "$tmp" "base..$(series_end)"
rc=0
"$TOP/mk/upstream.py" mail --git "$UPSTREAM" --sender "$SENDER" "$tmp"/*.patch >"$tmp/missing" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 3 ] ||
	die "the patches could not be made (above): patches/upstream.tsv or UPSTREAM_GIT=$UPSTREAM"
UPSTREAM_GIT=$UPSTREAM "$TOP/mk/check-mail.sh" --am "$TARGET" "$tmp" >/dev/null

# Only now replace what this script made before in OUT.
mkdir -p "$OUT"
if [ -f "$OUT/$MARK" ]; then
	while read -r f; do rm -f "$OUT/$f"; done <"$OUT/$MARK"
fi
: >"$OUT/$MARK"
for f in "$tmp"/*.patch; do
	cp "$f" "$OUT/"
	echo "${f##*/}" >>"$OUT/$MARK"
done
n=$(wc -l <"$OUT/$MARK")
if [ "$rc" = 3 ]; then
	sed 's/^/  /' "$tmp/missing" >&2
	warn "the upstream messages are missing (no UPSTREAM_GIT with those commits): the commits carry the backport notes and the recorded trailers only; set UPSTREAM_GIT=/path/to/linux.git for the full ones"
fi
info "$n patches for 'git am' in $OUT, signed off by $SENDER (checked: they give the series' tree)"
