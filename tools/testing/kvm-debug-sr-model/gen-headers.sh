#!/bin/bash
# gen-headers.sh TREE OUTDIR: take from the target tree's asm/kvm_host.h
# the definition of struct kvm_host_data and its single-bit vcpu flag
# names, for the model's shims, and note what the tree supports (hVHE, the
# per-CPU fields of a backport). Nothing is kept in the repo.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)

[ $# -eq 2 ] || { echo "usage: $0 TREE OUTDIR" >&2; exit 2; }
tree=$1
set -- "$tree/arch/arm64/include/asm/kvm_host.h" "$2"

# presence VAR < STRUCT: "VAR.field = trbe;" (or spe) for each top-level
# flag of STRUCT that says a unit is there: has_*, *_present, *_avail...
presence()
{
	awk -v v="$1" '
		/^\t(bool|u8|u32|int|unsigned int)[[:space:]]+[a-z0-9_]+;/ {
			name = $NF; sub(/;.*/, "", name)
			if (name !~ /(has|present|avail|usable|supported|owned)/) next
			if (name ~ /(trbe|trace|trb)/) print "\t" v "." name " = trbe;"
			else if (name ~ /(spe|pmb|prof)/) print "\t" v "." name " = spe;"
		}'
}
for f in "$1" "$tree/arch/arm64/include/asm/kvm_hyp.h"; do
	[ -f "$f" ] || { echo "$0: $f not found; pass a kernel source tree" >&2; exit 1; }
done
mkdir -p "$2"
awk '/^struct kvm_host_data \{/, /^\};/' "$1" >"$2/host_data.h.tmp"
if ! [ -s "$2/host_data.h.tmp" ]; then
	echo "$0: no struct kvm_host_data in $1; is this an arm64 KVM tree?" >&2
	exit 1
fi
mv "$2/host_data.h.tmp" "$2/host_data.h"
grep -E '^#define [A-Z0-9_]+[[:space:]]+__vcpu_single_flag\(' "$1" \
	>"$2/vcpu_flags.h" || true
# Up to 5.19 the vcpu flags are KVM_ARM64_* bits of vcpu->arch.flags.
grep -E '^#define KVM_ARM64_[A-Z0-9_]+[[:space:]]+\(1 << [0-9]+\)' "$1" \
	>>"$2/vcpu_flags.h" || true
# struct types kvm_host_data holds by value that the shims do not define:
# the code under test does not open them (if it does, the build says so).
awk '
	/^struct kvm_host_data \{/ { in_hd = 1; next }
	in_hd && /^\};/ { exit }
	in_hd && match($0, /^[[:space:]]*struct [a-z0-9_]+[[:space:]]+[a-z0-9_]+(\[[^]]*\])?;/) {
		split($0, w, /[[:space:]]+/)
		for (i = 1; w[i] != "struct"; i++) ;
		t = w[i + 1]
		if (t != "kvm_cpu_context" && t != "kvm_guest_debug_arch" && !(t in seen)) {
			seen[t] = 1
			print "struct " t " { unsigned long model_opaque[8]; };"
		}
	}
' "$1" >"$2/opaque.h"
# Members a backport adds to struct kvm_vcpu_arch itself for the buffers
# (plain scalars, under any name that says trace, TRBE, SPE or buffer).
awk '
	/^struct kvm_vcpu_arch \{/ { in_arch = 1; next }
	in_arch && /^\};/ { exit }
	in_arch && /^\t(u64|u32|u16|u8|bool|uint64_t|uint32_t|unsigned long|int)[[:space:]]+[a-z0-9_]+;/ {
		name = $NF; sub(/;.*/, "", name)
		if (name ~ /(trb|trf|trace|pmb|pms|spe|buffer)/ && name !~ /^(flags|cflags|iflags|sflags)$/)
			print
	}
' "$1" >"$2/vcpu_extra.h"
# Per-CPU "this CPU has a host-owned buffer" fields a backport may add:
# tell glue.c which exist, so that it sets them as kernel init would.
for f in has_spe has_trbe; do
	if grep -qE "^[[:space:]]*bool[[:space:]]+$f;" "$2/host_data.h"; then
		echo "#define MODEL_HOST_DATA_$(echo "$f" | tr '[:lower:]' '[:upper:]') 1"
	fi
