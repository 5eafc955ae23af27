#!/bin/bash
# audit.sh [TREE]: is this arm64 kernel tree (LINUX=, or TREE; git or not,
# never modified) affected by the nVHE TRBE/SPE world-switch bug, and if it
# carries a backport of the fix, is the backport right? Works out the
# tree's line, picks the references (mainline; for 6.12.y and 6.1.y also
# the pristine base and the project's patched tree), runs the world-switch
# model over every state and prints the verdict
# (tools/testing/kvm-debug-sr-model/audit.py).
# Exit: 0 fixed, 1 bad input or the tree cannot be modelled, 2 affected,
# 3 fixed but wrong.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

MODEL=$TOP/tools/testing/kvm-debug-sr-model
# gcc's messages in ASCII, for audit.py diagnose.
export LC_ALL=C
SRC=arch/arm64/kvm/hyp/nvhe/debug-sr.c
tree=${1:-${LINUX:-}}
# The caller's LINUX names the audited tree, never a reference.
unset LINUX LINUX_TARGET

[ -n "$tree" ] || die "LINUX is not set; run make audit LINUX=/path/to/an/arm64/kernel/tree"
[ -e "$tree" ] || die "LINUX=$tree does not exist; pass the path of a kernel source tree"
[ -d "$tree" ] || die "LINUX=$tree is not a directory; pass the top directory of a kernel source tree"
{ [ -r "$tree" ] && [ -x "$tree" ]; } ||
	die "LINUX=$tree is not readable by $(id -un); fix its permissions or run as a user who can read it"
tree=$(cd "$tree" && pwd -P)
grep -qs '^VERSION *=' "$tree/Makefile" ||
	die "LINUX=$tree is not a Linux source tree (no top-level Makefile with VERSION =); pass the tree's top directory"
[ -d "$tree/arch/arm64" ] ||
	die "LINUX=$tree has no arch/arm64: not an arm64-capable tree; pass a tree that builds arm64 kernels"
# The version as make reads it: a Makefile stored with CRLF line ends
# (as some Android device trees are) reads the same.
version=$(tree_version "$tree")
case "$version" in
[0-9]*.[0-9]*.*) ;;
*) die "LINUX=$tree: its Makefile's VERSION/PATCHLEVEL do not read as numbers ('$version'); pass the tree's own top Makefile" ;;
esac
if [ ! -e "$tree/$SRC" ]; then
	if [ -e "$tree/arch/arm64/kvm/hyp/debug-sr.c" ]; then
		die "LINUX=$tree (Linux $version) predates the split nVHE hyp (no $SRC, only hyp/debug-sr.c, before 5.9); the audit covers 5.10 and later"
	fi
	die "LINUX=$tree (Linux $version) has no $SRC: no KVM nVHE hyp here; pass a tree with arm64 KVM"
fi
for f in "$SRC" arch/arm64/include/asm/kvm_host.h arch/arm64/include/asm/kvm_hyp.h; do
	[ -f "$tree/$f" ] || die "LINUX=$tree has no $f; the audit needs the tree's KVM headers"
	[ -r "$tree/$f" ] || die "LINUX=$tree: $f is not readable by $(id -un); fix its permissions"
done
# need FILE WHAT: a file the audit reads; without it one line says what it
# would have checked, instead of a check quietly left out.
need()
{
	[ -f "$tree/$1" ] ||
		die "LINUX=$tree has no $1, which the audit reads to $2; add it (a sparse copy needs it too) and run again"
	[ -r "$tree/$1" ] || die "LINUX=$tree: $1 is not readable by $(id -un); fix its permissions"
}
need arch/arm64/include/asm/virt.h "tell whether the tree has protected mode (kvm-arm.mode=protected): without it the protected and hVHE modes would not be judged"
if grep -qs is_protected_kvm_enabled "$tree/arch/arm64/include/asm/virt.h"; then
	need arch/arm64/kvm/hyp/nvhe/hyp-main.c "tell whether protected mode runs a hyp copy of the vcpu, which decides whether a host writing vcpu flags against the hardware counts"
