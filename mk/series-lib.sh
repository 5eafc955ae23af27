# shellcheck shell=bash
# Helpers for a git tree made of a base commit (tag 'base') plus a patch
# series applied as commits, and for exporting it back: the kernel trees of
# make-tree.sh and QEMU's tree of qemu-tree.sh. Source it after mk/lib.sh,
# with these set:
#   DEST         the tree
#   BRANCH       its branch
#   PATCHES      the series directory (with its 'series' file)
#   SERIES_NAME  how messages name it, e.g. patches/6.12.y
#   EXPORT_HINT  the command that exports the tree, e.g. 'make export'
#   TREE_HINT    the command that makes it, e.g. 'make tree'
#   BASE_DESC    what the base is, e.g. 'Linux 6.12.118 (…)', once known

# Committer identity fixed so that a tree made twice from the same series
# has the same commit ids, and export gives back the same files. Dates come
# from the patches (git am --committer-date-is-author-date).
need git git
export GIT_COMMITTER_NAME=kvm-nvhe-buffers GIT_COMMITTER_EMAIL=kvm-nvhe-buffers@invalid

# guard_unexported: die if DEST has changes, or commits that were not
# exported since it was made. A half-made tree (see half_made) has
# neither: what is in it is the project's own, to be made again.
guard_unexported()
{
	local head known

	half_made && return 0
	[ ! -d "$DEST/.git/rebase-apply" ] ||
		die "$DEST has a git am or rebase in progress; finish or abort it there first"
	[ -z "$(git -C "$DEST" status --porcelain --untracked-files=no)" ] ||
		die "$DEST has uncommitted changes; commit them and run '$EXPORT_HINT', or remove $DEST"
	head=$(git -C "$DEST" rev-parse HEAD)
	known=$(git -C "$DEST" config --get knb.exported || true)
	[ "$head" = "$known" ] ||
		die "$DEST has commits not exported to $SERIES_NAME; run '$EXPORT_HINT' first, or remove $DEST"
}

# half_made: DEST is a tree the project began to make and did not finish,
# untouched since: knb.making is set from before the checkout until
# finish_tree; when a patch did not apply, knb.stopped-at is the commit it
# stopped at, and a user who has since committed, edited or started a git
# am there has made it theirs.
half_made()
{
	local stopped

	[ -n "$(git -C "$DEST" config --get knb.making 2>/dev/null || true)" ] || return 1
	stopped=$(git -C "$DEST" config --get knb.stopped-at || true)
	[ -n "$stopped" ] || return 0
	[ "$stopped" = "$(git -C "$DEST" rev-parse HEAD)" ] &&
		[ ! -d "$DEST/.git/rebase-apply" ] &&
		[ -z "$(git -C "$DEST" status --porcelain --untracked-files=no)" ]
}

# guard_untracked: die if DEST holds files git does not track (and does
# not ignore): a user's, which making the tree again would delete. A
# half-made tree's are the interrupted checkout's own.
guard_untracked()
{
	local files

	half_made && return 0
	files=$(git -C "$DEST" status --porcelain --untracked-files=all |
		sed -n 's/^?? //p' | head -n 5 | tr '\n' ' ')
	[ -z "$files" ] ||
		die "$DEST holds files git does not track (${files% }); move them out of it (making the tree again would delete them), or remove $DEST"
}

# tree_current MADE_FROM: DEST was made from MADE_FROM (base and series
# id) and is untouched since; leaving it as it is keeps a warm build warm.
tree_current()
{
	[ -d "$DEST/.git" ] || return 1
	half_made && return 1
	[ "$(git -C "$DEST" config --get knb.made-from || true)" = "$1" ] || return 1
	guard_unexported
	[ -z "$(git -C "$DEST" status --porcelain)" ]
}

