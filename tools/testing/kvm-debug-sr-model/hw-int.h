/* SPDX-License-Identifier: GPL-2.0-only */
/* Internals shared by hw.c (registers, events) and check.c (invariants). */
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
	unsigned long long val, init;
};

#define E_BIT	1ULL

extern struct reg regs[R_NR];
extern const struct model_state *st;
extern struct run *cur;
extern int phase, idle;

struct event *record(int kind, const char *name, unsigned long long val,
		     int unit);
void __attribute__((format(printf, 3, 4)))
violate(int inv, int unit, const char *fmt, ...);
int reg_unit(int reg);
int accessible(int kind, const char **why);
int access(int kind, const char *name, unsigned long long val);

void check_reset(void);
void check_exit_start(void);
void check_guest_entry(void);
void check_final(void);

#endif
