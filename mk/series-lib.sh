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

# git_op_in_progress: the git operation DEST is in the middle of, if
# any: a rebase, git am, merge, cherry-pick, revert or bisect.
git_op_in_progress()
{
	local g

	g=$(git -C "$DEST" rev-parse --absolute-git-dir 2>/dev/null) || return 0
	if [ -d "$g/rebase-merge" ]; then echo "a git rebase"
	elif [ -f "$g/rebase-apply/applying" ]; then echo "a git am"
	elif [ -d "$g/rebase-apply" ]; then echo "a git rebase or am"
	elif [ -f "$g/MERGE_HEAD" ]; then echo "a git merge"
	elif [ -f "$g/CHERRY_PICK_HEAD" ]; then echo "a git cherry-pick"
	elif [ -f "$g/REVERT_HEAD" ]; then echo "a git revert"
	elif [ -f "$g/BISECT_LOG" ]; then echo "a git bisect"
	fi
}

# count N THING [THINGS]: "1 THING", "2 THINGs" (or "2 THINGS").
count()
{
	if [ "$1" -eq 1 ]; then echo "1 $2"; else echo "$1 ${3:-${2}s}"; fi
}

# listing MAX: the first MAX lines of stdin, comma-separated, then how
# many more.
listing()
{
	local max=$1 all n

	all=$(cat)
	n=$(printf '%s\n' "$all" | grep -c .)
	printf '%s\n' "$all" | head -n "$max" | paste -sd, | sed 's/,/, /g' | tr -d '\n'
	[ "$n" -le "$max" ] || printf ' and %s more' "$((n - max))"
}

# PROJECT_OUTPUTS: files the project's own steps write into a tree it
# made, so its to remove: the KVM selftests' build generates the sysreg
# headers under tools/ in the source tree (OUTPUT= moves only the
# objects), and checkpatch, run from the tree, keeps a cache at its top.
PROJECT_OUTPUTS='^(tools/arch/arm64/include/generated/|\.checkpatch-camelcase\.)'

# OWN_FILES: in a tree's git directory, the files git does not track that
# the project itself put in the tree (qemu-tree.sh's stand-ins), one a
# line, as finish_tree found them.
OWN_FILES=knb-own-files