# prepare GITDIR REV: a clean checkout of REV in DEST on BRANCH, tagged
# 'base'; a tree of another origin is replaced (after the guards). DEST is
# marked half-made (knb.making) before anything in it changes; a fresh
# clone is made beside it and moved into place once marked.
prepare()
{
	local gitdir=$1 rev=$2 new=$DEST.new

	if [ -d "$DEST/.git" ]; then
		guard_unexported
		guard_untracked
		if [ "$(git -C "$DEST" config --get remote.origin.url)" != "$gitdir" ]; then
			rm -rf "$DEST"
		fi
	elif [ -e "$DEST" ]; then
		[ -z "$(ls -A "$DEST")" ] ||
			die "$DEST exists and is not a git tree the project made; move it away or remove it"
		rmdir "$DEST"
	fi
	if [ ! -d "$DEST/.git" ]; then
		rm -rf "$new"
		mkdir -p "$(dirname "$DEST")"
		info "checking out $rev into $DEST"
		git clone -q --shared --no-checkout "$gitdir" "$new"
		git -C "$new" config knb.making "$(date -u +%FT%TZ)"
		mv "$new" "$DEST"
	fi
	git -C "$DEST" config knb.making "$(date -u +%FT%TZ)"
	git -C "$DEST" config --unset knb.exported || true
	git -C "$DEST" config --unset knb.made-from || true
	git -C "$DEST" config --unset knb.stopped-at || true
	git -C "$DEST" checkout -q -f -B "$BRANCH" "$rev"
	git -C "$DEST" clean -q -f -d
	git -C "$DEST" tag -f base "$rev" >/dev/null
}

# series_patches: the patches the series file lists, in order, without the
# cover letter (git am has nothing to apply in it).
series_patches()
{
	series_list "$PATCHES" | grep -vx '0000-cover-letter.patch' || true
}

# apply_one PATCH: git am it, or say which patch and file did not apply.
apply_one()
{
	local p=$1 log file

	log=$(git -C "$DEST" am -q --committer-date-is-author-date "$PATCHES/$p" 2>&1) && return 0
	git -C "$DEST" am --abort >/dev/null 2>&1 || true
	git -C "$DEST" config knb.stopped-at "$(git -C "$DEST" rev-parse HEAD)"
	file=$(printf '%s\n' "$log" | sed -n \
		-e 's/^error: patch failed: \([^:]*\):.*/\1/p' \
		-e 's/^error: \([^:]*\): does not exist in index/\1/p' \
		-e 's/^error: \([^:]*\): already exists in index/\1/p' | head -n 1)
	die "$SERIES_NAME/$p does not apply to $BASE_DESC${file:+: $file}; refresh the series against this tree"
}

# apply_series: git am every patch of the series, running the command
# APPLY_HOOK (if set) after each; sets APPLIED to their number.
apply_series()
{
	local hook=${APPLY_HOOK:-} p

	[ -f "$PATCHES/series" ] || die "$SERIES_NAME/series is missing"
	APPLIED=0
	for p in $(series_patches); do
		[ -f "$PATCHES/$p" ] || die "$SERIES_NAME/series names $p, which does not exist"
		apply_one "$p"
		[ -z "$hook" ] || "$hook"
		APPLIED=$((APPLIED + 1))
	done
}

# cover_description: the cover letter's subject and blurb, which export
# turns back into a cover letter through the branch description.
cover_description()
{
	local cover=$PATCHES/0000-cover-letter.patch tmp subject

	[ -f "$cover" ] || return 0
	tmp=$(mktemp -d)
	git mailinfo "$tmp/msg" "$tmp/patch" <"$cover" >"$tmp/info"
	subject=$(sed -n 's/^Subject: //p' "$tmp/info")
	{
		echo "$subject"
		echo
		awk 'prev == "" && /^[^ ].* \([0-9]+\):$/ { exit }
		     { print; prev = $0 }' "$tmp/msg"
	} | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$tmp/desc"
	git -C "$DEST" config "branch.$BRANCH.description" "$(cat "$tmp/desc")"
	rm -rf "$tmp"
}

# finish_tree MADE_FROM: remember what DEST was made from, and that its
# commits are the series as exported.
finish_tree()
{
	git -C "$DEST" config knb.exported "$(git -C "$DEST" rev-parse HEAD)"
	git -C "$DEST" config knb.made-from "$1"
	git -C "$DEST" config --unset knb.making
	git -C "$DEST" config --unset knb.stopped-at || true
}

# series_header: the comment lines the series file starts with, if any;
# export keeps them.
series_header()
{
	[ -f "$PATCHES/series" ] || return 0
	sed -n '/^#/!q; p' "$PATCHES/series"
}

# A test-only commit (applied by make tree after the series of
# TEST_SERIES, never exported into the series itself nor mailed) says so
# on the first line of its message body.
TEST_MARK='[ Test only: '

