/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hardware model's registers and log, for its observers (check.c):
 * they read them and report violations into the log; hw.c never calls
 * them by name.
 */
#ifndef __KVM_DEBUG_SR_HW_INT_H__
#define __KVM_DEBUG_SR_HW_INT_H__

#include "hw.h"

enum reg_kind { K_CORE, K_TRF, K_TRBE, K_TRBE_ID, K_SPE, K_SPE_ID, K_BRBE };

enum {
	R_TRBLIMITR, R_TRBIDR, R_TRFCR, R_PMBLIMITR, R_PMBIDR, R_PMSCR,
	R_BRBCR, R_DFR0, R_MDCR, R_TRFCR2, R_PMSCR2, R_BRBCR2, R_NR,
};

struct reg {
	const char *name;
	int kind;
	int e2h;		/* with E2H, the _EL1 encoding reaches this */
	unsigned long long val;	/* the current CPU's */
	unsigned long long init;	/* at the start of this world switch */
};

#define E_BIT	1ULL

extern struct reg regs[R_NR];
extern const struct model_state *st;	/* the current CPU's units */
extern int phase;

void __attribute__((format(printf, 3, 4)))
violate(int inv, int unit, const char *fmt, ...);
int reg_unit(int reg);
int accessible(int kind, const char **why);
/* Where val was the host's value of reg: HW_NOW on this CPU now,
 * HW_BEFORE on this CPU earlier, HW_OTHER_CPU only on another CPU. */
enum { HW_NEVER, HW_NOW, HW_BEFORE, HW_OTHER_CPU };
int hw_programmed(int reg, unsigned long long val);

#endif
