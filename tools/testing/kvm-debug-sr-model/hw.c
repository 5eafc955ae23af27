// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardware model for the trace (TRBE, TRF) and profiling (SPE) units as seen
 * by the nVHE hyp: each CPU's registers, who may access them, and the event
 * log. Every call from the shims is one event; observers (the checks) are
 * told of writes, barriers and phases and know nothing else of it.
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
	"seq-stale-restore", "seq-cross-cpu", "exit-regime-synced",
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
static struct run *cur;
int phase;
static int logging;

#define MAX_OBSERVERS	4
static const struct hw_observer *observers[MAX_OBSERVERS];
static int nobservers;

#define MAX_HISTORY	16
/* Each CPU: its units, its registers, the values its host programmed. */
static struct cpu_hw {
	struct model_state s;
	unsigned long long val[R_NR];
	unsigned long long init[R_NR];	/* at the entry of a paused switch */
	struct host_regs hist[MAX_HISTORY];
	int nhist;
} cpus[MODEL_NR_CPUS];
static int this_cpu;

#define NOTIFY(fn, ...) do {						\
	int __i;							\
	for (__i = 0; __i < nobservers; __i++)				\
		if (observers[__i]->fn)					\
			observers[__i]->fn(__VA_ARGS__);		\
} while (0)

void hw_subscribe(const struct hw_observer *o)
{
	if (nobservers < MAX_OBSERVERS)
		observers[nobservers++] = o;
}

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
static int access(int kind, const char *name, unsigned long long val)
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
		violate(INV_ABSENT, unit_of(regs[i].kind),
			"%s accessed but its unit is %s on CPU%d: UNDEF, hyp panic",
			regs[i].name, why, this_cpu);
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

void model_write(const char *name, unsigned long long val)
{
	int i = access(EV_WRITE, name, val);
	unsigned long long old;

	if (i < 0)
		return;
	old = regs[i].val;
	regs[i].val = val;
	NOTIFY(write, i, old, val);
}

static void barrier(int kind, const char *name, int unit)
{
	record(kind, name, 0, unit);
	NOTIFY(barrier, kind);
}

void model_isb(void)
{
	barrier(EV_ISB, "isb", CU_OTHER);
}

void model_dsb(const char *opt)
{
	barrier(EV_DSB, opt, CU_OTHER);
}

void model_tsb_csync(void)
{
	barrier(EV_TSB, "tsb csync", CU_TRACE);
}

void model_psb_csync(void)
{
	barrier(EV_PSB, "psb csync", CU_SPE);
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
static int is_idle(void)
{
	int trbe = st->trbe == UNIT_OWNED, spe = st->spe == UNIT_OWNED;

	return !(trbe && (regs[R_TRBLIMITR].val & E_BIT)) &&
	       !(spe && (regs[R_PMBLIMITR].val & E_BIT)) &&
	       !(st->trf && regs[R_TRFCR].val) && !(spe && regs[R_PMSCR].val);
}

static void save_cpu(void)
{
	int i;

	for (i = 0; i < R_NR; i++)
		cpus[this_cpu].val[i] = regs[i].val;
}

static void load_cpu(int cpu)
{
	int i;

	this_cpu = cpu;
	st = &cpus[cpu].s;
	for (i = 0; i < R_NR; i++)
		regs[i].val = regs[i].init = cpus[cpu].val[i];
}

void hw_select_cpu(int cpu)
{
	save_cpu();
	load_cpu(cpu);
}

int hw_cpu(void)
{
	return this_cpu;
}

static void set_host_regs(unsigned long long *v, const struct host_regs *h)
{
	v[R_TRBLIMITR] = h->trblimitr;
	v[R_TRFCR] = h->trfcr;
	v[R_PMBLIMITR] = h->pmblimitr;
	v[R_PMSCR] = h->pmscr;
}

void hw_config(int cpu, const struct model_state *s)
{
	unsigned long long dfr0 = 0x6 | 5 << 12 | 3 << 20, *v = cpus[cpu].val;
	struct host_regs h = { s->trblimitr, s->trfcr, s->pmblimitr, s->pmscr };

	cpus[cpu].s = *s;
	if (s->trf)
		dfr0 |= 1ULL << 40;
	if (s->trbe != UNIT_ABSENT)
		dfr0 |= 1ULL << 44;
	if (s->spe != UNIT_ABSENT)
		dfr0 |= 1ULL << 32;
	memset(v, 0, sizeof(cpus[cpu].val));
	set_host_regs(v, &h);
	v[R_TRBIDR] = 0x20 | (s->trbe == UNIT_NOT_OWNED ? 0x10 : 0);
	v[R_PMBIDR] = 0x6 | (s->spe == UNIT_NOT_OWNED ? 0x10 : 0);
	v[R_DFR0] = dfr0;
	v[R_MDCR] = 0x4e66;
	cpus[cpu].hist[0] = h;
	cpus[cpu].nhist = 1;
	if (cpu == this_cpu || !st)
		load_cpu(cpu);
}

void hw_host_program(int cpu, const struct host_regs *h)
{
	struct cpu_hw *c = &cpus[cpu];

	if (cpu == this_cpu)
		save_cpu();
	set_host_regs(c->val, h);
	if (c->nhist < MAX_HISTORY)
		c->hist[c->nhist++] = *h;
	if (cpu == this_cpu)
		load_cpu(cpu);
}

static unsigned long long host_field(const struct host_regs *h, int reg)
{
	switch (reg) {
	case R_TRBLIMITR:
		return h->trblimitr;
	case R_TRFCR:
		return h->trfcr;
	case R_PMBLIMITR:
		return h->pmblimitr;
	case R_PMSCR:
		return h->pmscr;
	}
	return 0;
}

int hw_programmed(int reg, unsigned long long val)
{
	const struct cpu_hw *c = &cpus[this_cpu];
	int i, j;

	if (host_field(&c->hist[c->nhist - 1], reg) == val)
		return HW_NOW;
	for (i = 0; i < c->nhist - 1; i++)
		if (host_field(&c->hist[i], reg) == val)
			return HW_BEFORE;
	for (j = 0; j < MODEL_NR_CPUS; j++)
		for (i = 0; j != this_cpu && i < cpus[j].nhist; i++)
			if (host_field(&cpus[j].hist[i], reg) == val)
				return HW_OTHER_CPU;
	return HW_NEVER;
}

void hw_begin(struct run *r, int busy)
{
	int i;

	cur = r;
	memset(r, 0, sizeof(*r));
	for (i = 0; i < R_NR; i++)
		regs[i].init = cpus[this_cpu].init[i] = regs[i].val;
	logging = 1;
	phase = PH_ENTRY;
	NOTIFY(begin, is_idle() && !busy);
}

void hw_pause(void)
{
	logging = 0;
	save_cpu();
}

void hw_resume(struct run *r)
{
	int i;

	cur = r;
	memset(r, 0, sizeof(*r));
	for (i = 0; i < R_NR; i++)
		regs[i].init = cpus[this_cpu].init[i];
	logging = 1;
	NOTIFY(begin, 0);
	hw_phase(PH_EXIT);
}

void hw_phase(int ph)
{
	phase = ph;
	NOTIFY(phase, ph);
}

void hw_end(void)
{
	hw_phase(PH_END);
	logging = 0;
	save_cpu();
}
