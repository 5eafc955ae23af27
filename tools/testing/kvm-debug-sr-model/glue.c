// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's side of a vcpu run, for one target: the per-CPU and vcpu state
 * the kernel would have set up before __kvm_vcpu_run(), then the calls that
 * nvhe/switch.c makes around guest entry and exit. Built against the shims,
 * so it sees the target's own struct kvm_host_data and vcpu flag names.
 */
#include <model-kernel.h>
#include <gen/features.h>

/* The current CPU's per-CPU data is in the globals the code uses. */
struct kvm_host_data kvm_host_data;
static struct kvm_vcpu vcpus[MODEL_NR_VCPUS];

/* The tree's other per-CPU records: defined (weakly) and reset here. */
#include <gen/percpu_defs.h>

static void reset_percpu(void)
{
#define MODEL_PERCPU(name)	__builtin_memset(&name, 0, sizeof(name));
#include <gen/percpu_list.h>
#undef MODEL_PERCPU
}

/* The other CPUs' copies, swapped in by glue_select_cpu(). */
static int glue_cpu;
static struct kvm_host_data host_data_of[MODEL_NR_CPUS];
#define MODEL_PERCPU(name)	static __typeof__(name) name##_of[MODEL_NR_CPUS];
#include <gen/percpu_list.h>
#undef MODEL_PERCPU

void glue_select_cpu(int cpu)
{
	host_data_of[glue_cpu] = kvm_host_data;
	kvm_host_data = host_data_of[cpu];
#define MODEL_PERCPU(name)	name##_of[glue_cpu] = name; name = name##_of[cpu];
#include <gen/percpu_list.h>
#undef MODEL_PERCPU
	glue_cpu = cpu;
}

#define DFR0_FIELD(dfr0, shift)	(((dfr0) >> (shift)) & 0xf)
#define DFR0_PMSVER		32
#define DFR0_TRACEFILT		40
#define DFR0_TRACEBUFFER	44

/* A guest trace filter that a host trace driver could ask for. */
#define MODEL_GUEST_TRFCR	0x1ULL

#ifdef MODEL_HAS_HVHE
const int glue_hvhe = 1;
#else
const int glue_hvhe;
#endif

#ifdef KVM_HOST_DATA_FLAG_EL1_TRACING_CONFIGURED
#define HAS_GUEST_TRFCR	1
#else
#define HAS_GUEST_TRFCR	0
#endif
#ifdef DEBUG_STATE_SAVE_TRBE
#define HAS_VCPU_FLAGS	1
#else
#define HAS_VCPU_FLAGS	0
#endif
/* Up to 5.19: bits of vcpu->arch.flags. */
#if defined(KVM_ARM64_DEBUG_STATE_SAVE_SPE) || defined(KVM_ARM64_DEBUG_STATE_SAVE_TRBE)
#define HAS_OLD_FLAGS	1
#else
#define HAS_OLD_FLAGS	0
#endif

const char glue_flavour[] =
#ifdef KVM_HOST_DATA_FLAG_HAS_TRBE
	"host_data-flags "
#endif
#ifdef MODEL_HOST_DATA_HAS_TRBE
	"host_data.has_* "
#endif
#if HAS_GUEST_TRFCR
	"guest-trfcr "
#endif
#if HAS_VCPU_FLAGS
	"vcpu-iflags "
#endif
#if HAS_OLD_FLAGS
	"vcpu-arch-flags "
#endif
	"";

static char *put(char *p, char *end, const char *s)
{
	while (*s && p < end - 1)
		*p++ = *s++;
	*p = 0;
	return p;
}

/* Mainline nVHE: the guest trace filter a host trace driver set, 0 or not. */
static int nr_twig(const struct model_state *s)
{
	return HAS_GUEST_TRFCR && !s->protected && s->trf ? 2 : 1;
}

/* In protected mode the vcpu flags come from the host: any value. */
static int nr_lies(const struct model_state *s)
{
	return (HAS_VCPU_FLAGS || HAS_OLD_FLAGS) && s->protected ? 4 : 1;
}

int glue_nr_variants(const struct model_state *s)
{
	return nr_twig(s) * nr_lies(s);
}

static bool spe_usable(u64 dfr0)
{
	return DFR0_FIELD(dfr0, DFR0_PMSVER) &&
	       !(model_hw_peek("PMBIDR_EL1") & PMBIDR_EL1_P);
}

static bool trbe_usable(u64 dfr0)
{
	return DFR0_FIELD(dfr0, DFR0_TRACEBUFFER) &&
	       !(model_hw_peek("TRBIDR_EL1") & TRBIDR_EL1_P);
}

