#!/bin/bash
# send-email.sh TARGET: write the emails of patches/TARGET into
# $BUILD/mail/TARGET (a dry run), and send them with git send-email when
# SEND=1. V=n makes a vN series. The sender's Signed-off-by comes from git
# config here and is never committed to patches/. A backport is sent From:
# the author of its upstream commit, with that commit's Signed-off-by
# chain, both read from the history of UPSTREAM_GIT (default: LINUX); the
# project's own patches are sent as the sender's.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
DEST=$BUILD/linux-$TARGET
MAIL=$BUILD/mail/$TARGET
V=${V:-1}

sender()
{
	local name email

	name=$(git -C "$TOP" config user.name || true)
	email=$(git -C "$TOP" config user.email || true)
	if [ -z "$name" ] || [ -z "$email" ]; then
		die "git config user.name and user.email must be set: they sign off the patches you send"
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
		--thread=shallow "$@" -o "$MAIL" base..HEAD
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

# sign PATCH AUTHOR TRAILERS: send PATCH From: AUTHOR, with TRAILERS (the
# upstream Signed-off-by chain) and the sender's Signed-off-by added to
# the end of the message.
sign()
{
	awk -v author="$2" -v trailers="$3" -v sob="Signed-off-by: $SENDER" '
		!body && /^From: / { print "From: " author; next }
		!body && /^$/ { body = 1 }
		body && !done && $0 == "---" {
			# A message without trailers gets the blank line before them.
			if (last != "" && last !~ /^[A-Za-z-]+: /) print ""
			n = split(trailers, t, "\n")
			for (i = 1; i <= n; i++)
				if (t[i] != "" && !(t[i] in seen)) print t[i]
			if (!(sob in seen)) print sob
			done = 1
		}
		body { seen[$0] = 1; last = $0 }
		{ print }' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

# attribute: From: and Signed-off-by for every patch. Without the upstream
# history, a backport's author is unknown here: the dry run stands the
# sender in and says so; SEND=1 refuses.
attribute()
{
	local f sha git=${UPSTREAM_GIT:-${LINUX:-}} author trailers

	for f in "$MAIL"/*.patch; do
		case "$f" in *0000-cover-letter.patch) continue ;; esac
		sha=$(upstream_of "$f")
		author=$SENDER trailers=""
		if [ -n "$sha" ]; then
			if [ -n "$git" ] && git -C "$git" cat-file -e "$sha^{commit}" 2>/dev/null; then
				author=$(git -C "$git" log -1 --format='%an <%ae>' "$sha")
				trailers=$(git -C "$git" log -1 --format='%(trailers:key=Signed-off-by)' "$sha")
			else
				UNRESOLVED="$UNRESOLVED ${sha:0:12}"
			fi
		fi
		sign "$f" "$author" "$trailers"
	done
}

sender
UNRESOLVED=""
"$TOP/mk/make-tree.sh" "$TARGET"
[ "$(git -C "$DEST" rev-list --count base..HEAD)" -gt 0 ] ||
	die "patches/$TARGET is empty: nothing to send"
format
attribute
add_headers
cover_testing
cover_shortlog
"$TOP/mk/check-mail.sh" "$TARGET" "$MAIL"
if [ -n "$UNRESOLVED" ]; then
	warn "upstream author unknown for${UNRESOLVED} (no such commit in ${UPSTREAM_GIT:-${LINUX:-a Debian tarball}}): these emails stand the sender in as author"
	[ "${SEND:-0}" != 1 ] ||
		die "not sending without the upstream authors; set UPSTREAM_GIT=/path/to/a linux.git that has commits${UNRESOLVED}"
fi
if [ "${SEND:-0}" != 1 ]; then
	info "dry run: the emails are in $MAIL; SEND=1 sends them as $SENDER"
	exit 0
fi
"$TOP/mk/need-tools.sh" mail
"$TOP/mk/check-mail.sh" --gate "$TARGET" "$MAIL"
git -C "$DEST" send-email --confirm=always "$MAIL"/*.patch