# is_test_commit REV: REV is a test-only commit.
is_test_commit()
{
	git -C "$DEST" log -1 --format=%b "$1" | head -n 1 | grep -qF "$TEST_MARK"
}

# series_end: the last commit of DEST's series proper, before its
# test-only commits (the base when there is none); dies when a commit
# that is not test-only follows a test-only one.
series_end()
{
	local c end seen=""

	end=$(git -C "$DEST" rev-parse base)
	for c in $(git -C "$DEST" rev-list --reverse base..HEAD); do
		if is_test_commit "$c"; then
			seen=$c
		elif [ -n "$seen" ]; then
			die "$DEST: commit ${c:0:12} follows the test-only commit ${seen:0:12}; move the test-only commits last (git rebase -i base)"
		else
			end=$c
		fi
	done
	echo "$end"
}

# described_branch REV: a stand-in branch of DEST at REV with BRANCH's
# description, printed (and kept in DESCRIBED): format-patch takes the
# cover letter from the description of the branch a range ends in, and
# the series may end before HEAD. Delete it after use.
DESCRIBED=knb-described
described_branch()
{
	git -C "$DEST" branch -f "$DESCRIBED" "$1"
	git -C "$DEST" config "branch.$DESCRIBED.description" \
		"$(git -C "$DEST" config --get "branch.$BRANCH.description" || true)"
	echo "$DESCRIBED"
}

# export_patches OUT PREFIX: git format-patch DEST's base..HEAD into OUT,
# with the cover letter and a series file, subjects as [PREFIX n/m]. The
# output is a function of the commits (and the series file's header) alone,
# so exporting an unchanged tree changes nothing; the cover letter is dated
# with the last patch's author date, so commits made by hand and the same
# commits made again by git am export alike. Marks DEST as exported unless
# EXPORT_DIR is set (a check exporting elsewhere: the scripts' --to). EXPORT_FROM and
# EXPORT_TO (default base and HEAD) bound the commits; EXPORT_COVER=no
# leaves the cover letter out.
export_patches()
{
	local out=$1 prefix=$2 tmp from=${EXPORT_FROM:-base} to=${EXPORT_TO:-HEAD}
	local cover=--cover-letter

	[ "${EXPORT_COVER:-yes}" = yes ] || cover=--no-cover-letter
	[ -d "$DEST/.git" ] || die "$DEST does not exist; run '$TREE_HINT' first"
	! half_made ||
		die "$DEST is half-made (an earlier '$TREE_HINT' stopped: a patch did not apply, or the run was interrupted); fix $SERIES_NAME and run '$TREE_HINT' again"
	git -C "$DEST" rev-parse -q --verify base >/dev/null ||
		die "$DEST has no 'base' tag; remake it with '$TREE_HINT'"
	tmp=$(mktemp -d)
	if [ "$(git -C "$DEST" rev-list --count "$from..$to")" -gt 0 ]; then
		GIT_COMMITTER_DATE=$(git -C "$DEST" log -1 --format=%aI "$to") \
		git -C "$DEST" -c core.abbrev=12 -c diff.renames=true format-patch -q \
			--no-signature --zero-commit "$cover" \
			--cover-from-description=subject --subject-prefix="$prefix" \
			-o "$tmp" "$from..$(described_branch "$to")"
		git -C "$DEST" branch -q -D "$DESCRIBED"
	fi
	{
		series_header
		find "$tmp" -name '0*.patch' ! -name '0000-*' -printf '%f\n' | sort
	} >"$tmp/series.new"
	mv "$tmp/series.new" "$tmp/series"
	mkdir -p "$out"
	if diff -qr "$out" "$tmp" >/dev/null 2>&1; then
		info "$SERIES_NAME is up to date ($(grep -vc '^#' "$tmp/series") patches)"
	else
		rm -f "$out"/*.patch
		cp "$tmp"/* "$out"/
		info "$SERIES_NAME rewritten ($(grep -vc '^#' "$tmp/series") patches); review with git diff"
	fi
	rm -rf "$tmp"
	[ -n "${EXPORT_DIR:-}" ] ||
		git -C "$DEST" config knb.exported "$(git -C "$DEST" rev-parse HEAD)"
}