/* What the kernel writes at init, before pKVM deprivileges the host. */
static void setup_host_data_flags(const struct model_state *s, u64 dfr0,
				  int twig)
{
#ifdef MODEL_HOST_DATA_HAS_SPE
	kvm_host_data.has_spe = spe_usable(dfr0);
#endif
#ifdef MODEL_HOST_DATA_HAS_TRBE
	kvm_host_data.has_trbe = trbe_usable(dfr0);
#endif
#ifdef KVM_HOST_DATA_FLAG_HAS_TRBE
	if (spe_usable(dfr0))
		host_data_set_flag(HAS_SPE);
	if (trbe_usable(dfr0) && DFR0_FIELD(dfr0, DFR0_TRACEFILT))
		host_data_set_flag(HAS_TRBE);
#endif
#if HAS_GUEST_TRFCR
	if (s->protected) {
		if (DFR0_FIELD(dfr0, DFR0_TRACEFILT))
			host_data_set_flag(EL1_TRACING_CONFIGURED);
		return;
	}
	/* The trace drivers' calls into KVM, made while the host runs. */
	if (s->trbe == UNIT_OWNED && (s->trblimitr & TRBLIMITR_EL1_E))
		host_data_set_flag(TRBE_ENABLED);
	if (s->trf) {
		kvm_host_data.trfcr_while_in_guest = twig ? MODEL_GUEST_TRFCR : 0;
		if (s->trfcr != kvm_host_data.trfcr_while_in_guest)
			host_data_set_flag(EL1_TRACING_CONFIGURED);
	}
#endif
}

/* Other presence fields of the tree (gen-headers.sh), as init sets them. */
static void setup_presence(bool trbe, bool spe)
{
#include <gen/presence.h>
}

/* What kvm_arch_vcpu_load_debug_state_flags() computes, or a lie. */
static void setup_vcpu_flags(struct kvm_vcpu *vcpu, u64 dfr0, int lie,
			     char **p, char *end)
{
#if HAS_VCPU_FLAGS || HAS_OLD_FLAGS
	bool spe = spe_usable(dfr0) ^ !!(lie & 1);
	bool trbe = trbe_usable(dfr0) ^ !!(lie & 2);

#if HAS_VCPU_FLAGS
	if (spe)
		vcpu_set_flag(vcpu, DEBUG_STATE_SAVE_SPE);
	if (trbe)
		vcpu_set_flag(vcpu, DEBUG_STATE_SAVE_TRBE);
#endif
#ifdef KVM_ARM64_DEBUG_STATE_SAVE_SPE
	if (spe)
		vcpu->arch.flags |= KVM_ARM64_DEBUG_STATE_SAVE_SPE;
#endif
#ifdef KVM_ARM64_DEBUG_STATE_SAVE_TRBE
	if (trbe)
		vcpu->arch.flags |= KVM_ARM64_DEBUG_STATE_SAVE_TRBE;
#endif
	if (lie && p) {
		*p = put(*p, end, " host-sets:SAVE_SPE=");
		*p = put(*p, end, spe ? "1" : "0");
		*p = put(*p, end, ",SAVE_TRBE=");
		*p = put(*p, end, trbe ? "1" : "0");
	}
#endif
}

/*
 * Returns GLUE_CANONICAL for the honest variant with no extra host choice,
 * and GLUE_BUSY when the host asked for something that is not idle.
 */
int glue_setup(const struct model_state *s, char *desc, int len)
{
	u64 dfr0 = model_hw_peek("ID_AA64DFR0_EL1");
	int twig = s->variant % nr_twig(s);
	int lie = s->variant / nr_twig(s);
	char *p = desc, *end = desc + len;

	glue_seq_reset();
	*p = 0;
	setup_host_data_flags(s, dfr0, twig);
	setup_presence(trbe_usable(dfr0), spe_usable(dfr0));
	if (twig)
		p = put(p, end, " guest-trfcr=0x1");
	setup_vcpu_flags(&vcpus[0], dfr0, lie, &p, end);
	return (s->variant == 0 ? GLUE_CANONICAL : 0) | (twig ? GLUE_BUSY : 0);
}

/*
 * Trees before the buffer save/restore hooks (early 5.10) do it all in
 * __debug_switch_to_guest/host: call what the tree has.
 */
#pragma weak __debug_save_host_buffers_nvhe
#pragma weak __debug_restore_host_buffers_nvhe

void glue_vcpu_enter(int v)
{
	if (__debug_save_host_buffers_nvhe)
		__debug_save_host_buffers_nvhe(&vcpus[v]);
	__debug_switch_to_guest(&vcpus[v]);
}

