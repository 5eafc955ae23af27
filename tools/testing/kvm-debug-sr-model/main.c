// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver: wires the hardware model (hw.c), the checks (check.c, an
 * observer of it) and one target's world-switch code (glue.c), and drives
 * the code through every state of the model, and through bounded
 * sequences of world switches on two CPUs (seq.c).
 *
 *   model results FILE	one line per state (see report.c for the format)
 *   model explain [KEY [VARIANT]]	the event trace of state KEY (with
 *				the host variant of the results, "-" for the
 *				honest one), or of the first violating state
 *				(honest host first; upstream's invariants
 *				first, then the proposed ones)
 *   model explain-proposed	the first honest state that violates a
 *				proposed invariant (exit-regime-synced)
 *   model sequences FILE [MAXLEN]	the failing sequences (seq.c)
 *   model explain-seq KEY	one sequence, step by step
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw.h"
#include "check.h"
#include "seq.h"

#define LIMIT(e)	(0x0000ffff80040000ULL | (e))
#define TRFCR_ON	0x63ULL		/* E0TRE, E1TRE, TS = 3 */
#define PMSCR_ON	0x43ULL		/* E0SPE, E1SPE, PCT */

struct unit_cfg {
	int unit, trf;
	unsigned long long limit, ctl;
};

/* Ordered so that the first violating state is the plainest one. */
static const struct unit_cfg trace_cfgs[] = {
	{ UNIT_OWNED, 1, LIMIT(1), TRFCR_ON },
	{ UNIT_OWNED, 1, LIMIT(1), 0 },
	{ UNIT_OWNED, 1, LIMIT(0), TRFCR_ON },
	{ UNIT_OWNED, 1, LIMIT(0), 0 },
	{ UNIT_NOT_OWNED, 1, LIMIT(1), TRFCR_ON },
	{ UNIT_NOT_OWNED, 1, LIMIT(1), 0 },
	{ UNIT_NOT_OWNED, 1, LIMIT(0), TRFCR_ON },
	{ UNIT_NOT_OWNED, 1, LIMIT(0), 0 },
	{ UNIT_ABSENT, 1, 0, TRFCR_ON },
	{ UNIT_ABSENT, 1, 0, 0 },
	{ UNIT_ABSENT, 0, 0, 0 },
};

