// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sequences: what one world switch cannot show. Two CPUs, each with its
 * own TRBE and SPE (present and owned, present but not owned, absent) and
 * its own per-CPU data, kept from one step to the next; vcpus loaded, run,
 * put and migrated as the tree's debug.c does (flags set at load from the
 * CPU's hardware, cleared at put); the host turning its buffers on and
 * off, with new values each time, between runs. Every sequence up to
 * MAXLEN steps (a reasoned subset, see seq_pairs[] and the pruning in
 * valid()) is run, shortest first. Invariants: every per-step one (check.c)
 * on every world switch, and across steps that the values put back on the
 * way out are the host's current ones on that CPU: not older ones
 * (seq-stale-restore) nor another CPU's (seq-cross-cpu).
 *
 * A world switch that fails in a sequence counts only when the same world
 * switch from a fresh host and hyp (the per-state model) passes: the rest
 * the per-state results already report.
 *
 * Two scenarios: one vcpu that runs and migrates between the CPUs; two
 * vcpus, one per CPU, whose entries and exits interleave (a hyp that
 * keeps per-CPU state in a global then mixes the CPUs up).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw.h"
#include "seq.h"

/* Steps. */
enum {
	S_RUN, S_MIGRATE, S_ON0, S_OFF0, S_ON1, S_OFF1,	/* scenario 0 */
	S_ENTER_A, S_EXIT_A, S_ENTER_B, S_EXIT_B,	/* scenario 1 */
	S_NR,
};

static const int scen_steps[2][8] = {
	{ S_RUN, S_MIGRATE, S_ON0, S_OFF0, S_ON1, S_OFF1, -1 },
	{ S_ENTER_A, S_EXIT_A, S_ENTER_B, S_EXIT_B, S_ON0, S_OFF0, S_ON1, S_OFF1 },
};
static const int scen_nsteps[2] = { 6, 8 };

struct units {
	int trbe, spe;
};

/*
 * CPU pairs: each unit alone in every combination of the two CPUs
 * (owned, not owned, absent), and both units owned on one CPU against
 * both, none or neither owned on the other. The units' code paths are
 * apart in every tree the project knows; the per-state model covers
 * every combination of both units on one CPU.
 */
#define O	UNIT_OWNED
#define N	UNIT_NOT_OWNED
#define A	UNIT_ABSENT
static const struct units seq_pairs[][2] = {
	{ { O, A }, { O, A } }, { { O, A }, { N, A } }, { { O, A }, { A, A } },
	{ { N, A }, { O, A } }, { { N, A }, { N, A } }, { { N, A }, { A, A } },
	{ { A, A }, { O, A } }, { { A, A }, { N, A } }, { { A, A }, { A, A } },
	{ { A, O }, { A, O } }, { { A, O }, { A, N } }, { { A, O }, { A, A } },
	{ { A, N }, { A, O } }, { { A, N }, { A, N } }, { { A, N }, { A, A } },
	{ { A, A }, { A, O } }, { { A, A }, { A, N } },
	{ { O, O }, { O, O } }, { { O, O }, { A, A } }, { { A, A }, { O, O } },
	{ { O, O }, { N, N } },
};
#undef O
#undef N
#undef A

#define NPAIRS	((int)(sizeof(seq_pairs) / sizeof(seq_pairs[0])))

static const char *const mode_names[] = { "nvhe", "protected", "protected-hvhe" };
static const char *const unit_word[] = { "absent", "owned", "not-owned" };

struct seq {
	int mode, pair, init, scen, len;
	int steps[16];
};

/* Execution state. */
static struct seq_state {
	int vcpu_cpu[2], in_guest[2], on[2], gen;
	struct run entry[2];	/* a paused world switch per vcpu */
} ss;
static struct run run;
static int verbose, nsteps_done;

static int owned_any(int cpu, const struct seq *q)
{
	const struct units *u = &seq_pairs[q->pair][cpu];

	return u->trbe == UNIT_OWNED || u->spe == UNIT_OWNED;
}