fi
# The hyp headers nvhe/debug-sr.c includes that the model takes from the
# tree (those the shims stand in for need no copy).
for inc in $(tr -d '\r' <"$tree/$SRC" | sed -n 's/^#include <\(\(hyp\|nvhe\)\/[a-z0-9_-]*\.h\)>.*/\1/p'); do
	[ -f "$MODEL/shim/$inc" ] && continue
	need "arch/arm64/kvm/hyp/include/$inc" "compile $SRC (it includes <$inc>) into the model"
done

# The line: from the Makefile's version (the tree's structures are read by
# gen-headers.sh and shown by the verdict).
major=${version%%.*}
minor=${version#*.}
minor=${minor%%[!0-9]*}
case "$major.$minor" in
6.12) line=6.12.y ;;
6.1) line=6.1.y ;;
*)
	if [ "$major" -gt 7 ] || { [ "$major" -eq 7 ] && [ "$minor" -ge 1 ]; }; then
		line=mainline
	else
		line=none
	fi
	;;
esac

# KNB_AUDIT_OUT (for test-audit.sh, which runs audits side by side): a
# work directory of this audit's own instead of $BUILD/audit; the
# references' results stay in $BUILD/audit/refs, shared.
OUT=${KNB_AUDIT_OUT:-$BUILD/audit}
REFS=$BUILD/audit/refs
mkdir -p "$OUT"
LOG=$OUT/refs.log
: >"$LOG"
# The audited tree's results are made afresh (make would take an older
# tree's objects for current); the model's own objects, which depend only
# on its sources, stay in $OUT/tree for the next audit. A path with spaces
# would not pass through make, so the model sees the tree through a link.
rm -rf "$OUT/tree/tree" "$OUT/tree/build.log"
mkdir -p "$OUT/tree"
ln -sfn "$tree" "$OUT/tree/src"

# ref NAME DIR: the model's results for a reference tree, cached per path.
ref_results()
{
	local name=$1 dir=$2 key o

	key=$(printf '%s' "$dir" | cksum | cut -d' ' -f1)
	o=$REFS/$name-$key
	mkdir -p "$o"
	ln -sfn "$dir" "$o/src"
	if nice make -s -C "$MODEL" O="$o" EXTRA="$name=$o/src" results-extra >>"$LOG" 2>&1; then
		echo "$o/$name/results"
	else
		echo "  reference $name ($dir) did not build; see $LOG" >&2
		return 1
	fi
}

# references: the info lines naming the references' results (mainline;
# for 6.12.y and 6.1.y also the pristine base and the project's patched
# tree), made or taken from $REFS.
references()
{
	local ml r base patched

	if ml=$(nice "$TOP/mk/fetch-tree.sh" mainline 2>>"$LOG") &&
	   r=$(ref_results mainline "$ml"); then
		echo "ref_mainline=$r"
		echo "ref_mainline_version=$(tree_version "$ml")"
	else
		echo "ref_mainline_skip=the mainline tree could not be fetched or modelled ($LOG)"
	fi
	case "$line" in
	6.12.y | 6.1.y)
		if base=$(nice "$TOP/mk/fetch-tree.sh" "$line" 2>>"$LOG") &&
		   r=$(ref_results "unpatched-$line" "$base"); then
			echo "ref_unpatched=$r"
			echo "ref_unpatched_version=$(tree_version "$base")"
		else
			echo "ref_unpatched_skip=the pristine $line tree could not be fetched or modelled ($LOG)"
		fi
		# build/linux-LINE is only read, when it is the series as is;
		# else the tree is made under build/audit.
		patched=$BUILD/linux-$line
		"$TOP/mk/make-tree.sh" --current "$line" 2>>"$LOG" ||
			patched=$OUT/trees/linux-$line
		if { [ "$patched" = "$BUILD/linux-$line" ] ||
		     BUILD=$OUT/trees nice "$TOP/mk/make-tree.sh" "$line" >>"$LOG" 2>&1; } &&
		   r=$(ref_results "patched-$line" "$patched"); then
			echo "ref_patched=$r"
		else
			echo "ref_patched_skip=the project's patched $line tree could not be made (make tree TARGET=$line; $LOG)"
		fi
		;;
	esac
}

