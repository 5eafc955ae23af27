/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-ins for the few kernel definitions that the nVHE hyp's debug-sr.c
 * (and hyp/debug-sr.h) of each target use, written for the model. Every
 * system register access, barrier, capability test and per-CPU or vcpu
 * flag lookup goes to the model, which records it as an event.
 *
 * The target's struct kvm_host_data and its single-bit vcpu flags are read
 * from the tree at build time (gen/host_data.h, gen/vcpu_flags.h), so that
 * fields a patch adds are seen without touching these shims.
 */
#ifndef __MODEL_KERNEL_H__
#define __MODEL_KERNEL_H__

#include "../model.h"

typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef long long s64;
typedef int s32;
typedef u64 uint64_t, __u64, phys_addr_t;
typedef u32 uint32_t, __u32;
typedef u16 uint16_t, __u16;
typedef u8 uint8_t, __u8;
typedef s64 int64_t;
typedef s32 int32_t;
typedef unsigned long size_t, uintptr_t;
typedef _Bool bool;
#define true	1
#define false	0
#define NULL	((void *)0)

#define BIT(n)			(1UL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define BITS_TO_LONGS(n)	(((n) + 63) / 64)
#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]
#define fallthrough		__attribute__((__fallthrough__))
#define WARN_ON_ONCE(c)		model_query("WARN_ON_ONCE", !!(c))
#define WARN_ON(c)		model_query("WARN_ON", !!(c))
#define __always_inline		inline
#define likely(x)		(x)
#define unlikely(x)		(x)
#define READ_ONCE(x)		(x)
#define WRITE_ONCE(x, v)	((x) = (v))
#define __ctz64(m)		__builtin_ctzll(m)
#define FIELD_GET(mask, v)	(((v) & (mask)) >> __ctz64(mask))
#define FIELD_PREP(mask, v)	(((u64)(v) << __ctz64(mask)) & (mask))

static inline bool test_bit(int nr, const unsigned long *addr)
{
	return (*addr >> nr) & 1;
}

/* Opaque types that only appear behind pointers in struct kvm_host_data. */
struct cpu_sve_state;
struct arm64_sve_state;
struct vgic_irq;
#define VGIC_V5_NR_PRIVATE_IRQS	128

