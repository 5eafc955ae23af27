// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardware model for the trace (TRBE, TRF) and profiling (SPE) units as seen
 * by the nVHE hyp: registers, who may access them, and the event log. Every
 * call from the shims is one event; check.c checks the invariants.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "hw-int.h"

const char *const model_cap_names[MODEL_NR_CAPS] = {
	"ARM64_WORKAROUND_2064142", "ARM64_WORKAROUND_2038923",
};

const char *const inv_names[INV_NR] = {
	"entry-trbe-disabled", "entry-spe-disabled", "prohibit-before-drain",
	"drain-before-disable", "isb-after-disable", "erratum-2064142-redrain",
	"exit-restore-identical", "exit-enable-before-filter",
	"erratum-2038923-isb", "no-absent-access", "idle-untouched",
};

const char *const class_names[4] = { "none", "trbe", "spe", "both" };
const char *const unit_names_cu[CU_NR] = { "trace", "spe", "other" };

struct reg regs[R_NR] = {
	[R_TRBLIMITR]	= { "TRBLIMITR_EL1", K_TRBE },
	[R_TRBIDR]	= { "TRBIDR_EL1", K_TRBE_ID },
	[R_TRFCR]	= { "TRFCR_EL1", K_TRF, R_TRFCR2 },
	[R_PMBLIMITR]	= { "PMBLIMITR_EL1", K_SPE },
	[R_PMBIDR]	= { "PMBIDR_EL1", K_SPE_ID },
	[R_PMSCR]	= { "PMSCR_EL1", K_SPE, R_PMSCR2 },
	[R_BRBCR]	= { "BRBCR_EL1", K_BRBE, R_BRBCR2 },
	[R_DFR0]	= { "ID_AA64DFR0_EL1", K_CORE },
	[R_MDCR]	= { "MDCR_EL2", K_CORE },
	/* The hyp's own controls, which _EL1 encodings reach under E2H. */
	[R_TRFCR2]	= { "TRFCR_EL2", K_TRF },
	[R_PMSCR2]	= { "PMSCR_EL2", K_SPE },
	[R_BRBCR2]	= { "BRBCR_EL2", K_BRBE },
};

const struct model_state *st;
struct run *cur;
int phase, idle;
static int logging;

const struct model_state *model_cur(void)
{
	return st;
}

static int lookup(const char *name)
{
	int i;

	for (i = 0; i < R_NR; i++)
		if (!strcasecmp(regs[i].name, name))
			return i;
	return -1;
}

/*
 * The register an encoding reaches: with E2H, an _EL1 encoding that has an
 * EL2 counterpart reaches the EL2 register, and _EL12 reaches the EL1 one.
 * Without E2H, _EL12 is UNDEF (*undef is set).
 */
static int resolve(const char *name, int *undef)
{
	char el1[32];
	size_t len = strlen(name);
	int i;

	*undef = 0;
	if (len > 5 && len < sizeof(el1) && !strcasecmp(name + len - 5, "_EL12")) {
		memcpy(el1, name, len - 1);
		el1[len - 1] = 0;
		i = lookup(el1);
		*undef = !st->hvhe;
		return i >= 0 && regs[i].e2h ? i : -1;
	}
	i = lookup(name);
	if (i >= 0 && st->hvhe && regs[i].e2h)
		return regs[i].e2h;
	return i;
}

const char *model_el1(const char *el1, const char *el12)
{
	return st->hvhe ? el12 : el1;
}

unsigned long long model_hw_peek(const char *name)
{
	int i = lookup(name);

	return i < 0 ? 0 : regs[i].val;
}

static int unit_of(int kind)
{
	if (kind == K_TRF || kind == K_TRBE || kind == K_TRBE_ID)
		return CU_TRACE;
	if (kind == K_SPE || kind == K_SPE_ID)
		return CU_SPE;
	return CU_OTHER;
}

int reg_unit(int reg)
{
	return unit_of(regs[reg].kind);
}

struct event *record(int kind, const char *name,
			    unsigned long long val, int unit)
{
	struct event *e;

	if (!logging || cur->nev == MAX_EVENTS)
		return NULL;
	e = &cur->ev[cur->nev++];
	e->kind = kind;
	e->phase = phase;
	e->unit = unit;
	e->name = name;
	e->val = val;
	e->msg[0] = 0;
	return e;
}

