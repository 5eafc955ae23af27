#!/bin/bash
# send-email.sh TARGET: write the emails of patches/TARGET into
# $BUILD/mail/TARGET (a dry run), and send them with git send-email when
# SEND=1. V=n makes a vN series. The sender's Signed-off-by comes from git
# config here and is never committed to patches/. A backport is sent From:
# the author of its upstream commit (patches/upstream.tsv), as stable
# expects it: 'commit <id> upstream.', the upstream message and trailers
# verbatim from UPSTREAM_GIT (default: LINUX), the backport note of
# patches/, the sender's sign-off (mk/upstream.py mail). Without that
# tree the email says under its '---' line that the upstream message is
# missing, and SEND=1 refuses. With UPSTREAM_GIT, every recorded fact is
# checked against it first. The project's own patches are sent as the
# sender's. Test-only commits (TEST_SERIES) are never mailed.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
kernel_tree
MAIL=$BUILD/mail/$TARGET
V=${V:-1}
UPSTREAM=${UPSTREAM_GIT:-${LINUX:-}}

sender()
{
	local name email

	name=$(git -C "$TOP" config user.name || true)
	email=$(git -C "$TOP" config user.email || true)
	if [ -z "$name" ] || [ -z "$email" ]; then
		[ "${SEND:-0}" != 1 ] ||
			die "SEND=1 needs a sender: set git config user.name and user.email, which sign off the patches you send"
		die "git config user.name and user.email must be set: they sign off the patches you send (even in a dry run)"
	fi
	SENDER="$name <$email>"
	export GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
}

format()
{
	local prefix=PATCH

	[ "$STABLE" = yes ] && prefix="PATCH $TARGET"
	case "$V" in
	[1-9] | [1-9][0-9]) ;;
	*) die "V=$V is not a series version; use V=2, V=3..." ;;
	esac
	if [ "$V" -gt 1 ] && ! grep -q "^Changes in v$V" "$TOP/patches/$TARGET/0000-cover-letter.patch"; then
		die "V=$V needs a 'Changes in v$V' section in patches/$TARGET/0000-cover-letter.patch"
	fi
	rm -rf "$MAIL"
	mkdir -p "$MAIL"
	set -- --subject-prefix="$prefix"
	[ "$V" -eq 1 ] || set -- "$@" --reroll-count="$V"
	git -C "$DEST" -c core.abbrev=12 format-patch -q --no-signature \
		--cover-letter --cover-from-description=subject \
		--thread=shallow "$@" -o "$MAIL" "base..$(described_branch "$SERIES_END")"
	git -C "$DEST" branch -q -D "$DESCRIBED"
}

# gm PATCH OPTIONS...: addresses from the tree's get_maintainer.pl, one a line.
gm()
{
	local p=$1

	shift
	(cd "$DEST" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
		--no-rolestats --no-fixes --no-s "$@" "$p")
}