# tree_at_risk MODE: what DEST holds that the project cannot prove it
# made, as a phrase, with what to do to keep it (after ' -- '); empty
# when nothing. MODE "all": everything removing DEST would lose (other
# branches, the stash, tags and refs the clone did not bring, linked
# worktrees, ignored files); "inplace": what making the tree again in
# place would lose (commits on BRANCH, uncommitted changes, files git
# neither tracks nor ignores). Both: a git operation in progress, and
# commits not exported. A tree the project began and did not finish,
# untouched since (half_made), has no commits of the user's; when its
# checkout was cut short, its files are the checkout's own.
tree_at_risk()
{
	local mode=$1 what="" keep="" op head known refs files own n origin g ignored

	[ -d "$DEST/.git" ] || return 0
	g=$(git -C "$DEST" rev-parse --absolute-git-dir)
	if ! half_made; then
		op=$(git_op_in_progress)
		if [ -n "$op" ]; then
			what="$what, $op in progress"
			keep="$keep; finish or abort it there"
		fi
		if [ -n "$(git -C "$DEST" status --porcelain --untracked-files=no)" ]; then
			what="$what, uncommitted changes ($(git -C "$DEST" status --porcelain --untracked-files=no | cut -c4- | listing 3))"
			keep="$keep; commit them and run '$EXPORT_HINT'"
		fi
		known=$(git -C "$DEST" config --get knb.exported || true)
		head=$(git -C "$DEST" rev-parse -q --verify "refs/heads/$BRANCH" || true)
		if [ -z "$head" ]; then
			what="$what, no branch $BRANCH (renamed or deleted: the series' commits may be elsewhere)"
			keep="$keep; put the series back on branch $BRANCH and run '$EXPORT_HINT'"
		elif [ "$head" != "$known" ]; then
			# shellcheck disable=SC2046 # no word, or one
			n=$(git -C "$DEST" rev-list --count "$head" $([ -z "$known" ] || echo "^$known") ^base)
			if [ "$n" -gt 0 ]; then
				what="$what, $(count "$n" commit) not exported to $SERIES_NAME (the last: $(git -C "$DEST" log -1 --format='%h "%s"' "$head"))"
				keep="$keep; run '$EXPORT_HINT'"
			fi
		fi
		if ! git -C "$DEST" symbolic-ref -q HEAD >/dev/null &&
		   [ -n "$(git -C "$DEST" rev-list -n 1 HEAD --not --branches --tags --remotes 2>/dev/null)" ]; then
			what="$what, commits on a detached HEAD ($(git -C "$DEST" log -1 --format='%h "%s"' HEAD))"
			keep="$keep; put them on a branch of $BRANCH and run '$EXPORT_HINT'"
		fi
	fi
	if [ "$mode" = all ]; then
		origin=$(git -C "$DEST" config --get remote.origin.url || true)
		# The clone's own: a local branch where its origin/ branch is,
		# a tag the origin has too.
		refs=$(git -C "$DEST" for-each-ref --format='%(refname) %(objectname)' |
			grep -vE "^(refs/heads/($BRANCH|$DESCRIBED)|refs/tags/base|refs/remotes/.*) " |
			grep -vxF -f <(
				git -C "$DEST" for-each-ref --format='%(refname) %(objectname)' refs/remotes/origin |
					sed 's|^refs/remotes/origin/|refs/heads/|'
				[ -z "$origin" ] ||
					git -C "$origin" for-each-ref --format='%(refname) %(objectname)' refs/tags 2>/dev/null
				echo
			) | sed -e 's/ .*//' -e 's|^refs/heads/|branch |' -e 's|^refs/tags/|tag |' \
				-e 's|^refs/stash$|the stash|' || true)
		if [ -n "$refs" ]; then
			what="$what, $(echo "$refs" | listing 3)"
			keep="$keep; copy branches, tags and stashes elsewhere (git -C $DEST bundle create FILE --all, or push them)"
		fi
		if [ -n "$(ls -A "$g/worktrees" 2>/dev/null)" ]; then
			what="$what, linked worktrees (git worktree list)"
			keep="$keep; remove or move those worktrees"
		fi
	fi
	# Files git does not track: those it ignores only when DEST goes.
	if ! half_made || [ -n "$(git -C "$DEST" config --get knb.stopped-at || true)" ]; then
		if [ -f "$g/$OWN_FILES" ]; then
			own=$(cat "$g/$OWN_FILES")
		else
			# A tree made before that record was kept: the files
			# qemu-tree.sh wrote are those it excluded, by name.
			own=$(sed -n 's|^/\([^*]*\)$|\1|p' "$g/info/exclude" 2>/dev/null || true)
		fi
		ignored=--ignored=no
		[ "$mode" != all ] || ignored=--ignored=matching
		files=$(git -C "$DEST" status --porcelain --untracked-files=all "$ignored" |
			sed -n 's/^[?!][?!] //p' | grep -vxF -f <(printf '%s\n' "$own") |
			grep -vE "$PROJECT_OUTPUTS" || true)
		if [ -n "$files" ]; then
			n=$(echo "$files" | wc -l)
			what="$what, $(count "$n" file) the project did not write ($(echo "$files" | listing 3))"
			keep="$keep; move them out of $DEST"
		fi
	fi
	[ -z "$what" ] || echo "${what#, } -- ${keep#; }"
}

# guard_tree MODE DOING: die, naming what would be lost and how to keep
# it, if DEST holds anything of the user's that DOING (e.g. "making it
# again") would lose (tree_at_risk MODE).
guard_tree()
{
	local risk

	risk=$(tree_at_risk "$1")
	[ -n "$risk" ] ||
		return 0
	die "$DEST holds ${risk% -- *}, which $2 would lose; to keep it, ${risk##* -- }; or remove $DEST yourself"
}