void glue_vcpu_exit(int v)
{
	__debug_switch_to_host(&vcpus[v]);
	if (__debug_restore_host_buffers_nvhe)
		__debug_restore_host_buffers_nvhe(&vcpus[v]);
}

void glue_entry(void)
{
	glue_vcpu_enter(0);
}

void glue_exit(void)
{
	glue_vcpu_exit(0);
}

/* ---- sequences: several CPUs and vcpus, state kept between runs ---- */

/*
 * The hyp's own globals (debug-sr.c's .data and .bss, renamed by the
 * Makefile so that the linker brackets them): as at boot for every state
 * and sequence, so that nothing one leaves behind leaks into the next.
 */
extern char __start_model_hyp_data[] __attribute__((weak));
extern char __stop_model_hyp_data[] __attribute__((weak));
extern char __start_model_hyp_bss[] __attribute__((weak));
extern char __stop_model_hyp_bss[] __attribute__((weak));
static char hyp_data_at_boot[16384];
static int hyp_data_saved;

static void reset_hyp_globals(void)
{
	unsigned long n = __stop_model_hyp_data - __start_model_hyp_data;

	if (__start_model_hyp_data && n <= sizeof(hyp_data_at_boot)) {
		if (!hyp_data_saved)
			__builtin_memcpy(hyp_data_at_boot, __start_model_hyp_data, n);
		else
			__builtin_memcpy(__start_model_hyp_data, hyp_data_at_boot, n);
		hyp_data_saved = 1;
	}
	if (__start_model_hyp_bss)
		__builtin_memset(__start_model_hyp_bss, 0,
				 __stop_model_hyp_bss - __start_model_hyp_bss);
}

/* Every CPU's per-CPU data and every vcpu back to zero. */
void glue_seq_reset(void)
{
	int v;

	reset_hyp_globals();
	glue_cpu = 0;

	__builtin_memset(&kvm_host_data, 0, sizeof(kvm_host_data));
	__builtin_memset(host_data_of, 0, sizeof(host_data_of));
	reset_percpu();
#define MODEL_PERCPU(name)	__builtin_memset(name##_of, 0, sizeof(name##_of));
#include <gen/percpu_list.h>
#undef MODEL_PERCPU
	__builtin_memset(vcpus, 0, sizeof(vcpus));
	for (v = 0; v < MODEL_NR_VCPUS; v++)
		vcpus[v].arch.debug_ptr = &vcpus[v].arch.vcpu_debug_state;
}

/* What the kernel's init writes for the current CPU (honest host). */
void glue_cpu_init(void)
{
	u64 dfr0 = model_hw_peek("ID_AA64DFR0_EL1");

	setup_host_data_flags(model_cur(), dfr0, 0);
	setup_presence(trbe_usable(dfr0), spe_usable(dfr0));
}

/* The host's trace drivers tell KVM of a change (mainline's calls). */
void glue_host_programmed(void)
{
#if HAS_GUEST_TRFCR
	const struct model_state *s = model_cur();

	if (s->protected)
		return;
	host_data_clear_flag(TRBE_ENABLED);
	host_data_clear_flag(EL1_TRACING_CONFIGURED);
	if (s->trbe == UNIT_OWNED &&
	    (model_hw_peek("TRBLIMITR_EL1") & TRBLIMITR_EL1_E))
		host_data_set_flag(TRBE_ENABLED);
	if (s->trf && model_hw_peek("TRFCR_EL1") != kvm_host_data.trfcr_while_in_guest)
		host_data_set_flag(EL1_TRACING_CONFIGURED);
#endif
}

/* vcpu load on the current CPU: kvm_arch_vcpu_load_debug_state_flags(). */
void glue_vcpu_load(int v)
{
	setup_vcpu_flags(&vcpus[v], model_hw_peek("ID_AA64DFR0_EL1"), 0, NULL, NULL);
}

/* vcpu put: kvm_arch_vcpu_put_debug_state_flags() clears them. */
void glue_vcpu_put(int v)
{
#if HAS_VCPU_FLAGS
	vcpu_clear_flag(&vcpus[v], DEBUG_STATE_SAVE_SPE);
	vcpu_clear_flag(&vcpus[v], DEBUG_STATE_SAVE_TRBE);
#endif
#ifdef KVM_ARM64_DEBUG_STATE_SAVE_SPE
	vcpus[v].arch.flags &= ~(u64)KVM_ARM64_DEBUG_STATE_SAVE_SPE;
#endif
#ifdef KVM_ARM64_DEBUG_STATE_SAVE_TRBE
	vcpus[v].arch.flags &= ~(u64)KVM_ARM64_DEBUG_STATE_SAVE_TRBE;
#endif
}
