// SPDX-License-Identifier: GPL-2.0
/*
 * trbe_on: a test module for the kvm-nvhe-buffers boot test. It leaves the
 * host with an enabled Trace Buffer Unit (FEAT_TRBE) on every CPU whose
 * unit EL1 may program, so that the KVM selftests enter their guests while
 * the host owns a live trace buffer. No trace source is started: the
 * buffer is armed but nothing is written to it.
 *
 * It is for test machines only. A CPU whose buffer is already enabled (by
 * the coresight TRBE driver, say) is left alone. CPUs that come online
 * later get a buffer too, and CPUs going offline give theirs back.
 *
 * The registers are named by their encodings so that one source builds
 * against 6.1, 6.12 and 7.x, whose asm/sysreg.h spell them differently.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sizes.h>
#include <asm/barrier.h>
#include <asm/sysreg.h>
#ifdef TRBE_ON_KVM_HOOKS
#include <linux/kvm_host.h>
#endif

#define TON_ID_AA64DFR0_EL1	sys_reg(3, 0, 0, 5, 0)
#define TON_TRFCR_EL1		sys_reg(3, 0, 1, 2, 1)
#define TON_TRBLIMITR_EL1	sys_reg(3, 0, 9, 11, 0)
#define TON_TRBPTR_EL1		sys_reg(3, 0, 9, 11, 1)
#define TON_TRBBASER_EL1	sys_reg(3, 0, 9, 11, 2)
#define TON_TRBSR_EL1		sys_reg(3, 0, 9, 11, 3)
#define TON_TRBIDR_EL1		sys_reg(3, 0, 9, 11, 7)

#define TON_DFR0_TRACEBUFFER	GENMASK_ULL(47, 44)
#define TON_TRBIDR_P		BIT(4)	/* the unit belongs to a higher EL */
#define TON_LIMITR_LIMIT	GENMASK_ULL(63, 12)
#define TON_LIMITR_TM_STOP	(0UL << 3)	/* trigger: stop collection */
#define TON_LIMITR_FM_FILL	(0UL << 1)	/* full: stop, raise the IRQ */
#define TON_LIMITR_E		BIT(0)
#define TON_TRFCR_E0TRE		BIT(0)
#define TON_TRFCR_E1TRE		BIT(1)

#define TON_BUF_SIZE		SZ_64K
#define TON_BUF_ORDER		get_order(TON_BUF_SIZE)

/* Each CPU's buffer while it is armed, NULL otherwise. */
static DEFINE_PER_CPU(struct page *, ton_buf);
static atomic_t ton_nr_armed;
static enum cpuhp_state ton_hp_state;

#ifdef TRBE_ON_KVM_HOOKS
/*
 * From 7.x on, the nVHE hyp drains and disables the host's buffer only
 * when the host said it enabled one, as the coresight TRBE driver does
 * through these calls. Say it too, or KVM rightly leaves it alone.
 */
static void ton_tell_kvm(bool armed)
{
	if (armed)
		kvm_enable_trbe();
	else
		kvm_disable_trbe();
}
#else
static void ton_tell_kvm(bool armed)
{
}
#endif

/* Why this CPU's buffer is not ours to arm, or NULL when it is. */
static const char *ton_unusable(void)
{
	u64 dfr0 = read_sysreg_s(TON_ID_AA64DFR0_EL1);

	if (!FIELD_GET(TON_DFR0_TRACEBUFFER, dfr0))
		return "no TRBE";
	if (read_sysreg_s(TON_TRBIDR_EL1) & TON_TRBIDR_P)
		return "TRBE owned by a higher exception level";
	if (read_sysreg_s(TON_TRBLIMITR_EL1) & TON_LIMITR_E)
		return "TRBE already enabled by someone else";
	return NULL;
}

