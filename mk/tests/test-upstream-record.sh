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

# recorded SHA FIELD: a fact of the real record.
recorded()
{
	"$TOOL" --record "$RECORD" get "$1" "$2"
}

# message_lines SHA FIELD MODE FIRST: the recorded FIELD lines of SHA
# (fixes, chain) as a commit message carries them; on the FIRST commit,
# the one MODE breaks (fixes: another commit; trailer: another address).
message_lines()
{
	local line

	while read -r line; do
		[ -n "$line" ] || continue
		if [ "$4" = 1 ]; then
			case "$3:$2" in
			fixes:fixes) line="000000000000 (\"Another commit\")" ;;
			trailer:chain) line="${line%>}.invalid>" ;;
			esac
		fi
		[ "$2" != fixes ] || line="Fixes: $line"
		echo "$line"
	done < <(recorded "$1" "$2")
}

# fake_tree DIR MODE: a git tree with one commit per recorded upstream
# commit, as the record has it, changed as MODE says: same (plus the
# trailers the record does not know), trailer, author, title, fixes.
# Writes DIR.tsv, the record with the fake ids.
fake_tree()
{
	local dir=$1 mode=$2 sha title author msg id first=1 lines

	git init -q "$dir"
	cp "$RECORD" "$dir.tsv"
	awk -F'\t' '!/^#/ && NF == 4 && !seen[$1]++ { print $1 }' "$RECORD" >"$dir.ids"
	while read -r sha; do
		title=$(recorded "$sha" title)
		author=$(recorded "$sha" author)
		msg="$title"$'\n\n'"A change made up for the test."$'\n'
		if [ "$mode" = title ] && [ "$first" = 1 ]; then title="$title again"; msg="$title"$'\n\n'"x"$'\n'; fi
		if [ "$mode" = author ] && [ "$first" = 1 ]; then author="Someone Else <else@example.invalid>"; fi
		msg="$msg"$'\n'
		lines=$(message_lines "$sha" fixes "$mode" "$first")
		[ -z "$lines" ] || msg="$msg$lines"$'\n'
		msg="${msg}Cc: stable@vger.kernel.org"$'\n'
		lines=$(message_lines "$sha" chain "$mode" "$first")
		[ -z "$lines" ] || msg="$msg$lines"$'\n'
		msg="${msg}Reviewed-by: A Reviewer <reviewer@example.invalid>"$'\n'
		msg="${msg}Signed-off-by: A Committer <committer@example.invalid>"$'\n'
		echo "$sha" >>"$dir/ids"
		git -C "$dir" add ids
		author=${author%>}
		GIT_AUTHOR_NAME=${author% <*} GIT_AUTHOR_EMAIL=${author##*<} \
		GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid \
			git -C "$dir" commit -q -m "$msg"
		id=$(git -C "$dir" rev-parse HEAD)
		sed -i "s/^$sha\t/$id\t/" "$dir.tsv"
		first=0
	done <"$dir.ids"
}

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

# The stable series agree with the record; a patch From: someone else not.
for t in 6.12.y 6.1.y; do
	expect 0 "" "$TOOL" --record "$RECORD" patches "$TOP"/patches/"$t"/0[0-9]*[1-9]-*.patch
done
p=$(ls "$TOP"/patches/6.12.y/0002-*.patch)
sed 's/^From: .*/From: Someone Else <else@example.invalid>/' "$p" >"$tmp/${p##*/}"
expect 1 "From: 'Someone Else <else@example.invalid>', recorded author" "$TOOL" --record "$RECORD" patches "$tmp/${p##*/}"

tap_done test-upstream-record