/* The host's values: each CPU and each programming its own. */
static void host_values(int cpu, int on, int gen, const struct units *u,
			struct host_regs *h)
{
	static const unsigned long long trfcr[2][2] = { { 0x63, 0x43 }, { 0x23, 0x03 } };
	static const unsigned long long pmscr[2][2] = { { 0x43, 0x03 }, { 0x13, 0x33 } };
	unsigned long long tag = (unsigned long long)(cpu + 1) << 24 |
				 (unsigned long long)(gen + 1) << 16;

	memset(h, 0, sizeof(*h));
	if (!on)
		return;
	if (u->trbe == UNIT_OWNED) {
		h->trblimitr = 0x0000ffff80000001ULL | tag;
		h->trfcr = trfcr[cpu][gen & 1];
	}
	if (u->spe == UNIT_OWNED) {
		h->pmblimitr = 0x0000ffff90000001ULL | tag;
		h->pmscr = pmscr[cpu][gen & 1];
	}
}

static void on_cpu(int cpu)
{
	hw_select_cpu(cpu);
	glue_select_cpu(cpu);
}

static void describe_host(int cpu, const struct units *u, int on)
{
	struct host_regs h;

	host_values(cpu, on, ss.gen, u, &h);
	if (!on) {
		printf("buffers off (LIMITR.E=0, TRFCR/PMSCR 0)");
		return;
	}
	if (u->trbe == UNIT_OWNED)
		printf("TRBE on (TRBLIMITR_EL1=0x%llx TRFCR_EL1=0x%llx) ", h.trblimitr, h.trfcr);
	if (u->spe == UNIT_OWNED)
		printf("SPE on (PMBLIMITR_EL1=0x%llx PMSCR_EL1=0x%llx)", h.pmblimitr, h.pmscr);
}

static void reset(const struct seq *q, int start_cpu)
{
	struct model_state s;
	int c;

	memset(&ss, 0, sizeof(ss));
	memset(&s, 0, sizeof(s));
	s.protected = q->mode > 0;
	s.hvhe = q->mode == 2;
	s.trf = 1;
	for (c = 0; c < MODEL_NR_CPUS; c++) {
		const struct units *u = &seq_pairs[q->pair][c];
		struct host_regs h;

		ss.on[c] = (q->init >> c) & 1;
		host_values(c, ss.on[c], 0, u, &h);
		s.trbe = u->trbe;
		s.spe = u->spe;
		s.trblimitr = h.trblimitr;
		s.trfcr = h.trfcr;
		s.pmblimitr = h.pmblimitr;
		s.pmscr = h.pmscr;
		hw_config(c, &s);
	}
	on_cpu(0);
	glue_seq_reset();
	for (c = 0; c < MODEL_NR_CPUS; c++) {
		on_cpu(c);
		glue_cpu_init();
		glue_host_programmed();
	}
	if (verbose) {
		for (c = 0; c < MODEL_NR_CPUS; c++) {
			printf("   CPU%d: TRBE %s, SPE %s; host: ", c,
			       unit_word[seq_pairs[q->pair][c].trbe],
			       unit_word[seq_pairs[q->pair][c].spe]);
			describe_host(c, &seq_pairs[q->pair][c], ss.on[c]);
			printf("\n");
		}
	}
	if (q->scen == 0) {
		on_cpu(start_cpu);
		glue_vcpu_load(0);
		ss.vcpu_cpu[0] = start_cpu;
		if (verbose)
			printf("   vcpu loaded on CPU%d\n", start_cpu);
	} else {
		on_cpu(0);
		glue_vcpu_load(0);
		on_cpu(1);
		glue_vcpu_load(1);
		ss.vcpu_cpu[1] = 1;
		if (verbose)
			printf("   vcpu A loaded on CPU0, vcpu B on CPU1\n");
	}
}

static void host_program(const struct seq *q, int cpu, int on)
{
	struct host_regs h;

	ss.gen++;
	ss.on[cpu] = on;
	host_values(cpu, on, ss.gen, &seq_pairs[q->pair][cpu], &h);
	hw_host_program(cpu, &h);
	on_cpu(cpu);
	glue_host_programmed();
	if (verbose) {
		printf("host on CPU%d: ", cpu);
		describe_host(cpu, &seq_pairs[q->pair][cpu], on);
		printf("\n");
	}
}