done >"$2/features.h"
# Per-CPU records other than kvm_host_data that the code under test uses:
# DECLARE_PER_CPU(struct X, name) in the tree's KVM headers, with struct X
# as the tree defines it. glue.c defines (weakly) and resets each.
code="$tree/arch/arm64/kvm/hyp/nvhe/debug-sr.c $tree/arch/arm64/kvm/hyp/include/hyp/debug-sr.h"
hdrs=$(ls "$tree"/arch/arm64/include/asm/kvm_*.h "$tree"/arch/arm64/kvm/hyp/include/*/*.h 2>/dev/null || true)
: >"$2/percpu.h"
: >"$2/percpu_defs.h"
: >"$2/percpu_list.h"
: >"$2/presence.h"
# shellcheck disable=SC2086 # lists of paths without spaces (the tree is a link)
sed -n 's/^DECLARE_PER_CPU(struct \([a-z0-9_]*\), *\([a-z0-9_]*\));.*/\1 \2/p' $hdrs "$tree/arch/arm64/kvm/hyp/nvhe/debug-sr.c" |
	sort -u | while read -r type name; do
	[ "$name" != kvm_host_data ] || continue
	# shellcheck disable=SC2086
	grep -qw "$name" $code || continue
	# shellcheck disable=SC2086
	def=$(awk -v t="$type" '$0 ~ "^struct " t " \\{" { p = 1 } p { print } p && /^\};/ { exit }' $hdrs)
	if [ -z "$def" ]; then
		echo "$0: per-CPU $name is of struct $type, which no header under arch/arm64/include/asm or kvm/hyp/include defines" >&2
		exit 1
	fi
	printf '%s\nDECLARE_PER_CPU(struct %s, %s);\n' "$def" "$type" "$name" >>"$2/percpu.h"
	printf '__attribute__((weak)) struct %s %s;\n' "$type" "$name" >>"$2/percpu_defs.h"
	printf 'MODEL_PERCPU(%s)\n' "$name" >>"$2/percpu_list.h"
	# Presence fields ("this CPU has a TRBE/SPE the host owns"), set as
	# kernel init would: top-level flags named has_*, *_present, ...
	echo "$def" | presence "$name" >>"$2/presence.h"
done
# kvm_host_data's own presence fields other than has_spe/has_trbe.
presence kvm_host_data <"$2/host_data.h" | grep -vE '\.has_(spe|trbe) =' >>"$2/presence.h" || true

# The register field names kbuild generates (arch/arm64/include/generated/
# asm/sysreg-defs.h): the tree's own gen-sysreg.awk over its own
# arch/arm64/tools/sysreg, as its build does. Register encodings (SYS_*,
# REG_*) and names the shims define are left out: the model addresses
# registers by name. sysreg.note says where the names came from.
awkgen=$tree/arch/arm64/tools/gen-sysreg.awk
sysreg=$tree/arch/arm64/tools/sysreg
if [ -f "$awkgen" ] && [ -f "$sysreg" ]; then
	if ! awk -f "$awkgen" "$sysreg" >"$2/sysreg-defs.full" 2>"$2/sysreg-defs.err"; then
		echo "$0: the tree's arch/arm64/tools/gen-sysreg.awk failed on its arch/arm64/tools/sysreg: $(head -n 1 "$2/sysreg-defs.err")" >&2
		exit 1
	fi
	sed -n 's/^#define \([A-Za-z0-9_]*\).*/\1/p' "$HERE/shim/model-kernel.h" >"$2/shim-names"
	awk 'NR == FNR { shim[$1] = 1; next }
		/^#define / && !($2 ~ /^(SYS|REG)_/) && !($2 in shim) { print }' \
		"$2/shim-names" "$2/sysreg-defs.full" >"$2/sysreg-defs.h"
	echo "from the tree's gen-sysreg.awk over arch/arm64/tools/sysreg ($(grep -c '' "$2/sysreg-defs.h") definitions)" >"$2/sysreg.note"
	rm -f "$2/sysreg-defs.full" "$2/sysreg-defs.err" "$2/shim-names"
else
	: >"$2/sysreg-defs.h"
	echo "none: the tree has no arch/arm64/tools/gen-sysreg.awk and sysreg (trees before 6.0 have none); the shims' names only" >"$2/sysreg.note"
fi

# A hyp that can run with E2H set (pKVM's hVHE) picks _EL12 encodings.
if grep -q ARM64_KVM_HVHE "$tree/arch/arm64/include/asm/kvm_hyp.h"; then
	echo "#define MODEL_HAS_HVHE 1" >>"$2/features.h"
fi
# Older lines keep the host's debug state in the vcpu (struct kvm_vcpu_arch):
# take that anonymous struct as the tree declares it, or a stand-in.
awk '
	/^struct kvm_vcpu_arch \{/ { in_arch = 1 }
	in_arch && /^\};/ { in_arch = 0 }
	in_arch && /^\tstruct \{/ { buf = ""; grab = 1 }
	grab { buf = buf $0 "\n" }
	grab && /^\t\}/ {
		grab = 0
		if ($0 ~ /^\t\} host_debug_state;/) { printf "%s", buf; found = 1; exit }
	}
	END { if (!found) print "\tstruct { u64 unused; } host_debug_state;" }
' "$1" >"$2/vcpu_host_debug_state.h"
