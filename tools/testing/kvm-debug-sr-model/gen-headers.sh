#!/bin/bash
# gen-headers.sh TREE OUTDIR: take from the target tree's asm/kvm_host.h
# the definition of struct kvm_host_data and its single-bit vcpu flag
# names, for the model's shims, and note what the tree supports (hVHE, the
# per-CPU fields of a backport). Nothing is kept in the repo.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 TREE OUTDIR" >&2; exit 2; }
tree=$1
set -- "$tree/arch/arm64/include/asm/kvm_host.h" "$2"
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
# Per-CPU "this CPU has a host-owned buffer" fields a backport may add:
# tell glue.c which exist, so that it sets them as kernel init would.
for f in has_spe has_trbe; do
	if grep -qE "^[[:space:]]*bool[[:space:]]+$f;" "$2/host_data.h"; then
		echo "#define MODEL_HOST_DATA_$(echo "$f" | tr '[:lower:]' '[:upper:]') 1"
	fi
done >"$2/features.h"
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
