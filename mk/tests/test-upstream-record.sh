#!/bin/bash
# test-upstream-record.sh: mk/upstream.py against fake UPSTREAM_GIT trees.
# Commit ids cannot be forged, so each fake tree gets commits with the
# recorded titles, authors and trailers, and a copy of patches/upstream.tsv
# has the fake ids written in place of the real ones. A tree that agrees
# with the record must pass, one whose trailers (or author, title, Fixes)
# differ must fail with one line per difference.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
TOOL=$TOP/mk/upstream.py
RECORD=$TOP/patches/upstream.tsv
tmp=$TMP

fail()
{
	tap_fail "$*"
}

# expect RC OUTPUT-PATTERN COMMAND...: COMMAND exits RC and prints a line
# matching OUTPUT-PATTERN (on stdout or stderr; an empty pattern: prints
# nothing on stdout).
expect()
{
	local want=$1 pat=$2 rc=0 out

	shift 2
	out=$("$@" 2>"$tmp/stderr") || rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$* exited $rc, not $want: $out $(cat "$tmp/stderr")"
	elif [ -z "$pat" ] && [ -n "$out" ]; then
		fail "$* printed: $out"
	elif [ -n "$pat" ] && ! printf '%s\n' "$out" | cat - "$tmp/stderr" | grep -q -- "$pat"; then
		fail "$* did not print '$pat': $out"
	else
		tap_ok "exit $want ${pat:-(silent)}"
	fi
}

# shellcheck source=fake-upstream.sh
. "$(dirname "$0")/fake-upstream.sh"

check()
{
	"$TOOL" --record "$1.tsv" check --git "$1"
}

fake_tree "$tmp/same" same
expect 0 "" check "$tmp/same"
id=$(git -C "$tmp/same" rev-parse HEAD)
expect 0 "Reviewed-by: A Reviewer" "$TOOL" --record "$tmp/same.tsv" chain --git "$tmp/same" "$id"
# The first recorded commit (d133aa75e39d), wherever the record ends.
expect 3 "Signed-off-by: Will Deacon <will@kernel.org>" "$TOOL" --record "$tmp/same.tsv" chain --git "" "$(git -C "$tmp/same" rev-list --max-parents=0 HEAD)"

fake_tree "$tmp/trailer" trailer
expect 1 "trailer: recorded 'Signed-off-by: .*' is not upstream" check "$tmp/trailer"
[ "$(check "$tmp/trailer" 2>/dev/null | wc -l)" = 1 ] || fail "one trailer differs, but not one line: $(check "$tmp/trailer")"
first=$(git -C "$tmp/trailer" rev-list --reverse HEAD | head -n 1)
expect 1 "not upstream" "$TOOL" --record "$tmp/trailer.tsv" chain --git "$tmp/trailer" "$first"

fake_tree "$tmp/author" author
expect 1 "author: recorded '.*', upstream 'Someone Else <else@example.invalid>'" check "$tmp/author"

fake_tree "$tmp/title" title
expect 1 "title: recorded" check "$tmp/title"

fake_tree "$tmp/fixes" fixes
expect 1 "fixes: recorded 'Fixes: .*' is not upstream" check "$tmp/fixes"

# A record that says its chain is complete must match it exactly.
sed 's/\ttrailers\tunknown\t/\ttrailers\tcomplete\t/' "$tmp/same.tsv" >"$tmp/complete.tsv"
expect 1 "trailer: upstream 'Reviewed-by: A Reviewer <reviewer@example.invalid>' is not recorded" \
	"$TOOL" --record "$tmp/complete.tsv" check --git "$tmp/same"

# A commit the tree does not have, and a broken record.
expect 1 "not a commit of UPSTREAM_GIT" "$TOOL" --record "$RECORD" check --git "$tmp/same"
printf 'abc\ttitle\tx\tsource\n' >"$tmp/bad.tsv"
expect 2 "" "$TOOL" --record "$tmp/bad.tsv" check --git "$tmp/same"

# The emails: a backport of patches/ (its id made the fake tree's) is
# sent with the fake tree's message verbatim, then the note and the
# sender's sign-off; without the tree, with the recorded trailers and a
# line under '---' saying the message is missing.
SENDER="Check Sender <check@invalid>"
p=$(ls "$TOP"/patches/6.12.y/0001-*.patch)
real=$(sed -n 's/^commit \([0-9a-f]\{40\}\) upstream\.$/\1/p' "$p")
fake=$(fake_id "$tmp/same" "$real")
sed "s/$real/$fake/" "$p" >"$tmp/backport.patch"
body=$("$TOOL" --record "$tmp/same.tsv" body --git "$tmp/same" --sender "$SENDER" "$tmp/backport.patch")
want=$(printf 'commit %s upstream.\n\n%s\n%s\nSigned-off-by: %s' "$fake" \
	"$(git -C "$tmp/same" log -1 --format=%b "$fake" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')" \
	"$(sed -n '/^\[/,/\]$/p' "$tmp/backport.patch")" "$SENDER")