/* ---- system registers ---- */
#define read_sysreg(r)		model_read(#r)
#define write_sysreg(v, r)	model_write(#r, (v))
#define read_sysreg_s(r)	model_read(r)
#define write_sysreg_s(v, r)	model_write(r, (v))
#define sysreg_clear_set_s(r, clr, set) do {				\
	u64 __v = read_sysreg_s(r);					\
	u64 __n = (__v & ~(u64)(clr)) | (set);				\
	if (__n != __v)							\
		write_sysreg_s(__n, r);					\
} while (0)
/* The _EL1 encodings, or _EL12 when the hyp runs with E2H (hVHE). */
#define read_sysreg_el1(r)	read_sysreg_s(model_el1(r##_EL1, r##_EL12))
#define write_sysreg_el1(v, r)	\
	write_sysreg_s((v), model_el1(r##_EL1, r##_EL12))

#define SYS_TRBLIMITR_EL1	"TRBLIMITR_EL1"
#define SYS_TRBIDR_EL1		"TRBIDR_EL1"
#define SYS_TRFCR_EL1		"TRFCR_EL1"
#define SYS_PMBLIMITR_EL1	"PMBLIMITR_EL1"
#define SYS_PMBIDR_EL1		"PMBIDR_EL1"
#define SYS_PMSCR_EL1		"PMSCR_EL1"
#define SYS_BRBCR_EL1		"BRBCR_EL1"
#define SYS_TRFCR_EL12		"TRFCR_EL12"
#define SYS_PMSCR_EL12		"PMSCR_EL12"
#define SYS_BRBCR_EL12		"BRBCR_EL12"
#define SYS_MDCR_EL2		"MDCR_EL2"
#define SYS_ID_AA64DFR0_EL1	"ID_AA64DFR0_EL1"

/*
 * ID_AA64DFR0_EL1 fields, under the names of each line (the hyp reads the
 * register itself in older trees and in protected mode).
 */
#define ID_AA64DFR0_EL1_PMSVer_SHIFT		32
#define ID_AA64DFR0_EL1_PMSVer_MASK		GENMASK(35, 32)
#define ID_AA64DFR0_EL1_TraceFilt_SHIFT		40
#define ID_AA64DFR0_EL1_TraceFilt_MASK		GENMASK(43, 40)
#define ID_AA64DFR0_EL1_TraceBuffer_SHIFT	44
#define ID_AA64DFR0_EL1_TraceBuffer_MASK	GENMASK(47, 44)
#define ID_AA64DFR0_PMSVER_SHIFT		32
#define ID_AA64DFR0_TRACE_FILT_SHIFT		40
#define ID_AA64DFR0_TRBE_SHIFT			44
#define ID_AA64DFR0_EL1_PMSVER_SHIFT		32
#define ID_AA64DFR0_EL1_TRACE_FILT_SHIFT	40
#define ID_AA64DFR0_EL1_TRBE_SHIFT		44
#define UL(x)			(x##UL)
#define ULL(x)			(x##ULL)
#define GENMASK_ULL(h, l)	GENMASK(h, l)
#define BIT_ULL(n)		(1ULL << (n))
/*
 * Every other name kbuild generates from the tree's arch/arm64/tools/sysreg
 * (gen-headers.sh runs the tree's gen-sysreg.awk; empty before 6.0).
 */
#include <gen/sysreg-defs.h>
static inline unsigned int cpuid_feature_extract_unsigned_field(u64 f, int shift)
{
	return (f >> shift) & 0xf;
}

/* Architectural field positions (Arm ARM), under each tree's names. */
#define TRBLIMITR_EL1_E			BIT(0)
#define TRBLIMITR_ENABLE		BIT(0)
#define TRBIDR_EL1_P			BIT(4)
#define TRBIDR_PROG			BIT(4)
#define TRBIDR_EL1_P_SHIFT		4
#define TRBIDR_PROG_SHIFT		4
#define TRBLIMITR_EL1_E_SHIFT		0
#define TRBLIMITR_ENABLE_SHIFT		0
#define PMBLIMITR_EL1_E_SHIFT		0
#define SYS_PMBLIMITR_EL1_E_SHIFT	0
#define PMBLIMITR_EL1_E			BIT(0)
#define PMBIDR_EL1_P_SHIFT		4
#define SYS_PMBIDR_EL1_P_SHIFT		4
#define PMBIDR_EL1_P			BIT(4)
#define BRBCR_ELx_E0BRE			BIT(0)
#define BRBCR_ELx_ExBRE			BIT(1)

/* ---- barriers ---- */
#define isb()		model_isb()
#define dsb(opt)	model_dsb(#opt)
#define tsb_csync()	model_tsb_csync()
#define psb_csync()	model_psb_csync()

/* ---- capabilities and modes ---- */
enum model_cpucap {
	ARM64_WORKAROUND_2064142,
	ARM64_WORKAROUND_2038923,
	/* Other trace errata a tree may test here: never set in the model. */
	ARM64_WORKAROUND_TSB_FLUSH_FAILURE,
	ARM64_WORKAROUND_TRBE_OVERWRITE_FILL_MODE,
	ARM64_WORKAROUND_TRBE_WRITE_OUT_OF_RANGE,
	ARM64_WORKAROUND_2067961,
	ARM64_WORKAROUND_2054223,
};
#define cpus_have_final_cap(c)	model_cap(#c, (c))
/* The same test under the names of other lines. */
#define cpus_have_const_cap(c)	cpus_have_final_cap(c)
#define cpus_have_cap(c)	cpus_have_final_cap(c)
#define this_cpu_has_cap(c)	cpus_have_final_cap(c)
#define alternative_has_cap_likely(c)	cpus_have_final_cap(c)
#define alternative_has_cap_unlikely(c)	cpus_have_final_cap(c)
#define is_protected_kvm_enabled() \
	model_query("is_protected_kvm_enabled", model_cur()->protected)
#define is_pkvm_initialized()	is_protected_kvm_enabled()
#define has_vhe()		model_query("has_vhe", 0)
#define has_hvhe()		model_query("has_hvhe", model_cur()->hvhe)

/* ---- vcpu and contexts ---- */
enum vcpu_sysreg {
	MDCCINT_EL1,
	NR_SYS_REGS,
};

struct kvm_cpu_context {
	u64 sys_regs[NR_SYS_REGS];
};

#define ctxt_sys_reg(c, r)	((c)->sys_regs[(r)])

#define KVM_ARM_MAX_DBG_REGS	16
struct kvm_guest_debug_arch {
	u64 dbg_bcr[KVM_ARM_MAX_DBG_REGS];
	u64 dbg_bvr[KVM_ARM_MAX_DBG_REGS];
	u64 dbg_wcr[KVM_ARM_MAX_DBG_REGS];
	u64 dbg_wvr[KVM_ARM_MAX_DBG_REGS];
};

/* The union of the vcpu fields the targets' debug code uses. */
struct kvm_vcpu_arch {
	unsigned long cflags, iflags, sflags;
	u64 flags;		/* up to 5.19: KVM_ARM64_* bits */
	struct kvm_cpu_context ctxt;
	struct kvm_guest_debug_arch *debug_ptr;
	struct kvm_guest_debug_arch vcpu_debug_state;
	struct kvm_guest_debug_arch external_debug_state;
	enum {
		VCPU_DEBUG_FREE,
		VCPU_DEBUG_HOST_OWNED,
		VCPU_DEBUG_GUEST_OWNED,
	} debug_owner;
	/* 6.1 keeps the host's state in the vcpu: as the tree has it. */
#include <gen/vcpu_host_debug_state.h>
	/* Members a backport adds to the vcpu for the buffers. */
#include <gen/vcpu_extra.h>
};

struct kvm_vcpu {
	struct kvm_vcpu_arch arch;
};

static inline bool kvm_debug_regs_in_use(struct kvm_vcpu *vcpu)
{
	return model_query("kvm_debug_regs_in_use",
			   vcpu->arch.debug_owner != VCPU_DEBUG_FREE);
}

/* vcpu flags: (set, flag, mask) triples, as the tree defines them. */
#define __vcpu_single_flag(_set, _f)	_set, (_f), (_f)
#define __model_vget(v, set, f, m)	(((v)->arch.set & (m)) != 0)
#define __model_vclr(v, set, f, m)	((v)->arch.set &= ~(m))
#define __model_vset(v, set, f, m)	((v)->arch.set |= (f))
#define __model_vget_(v, ...)		__model_vget(v, __VA_ARGS__)
#define __model_vclr_(v, ...)		__model_vclr(v, __VA_ARGS__)
#define __model_vset_(v, ...)		__model_vset(v, __VA_ARGS__)
#define vcpu_get_flag(v, fl)	model_query("vcpu:" #fl, __model_vget_(v, fl))
#define vcpu_test_flag(v, fl)	vcpu_get_flag(v, fl)
#define vcpu_clear_flag(v, fl)	\
	(model_note("vcpu_clear_flag", #fl), __model_vclr_(v, fl))
#define vcpu_set_flag(v, fl)	\
	(model_note("vcpu_set_flag", #fl), __model_vset_(v, fl))

#include <gen/vcpu_flags.h>

/* ---- per-CPU host data ---- */
/* Struct types kvm_host_data holds but the code under test never opens. */
#include <gen/opaque.h>
#include <gen/host_data.h>

extern struct kvm_host_data kvm_host_data;

/* Other per-CPU records the tree declares for its hyp (gen-headers.sh). */
#define DECLARE_PER_CPU(type, name)	extern type name
#define DEFINE_PER_CPU(type, name)	type name
#include <gen/percpu.h>

#define this_cpu_ptr(p)		(model_note("this_cpu_ptr", #p), (p))
#define __hyp_this_cpu_ptr(s)	(model_note("this_cpu_ptr", #s), &(s))
#define this_cpu_read(v)	(model_note("this_cpu_read", #v), (v))
#define __hyp_this_cpu_read(v)	this_cpu_read(v)
#define kern_hyp_va(v)		(model_note("kern_hyp_va", #v), (v))
#define host_data_ptr(f)	(model_note("host_data", #f), &kvm_host_data.f)
#define host_data_test_flag(fl)						\
	model_query("host_data:" #fl,					\
		    test_bit(KVM_HOST_DATA_FLAG_##fl, &kvm_host_data.flags))
#define host_data_set_flag(fl)	\
	(kvm_host_data.flags |= BIT(KVM_HOST_DATA_FLAG_##fl))
#define host_data_clear_flag(fl) \
	(kvm_host_data.flags &= ~BIT(KVM_HOST_DATA_FLAG_##fl))

/* ---- the hyp entry points (declared by asm/kvm_hyp.h in the kernel) ---- */
void __debug_save_host_buffers_nvhe(struct kvm_vcpu *vcpu);
void __debug_restore_host_buffers_nvhe(struct kvm_vcpu *vcpu);
void __debug_switch_to_guest(struct kvm_vcpu *vcpu);
void __debug_switch_to_host(struct kvm_vcpu *vcpu);

#endif
