#!/bin/bash
# check-mail.sh [--gate | --am] TARGET MAILDIR: the emails send-email wrote apply
# with git am to a fresh base tree and give exactly the tree of
# build/linux-TARGET's series (its test-only commits left out), are
# checkpatch --strict clean as sent, and pass b4 when installed. For a
# stable line, every email is a backport of a recorded upstream commit,
# and the commits git am makes are by its upstream author, with the
# message mk/upstream.py body makes (UPSTREAM_GIT as send-email had it). --gate also wants green 'make
# check' results for this very series. --am checks the patches of make
# am (mk/am.sh) alike, without the cover letter and b4.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

gate=0 am=0
case "${1:-}" in
--gate) gate=1; shift ;;
--am) am=1; shift ;;
esac
load_target "${1:-}"
MAIL=${2:?usage: check-mail.sh [--gate | --am] TARGET MAILDIR}
kernel_tree

emails()
{
	find "$MAIL" -name '*.patch' ! -name '*0000-cover-letter.patch' | sort
}

roundtrip()
{
	local tree want got

	tree=$(am_checkout "$TARGET")
	# shellcheck disable=SC2046 # one word per email file
	git -C "$tree" -c user.name=check -c user.email=check@invalid \
		am -q $(emails) ||
		die "the emails in $MAIL do not apply with git am to the base tree"
	want=$(git -C "$DEST" rev-parse "$(series_end)^{tree}")
	got=$(git -C "$tree" rev-parse 'HEAD^{tree}')
	[ "$want" = "$got" ] ||
		die "the emails give tree $got, make tree's series gives $want"
	echo "git am of the emails gives the tree of make tree's series ($want)"
	[ "$STABLE" = no ] || attribution "$tree"
}

# patch_of SHA: the file of patches/TARGET that backports SHA.
patch_of()
{
	grep -l "^commit $1 upstream\.\$" "$TOP/patches/$TARGET"/0*.patch | head -n 1
}

# attribution TREE: the commits git am made in TREE are backports, each by
# its upstream author, its message exactly what mk/upstream.py body makes
# of its patch in patches/: the id line, UPSTREAM_GIT's message verbatim
# (or, without it, the recorded trailers), the backport note, the
# sender's Signed-off-by.
attribution()
{
	local t=$1 c sha want got sender p

	sender="$(git -C "$TOP" config user.name) <$(git -C "$TOP" config user.email)>"
	for c in $(git -C "$t" rev-list --reverse base..HEAD); do
		sha=$(git -C "$t" log -1 --format=%b "$c" |
			sed -n '1s/^commit \([0-9a-f]\{40\}\) upstream\.$/\1/p')
		[ -n "$sha" ] ||
			die "'$(git -C "$t" log -1 --format=%s "$c")' does not start with 'commit <id> upstream.'; a stable series mails only backports"
		want=$("$TOP/mk/upstream.py" get "$sha" author)
		got=$(git -C "$t" log -1 --format='%an <%ae>' "$c")
		[ "$want" = "$got" ] ||
			die "the email of ${sha:0:12} gives a commit by '$got', not by its upstream author '$want'"
		p=$(patch_of "$sha")
		[ -n "$p" ] || die "no patch of patches/$TARGET backports ${sha:0:12}"
		got=$(git -C "$t" log -1 --format=%b "$c" |
			"$TOP/mk/upstream.py" same-body --git "${UPSTREAM_GIT:-}" --sender "$sender" "$p") ||
			die "the email of ${sha:0:12} is not the id line, the upstream message, the note and the sender's sign-off:"$'\n'"$(echo "$got" | head -n 20)"
	done
	echo "each commit is by its upstream author, its message the id line, the upstream message, the backport note and the sender's Signed-off-by"
}

style()
{
	local f

	for f in $(emails); do
		# Without its upstream message (said under '---'), a backport
		# may have no Signed-off-by of its author yet; SEND=1 refuses it.
		set --
		grep -q '^Upstream message missing: ' "$f" &&
			set -- --ignore NO_AUTHOR_SIGN_OFF
		# shellcheck disable=SC2046 # options, one a word
		(cd "$DEST" && checkpatch --strict --quiet "$@" \
			$(checkpatch_opts "$DEST" "$f") "$f") ||
			die "checkpatch --strict complains about $f as it would be sent"
	done
	echo "checkpatch --strict clean as sent"
}

b4_check()
{
	local tmp

	command -v b4 >/dev/null || { echo "b4 not installed: its checks not run"; return 0; }
	tmp=$(mktemp -d)
	# bookworm's b4 0.12 fails on folded headers under its python 3.11
	# ("Header values may not contain linefeed"); unfolding is a no-op
	# for mail (RFC 5322 2.2.3), so b4 gets the headers unfolded.
	awk '/^From [0-9a-f]+ / { hdr = 1 }
	     hdr && /^$/ { if (held != "") print held; held = ""; hdr = 0; print; next }
	     hdr && /^[ \t]/ { sub(/^[ \t]+/, " "); held = held $0; next }
	     hdr { if (held != "") print held; held = $0; next }
	     { print }' "$MAIL"/*.patch >"$tmp/series.mbox"
	mkdir -p "$tmp/out"
	(cd "$tmp" && b4 -q --offline-mode am --no-cache -m series.mbox -o out) >"$tmp/log" 2>&1 ||
		die "b4 am rejects the emails: $(tail -n 3 "$tmp/log")"
	[ -n "$(find "$tmp/out" -name '*.mbx')" ] ||
		die "b4 am found no complete series in the emails: $(tail -n 3 "$tmp/log")"
	rm -rf "$tmp"
	echo "b4 am accepts the series"
}

# cover: the cover letter has its subject and text, not format-patch's
# placeholders.
cover()
{
	! grep -q '\*\*\* .* HERE \*\*\*' "$MAIL"/*0000-cover-letter.patch ||
		die "the cover letter in $MAIL still has format-patch's placeholders (*** SUBJECT HERE ***)"
	echo "the cover letter has its subject and text"
}

roundtrip
style
# make am's patches are no email series: no cover letter, nothing for b4.
[ "$am" = 1 ] && exit 0
cover
b4_check
[ "$gate" = 0 ] || "$TOP/mk/test-report.sh" --gate "$TARGET"
