#!/bin/bash
# check-mail.sh [--gate] TARGET MAILDIR: the emails send-email wrote apply
# with git am to a fresh base tree and give exactly build/linux-TARGET's
# tree, are checkpatch --strict clean as sent, and pass b4 when installed.
# --gate also wants green 'make check' results for this very series.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

gate=0
if [ "${1:-}" = --gate ]; then gate=1; shift; fi
load_target "${1:-}"
MAIL=${2:?usage: check-mail.sh [--gate] TARGET MAILDIR}
DEST=$BUILD/linux-$TARGET

emails()
{
	find "$MAIL" -name '*.patch' ! -name '*0000-cover-letter.patch' | sort
}

roundtrip()
{
	local tmp want got

	tmp=$(mktemp -d)
	git clone -q --shared --no-checkout "$DEST" "$tmp/t"
	git -C "$tmp/t" checkout -q --detach base
	# shellcheck disable=SC2046 # one word per email file
	git -C "$tmp/t" -c user.name=check -c user.email=check@invalid \
		am -q $(emails) ||
		die "the emails in $MAIL do not apply with git am to the base tree"
	want=$(git -C "$DEST" rev-parse 'HEAD^{tree}')
	got=$(git -C "$tmp/t" rev-parse 'HEAD^{tree}')
	rm -rf "$tmp"
	[ "$want" = "$got" ] ||
		die "the emails give tree $got, make tree gives $want"
	echo "git am of the emails gives make tree's tree ($want)"
}

style()
{
	local f

	for f in $(emails); do
		# shellcheck disable=SC2046 # options, one a word
		(cd "$DEST" && checkpatch --strict --quiet \
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

roundtrip
style
b4_check
[ "$gate" = 0 ] || "$TOP/mk/test-report.sh" --gate "$TARGET"
