#!/bin/bash
# check-model.sh: run the world-switch model (tools/testing/kvm-debug-sr-model)
# on the trees each mk/targets file names by its MODEL_ROLE: mainline, and
# the unpatched and patched trees of each backport line. Trees are made with
# make-tree.sh; the unpatched sources are the base commits of those trees.
# A target with a FOLLOWUP_SERIES (the project's proposed exit isb and its
# backports) adds its tree with that series applied (mainline+barrier,
# patched-LINE+barrier, made by followup-tree.sh), on which the proposed
# invariant must hold as it must fail without it (report.c).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# base_src TARGET: the target's base commit, unpacked under $BUILD (only the
# directories the model reads).
base_src()
{
	local t=$1 rev dir

	rev=$(git -C "$BUILD/linux-$t" rev-parse base)
	dir=$BUILD/base-$t
	if [ "$(cat "$dir/.rev" 2>/dev/null)" != "$rev" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		git -C "$BUILD/linux-$t" archive base arch/arm64 include Makefile |
			tar -x -C "$dir"
		echo "$rev" >"$dir/.rev"
	fi
	echo "$dir"
}

# The trees, from the target table: MODEL_ROLE=reference gives mainline
# (its release tree), MODEL_ROLE=backport the line's base tree
# (unpatched-LINE) and its series (patched-LINE); MODEL_TRUSTED_HOST=yes
# trusts the host there (the model's TRUSTED_HOST).
trees=""
trusted=""
for t in $(target_names); do
	# shellcheck disable=SC2153 # LINE is the target file's
	read -r role line trust followup < <(load_target "$t"
		echo "${MODEL_ROLE:-none} $LINE ${MODEL_TRUSTED_HOST:-no} ${FOLLOWUP_SERIES:-none}")
	case "$role" in
	reference)
		"$TOP/mk/make-tree.sh" "$t"
		trees="mainline=$(base_src "$t") $trees"
		[ "$followup" = none ] ||
			trees="$trees mainline+barrier=$("$TOP/mk/followup-tree.sh" "$t" \
				"$(base_src "$t")" "$BUILD/model-followup/mainline+barrier")"
		;;
	backport)
		"$TOP/mk/make-tree.sh" "$t"
		trees="$trees unpatched-$line=$(base_src "$t") patched-$line=$BUILD/linux-$t"
		[ "$trust" != yes ] || trusted="$trusted patched-$line"
		[ "$followup" != none ] || continue
		trees="$trees patched-$line+barrier=$("$TOP/mk/followup-tree.sh" "$t" \
			"$BUILD/linux-$t" "$BUILD/model-followup/patched-$line+barrier")"
		[ "$trust" != yes ] || trusted="$trusted patched-$line+barrier"
		;;
	none) ;;
	*) die "mk/targets/$t: MODEL_ROLE=$role; use reference, backport or none" ;;
	esac
done
case " $trees" in
*" mainline="*) ;;
*) die "no target has MODEL_ROLE=reference in mk/targets/; the model needs one" ;;
esac
out=$BUILD/model/check.out
mkdir -p "$BUILD/model"
rc=0
make -s -C "$TOP/tools/testing/kvm-debug-sr-model" check O="$BUILD/model" \
	EXTRA="$trees" TRUSTED_HOST="${trusted# }" >"$out" 2>&1 || rc=$?
cat "$out"
# The verdict last, for make check's one-line summary.
verdict=$(grep "^model:" "$out" | tail -n 1) || true
echo "check-model: ${verdict:-model: no verdict} (exit $rc); full report above"
exit "$rc"
