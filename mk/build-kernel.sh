#!/bin/bash
# build-kernel.sh SRC OUT: cross-build an arm64 Image of the tree SRC in OUT,
# configured as allnoconfig plus arch/arm64/configs/kvm_nvhe_buffers.config,
# with the Module.symvers that out-of-tree modules are built against
# (mk/build-trbe-module.sh; the config has no modules of its own).
# Uses ccache when it is installed. The log is OUT/build.log.
# A build of a clean git tree leaves a stamp in OUT (the tree's commit,
# the config fragment, the build scripts, the compiler, the Image and
# Module.symvers it made); the next call with the same stamp builds
# nothing: a no-op make of the kernel (allnoconfig, the fragment's check,
# make's walk of the tree) takes 15-25 s, and make check asks for each
# kernel several times. A tree with any change or new file, a tree that
# is not git, and an OUT whose Image or Module.symvers changed, build.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SRC=${1:?usage: build-kernel.sh SRC OUT}
OUT=${2:?usage: build-kernel.sh SRC OUT}
[ -f "$SRC/Makefile" ] || die "$SRC is not a kernel tree; run 'make tree' first"

"$TOP/mk/need-tools.sh" build
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
LOG=$OUT/build.log
# check_config: every symbol of the fragment that the tree knows must have
# the value the fragment asks for.
check_config()
{
	local sym val want bad=""

	while IFS='=' read -r sym want; do
		grep -rqs --include='Kconfig*' -E "^(menu)?config ${sym#CONFIG_}\$" \
			"$SRC/arch/arm64" "$SRC/drivers" "$SRC/init" "$SRC/kernel" \
			"$SRC/arch/Kconfig" "$SRC/virt" "$SRC/lib" "$SRC/mm" "$SRC/fs" ||
			{ info "$sym: not in this tree, ignored"; continue; }
		val=$(sed -n "s/^$sym=//p" "$OUT/.config")
		[ "$want" = n ] && want=""
		[ "$val" = "$want" ] || bad="$bad $sym=${val:-n}"
	done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$CONFIG_FRAG")
	[ -z "$bad" ] || die "config did not take the fragment:$bad (missing dependency?)"
}

# The results the stamp names: a change to one of them builds again.
RESULTS=("$OUT/arch/arm64/boot/Image" "$OUT/Module.symvers" "$OUT/.config")
want=$(tree_stamp "$SRC" "$CONFIG_FRAG" "$0" "$TOP/mk/lib.sh")
if stamp_matches "$OUT/.knb-stamp" "$want" "${RESULTS[@]}"; then
	info "$OUT/arch/arm64/boot/Image: built from this tree and config already"
	exit 0
fi
rm -f "$OUT/.knb-stamp"
info "configuring $(tree_version "$SRC") in $OUT"
kernel_config "$SRC" "$OUT" >"$LOG" 2>&1 ||
	die "allnoconfig failed; see $LOG"
check_config
info "building Image (log: $LOG)"
if ! kernel_make "$SRC" "$OUT" Image modules >>"$LOG" 2>&1; then
	grep -E 'error|Error' "$LOG" | head -n 20 >&2 || true
	die "kernel build failed; see $LOG"
fi
stamp_write "$OUT/.knb-stamp" "$want" "${RESULTS[@]}"
info "$OUT/arch/arm64/boot/Image"
