/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hardware model: per-CPU registers, who may access them, and the log
 * of one world switch. It knows nothing of the checks or of the code under
 * test: observers subscribe to its events (hw_subscribe()), and a driver
 * (main.c) wires the code under test (glue.c), the checks (check.c) and it.
 */
#ifndef __KVM_DEBUG_SR_HW_H__
#define __KVM_DEBUG_SR_HW_H__

#include "model.h"

enum ev_kind {
	EV_READ, EV_WRITE, EV_ISB, EV_DSB, EV_TSB, EV_PSB,
	EV_CAP, EV_QUERY, EV_NOTE, EV_VIOL,
};

enum phase { PH_SETUP, PH_ENTRY, PH_GUEST, PH_EXIT, PH_END };

/* Cost units: sysregs and barriers are charged to trace, SPE or other. */
enum { CU_TRACE, CU_SPE, CU_OTHER, CU_NR };
enum { C_READ, C_WRITE, C_BARRIER, C_NR };

enum inv {
	INV_ENTRY_TRBE,		/* TRBLIMITR_EL1.E = 0 at guest entry */
	INV_ENTRY_SPE,		/* PMBLIMITR_EL1.E = 0 at guest entry */
	INV_PROHIBIT,		/* TRFCR/PMSCR = 0, synchronised, at csync */
	INV_DRAIN,		/* prohibit, csync, dsb before disabling */
	INV_ISB_DISABLE,	/* isb after disabling, before guest entry */
	INV_2064142,		/* erratum: drain again after disabling */
	INV_IDENTICAL,		/* registers bit-identical after the exit */
	INV_ENABLE_FIRST,	/* re-enable + isb before TRFCR/PMSCR */
	INV_2038923,		/* erratum: second isb before TRFCR */
	INV_ABSENT,		/* no access to an absent/not-owned unit */
	INV_IDLE,		/* nothing touched when nothing is in use */
	INV_STALE,		/* sequences: an older host value restored */
	INV_CROSS,		/* sequences: another CPU's value restored */
	INV_EXIT_SYNC,		/* proposed: isb between the host's regime
				 * writes and a buffer enabled on exit */
	INV_NR,
};

/*
 * Invariants of the project's own proposal, not upstream's
 * (patches/mainline-barrier): reported as their own class, never a
 * failure of a tree, and left out of the sequences' judgement (the
 * per-state results report them).
 */
#define INV_PROPOSED	(1U << INV_EXIT_SYNC)

extern const char *const inv_names[INV_NR];

#define MAX_EVENTS	256

struct event {
	int kind, phase, unit;
	const char *name;
	unsigned long long val;
	char msg[112];
};

struct run {
	struct event ev[MAX_EVENTS];
	int nev;
	unsigned int viol;		/* bit per enum inv */
	unsigned int viol_unit[INV_NR];	/* per inv: bit per CU_* */
	int cost[CU_NR][C_NR];
	int canonical;
	char desc[160];
};

/* Registers a unit's host state lives in, as the host programs them. */
struct host_regs {
	unsigned long long trblimitr, trfcr, pmblimitr, pmscr;
};

/* What observers (the checks) are told; any pointer may be NULL. */
struct hw_observer {
	void (*begin)(int idle);	/* a world switch starts */
	void (*write)(int reg, unsigned long long old, unsigned long long val);
	void (*barrier)(int kind);	/* EV_ISB, EV_DSB, EV_TSB, EV_PSB */
	void (*phase)(int phase);	/* PH_GUEST, PH_EXIT, PH_END */
};

void hw_subscribe(const struct hw_observer *o);

/* CPU cpu's units and the host's registers, as s says (history reset). */
void hw_config(int cpu, const struct model_state *s);
/* The host programs CPU cpu's buffers (between world switches). */
void hw_host_program(int cpu, const struct host_regs *h);
void hw_select_cpu(int cpu);
int hw_cpu(void);
/* One world switch on the current CPU, logged into r. */
void hw_begin(struct run *r, int busy);
void hw_phase(int phase);
void hw_end(void);
/* Sequences: a world switch left in the guest, and its way back later. */
void hw_pause(void);
void hw_resume(struct run *r);

int hw_class(const struct model_state *s);
extern const char *const class_names[4];
extern const char *const unit_names_cu[CU_NR];

#endif