void violate(int inv, int unit, const char *fmt, ...)
{
	struct event *e = record(EV_VIOL, inv_names[inv], 0, CU_OTHER);
	va_list ap;

	cur->viol |= 1U << inv;
	cur->viol_unit[inv] |= 1U << unit;
	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

int accessible(int kind, const char **why)
{
	int trbe = st->trbe, spe = st->spe;

	*why = "not owned (TRBIDR/PMBIDR.P=1)";
	switch (kind) {
	case K_TRF:
		*why = "absent";
		return st->trf;
	case K_TRBE:
		if (trbe == UNIT_ABSENT)
			*why = "absent";
		return trbe == UNIT_OWNED;
	case K_TRBE_ID:
		*why = "absent";
		return trbe != UNIT_ABSENT;
	case K_SPE:
		if (spe == UNIT_ABSENT)
			*why = "absent";
		return spe == UNIT_OWNED;
	case K_SPE_ID:
		*why = "absent";
		return spe != UNIT_ABSENT;
	case K_BRBE:
		*why = "absent";
		return 0;
	}
	return 1;
}

/* Returns the register index, or -1 when it must not be touched. */
int access(int kind, const char *name, unsigned long long val)
{
	int undef, i = resolve(name, &undef);
	const char *why;
	struct event *e;

	e = record(kind, i < 0 || undef ? name : regs[i].name, val,
		   i < 0 ? CU_OTHER : unit_of(regs[i].kind));
	/* Say which encoding reached another register (E2H). */
	if (e && i >= 0 && !undef && strcasecmp(name, regs[i].name))
		snprintf(e->msg, sizeof(e->msg), " (as %s)", name);
	if (undef) {
		violate(INV_ABSENT, i < 0 ? CU_OTHER : unit_of(regs[i].kind),
			"%s accessed without E2H: UNDEF, hyp panic",
			name);
		return -1;
	}
	if (i < 0)
		return -1;
	if (!accessible(regs[i].kind, &why)) {
		violate(INV_ABSENT, unit_of(regs[i].kind), "%s accessed but its unit is %s: UNDEF, hyp panic",
			regs[i].name, why);
		return -1;
	}
	return i;
}

unsigned long long model_read(const char *name)
{
	int i = access(EV_READ, name, 0);

	if (i < 0)
		return 0;
	if (logging)
		cur->ev[cur->nev - 1].val = regs[i].val;
	return regs[i].val;
}


int model_cap(const char *name, int cap)
{
	int on = cap < MODEL_NR_CAPS && (st->caps >> cap) & 1;

	record(EV_CAP, name, on, CU_OTHER);
	return on;
}

int model_query(const char *what, int val)
{
	record(EV_QUERY, what, val, CU_OTHER);
	return val;
}

void model_note(const char *what, const char *arg)
{
	struct event *e = record(EV_NOTE, what, 0, CU_OTHER);

	if (e)
		snprintf(e->msg, sizeof(e->msg), "%s", arg);
}

int hw_class(const struct model_state *s)
{
	int t = s->trbe == UNIT_OWNED && (s->trblimitr & E_BIT);
	int p = s->spe == UNIT_OWNED && (s->pmblimitr & E_BIT);

	return t | p << 1;
}

/* No buffer enabled, no trace filter or profiling control set. */
static int is_idle(const struct model_state *s)
{
	return !hw_class(s) && !(s->trf && s->trfcr) &&
	       !(s->spe == UNIT_OWNED && s->pmscr);
}

static void hw_reset(const struct model_state *s, struct run *r)
{
	unsigned long long dfr0 = 0x6 | 5 << 12 | 3 << 20;
	int i;

	st = s;
	cur = r;
	memset(r, 0, sizeof(*r));
	check_reset();
	logging = 0;
	idle = 0;
	phase = PH_SETUP;
	if (s->trf)
		dfr0 |= 1ULL << 40;
	if (s->trbe != UNIT_ABSENT)
		dfr0 |= 1ULL << 44;
	if (s->spe != UNIT_ABSENT)
		dfr0 |= 1ULL << 32;
	regs[R_TRBLIMITR].init = s->trblimitr;
	regs[R_TRBIDR].init = 0x20 | (s->trbe == UNIT_NOT_OWNED ? 0x10 : 0);
	regs[R_TRFCR].init = s->trfcr;
	regs[R_PMBLIMITR].init = s->pmblimitr;
	regs[R_PMBIDR].init = 0x6 | (s->spe == UNIT_NOT_OWNED ? 0x10 : 0);
	regs[R_PMSCR].init = s->pmscr;
	regs[R_BRBCR].init = 0;
	regs[R_DFR0].init = dfr0;
	regs[R_MDCR].init = 0x4e66;
	for (i = 0; i < R_NR; i++)
		regs[i].val = regs[i].init;
}


void hw_run(const struct model_state *s, struct run *r)
{
	int ret;

	hw_reset(s, r);
	ret = glue_setup(s, r->desc, sizeof(r->desc));
	r->canonical = ret & GLUE_CANONICAL;
	logging = 1;
	idle = is_idle(s) && !(ret & GLUE_BUSY);
	phase = PH_ENTRY;
	glue_entry();
	phase = PH_GUEST;
	check_guest_entry();
	phase = PH_EXIT;
	check_exit_start();
	glue_exit();
	phase = PH_END;
	check_final();
	logging = 0;
}
