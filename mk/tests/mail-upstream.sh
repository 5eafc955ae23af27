#!/bin/bash
# mail-upstream.sh TARGET: the emails of a stable series as they are
# made with an UPSTREAM_GIT, on a fake one made here (fake-upstream.sh):
# each email carries that tree's message verbatim above the backport note
# and the sender's sign-off, and git am of them onto the base gives the
# series' tree, each commit with exactly that message. Needs
# BUILD/linux-TARGET (make tree); make check runs it after the dry run
# (not a test-*.sh: check-scripts runs those without a tree).
set -eu
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
TOOL=$TOP/mk/upstream.py
RECORD=$TOP/patches/upstream.tsv
# shellcheck source=fake-upstream.sh
. "$(dirname "$0")/fake-upstream.sh"
SENDER="Check Sender <check@invalid>"

load_target "${1:-}"
kernel_tree
[ "$STABLE" = yes ] || die "TARGET=$TARGET is not a stable line: its emails carry no upstream message; give a stable target"
[ -d "$DEST/.git" ] || die "$DEST does not exist; run 'make tree TARGET=$TARGET' first"

fake_tree "$TMP/up" same
mkdir "$TMP/mail"
git -C "$DEST" -c core.abbrev=12 format-patch -q --no-signature --zero-commit \
	-o "$TMP/mail" "base..$(series_end)"
for f in "$TMP/mail"/*.patch; do
	real=$(sed -n 's/^commit \([0-9a-f]\{40\}\) upstream\.$/\1/p' "$f")
	sed -i "s/$real/$(fake_id "$TMP/up" "$real")/" "$f"
done
cp -r "$TMP/mail" "$TMP/orig"
tap_check "the emails are made with the fake UPSTREAM_GIT" \
	"$TOOL" --record "$TMP/up.tsv" mail --git "$TMP/up" --sender "$SENDER" "$TMP/mail"/*.patch
for f in "$TMP/mail"/*.patch; do
	# The upstream message, then its trailers, then the note, then the
	# sender: in that order, each once.
	order=$(sed -n -e 's/^A change made up for the test\.$/message/p' \
		-e 's/^Signed-off-by: A Committer.*/trailers/p' -e 's/^\[ .*/note/p' \
		-e "s/^Signed-off-by: $SENDER\$/sender/p" "$f" | paste -sd' ')
	if [ "$order" = "message trailers note sender" ]; then
		tap_ok "${f##*/}: upstream message, its trailers, the note, the sign-off"
	else
		tap_fail "${f##*/}: message parts in the order '$order'"
	fi
done

# applied_as_made COMMIT PATCH: COMMIT's message is what upstream.py makes
# of PATCH with the fake tree.
applied_as_made()
{
	git -C "$T" log -1 --format=%b "$1" |
		"$TOOL" --record "$TMP/up.tsv" same-body --git "$TMP/up" --sender "$SENDER" "$2" >/dev/null
}

T=$(am_checkout "$TARGET")
if git -C "$T" -c user.name=check -c user.email=check@invalid am -q "$TMP/mail"/*.patch; then
	tap_check "git am of the emails gives the series' tree" \
		test "$(git -C "$T" rev-parse 'HEAD^{tree}')" = \
		"$(git -C "$DEST" rev-parse "$(series_end)^{tree}")"
	for c in $(git -C "$T" rev-list --reverse base..HEAD); do
		# The patch the email was made from (as patches/ has it).
		p=$(grep -l "^$(git -C "$T" log -1 --format=%b "$c" | head -n 1)\$" "$TMP/orig"/*.patch)
		tap_check "${p##*/}: the commit's message is the upstream one, the note, the sign-off" \
			applied_as_made "$c" "$p"
	done
else
	tap_fail "git am of the emails made with the fake UPSTREAM_GIT"
fi
tap_done "mail-upstream $TARGET"