/* Returns the violations of the world switch, or 0. */
static unsigned int do_run(int v, struct run *r)
{
	on_cpu(ss.vcpu_cpu[v]);
	hw_begin(r, 0);
	glue_vcpu_enter(v);
	hw_phase(PH_GUEST);
	hw_phase(PH_EXIT);
	glue_vcpu_exit(v);
	hw_end();
	return r->viol & ~INV_PROPOSED;
}

static void show_run(const struct run *r, const char *what, int v)
{
	if (!verbose)
		return;
	printf("%s vcpu %c on CPU%d: %s\n", what, 'A' + v, ss.vcpu_cpu[v],
	       r->viol & ~INV_PROPOSED ? "VIOLATION" :
	       r->viol ? "ok (the proposed exit-regime-synced fails)" : "ok");
	if (r->viol)
		print_events(r, "      ");
}

/*
 * One step; returns the violations of a world switch it ran (0 if none)
 * and sets *cpu_on to its CPU and host state, for the fresh comparison.
 */
static unsigned int step(const struct seq *q, int st, int *fresh_key)
{
	unsigned int viol = 0;
	int v = st == S_ENTER_B || st == S_EXIT_B, c;

	*fresh_key = -1;
	switch (st) {
	case S_RUN:
		c = ss.vcpu_cpu[0];
		*fresh_key = c << 1 | ss.on[c];
		viol = do_run(0, &run);
		show_run(&run, "run", 0);
		break;
	case S_MIGRATE:
		c = ss.vcpu_cpu[0];
		on_cpu(c);
		glue_vcpu_put(0);
		ss.vcpu_cpu[0] = !c;
		on_cpu(!c);
		glue_vcpu_load(0);
		if (verbose)
			printf("vcpu put on CPU%d, loaded on CPU%d\n", c, !c);
		break;
	case S_ON0: case S_OFF0: case S_ON1: case S_OFF1:
		host_program(q, st >= S_ON1, st == S_ON0 || st == S_ON1);
		break;
	case S_ENTER_A: case S_ENTER_B:
		c = ss.vcpu_cpu[v];
		on_cpu(c);
		hw_begin(&ss.entry[v], 0);
		glue_vcpu_enter(v);
		hw_phase(PH_GUEST);
		hw_pause();
		ss.in_guest[v] = 1;
		*fresh_key = c << 1 | ss.on[c];
		viol = ss.entry[v].viol & ~INV_PROPOSED;
		show_run(&ss.entry[v], "guest entry of", v);
		break;
	case S_EXIT_A: case S_EXIT_B:
		c = ss.vcpu_cpu[v];
		on_cpu(c);
		hw_resume(&run);
		glue_vcpu_exit(v);
		hw_end();
		ss.in_guest[v] = 0;
		*fresh_key = c << 1 | ss.on[c];
		viol = run.viol & ~INV_PROPOSED;
		show_run(&run, "guest exit of", v);
		break;
	}
	return viol;
}

/* Pruning: steps that cannot happen or change nothing. */
static int valid(const struct seq *q)
{
	int in[2] = { 0, 0 }, on[2], i, prev = -1;

	on[0] = q->init & 1;
	on[1] = (q->init >> 1) & 1;
	for (i = 0; i < q->len; i++) {
		int st = q->steps[i], c = st >= S_ON1 && st <= S_OFF1;

		switch (st) {
		case S_ON0: case S_OFF0: case S_ON1: case S_OFF1:
			if (!owned_any(c, q))
				return 0;
			/* off when off changes nothing */
			if ((st == S_OFF0 || st == S_OFF1) && !on[c])
				return 0;
			/* two programmings in a row: the first is lost */
			if (prev >= S_ON0 && prev <= S_OFF1 && (prev >= S_ON1) >= c)
				return 0;
			/* the host cannot program a CPU that is in a guest */
			if (in[c])
				return 0;
			on[c] = st == S_ON0 || st == S_ON1;
			break;
		case S_MIGRATE:
			if (prev == S_MIGRATE)
				return 0;
			break;
		case S_ENTER_A: case S_ENTER_B:
			if (in[st == S_ENTER_B])
				return 0;
			in[st == S_ENTER_B] = 1;
			break;
		case S_EXIT_A: case S_EXIT_B:
			if (!in[st == S_EXIT_B])
				return 0;
			in[st == S_EXIT_B] = 0;
			break;
		}
		prev = st;
	}
	/* It ends with a world switch's end, and nothing in a guest. */
	return (prev == S_RUN || prev == S_EXIT_A || prev == S_EXIT_B) &&
	       !in[0] && !in[1];
}

