// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardware model for the trace (TRBE, TRF) and profiling (SPE) units as seen
 * by the nVHE hyp, and the invariants of the world switch, checked as the
 * code under test runs. Every call from the shims is one event.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "hw.h"

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

enum reg_kind { K_CORE, K_TRF, K_TRBE, K_TRBE_ID, K_SPE, K_SPE_ID, K_BRBE };

enum {
	R_TRBLIMITR, R_TRBIDR, R_TRFCR, R_PMBLIMITR, R_PMBIDR, R_PMSCR,
	R_BRBCR, R_DFR0, R_MDCR, R_NR,
};

static struct reg {
	const char *name;
	int kind;
	unsigned long long val, init;
} regs[R_NR] = {
	[R_TRBLIMITR]	= { "TRBLIMITR_EL1", K_TRBE },
	[R_TRBIDR]	= { "TRBIDR_EL1", K_TRBE_ID },
	[R_TRFCR]	= { "TRFCR_EL1", K_TRF },
	[R_PMBLIMITR]	= { "PMBLIMITR_EL1", K_SPE },
	[R_PMBIDR]	= { "PMBIDR_EL1", K_SPE_ID },
	[R_PMSCR]	= { "PMSCR_EL1", K_SPE },
	[R_BRBCR]	= { "BRBCR_EL1", K_BRBE },
	[R_DFR0]	= { "ID_AA64DFR0_EL1", K_CORE },
	[R_MDCR]	= { "MDCR_EL2", K_CORE },
};

#define E_BIT	1ULL

/* Sequence trackers: csync after a synchronised prohibit, then dsb. */
struct unit_chk {
	int stage;		/* 0, 1: isb seen, 2: csync seen, 3: dsb seen */
	int prohibited;		/* the filter register was written */
	int off_pending;	/* buffer disabled, no isb yet */
	int redrain;		/* 0 not needed, 1 needed, 2 csync, 3 done */
	int reenabled, isbs;	/* exit: buffer re-enabled, isbs since */
};

static const struct model_state *st;
static struct run *cur;
static int phase, logging, idle;
static struct unit_chk tc, sc;

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

