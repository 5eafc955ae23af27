#!/bin/bash
# gen-headers.sh KVM_HOST_H OUTDIR: take from the target tree's
# asm/kvm_host.h the definition of struct kvm_host_data and its single-bit
# vcpu flag names, for the model's shims. Nothing is kept in the repo.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 KVM_HOST_H OUTDIR" >&2; exit 2; }
[ -f "$1" ] || { echo "$0: $1 not found; pass a kernel source tree" >&2; exit 1; }
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