# guard_unexported: die if DEST has changes, or commits that were not
# exported since it was made.
guard_unexported()
{
	guard_tree inplace "making it again"
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
		[ -z "$(git_op_in_progress)" ] &&
		[ -z "$(git -C "$DEST" status --porcelain --untracked-files=no)" ]
}

# project_tree: DEST is a git tree this project made (it carries the
# project's knb.* records).
project_tree()
{
	git -C "$DEST" config --get-regexp '^knb\.(made-from|making|exported|base)$' >/dev/null 2>&1
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

# own_name PATH: PATH, a name beside DEST the project uses (DEST.new,
# DEST.base), is absent or the project's; die otherwise. A DEST.new is
# the project's when it is a clone marked half-made; a DEST.base when it
# is one line as make-tree.sh writes it (VERSION ORIGIN).
own_name()
{
	local p=$1

	[ -e "$p" ] || [ -L "$p" ] || return 0
	case "$p" in
	*.new)
		[ -d "$p/.git" ] && [ ! -L "$p" ] &&
			[ -n "$(git -C "$p" config --get knb.making 2>/dev/null || true)" ] && return 0
		;;
	*.base)
		[ -f "$p" ] && [ ! -L "$p" ] && [ "$(wc -l <"$p")" -eq 1 ] &&
			grep -qE '^[0-9]+\.[0-9]+(\.[0-9]+)?[^ ]* [^ ]' "$p" && return 0
		;;
	esac
	die "$p is in the way: the project uses that name beside $DEST and did not make what is there; move it away, or choose another BUILD"
}

# prepare GITDIR REV: a clean checkout of REV in DEST on BRANCH, tagged
# 'base'; a tree of another origin is replaced (after the guards). DEST is
# marked half-made (knb.making) before anything in it changes; a fresh
# clone is made beside it and moved into place once marked.
prepare()
{
	local gitdir=$1 rev=$2 new=$DEST.new exclude

	own_name "$new"
	own_name "$DEST.base"
	if [ -d "$DEST/.git" ]; then
		project_tree ||
			die "$DEST is a git tree the project did not make; move it away (or choose another BUILD), and 'make tree' makes its own"
		if [ "$(git -C "$DEST" config --get remote.origin.url)" != "$gitdir" ]; then
			guard_tree all "replacing it (its base changed to $gitdir)"
			rm -rf "$DEST"
		else
			guard_tree inplace "making it again"
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
	# checkpatch's cache is no file of the series (git add -A).
	exclude=$(git -C "$DEST" rev-parse --absolute-git-dir)/info/exclude
	mkdir -p "${exclude%/*}"
	grep -qxF '/.checkpatch-camelcase.*' "$exclude" 2>/dev/null ||
		echo '/.checkpatch-camelcase.*' >>"$exclude"
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
	local g

	g=$(git -C "$DEST" rev-parse --absolute-git-dir)
	git -C "$DEST" status --porcelain --untracked-files=all --ignored=matching |
		sed -n 's/^[?!][?!] //p' >"$g/$OWN_FILES"
	record_series "$PATCHES"
	git -C "$DEST" config knb.exported "$(git -C "$DEST" rev-parse HEAD)"
	git -C "$DEST" config knb.made-from "$1"
	git -C "$DEST" config knb.branch "$BRANCH"
	git -C "$DEST" config --unset knb.making
	git -C "$DEST" config --unset knb.stopped-at || true
}

# SERIES_RECORD: in a tree's git directory, "SHA256  PATH" for each file
# of the series directories the tree was made from or last exported to
# (their series file, cover letter and patches): export replaces or
# removes only these, and only while unchanged.
SERIES_RECORD=knb-series-files