/* fresh[cpu << 1 | on]: that world switch from a fresh host and hyp fails. */
static int fresh[4];

static void compute_fresh(struct seq *q)
{
	int c, on, init = q->init;

	for (c = 0; c < MODEL_NR_CPUS; c++)
		for (on = 0; on < 2; on++) {
			q->init = on << c;
			reset(&(struct seq){ q->mode, q->pair, q->init, 0, 0, { 0 } }, c);
			fresh[c << 1 | on] = !!do_run(0, &run);
		}
	q->init = init;
}

/* Runs q; returns the violations of the step that failed (0: passed). */
static unsigned int exec_seq(const struct seq *q, unsigned long long *units)
{
	int i, key;
	unsigned int viol;

	reset(q, 0);
	for (i = 0; i < q->len; i++) {
		if (verbose)
			printf("%2d. ", i + 1);
		viol = step(q, q->steps[i], &key);
		nsteps_done++;
		if (viol && key >= 0 && !fresh[key]) {
			const struct run *r = q->steps[i] == S_ENTER_A ||
					      q->steps[i] == S_ENTER_B ?
					      &ss.entry[q->steps[i] == S_ENTER_B] : &run;
			int j;

			*units = 0;
			for (j = 0; j < INV_NR; j++)
				if (viol & 1U << j)
					*units |= (unsigned long long)r->viol_unit[j] << (j * 3);
			return viol;
		}
		if (viol)
			return 0;	/* the per-state results report it */
	}
	return 0;
}

static void seq_key(const struct seq *q, char *buf, size_t len)
{
	int i, n;

	n = snprintf(buf, len, "%d.%d.%d.%d.", q->mode, q->pair, q->init, q->scen);
	for (i = 0; i < q->len && n < (int)len - 2; i++)
		n += snprintf(buf + n, len - n, "%c", 'a' + q->steps[i]);
}

static const char *const step_words[S_NR] = {
	"run", "migrate", "host CPU0 on", "host CPU0 off", "host CPU1 on",
	"host CPU1 off", "enter A", "exit A", "enter B", "exit B",
};

static void seq_steps(const struct seq *q, char *buf, size_t len)
{
	int i, n = 0;

	for (i = 0; i < q->len && n < (int)len - 1; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? "; " : "", step_words[q->steps[i]]);
}

static void cpus_text(const struct seq *q, char *buf, size_t len)
{
	const struct units *u = seq_pairs[q->pair];

	snprintf(buf, len, "CPU0 trbe=%s,spe=%s host=%s / CPU1 trbe=%s,spe=%s host=%s",
		 unit_word[u[0].trbe], unit_word[u[0].spe], q->init & 1 ? "on" : "off",
		 unit_word[u[1].trbe], unit_word[u[1].spe], q->init & 2 ? "on" : "off");
}

struct worst {
	struct seq first;
	unsigned int viol;
	unsigned long long units;
	long failing;
};

static void print_units(FILE *f, unsigned int viol, unsigned long long units)
{
	static const char *const un[] = { "trace", "spe", "other" };
	int i, u, first = 1, c;

	for (i = 0; i < INV_NR; i++) {
		if (!(viol & 1U << i))
			continue;
		fprintf(f, "%s%s=", first ? "" : ",", inv_names[i]);
		first = 0;
		for (c = 0, u = 0; u < 3; u++)
			if ((units >> (i * 3 + u)) & 1)
				fprintf(f, "%s%s", c++ ? "+" : "", un[u]);
		if (!c)
			fprintf(f, "other");
	}
}