/* Arm this CPU's unit with the buffer at @base; returns TRBLIMITR_EL1. */
static u64 ton_arm_local(u64 base)
{
	u64 limitr = ((base + TON_BUF_SIZE) & TON_LIMITR_LIMIT) |
		     TON_LIMITR_TM_STOP | TON_LIMITR_FM_FILL | TON_LIMITR_E;

	write_sysreg_s(0, TON_TRBSR_EL1);
	write_sysreg_s(base, TON_TRBBASER_EL1);
	write_sysreg_s(base, TON_TRBPTR_EL1);
	/* The pointers must be in place before the unit is enabled */
	isb();
	write_sysreg_s(limitr, TON_TRBLIMITR_EL1);
	ton_tell_kvm(true);
	isb();
	write_sysreg_s(TON_TRFCR_E0TRE | TON_TRFCR_E1TRE, TON_TRFCR_EL1);
	isb();
	return limitr;
}

/*
 * Prohibit trace, drain what the unit holds, then disable it: the order
 * KVM's fixed world switch uses. The second drain is for CPUs that need
 * one after the disable (Cortex-A510 erratum 2064142); it costs nothing
 * elsewhere.
 */
static void ton_disarm_local(void)
{
	write_sysreg_s(0, TON_TRFCR_EL1);
	isb();
	tsb_csync();
	dsb(nsh);
	write_sysreg_s(0, TON_TRBLIMITR_EL1);
	ton_tell_kvm(false);
	tsb_csync();
	dsb(nsh);
	isb();
}

/* CPU hotplug startup: runs on @cpu, for each online CPU at load too. */
static int ton_cpu_online(unsigned int cpu)
{
	const char *why = ton_unusable();
	struct page *buf;
	u64 limitr;

	if (why) {
		pr_info("cpu %u: %s, left alone\n", cpu, why);
		return 0;
	}
	buf = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO,
			       TON_BUF_ORDER);
	if (!buf)
		return -ENOMEM;
	preempt_disable();
	limitr = ton_arm_local((u64)page_address(buf));
	preempt_enable();
	per_cpu(ton_buf, cpu) = buf;
	atomic_inc(&ton_nr_armed);
	pr_info("cpu %u: TRBLIMITR_EL1=0x%llx enabled\n", cpu, limitr);
	return 0;
}

/* CPU hotplug teardown: runs on @cpu, for each online CPU at unload too. */
static int ton_cpu_offline(unsigned int cpu)
{
	struct page *buf = per_cpu(ton_buf, cpu);
	u64 ptr, sr;

	if (!buf)
		return 0;
	preempt_disable();
	ton_disarm_local();
	ptr = read_sysreg_s(TON_TRBPTR_EL1);
	sr = read_sysreg_s(TON_TRBSR_EL1);
	preempt_enable();
	pr_info("cpu %u: disabled, TRBPTR_EL1=0x%llx (base+0x%llx) TRBSR_EL1=0x%llx\n",
		cpu, ptr, ptr - (u64)page_address(buf), sr);
	per_cpu(ton_buf, cpu) = NULL;
	atomic_dec(&ton_nr_armed);
	__free_pages(buf, TON_BUF_ORDER);
	return 0;
}

static int __init ton_init(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "trbe_on:online",
				ton_cpu_online, ton_cpu_offline);
	if (ret < 0)
		return ret;
	ton_hp_state = ret;
	if (!atomic_read(&ton_nr_armed)) {
		cpuhp_remove_state(ton_hp_state);
		pr_err("no CPU has a TRBE that EL1 can program, nothing enabled\n");
		return -ENODEV;
	}
	pr_info("trace buffer enabled on %d of %u online CPUs\n",
		atomic_read(&ton_nr_armed), num_online_cpus());
	return 0;
}
module_init(ton_init);

static void __exit ton_exit(void)
{
	cpuhp_remove_state(ton_hp_state);
	pr_info("trace buffers disabled and freed\n");
}
module_exit(ton_exit);

MODULE_DESCRIPTION("Test: leave the host's TRBE trace buffer enabled on each CPU");
MODULE_LICENSE("GPL");