# record_series DIR: remember DIR's series files as they are now.
record_series()
{
	local dir=$1 rec g f

	g=$(git -C "$DEST" rev-parse --absolute-git-dir)
	rec=$g/$SERIES_RECORD
	{
		[ ! -f "$rec" ] || grep -vF "  $dir/" "$rec" || true
		for f in "$dir"/series "$dir"/*.patch; do
			[ -f "$f" ] && sha256sum "$f"
		done
	} >"$rec.new"
	mv "$rec.new" "$rec"
}

# series_changes DIR: the files in DIR that export would overwrite or
# remove and that are not as the tree was made from or last exported
# them ('NAME (edited)' or 'NAME (not written by export)'), one a line.
# A tree made before this record was kept: the files its series lists
# are taken as exported.
series_changes()
{
	local dir=$1 rec g f want

	g=$(git -C "$DEST" rev-parse --absolute-git-dir)
	rec=$g/$SERIES_RECORD
	for f in "$dir"/series "$dir"/*.patch; do
		[ -f "$f" ] || continue
		if [ ! -f "$rec" ]; then
			{ [ "${f##*/}" = series ] || [ "${f##*/}" = 0000-cover-letter.patch ] ||
				series_list "$dir" | grep -qxF "${f##*/}"; } ||
				echo "${f##*/} (not written by export)"
			continue
		fi
		want=$(grep -F "  $f" "$rec" | awk -v f="$f" 'substr($0, 67) == f { print $1 }')
		if [ -z "$want" ]; then
			echo "${f##*/} (not written by export)"
		elif [ "$(sha256sum <"$f" | cut -d' ' -f1)" != "$want" ]; then
			echo "${f##*/} (edited)"
		fi
	done
}

# guard_export OUT FROM TO: die unless exporting FROM..TO of DEST into OUT
# (a series directory of the project) loses nothing: no git operation in
# progress, HEAD on BRANCH, nothing in OUT changed since the tree was
# made or exported, and a tree that 'make tree' did not finish does not
# drop the patches it never applied.
guard_export()
{
	local out=$1 from=$2 to=$3 op changes have want missing

	! half_made ||
		die "$DEST is half-made (an earlier '$TREE_HINT' stopped: a patch did not apply, or the run was interrupted); fix $SERIES_NAME and run '$TREE_HINT' again"
	op=$(git_op_in_progress)
	[ -z "$op" ] ||
		die "$DEST has $op in progress; finish or abort it there first (exporting now would write a part of the series)"
	[ "$(git -C "$DEST" symbolic-ref -q HEAD || true)" = "refs/heads/$BRANCH" ] ||
		die "$DEST is not on branch $BRANCH (HEAD: $(git -C "$DEST" rev-parse --abbrev-ref HEAD)); check out $BRANCH there, then export"
	changes=$(series_changes "$out")
	[ -z "$changes" ] ||
		die "${out#"$TOP"/} has changes export would overwrite or delete: $(echo "$changes" | paste -sd, | sed 's/,/, /g'); move them out of ${out#"$TOP"/} (or take them into the tree with '$TREE_HINT' first)"
	# A tree 'make tree' did not finish: the user committed in it after
	# a patch did not apply. It must hold every patch of the series.
	[ -n "$(git -C "$DEST" config --get knb.making || true)" ] || return 0
	[ -f "$PATCHES/series" ] || return 0
	have=$(git -C "$DEST" rev-list --count "$from..$to")
	want=$(series_patches | wc -l)
	[ "$have" -lt "$want" ] || return 0
	missing=$(series_patches | tail -n +"$((have + 1))")
	die "$DEST lacks $(count $((want - have)) patch patches) of $SERIES_NAME ($(echo "$missing" | listing 2)): '$TREE_HINT' did not get to them, and exporting now would drop them from $SERIES_NAME; apply them there (git am, or by hand), then export"
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
	[ -n "${EXPORT_DIR:-}" ] || guard_export "$out" "$from" "$to"
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
	[ -z "${EXPORT_DIR:-}" ] || return 0
	record_series "$out"
	git -C "$DEST" config knb.exported "$(git -C "$DEST" rev-parse HEAD)"
}
