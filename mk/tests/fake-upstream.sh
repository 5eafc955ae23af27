# shellcheck shell=bash
# fake-upstream.sh: fake UPSTREAM_GIT trees for the tests, sourced after
# tap.sh with TOOL (mk/upstream.py) and RECORD (a record) set. Commit ids
# cannot be forged, so fake_tree makes one commit per recorded upstream
# commit, with the recorded title, author, Fixes: and trailers and a
# message made up for the test, and writes DIR.tsv, the record with the
# fake ids in place of the real ones (DIR.ids: the real ids, in order).

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

# fake_id DIR SHA: the id fake_tree gave SHA's commit in DIR.
fake_id()
{
	git -C "$1" rev-list --reverse HEAD | sed -n "$(grep -n "^$2\$" "$1.ids" | cut -d: -f1)p"
}