if [ "$body" = "$want" ]; then
	tap_ok "body: the id line, the upstream message verbatim, the note, the sign-off"
else
	fail "body is not the upstream message, note and sign-off:"$'\n'"$(diff <(echo "$want") <(echo "$body"))"
fi
printf '%s\n' "$body" | grep -q '^A change made up for the test\.$' ||
	fail "body lacks the upstream message"
printf '%s\n' "$body" | grep -q '^Cc: stable@vger.kernel.org$' ||
	fail "body lacks upstream's Cc: stable"
expect 0 "" sh -c "printf '%s\n' \"\$1\" | \"\$2\" --record \"\$3\" same-body --git \"\$4\" --sender \"\$5\" \"\$6\"" \
	- "$body" "$TOOL" "$tmp/same.tsv" "$tmp/same" "$SENDER" "$tmp/backport.patch"
expect 1 "^-A change made up" sh -c "printf '%s\n' \"\$1\" | \"\$2\" --record \"\$3\" same-body --git \"\$4\" --sender \"\$5\" \"\$6\"" \
	- "${body/A change made up/A change}" "$TOOL" "$tmp/same.tsv" "$tmp/same" "$SENDER" "$tmp/backport.patch"
expect 3 "Signed-off-by: $SENDER" "$TOOL" --record "$tmp/same.tsv" body --git "" --sender "$SENDER" "$tmp/backport.patch"
sed "s/$real/$(fake_id "$tmp/title" "$real")/" "$p" >"$tmp/title.patch"
expect 1 "title: recorded" "$TOOL" --record "$tmp/title.tsv" body --git "$tmp/title" --sender "$SENDER" \
	"$tmp/title.patch"
cp "$tmp/backport.patch" "$tmp/mail.patch"
sed -i 's/^From: .*/From: kvm-nvhe-buffers <kvm-nvhe-buffers@invalid>/' "$tmp/mail.patch"
expect 3 "Upstream message missing" "$TOOL" --record "$tmp/same.tsv" mail --git "" --sender "$SENDER" "$tmp/mail.patch"
grep -q '^Upstream message missing: ' "$tmp/mail.patch" || fail "mail without the tree: no line under '---'"
grep -q "^From: $(recorded "$real" author)\$" "$tmp/mail.patch" || fail "mail: From: is not the upstream author"
cp "$tmp/backport.patch" "$tmp/mail.patch"
expect 0 "" "$TOOL" --record "$tmp/same.tsv" mail --git "$tmp/same" --sender "$SENDER" "$tmp/mail.patch"
got=$(git mailinfo "$tmp/msg" "$tmp/patch" <"$tmp/mail.patch" >/dev/null && cat "$tmp/msg")
[ "$(printf '%s\n' "$got" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')" = "$body" ] ||
	fail "mail: the email's message is not what body makes"$'\n'"$(diff <(echo "$body") <(echo "$got"))"

# patches/'s rules: the id line and one bracketed note, no trailer, and
# over 100 lines with context a note that says why.
rule()
{
	local name=$1 pat=$2

	shift 2
	"$@" <"$p" >"$tmp/$name.patch"
	expect 1 "$pat" "$TOOL" --record "$RECORD" patches "$tmp/$name.patch"
}
rule extra-paragraph "nothing else" sed '/^commit [0-9a-f]* upstream\.$/a\\nSome words of the upstream message.'
rule fixes-no-source "trailer 'Fixes: 123456789012 (\"x\")' (no source" \
	sed 's/^\(.*\) \]$/\1 ]\n\nFixes: 123456789012 ("x")/'
rule cc-stable "trailer 'Cc: stable@vger.kernel.org # 6.12.x' (no source" \
	sed 's/^\(.*\) \]$/\1 ]\nCc: stable@vger.kernel.org # 6.12.x/'
rule no-note "nothing else" sed '/^\[/,/\]$/d'
rule big "over stable's 100" awk '{ print } /^@@ / && !done { for (i = 0; i < 100; i++) print "+/* x */"; done = 1 }'

# The stable series agree with the record; a patch From: someone else not.
for t in 6.12.y 6.1.y; do
	expect 0 "" "$TOOL" --record "$RECORD" patches "$TOP"/patches/"$t"/0[0-9]*[1-9]-*.patch
done
p=$(ls "$TOP"/patches/6.12.y/0002-*.patch)
sed 's/^From: .*/From: Someone Else <else@example.invalid>/' "$p" >"$tmp/${p##*/}"
expect 1 "From: 'Someone Else <else@example.invalid>', recorded author" "$TOOL" --record "$RECORD" patches "$tmp/${p##*/}"

tap_done test-upstream-record