# project_lists PATCH: the lists the project's MAINTAINERS adds for the
# patch file, matched by its path in patches/.
project_lists()
{
	local path=patches/$TARGET/${1##*/}

	awk -v path="$path" '
		function flush() { if (hit) for (i in l) print l[i]; hit = 0; delete l }
		/^$/ { flush(); n = 0; next }
		/^L:\t/ { sub(/^L:\t/, ""); sub(/ \(.*/, ""); l[++n] = $0 }
		/^F:\t/ { sub(/^F:\t/, ""); pat = $0; if (pat ~ /\/$/) pat = pat "*"
			   gsub(/\./, "\\.", pat); gsub(/\*/, ".*", pat)
			   if (path ~ "^" pat "$") hit = 1 }
		END { flush() }' "$TOP/MAINTAINERS"
}

# recipients PATCH: "to|cc" for one patch. Stable series go to stable@ with
# everyone else in Cc; mainline ones to the maintainers, Cc reviewers and
# lists.
recipients()
{
	local to cc

	if [ "$STABLE" = yes ]; then
		to=stable@vger.kernel.org
		cc=$(gm "$1" --m --r --l)
	else
		to=$(gm "$1" --m --no-r --no-l)
		cc=$(gm "$1" --no-m --r --l)
	fi
	cc="$cc"$'\n'"$(project_lists "$1" | grep -vx "$to" || true)"
	echo "$(join_list "$to")|$(join_list "$cc")"
}

# join_list TEXT: addresses (one a line or comma separated) deduplicated.
join_list()
{
	echo "$1" | tr ',' '\n' | sed -e 's/^ *//' -e 's/ *$//' -e '/^$/d' |
		awk '!seen[$0]++' | paste -sd, - | sed 's/,/, /g'
}

add_headers()
{
	local f r to="" cc=""

	for f in "$MAIL"/*.patch; do
		case "$f" in *0000-cover-letter.patch) continue ;; esac
		r=$(recipients "$f")
		add_header "$f" "${r%%|*}" "${r#*|}"
		to="$to${to:+, }${r%%|*}"
		cc="$cc${cc:+, }${r#*|}"
	done
	add_header "$MAIL"/*0000-cover-letter.patch "$(join_list "$to")" "$(join_list "$cc")"
}

# add_header FILE TO CC: put To: and Cc: before the Subject: header.
add_header()
{
	awk -v to="$2" -v cc="$3" '
		!done && /^Subject:/ { print "To: " to; if (cc != "") print "Cc: " cc; done = 1 }
		{ print }' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

cover_testing()
{
	local cover report

	cover=$(echo "$MAIL"/*0000-cover-letter.patch)
	report=$("$TOP/mk/test-report.sh" "$TARGET")
	awk -v report="$report" '
		!done && prev == "" && /^[^ ].* \([0-9]+\):$/ { print report; print ""; done = 1 }
		{ print; prev = $0 }' "$cover" >"$cover.tmp"
	mv "$cover.tmp" "$cover"
}

# header NAME FILE: the unfolded value of a mail header.
header()
{
	awk -v name="$1" '
		/^$/ { exit }
		/^[ \t]/ { if (hit) v = v $0; next }
		hit { exit }
		index($0, name ": ") == 1 { hit = 1; v = substr($0, length(name) + 3) }
		END { if (hit) print v }' "$2"
}

# cover_shortlog: the cover letter's shortlog, made again from the authors
# the emails are sent with (format-patch wrote the project's identity).
cover_shortlog()
{
	local f cover log

	cover=$(echo "$MAIL"/*0000-cover-letter.patch)
	# Newest first, as git log gives them: shortlog prints them in order.
	log=$(for f in $(printf '%s\n' "$MAIL"/*.patch | sort -r); do
		[ "$f" = "$cover" ] && continue
		printf 'commit 0\nAuthor: %s\n\n    %s\n\n' "$(header From "$f")" \
			"$(header Subject "$f" | sed 's/^\[[^]]*\] //')"
	done | git -C "$DEST" shortlog -w72,2,4)
	awk -v sl="$log" '
		!done && !skip && /^[^ ].* \([0-9]+\):$/ { skip = 1 }
		skip && /^ [0-9]+ files? changed|^ .* \| +[0-9]+/ {
			print sl; print ""; skip = 0; done = 1
		}
		!skip { print }' "$cover" >"$cover.tmp"
	mv "$cover.tmp" "$cover"
}

# upstream_of PATCH: the upstream commit a backport names, if any.
upstream_of()
{
	sed -n 's/^commit \([0-9a-f]\{40\}\) upstream\.$/\1/p' "$1" | head -n 1
}

# sign_own PATCH: the project's own patch (no upstream commit) gets the
# sender's Signed-off-by at the end of its message.
sign_own()
{
	awk -v sob="Signed-off-by: $SENDER" -v author="$SENDER" '
		!body && /^From: / { print "From: " author; next }
		!body && /^$/ { body = 1 }
		body && !done && $0 == "---" {
			if (last != "" && last !~ /^[A-Za-z-]+: /) print ""
			if (!(sob in seen)) print sob
			done = 1
		}
		body { seen[$0] = 1; last = $0 }
		{ print }' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

# check_record: with UPSTREAM_GIT, every fact the record holds on the
# series' upstream commits that tree has must be that tree's; one line
# per difference. (A LINUX checkout of a stable line may lack them.)
check_record()
{
	local f sha shas="" out

	[ -n "$UPSTREAM" ] || return 0
	for f in "$MAIL"/*.patch; do
		sha=$(upstream_of "$f")
		[ -n "$sha" ] || continue
		if git -C "$UPSTREAM" cat-file -e "$sha^{commit}" 2>/dev/null; then
			shas="$shas $sha"
		else
			info "${sha:0:12} is not in $UPSTREAM: the record's facts on it are not checked"
		fi
	done
	[ -n "$shas" ] || return 0
	# shellcheck disable=SC2086 # one word per commit id
	out=$("$TOP/mk/upstream.py" check --git "$UPSTREAM" $shas) ||
		die "patches/upstream.tsv disagrees with UPSTREAM_GIT=$UPSTREAM:"$'\n'"$out"
}

# attribute: From:, message and Signed-off-by for every patch. A
# backport is sent From: its recorded upstream author, its body the
# 'commit <id> upstream.' line, UPSTREAM_GIT's message of that commit
# verbatim (trailers included), the backport note of patches/ and the
# sender's sign-off (mk/upstream.py mail). Without UPSTREAM_GIT's message
# the email says so under '---' (one line per email here too), the dry
# run goes on and SEND=1 refuses.
attribute()
{
	local f rc=0 backports=()

	for f in "$MAIL"/*.patch; do
		case "$f" in *0000-cover-letter.patch) continue ;; esac
		if [ -n "$(upstream_of "$f")" ]; then
			backports+=("$f")
		else
			sign_own "$f"
		fi
	done
	[ "${#backports[@]}" -gt 0 ] || return 0
	"$TOP/mk/upstream.py" mail --git "$UPSTREAM" --sender "$SENDER" \
		"${backports[@]}" >"$MAIL/.missing" || rc=$?
	case "$rc" in
	0) ;;
	3)
		sed 's/^/  /' "$MAIL/.missing" >&2
		for f in "${backports[@]}"; do
			grep -q '^Upstream message missing: ' "$f" &&
				UNRESOLVED="$UNRESOLVED $(upstream_of "$f" | cut -c1-12)"
		done
		;;
	*) die "the emails could not be made (above): patches/upstream.tsv or UPSTREAM_GIT=$UPSTREAM" ;;
	esac
	rm -f "$MAIL/.missing"
}

# cover_unknown: the cover letter names the backports sent with a partly
# unknown upstream chain.
cover_unknown()
{
	local cover line

	[ -n "$UNRESOLVED" ] || return 0
	cover=$(echo "$MAIL"/*0000-cover-letter.patch)
	line="Upstream message missing for${UNRESOLVED}: no UPSTREAM_GIT had those commits when these emails were made, so those patches carry only the backport note and the trailers patches/upstream.tsv has a source for. Not for sending."
	line=$(echo "$line" | fold -s -w 72 | sed 's/ *$//')
	awk -v text="$line" '
		!done && prev == "" && /^Testing \(|^[^ ].* \([0-9]+\):$/ { print text; print ""; done = 1 }
		{ print; prev = $0 }' "$cover" >"$cover.tmp"
	mv "$cover.tmp" "$cover"
}

# refuse_unknown_early: with SEND=1, refuse before any work when a
# backport's upstream commit is not in UPSTREAM_GIT: its message, which
# the email must carry, comes only from there.
refuse_unknown_early()
{
	local f sha missing=""

	[ "${SEND:-0}" = 1 ] || return 0
	for f in "$TOP/patches/$TARGET"/0*.patch; do
		case "$f" in *0000-cover-letter.patch) continue ;; esac
		[ -f "$f" ] || continue
		sha=$(upstream_of "$f")
		[ -n "$sha" ] || continue
		[ -n "$UPSTREAM" ] && git -C "$UPSTREAM" cat-file -e "$sha^{commit}" 2>/dev/null ||
			missing="$missing ${sha:0:12}"
	done
	[ -z "$missing" ] ||
		die "not sending: the upstream messages of${missing} are needed; set UPSTREAM_GIT=/path/to/a linux.git that has those commits (a dry run without SEND=1 shows the emails)"
}

sender
refuse_unknown_early
UNRESOLVED=""
"$TOP/mk/make-tree.sh" "$TARGET"
SERIES_END=$(series_end)
[ "$(git -C "$DEST" rev-list --count "base..$SERIES_END")" -gt 0 ] ||
	die "patches/$TARGET is empty: nothing to send"
format
check_record
attribute
add_headers
cover_testing
cover_unknown
cover_shortlog
UPSTREAM_GIT=$UPSTREAM "$TOP/mk/check-mail.sh" "$TARGET" "$MAIL"
if [ -n "$UNRESOLVED" ]; then
	warn "upstream message missing for${UNRESOLVED} (no such commit in ${UPSTREAM:-a Debian tarball}; set UPSTREAM_GIT=/path/to/linux.git): the emails say so"
	[ "${SEND:-0}" != 1 ] ||
		die "not sending without the upstream messages; set UPSTREAM_GIT=/path/to/a linux.git that has commits${UNRESOLVED}"
fi
if [ "${SEND:-0}" != 1 ]; then
	info "dry run: the emails are in $MAIL; SEND=1 sends them as $SENDER"
	exit 0
fi
"$TOP/mk/need-tools.sh" mail
"$TOP/mk/check-mail.sh" --gate "$TARGET" "$MAIL"
git -C "$DEST" send-email --confirm=always "$MAIL"/*.patch
