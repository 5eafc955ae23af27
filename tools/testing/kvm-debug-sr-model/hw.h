/* SPDX-License-Identifier: GPL-2.0-only */
/* The hardware model's run of one world switch, and what it recorded. */
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
	INV_NR,
};

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

void hw_run(const struct model_state *s, struct run *r);
int hw_class(const struct model_state *s);
extern const char *const class_names[4];
extern const char *const unit_names_cu[CU_NR];

#endif