{
	echo "tree=$tree"
	echo "version=$version"
	echo "line=$line"
	# Read-only git: no index refresh (GIT_OPTIONAL_LOCKS=0), no --dirty.
	if [ -d "$tree/.git" ] || [ -f "$tree/.git" ]; then
		desc=$(GIT_OPTIONAL_LOCKS=0 git -C "$tree" describe --always --tags 2>/dev/null || echo unknown)
		if [ -n "$(GIT_OPTIONAL_LOCKS=0 git -C "$tree" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
			desc="$desc, with local changes"
		fi
		echo "git=$desc"
	fi
	# Protected mode exists (kvm-arm.mode=protected) from 5.12 on.
	if grep -qs is_protected_kvm_enabled "$tree/arch/arm64/include/asm/virt.h"; then
		echo "protected=yes"
	else
		echo "protected=no"
	fi
	# Does the hyp keep its own copy of the vcpu in protected mode (then
	# flags the host writes there are untrusted input), or run the host's?
	if grep -qsE 'hyp_vcpu|shadow_vcpu|shadow_state' "$tree/arch/arm64/kvm/hyp/nvhe/hyp-main.c"; then
		echo "hyp_vcpu=yes"
	else
		echo "hyp_vcpu=no"
	fi
	# The project's judgement of its lines' protected mode: where the
	# target table trusts the host (MODEL_TRUSTED_HOST, as make
	# check-model does), a host lying about the vcpu flags is shown, not
	# counted.
	case "$line" in
	6.12.y | 6.1.y)
		if [ "$(load_target "$line" && echo "${MODEL_TRUSTED_HOST:-no}")" = yes ]; then
			echo "trusted_host=mk/targets/$line"
		fi
		;;
	esac
	# Can the host have the buffer enabled at all? (no driver: never)
	if [ -d "$tree/drivers" ]; then
		[ -f "$tree/drivers/hwtracing/coresight/coresight-trbe.c" ] &&
			echo "trbe_driver=yes" || echo "trbe_driver=no"
		[ -f "$tree/drivers/perf/arm_spe_pmu.c" ] &&
			echo "spe_driver=yes" || echo "spe_driver=no"
	fi
	# KNB_AUDIT_REFS (for test-audit.sh, which audits many copies of the
	# same lines): a directory where the first audit of a line leaves its
	# references' lines and the next ones read them, instead of checking
	# the reference trees again each time; they must not change meanwhile.
	if [ -z "${KNB_AUDIT_REFS:-}" ]; then
		references
	else
		if [ ! -f "$KNB_AUDIT_REFS/$line" ]; then
			mkdir -p "$KNB_AUDIT_REFS"
			references >"$KNB_AUDIT_REFS/$line.$$"
			mv "$KNB_AUDIT_REFS/$line.$$" "$KNB_AUDIT_REFS/$line"
		fi
		cat "$KNB_AUDIT_REFS/$line"
	fi
} >"$OUT/info"

if ! nice make -s -C "$MODEL" O="$OUT/tree" EXTRA="tree=$OUT/tree/src" \
	results-extra >"$OUT/tree/build.log" 2>&1; then
	exec /usr/bin/python3 "$MODEL/audit.py" diagnose --info "$OUT/info" \
		--log "$OUT/tree/build.log" --gen "$OUT/tree/tree/gen"
fi
echo "sysreg_defs=$(cat "$OUT/tree/tree/gen/sysreg.note")" >>"$OUT/info"
exec /usr/bin/python3 "$MODEL/audit.py" verdict --info "$OUT/info" \
	--results "$OUT/tree/tree/results" --sequences "$OUT/tree/tree/sequences" \
	--model "$OUT/tree/tree/model"
