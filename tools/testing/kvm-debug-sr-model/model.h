/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interface between the hyp code under test (built against the shims, no
 * libc) and the hardware model (plain host C). Only plain C types here.
 */
#ifndef __KVM_DEBUG_SR_MODEL_H__
#define __KVM_DEBUG_SR_MODEL_H__

enum { UNIT_ABSENT, UNIT_OWNED, UNIT_NOT_OWNED };

/* One state of the machine and of the host, before a vcpu run. */
struct model_state {
	int protected;		/* kvm-arm.mode=protected */
	int hvhe;		/* protected, hyp running with HCR_EL2.E2H */
	int trf;		/* FEAT_TRF (TRFCR_EL1) implemented */
	int trbe;		/* UNIT_* */
	int spe;		/* UNIT_* */
	unsigned long long trblimitr, trfcr, pmblimitr, pmscr;
	unsigned int caps;	/* bit n: cpucap n of model_cap_names[] */
	int variant;		/* target-specific host choices, 0: honest */
};

#define MODEL_NR_CAPS	2
#define MODEL_NR_CPUS	2	/* sequences: CPUs that may differ */
#define MODEL_NR_VCPUS	2
extern const char *const model_cap_names[MODEL_NR_CAPS];

/* Called by the shims: each records one event, in order. */
unsigned long long model_read(const char *reg);
void model_write(const char *reg, unsigned long long val);
void model_isb(void);
void model_dsb(const char *opt);
void model_tsb_csync(void);
void model_psb_csync(void);
int model_cap(const char *name, int cap);
int model_query(const char *what, int val);
void model_note(const char *what, const char *arg);

/*
 * Provided by glue.c, which is built against the target's shims: the
 * host's side of a vcpu run, as the kernel sets it up.
 */
int glue_nr_variants(const struct model_state *s);
#define GLUE_CANONICAL	1
#define GLUE_BUSY	2
/* One state: everything fresh, vcpu 0 loaded on the current CPU. */
int glue_setup(const struct model_state *s, char *desc, int len);
void glue_entry(void);
void glue_exit(void);
extern const char glue_flavour[];
extern const int glue_hvhe;		/* the tree has an hVHE hyp */
/* Sequences: per-CPU data kept per CPU, vcpus loaded, run, put. */
void glue_seq_reset(void);
void glue_select_cpu(int cpu);
void glue_cpu_init(void);
void glue_host_programmed(void);
void glue_vcpu_load(int v);
void glue_vcpu_put(int v);
void glue_vcpu_enter(int v);
void glue_vcpu_exit(int v);

/* Provided by hw.c to glue.c. */
const struct model_state *model_cur(void);
unsigned long long model_hw_peek(const char *reg);
const char *model_el1(const char *el1, const char *el12);

#endif