/* Every valid sequence of q's mode, CPUs, start, scenario and length. */
static void run_all(struct seq *q, struct worst *w, long *total, long *failing)
{
	int nst = scen_nsteps[q->scen], i;
	long n = 1, k;

	/* a CPU without an owned unit is off */
	if (((q->init & 1) && !owned_any(0, q)) || ((q->init & 2) && !owned_any(1, q)))
		return;
	for (i = 0; i < q->len; i++)
		n *= nst;
	for (k = 0; k < n; k++) {
		unsigned long long units;
		unsigned int viol;
		long x = k;

		for (i = 0; i < q->len; i++, x /= nst)
			q->steps[i] = scen_steps[q->scen][x % nst];
		if (!valid(q))
			continue;
		(*total)++;
		viol = exec_seq(q, &units);
		if (!viol)
			continue;
		(*failing)++;
		if (!w->failing++) {
			w->first = *q;
			w->viol = viol;
			w->units = units;
		}
	}
}

int seq_results(const char *file, int maxlen)
{
	int nmodes = glue_hvhe ? 3 : 2, m, p, init, scen, len;
	static struct worst w[3][NPAIRS];
	long total = 0, failing = 0;
	FILE *f = fopen(file, "w");

	if (!f) {
		perror(file);
		return 1;
	}
	if (maxlen < 1 || maxlen > 12)
		maxlen = SEQ_MAXLEN;
	memset(w, 0, sizeof(w));
	for (m = 0; m < nmodes; m++)
		for (p = 0; p < NPAIRS; p++) {
			struct seq q = { m, p, 0, 0, 0, { 0 } };

			compute_fresh(&q);
			for (len = 1; len <= maxlen; len++)
				for (scen = 0; scen < 2; scen++)
					for (init = 0; init < 4; init++) {
						q.scen = scen;
						q.init = init;
						q.len = len;
						run_all(&q, &w[m][p], &total, &failing);
					}
		}
	fprintf(f, "# sequences: run=%ld\tbound=up to %d steps, %d CPU pairs, one vcpu migrating or two interleaving\tfailing=%ld\n",
		total, maxlen, NPAIRS, failing);
	fprintf(f, "#fields\tmode\tcpus\tsteps\tkey\tlength\tfailing\tviolation_units\n");
	for (m = 0; m < nmodes; m++)
		for (p = 0; p < NPAIRS; p++) {
			char key[64], steps[512], cpus[160];

			if (!w[m][p].failing)
				continue;
			seq_key(&w[m][p].first, key, sizeof(key));
			seq_steps(&w[m][p].first, steps, sizeof(steps));
			cpus_text(&w[m][p].first, cpus, sizeof(cpus));
			fprintf(f, "%s\t%s\t%s\t%s\t%d\t%ld\t", mode_names[m], cpus, steps, key,
				w[m][p].first.len, w[m][p].failing);
			print_units(f, w[m][p].viol, w[m][p].units);
			fputc('\n', f);
		}
	return fclose(f) ? 1 : 0;
}

int seq_explain(const char *key)
{
	struct seq q;
	const char *p;
	unsigned long long units;
	unsigned int viol;
	char cpus[160];
	int n = 0;

	memset(&q, 0, sizeof(q));
	if (sscanf(key, "%d.%d.%d.%d.%n", &q.mode, &q.pair, &q.init, &q.scen, &n) != 4 ||
	    q.mode < 0 || q.mode > 2 || q.pair < 0 || q.pair >= NPAIRS || q.scen < 0 ||
	    q.scen > 1 || q.init < 0 || q.init > 3) {
		fprintf(stderr, "explain-seq: bad key %s\n", key);
		return 2;
	}
	for (p = key + n; *p && q.len < 16; p++)
		q.steps[q.len++] = *p - 'a';
	compute_fresh(&q);
	cpus_text(&q, cpus, sizeof(cpus));
	printf("   %s, %s\n", mode_names[q.mode], cpus);
	verbose = 1;
	viol = exec_seq(&q, &units);
	verbose = 0;
	if (viol) {
		printf("   fails: ");
		print_units(stdout, viol, units);
		printf("\n");
	} else {
		printf("   no violation\n");
	}
	return 0;
}