static const struct unit_cfg spe_cfgs[] = {
	{ UNIT_ABSENT, 0, 0, 0 },
	{ UNIT_OWNED, 0, LIMIT(1), PMSCR_ON },
	{ UNIT_OWNED, 0, LIMIT(1), 0 },
	{ UNIT_OWNED, 0, LIMIT(0), PMSCR_ON },
	{ UNIT_OWNED, 0, LIMIT(0), 0 },
	{ UNIT_NOT_OWNED, 0, LIMIT(1), PMSCR_ON },
	{ UNIT_NOT_OWNED, 0, LIMIT(1), 0 },
	{ UNIT_NOT_OWNED, 0, LIMIT(0), PMSCR_ON },
	{ UNIT_NOT_OWNED, 0, LIMIT(0), 0 },
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const unit_names[] = { "absent", "owned", "not-owned" };
static const char *const phase_names[] = {
	"setup", "entry", "guest", "exit", "end",
};

static struct run run;

/* One world switch from a fresh host and hyp, on CPU 0. */
static void run_state(const struct model_state *s)
{
	char desc[sizeof(run.desc)];
	int ret;

	hw_config(0, s);
	hw_select_cpu(0);
	glue_select_cpu(0);
	ret = glue_setup(s, desc, sizeof(desc));
	hw_begin(&run, ret & GLUE_BUSY);
	memcpy(run.desc, desc, sizeof(desc));
	run.canonical = ret & GLUE_CANONICAL;
	glue_entry();
	hw_phase(PH_GUEST);
	hw_phase(PH_EXIT);
	glue_exit();
	hw_end();
}

static void state_key(const struct model_state *s, char *buf, size_t len)
{
	char tr[64] = "absent", sp[64] = "absent";

	if (s->trbe != UNIT_ABSENT)
		snprintf(tr, sizeof(tr), "%s,E=%llu", unit_names[s->trbe],
			 s->trblimitr & 1);
	if (s->spe != UNIT_ABSENT)
		snprintf(sp, sizeof(sp), "%s,E=%llu,pmscr=0x%llx",
			 unit_names[s->spe], s->pmblimitr & 1, s->pmscr);
	snprintf(buf, len, "%s trbe=%s trfcr=%s spe=%s errata=%s%s%s",
		 s->hvhe ? "protected-hvhe" : s->protected ? "protected" : "nvhe", tr,
		 s->trf ? (s->trfcr ? "0x63" : "0") : "absent", sp,
		 s->caps ? "" : "none", s->caps & 1 ? "2064142" : "",
		 s->caps == 3 ? "+2038923" : (s->caps == 2 ? "2038923" : ""));
}

/* Barriers are charged to the unit of the nearest sysreg or csync. */
static int barrier_unit(int i)
{
	int j, ph = run.ev[i].phase;

	for (j = i - 1; j >= 0 && run.ev[j].phase == ph; j--)
		if (run.ev[j].kind <= EV_PSB && run.ev[j].kind != EV_ISB &&
		    run.ev[j].kind != EV_DSB && run.ev[j].unit != CU_OTHER)
			return run.ev[j].unit;
	for (j = i + 1; j < run.nev && run.ev[j].phase == ph; j++)
		if (run.ev[j].kind <= EV_PSB && run.ev[j].kind != EV_ISB &&
		    run.ev[j].kind != EV_DSB && run.ev[j].unit != CU_OTHER)
			return run.ev[j].unit;
	return CU_OTHER;
}

static void count_costs(void)
{
	int i;

	for (i = 0; i < run.nev; i++) {
		struct event *e = &run.ev[i];

		if (e->kind == EV_READ)
			run.cost[e->unit][C_READ]++;
		else if (e->kind == EV_WRITE)
			run.cost[e->unit][C_WRITE]++;
		else if (e->kind == EV_TSB || e->kind == EV_PSB)
			run.cost[e->unit][C_BARRIER]++;
		else if (e->kind == EV_ISB || e->kind == EV_DSB)
			run.cost[barrier_unit(i)][C_BARRIER]++;
	}
}

/* The sysreg and barrier events only, for comparing targets. */
static void print_trace(FILE *f)
{
	int i, ph = -1;

	for (i = 0; i < run.nev; i++) {
		struct event *e = &run.ev[i];

		if (e->kind > EV_PSB)
			continue;
		if (e->phase != ph)
			fprintf(f, "%s%s:", ph < 0 ? "" : " |",
				phase_names[e->phase]);
		ph = e->phase;
		if (e->kind == EV_READ)
			fprintf(f, " R:%s", e->name);
		else if (e->kind == EV_WRITE)
			fprintf(f, " W:%s=0x%llx", e->name, e->val);
		else if (e->kind == EV_DSB)
			fprintf(f, " dsb(%s)", e->name);
		else
			fprintf(f, " %s", e->kind == EV_ISB ? "isb" :
				e->kind == EV_TSB ? "tsb" : "psb");
	}
}

static void print_result(FILE *f, const struct model_state *s)
{
	char key[256];
	int i, u, c, first = 1;

	state_key(s, key, sizeof(key));
	fprintf(f, "%s\t%s\t%d\t%s\t", key, run.desc[0] ? run.desc + 1 : "-",
		run.canonical, class_names[hw_class(s)]);
	for (i = 0; i < INV_NR; i++)
		if (run.viol & 1U << i) {
			fprintf(f, "%s%s", first ? "" : ",", inv_names[i]);
			first = 0;
		}
	fprintf(f, "%s\t", first ? "-" : "");
	for (u = 0; u < CU_NR; u++)
		for (c = 0; c < C_NR; c++)
			fprintf(f, "%d%s", run.cost[u][c],
				u == CU_NR - 1 && c == C_NR - 1 ? "\t" : " ");
	print_trace(f);
	/* Which units each violation was about: "inv=trace+spe,..." */
	fputc('\t', f);
	first = 1;
	for (i = 0; i < INV_NR; i++) {
		if (!(run.viol & 1U << i))
			continue;
		fprintf(f, "%s%s=", first ? "" : ",", inv_names[i]);
		first = 0;
		for (c = 0, u = 0; u < CU_NR; u++)
			if (run.viol_unit[i] & 1U << u)
				fprintf(f, "%s%s", c++ ? "+" : "", unit_names_cu[u]);
	}
	fprintf(f, "%s\n", first ? "-" : "");
}

void print_events(const struct run *r, const char *indent)
{
	int i;

	for (i = 0; i < r->nev; i++) {
		const struct event *e = &r->ev[i];

		printf("%s", indent);
		printf("%-5s ", phase_names[e->phase]);
		switch (e->kind) {
		case EV_READ:
			printf("read   %s -> 0x%llx%s\n", e->name, e->val, e->msg);
			break;
		case EV_WRITE:
			printf("write  %s <- 0x%llx%s\n", e->name, e->val, e->msg);
			break;
		case EV_ISB: case EV_TSB: case EV_PSB:
			printf("%s\n", e->name);
			break;
		case EV_DSB:
			printf("dsb(%s)\n", e->name);
			break;
		case EV_CAP: case EV_QUERY:
			printf("test   %s -> %llu\n", e->name, e->val);
			break;
		case EV_NOTE:
			printf("mem    %s(%s)\n", e->name, e->msg);
			break;
		case EV_VIOL:
			printf("VIOLATION %s: %s\n", e->name, e->msg);
			break;
		}
	}
}

static void explain(const struct model_state *s)
{
	char key[256];

	state_key(s, key, sizeof(key));
	printf("state: %s (%s)\n", key, run.desc[0] ? run.desc + 1 :
	       "host sets every flag as the hardware says");
	print_events(&run, "  ");
}

/* Calls fn for every state; stops early when fn returns non-zero. */
static int for_each_state(int (*fn)(const struct model_state *, void *),
			  void *arg)
{
	/* modes: nvhe, protected (nVHE hyp), protected with an hVHE hyp */
	size_t ncaps = 1U << MODEL_NR_CAPS, nt = N(trace_cfgs), np = N(spe_cfgs);
	size_t i, t, p, m, total = (glue_hvhe ? 3 : 2) * nt * np * ncaps;
	struct model_state s;
	int v, n;

	/* Mode outermost, errata innermost. */
	for (i = 0; i < total; i++) {
		s.caps = i % ncaps;
		p = i / ncaps % np;
		t = i / ncaps / np % nt;
		m = i / ncaps / np / nt;
		s.protected = m > 0;
		s.hvhe = m == 2;
		s.trbe = trace_cfgs[t].unit;
		s.trf = trace_cfgs[t].trf;
		s.trblimitr = trace_cfgs[t].limit;
		s.trfcr = trace_cfgs[t].ctl;
		s.spe = spe_cfgs[p].unit;
		s.pmblimitr = spe_cfgs[p].limit;
		s.pmscr = spe_cfgs[p].ctl;
		s.variant = 0;
		n = glue_nr_variants(&s);
		for (v = 0; v < n; v++) {
			s.variant = v;
			run_state(&s);
			if (fn(&s, arg))
				return 1;
		}
	}
	return 0;
}

static int write_one(const struct model_state *s, void *arg)
{
	count_costs();
	print_result(arg, s);
	return 0;
}

struct pick {
	const char *key, *variant;
	int honest_only;
	unsigned int mask;	/* the violations that count, without a key */
};

static int explain_one(const struct model_state *s, void *arg)
{
	struct pick *p = arg;
	char key[256];

	state_key(s, key, sizeof(key));
	if (p->variant) {
		if (strcmp(key, p->key) ||
		    strcmp(run.desc[0] ? run.desc + 1 : "-", p->variant))
			return 0;
	} else if (p->key ? strcmp(key, p->key) || !run.canonical :
		   !(run.viol & p->mask) || (p->honest_only && !run.canonical)) {
		return 0;
	}
	explain(s);
	return 1;
}

int main(int argc, char **argv)
{
	struct pick pick = { NULL, NULL, 1, ~INV_PROPOSED };
	FILE *f;

	hw_subscribe(&check_observer);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "sequences"))
		return seq_results(argv[2], argc == 4 ? atoi(argv[3]) : SEQ_MAXLEN);
	if (argc == 3 && !strcmp(argv[1], "explain-seq"))
		return seq_explain(argv[2]);

	if (argc == 3 && !strcmp(argv[1], "results")) {
		f = fopen(argv[2], "w");
		if (!f) {
			perror(argv[2]);
			return 1;
		}
		fprintf(f, "# flavour: %s\n", glue_flavour);
		fprintf(f, "#fields\tstate\tvariant\thonest\tclass\tviolations\tcost\ttrace\tviolation_units\n");
		for_each_state(write_one, f);
		return fclose(f) ? 1 : 0;
	}
	if (argc >= 2 && argc <= 4 && !strcmp(argv[1], "explain")) {
		pick.key = argv[2];
		pick.variant = argc == 4 ? argv[3] : NULL;
		if (for_each_state(explain_one, &pick))
			return 0;
		pick.honest_only = 0;
		if (!pick.key && for_each_state(explain_one, &pick))
			return 0;
		/* Only proposed ones: the first of those, said as such. */
		pick.mask = INV_PROPOSED;
		pick.honest_only = 1;
		if (!pick.key && for_each_state(explain_one, &pick)) {
			printf("(only a proposed invariant fails, not upstream's)\n");
			return 0;
		}
		printf("%s\n", pick.key ? "no such state" : "no violation");
		return pick.key ? 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "explain-proposed")) {
		pick.mask = INV_PROPOSED;
		if (for_each_state(explain_one, &pick))
			return 0;
		printf("no violation of a proposed invariant\n");
		return 0;
	}
	fprintf(stderr, "usage: %s results FILE | explain [STATE [VARIANT]] | explain-proposed | sequences FILE [MAXLEN] | explain-seq KEY\n",
		argv[0]);
	return 2;
}