static struct event *record(int kind, const char *name,
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

static void __attribute__((format(printf, 2, 3)))
violate(int inv, const char *fmt, ...)
{
	struct event *e = record(EV_VIOL, inv_names[inv], 0, CU_OTHER);
	va_list ap;

	cur->viol |= 1U << inv;
	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

static int accessible(int kind, const char **why)
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
static int access(int kind, const char *name, unsigned long long val)
{
	int i = lookup(name);
	const char *why;

	record(kind, i < 0 ? name : regs[i].name, val,
	       i < 0 ? CU_OTHER : unit_of(regs[i].kind));
	if (i < 0)
		return -1;
	if (!accessible(regs[i].kind, &why)) {
		violate(INV_ABSENT, "%s accessed but its unit is %s: UNDEF, hyp panic",
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

static int live(int reg)
{
	const char *why;

	return accessible(regs[reg].kind, &why);
}

static void check_disable(struct unit_chk *c, int filt, const char *what)
{
	if (regs[filt].val && live(filt))
		violate(INV_DRAIN, "%s disabled while %s = 0x%llx", what,
			regs[filt].name, regs[filt].val);
	else if (c->stage < 3)
		violate(INV_DRAIN, "%s disabled before isb, csync, dsb completed (%d of 3 done)",
			what, c->stage);
	c->off_pending = 1;
}

/* Exit path: the filter register is written with the buffer live again. */
static void check_filter(struct unit_chk *c, int buf, int filt, int cap)
{
	if (phase != PH_EXIT || !(regs[buf].init & E_BIT) || !live(buf))
		return;
	if (!(regs[buf].val & E_BIT))
		violate(INV_ENABLE_FIRST, "%s restored while the buffer is still disabled",
			regs[filt].name);
	else if (c->reenabled && c->isbs < 1)
		violate(INV_ENABLE_FIRST, "%s restored with no isb after re-enabling the buffer",
			regs[filt].name);
	else if (c->reenabled && cap && c->isbs < 2)
		violate(INV_2038923, "%s restored after %d isb (erratum wants 2)",
			regs[filt].name, c->isbs);
}

static void on_buffer_write(struct unit_chk *c, int buf, int filt,
			    unsigned long long old, unsigned long long val,
			    int redrain_cap)
{
	if ((old & E_BIT) && !(val & E_BIT)) {
		check_disable(c, filt, regs[buf].name);
		c->redrain = redrain_cap ? 1 : 0;
	} else if (!(old & E_BIT) && (val & E_BIT)) {
		c->reenabled = 1;
		c->isbs = 0;
	}
}

void model_write(const char *name, unsigned long long val)
{
	int i = access(EV_WRITE, name, val);
	unsigned long long old;

	if (i < 0)
		return;
	old = regs[i].val;
	regs[i].val = val;
	if (idle && old != val)
		violate(INV_IDLE, "%s changed (to 0x%llx) though no unit is in use",
			regs[i].name, val);
	switch (i) {
	case R_TRFCR:
		check_filter(&tc, R_TRBLIMITR, R_TRFCR, st->caps & 2);
		tc.stage = 0;
		tc.prohibited = 1;
		break;
	case R_PMSCR:
		check_filter(&sc, R_PMBLIMITR, R_PMSCR, 0);
		sc.stage = 0;
		sc.prohibited = 1;
		break;
	case R_TRBLIMITR:
		on_buffer_write(&tc, i, R_TRFCR, old, val, st->caps & 1);
		break;
	case R_PMBLIMITR:
		on_buffer_write(&sc, i, R_PMSCR, old, val, 0);
		break;
	}
}

static void barrier_event(int kind, const char *name, int unit)
{
	record(kind, name, 0, unit);
	if (idle)
		violate(INV_IDLE, "%s executed though no unit is in use",
			name);
}

static void isb_unit(struct unit_chk *c)
{
	if (!c->stage)
		c->stage = 1;
	if (c->off_pending && (c->redrain == 0 || c->redrain == 3))
		c->off_pending = 0;
	c->isbs++;
}

void model_isb(void)
{
	barrier_event(EV_ISB, "isb", -1);
	isb_unit(&tc);
	isb_unit(&sc);
}

static void dsb_unit(struct unit_chk *c)
{
	if (c->stage == 2)
		c->stage = 3;
	if (c->redrain == 2)
		c->redrain = 3;
}

void model_dsb(const char *opt)
{
	barrier_event(EV_DSB, opt, -1);
	/* Any full-system or non-shareable dsb completes the drain. */
	dsb_unit(&tc);
	dsb_unit(&sc);
}

static void csync(struct unit_chk *c, int filt, const char *what)
{
	if (regs[filt].val && live(filt))
		violate(INV_PROHIBIT, "%s while %s = 0x%llx", what,
			regs[filt].name, regs[filt].val);
	else if (c->prohibited && c->stage < 1)
		violate(INV_PROHIBIT, "%s with no isb after the %s write",
			what, regs[filt].name);
	if (c->stage < 2)
		c->stage = 2;
	if (c->off_pending && c->redrain == 1)
		c->redrain = 2;
}

void model_tsb_csync(void)
{
	barrier_event(EV_TSB, "tsb csync", CU_TRACE);
	csync(&tc, R_TRFCR, "tsb csync");
}

void model_psb_csync(void)
{
	barrier_event(EV_PSB, "psb csync", CU_SPE);
	csync(&sc, R_PMSCR, "psb csync");
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
	memset(&tc, 0, sizeof(tc));
	memset(&sc, 0, sizeof(sc));
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

static void pending_checks(struct unit_chk *c, const char *what)
{
	if (!c->off_pending)
		return;
	if (c->redrain == 1 || c->redrain == 2)
		violate(INV_2064142, "%s disabled, but not drained again (tsb csync; dsb) before the isb",
			what);
	else
		violate(INV_ISB_DISABLE, "%s disabled, but no isb before guest entry",
			what);
}

/* The guest runs with whatever the entry path left in the hardware. */
static void guest_entry_checks(void)
{
	if (live(R_TRBLIMITR) && (regs[R_TRBLIMITR].val & E_BIT))
		violate(INV_ENTRY_TRBE, "TRBLIMITR_EL1.E = 1: the host's trace buffer is live in the guest");
	if (live(R_PMBLIMITR) && (regs[R_PMBLIMITR].val & E_BIT))
		violate(INV_ENTRY_SPE, "PMBLIMITR_EL1.E = 1: the host's profiling buffer is live in the guest");
	pending_checks(&tc, "TRBLIMITR_EL1");
	pending_checks(&sc, "PMBLIMITR_EL1");
}

static void final_checks(void)
{
	int i;

	for (i = 0; i < R_NR; i++)
		if (regs[i].val != regs[i].init)
			violate(INV_IDENTICAL, "%s = 0x%llx after exit, host had 0x%llx",
				regs[i].name, regs[i].val, regs[i].init);
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
	guest_entry_checks();
	phase = PH_EXIT;
	tc.stage = 0;
	sc.stage = 0;
	glue_exit();
	phase = PH_END;
	final_checks();
	logging = 0;
}
