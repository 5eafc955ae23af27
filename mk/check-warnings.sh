#!/bin/bash
# check-warnings.sh TARGET: build arch/arm64/kvm/ with W=1 and sparse (C=1,
# on the C files the series touches: mk/sparse-touched.sh) on the target's
# base commit and on the series, with the project's config,
# and fail when a file the series touches has a warning the base did not.
# Warnings are compared by file and text, without line numbers, so moved
# code does not count as new. The logs stay in $BUILD/out-TARGET/warn-*.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
DEST=$BUILD/linux-$TARGET
OUT=$BUILD/out-$TARGET

# warn_stamp SRC: what a W=1 C=1 build of SRC depends on: its commit and
# any change to it not committed, the config, this script, the files
# looked at and the compiler's and sparse's versions.
warn_stamp()
{
	{
		git -C "$1" rev-parse HEAD
		git -C "$1" diff HEAD
		cat "$CONFIG_FRAG" "$0" "$TOP/mk/sparse-touched.sh"
		echo "$FILES"
		aarch64-linux-gnu-gcc --version | head -n 1
		sparse --version 2>&1 | head -n 1
	} | sha256sum | cut -c1-16
}

# kvm_warnings SRC NAME: W=1 C=1 build of arch/arm64/kvm/; the warnings and
# errors it printed in the files the series touches ($FILES), one per line
# as "file: text", into $OUT/warn-NAME.txt. Done again only when
# warn_stamp changed since the last time it was done for NAME.
kvm_warnings()
{
	local src=$1 out=$OUT/warn-$2 log=$OUT/warn-$2/build.log f stamp

	stamp=$(warn_stamp "$src")
	if [ -f "$OUT/warn-$2.txt" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
		info "$2: W=1 C=1 of this very tree done before ($log)"
		return 0
	fi
	mkdir -p "$out"
	rm -f "$out/stamp"
	kernel_config "$src" "$out" >"$log" 2>&1 ||
		die "allnoconfig failed in $out; see $log"
	# Rebuild every object, so that each file is compiled and checked
	# now (ccache replays the compiler's warnings on a hit).
	[ ! -d "$out/arch/arm64/kvm" ] || find "$out/arch/arm64/kvm" -name '*.o' -delete
	# sparse only on the touched C files (mk/sparse-touched.sh), each of
	# which must then be in its list.
	rm -f "$out/sparse.list"
	SPARSE_FILES=$(echo "$FILES" | grep '\.c$' | paste -sd' ') \
	SPARSE_LOG=$out/sparse.list \
	kernel_make "$src" "$out" W=1 C=1 CHECK="$TOP/mk/sparse-touched.sh" \
		arch/arm64/kvm/ >>"$log" 2>&1 ||
		die "W=1 C=1 build of arch/arm64/kvm/ failed for $2; see $log"
	for f in $FILES; do
		[[ $f == *.c ]] || continue
		grep -qx "$f" "$out/sparse.list" 2>/dev/null ||
			die "sparse did not check $f for $2 (not built under arch/arm64/kvm/?); see $log"
	done
	sed -n 's|^[^ :]*linux-[^/ :]*/||; s#^\([^: ]*\):[0-9]*:[0-9:]* *\(warning\|error\): #\1: \2: #p' \
		"$log" | sort -u | grep -F -f <(echo "$FILES") >"$OUT/warn-$2.txt" || true
	echo "$stamp" >"$out/stamp"
}

main()
{
	local before after new line

	"$TOP/mk/need-tools.sh" build check
	"$TOP/mk/make-tree.sh" "$TARGET"
	# The kernel files (not selftests) the series changes.
	FILES=$(git -C "$DEST" diff --name-only base..HEAD -- arch include drivers virt)
	[ -n "$FILES" ] || { echo "check-warnings $TARGET: the series touches no kernel file"; return 0; }
	BASE=$(base_checkout "$TARGET")
	mkdir -p "$OUT"
	info "W=1 C=1 arch/arm64/kvm/ of the base and of the series (logs: $OUT/warn-*)"
	kvm_warnings "$BASE" base
	kvm_warnings "$DEST" patched
	before=$(wc -l <"$OUT/warn-base.txt")
	after=$(wc -l <"$OUT/warn-patched.txt")
	new=$(comm -13 "$OUT/warn-base.txt" "$OUT/warn-patched.txt")
	if [ -n "$new" ]; then
		while read -r line; do printf '  new: %s\n' "$line"; done <<<"$new"
		die "the series adds W=1/sparse warnings in files it touches (above); fix the patch"
	fi
	echo "check-warnings $TARGET: W=1 C=1 arch/arm64/kvm/: $(echo "$FILES" | wc -l) touched files, $before warnings before, $after after, none new"
}

main
