// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compare the model's results across targets: violations per target, the
 * cost of a world switch per class of state, the cost rule for patched
 * targets, and (with -d) the trace differences against mainline.
 *
 *   report [-d] [-c COSTS] [-t TARGET]... mainline=FILE unpatched-X=FILE patched-X=FILE
 *
 * -c COSTS: also write the cost table to COSTS as tab-separated records.
 * -t TARGET: violations that need the host to set its flags wrongly (in
 * protected mode) do not fail TARGET; they are still counted and shown.
 *
 * Proposed invariants (the project's own rules, not upstream's:
 * exit-regime-synced, patches/mainline-barrier) are counted as their own
 * class and never decide a target's result. A target X+barrier is X with
 * its follow-up series (the proposed patch): it must have none of them,
 * and X must have some (both directions shown). Its cost rule takes
 * mainline+barrier, when given, as the reference for enabled units.
 *
 * A results line: state key, host variant, honest (1/0), class, violated
 * invariants, nine counts (reads, writes, barriers for the trace unit, SPE
 * and other), the sysreg/barrier trace, then the units each violation
 * was about. Tab separated; a "#fields" line names the columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TARGETS	12
#define NCOST		9

static const char *const classes[] = { "none", "trbe", "spe", "both" };
static const char *const units[] = { "trace", "spe", "other" };
static const char *const counts[] = { "reads", "writes", "barriers" };

struct rec {
	char *key, *desc, *viol, *trace;
	int canon, cls, cost[NCOST];
	int real, prop;		/* violates an upstream / a proposed rule */
};

/* The project's own rules, not upstream's: a class of their own. */
static const char *const proposed[] = { "exit-regime-synced" };
#define PROPOSED_CLASS	"proposed: exit isb, patches/mainline-barrier"
#define FOLLOWUP	"+barrier"

static int is_proposed(const char *inv)
{
	size_t i;

	for (i = 0; i < sizeof(proposed) / sizeof(proposed[0]); i++)
		if (!strcmp(inv, proposed[i]))
			return 1;
	return 0;
}

/* Sets r->real and r->prop from r->viol ("a,b" or "-"). */
static void split_violations(struct rec *r)
{
	char buf[512], *p = buf, *s;

	r->real = r->prop = 0;
	snprintf(buf, sizeof(buf), "%s", r->viol);
	while ((s = strsep(&p, ",")) && strcmp(s, "-")) {
		if (is_proposed(s))
			r->prop = 1;
		else
			r->real = 1;
	}
}

struct target {
	const char *name, *file;
	struct rec *r;
	int n, nviol, nviol_honest;
	int nprop, nprop_honest;	/* states violating a proposed rule */
	char flavour[64];
};

static struct target tg[MAX_TARGETS];
static int ntg, failed;
/* Targets whose host-set-flag violations are accepted (-t NAME). */
static const char *trusted[MAX_TARGETS];
static int ntrusted;

static int is_trusted(const struct target *t)
{
	int i;

	for (i = 0; i < ntrusted; i++)
		if (!strcmp(trusted[i], t->name))
			return 1;
	return 0;
}

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "report: %s%s\n", msg, arg);
	exit(2);
}

static int parse(struct rec *r, char *line)
{
	char *f[7], *cost;
	int i;

	line[strcspn(line, "\n")] = 0;
	for (i = 0; i < 7; i++) {
		f[i] = strsep(&line, "\t");
		if (!f[i])
			return -1;
	}
	r->key = strdup(f[0]);
	r->desc = strdup(f[1]);
	r->canon = atoi(f[2]);
	for (r->cls = 0; r->cls < 4 && strcmp(classes[r->cls], f[3]); r->cls++)
		;
	r->viol = strdup(f[4]);
	cost = f[5];
	for (i = 0; i < NCOST; i++)
		r->cost[i] = strtol(cost, &cost, 10);
	r->trace = strdup(f[6]);
	return r->cls < 4 ? 0 : -1;
}

static void load(struct target *t)
{
	char line[8192];
	FILE *f = fopen(t->file, "r");
	int cap = 0;

	if (!f)
		die("cannot read results file ", t->file);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "# flavour: %63[^\n]", t->flavour) == 1 ||
		    line[0] == '#')
			continue;
		if (t->n == cap) {
			cap = cap ? 2 * cap : 1024;
			t->r = realloc(t->r, cap * sizeof(*t->r));
			if (!t->r)
				die("out of memory", "");
		}
		if (parse(&t->r[t->n], line))
			die("malformed results line in ", t->file);
		split_violations(&t->r[t->n]);
		t->nviol += t->r[t->n].real;
		t->nviol_honest += t->r[t->n].canon && t->r[t->n].real;
		t->nprop += t->r[t->n].prop;
		t->nprop_honest += t->r[t->n].canon && t->r[t->n].prop;
		t->n++;
	}
	fclose(f);
	if (!t->n)
		die("no states in ", t->file);
}

static struct target *find_target(const char *name)
{
	int i;

	for (i = 0; i < ntg; i++)
		if (!strcmp(tg[i].name, name))
			return &tg[i];
	return NULL;
}

/* X+barrier -> 1 */
static int is_followup(const struct target *t)
{
	size_t n = strlen(t->name), k = strlen(FOLLOWUP);

	return n > k && !strcmp(t->name + n - k, FOLLOWUP);
}

/* X+barrier -> X */
static struct target *without_followup(const struct target *t)
{
	char name[64];

	snprintf(name, sizeof(name), "%.*s",
		 (int)(strlen(t->name) - strlen(FOLLOWUP)), t->name);
	return find_target(name);
}

/* patched-X, patched-X+barrier -> unpatched-X */
static struct target *base_of(struct target *p)
{
	char name[64];

	snprintf(name, sizeof(name), "un%.*s",
		 (int)(strlen(p->name) - (is_followup(p) ? strlen(FOLLOWUP) : 0)),
		 p->name);
	return find_target(name);
}

/* The honest record for KEY; targets list their states in the same order. */
static struct rec *honest(struct target *t, const char *key, int hint)
{
	int i;

	for (i = 0; i < t->n; i++) {
		struct rec *r = &t->r[(hint + i) % t->n];

		if (r->canon && !strcmp(r->key, key))
			return r;
	}
	return NULL;
}

/* "entry-trbe-disabled 360, ..." over the honest or the other states. */
static void print_invariants(struct target *t, int canon)
{
	char names[32][40];
	int n[32] = { 0 }, nn = 0, i, j;

	for (i = 0; i < t->n; i++) {
		char buf[512], *p = buf, *s;

		if (t->r[i].canon != canon)
			continue;
		snprintf(buf, sizeof(buf), "%s", t->r[i].viol);
		while ((s = strsep(&p, ",")) && strcmp(s, "-")) {
			if (is_proposed(s))
				continue;	/* its own class: proposals() */
			for (j = 0; j < nn && strcmp(names[j], s); j++)
				;
			if (j == nn && nn < 32)
				snprintf(names[nn++], sizeof(names[0]), "%s", s);
			if (j < 32)
				n[j]++;
		}
	}
	if (!nn)
		return;
	printf("    %-20s %-9s", t->name, canon ? "honest:" : "host-set:");
	for (j = 0; j < nn; j++)
		printf("%s %s %d", j ? "," : "", names[j], n[j]);
	printf("\n");
}

static void verdicts(void)
{
	int i;

	printf("%-20s %-34s %6s %9s %7s  %s\n", "target", "flags read by the hyp",
	       "states", "violating", "(honest)", "result");
	for (i = 0; i < ntg; i++) {
		struct target *t = &tg[i];
		const char *res;

		if (!strcmp(t->name, "mainline"))
			res = t->nviol ? "FAIL: the reference violates: model is wrong" :
			      "ok (reference)";
		else if (!strncmp(t->name, "unpatched-", 10))
			res = t->nviol ? "ok: the bug is shown" :
			      "FAIL: no violation found in unpatched code";
		else if (t->nviol_honest || (t->nviol && !is_trusted(t)))
			res = "FAIL";
		else
			res = t->nviol ? "ok: host-set violations accepted (TRUSTED_HOST)" : "ok";
		failed |= !!strncmp(res, "ok", 2);
		printf("%-20s %-34s %6d %9d %7d  %s\n", t->name, t->flavour,
		       t->n, t->nviol, t->nviol_honest, res);
	}
	printf("violated invariants, honest host / host-set flags or guest trace filter:\n");
	for (i = 0; i < ntg; i++) {
		print_invariants(&tg[i], 1);
		print_invariants(&tg[i], 0);
	}
}

/*
 * The proposed class: counted per target, never a result above. Where a
 * target X+barrier (X with its follow-up series) is given, X must show
 * the violation and X+barrier must not: both directions of the proposal.
 */
static void proposals(void)
{
	int i;

	printf("\n%s (the project's own rule, not upstream's: never changes a result above)\n",
	       PROPOSED_CLASS);
	printf("  exit-regime-synced: a buffer enabled on exit (LIMITR.E written 1) before an isb has\n"
	       "  synchronised the host's MDCR_EL2, HCR_EL2, stage-2 and EL1 stage-1 writes\n");
	printf("  %-20s %6s %9s  %s\n", "target", "states", "(honest)", "expected");
	for (i = 0; i < ntg; i++) {
		struct target *t = &tg[i], *x = NULL;
		char res[160] = "-";
		int j;

		for (j = 0; j < ntg; j++)
			if (is_followup(&tg[j]) && without_followup(&tg[j]) == t)
				x = &tg[j];
		if (is_followup(t)) {
			if (t->nprop)
				snprintf(res, sizeof(res), "FAIL: the follow-up leaves it violated");
			else
				snprintf(res, sizeof(res), "ok: none with the follow-up");
		} else if (x) {
			if (t->nprop_honest)
				snprintf(res, sizeof(res), "ok: shown (none in %s)", x->name + strlen(t->name));
			else
				snprintf(res, sizeof(res), "FAIL: not shown here, yet %s is tested (upstream took the isb?)",
					 x->name);
		}
		failed |= !strncmp(res, "FAIL", 4);
		printf("  %-20s %6d %9d  %s\n", t->name, t->nprop,
		       t->nprop_honest, res);
	}
}

/*
 * The mean reads/writes/barriers per world switch of each target over the
 * honest states of class c that all targets have; returns their number.
 */
static int class_cost(struct target *ml, int c, double mean[][3])
{
	int i, j, k, n = 0;

	memset(mean, 0, sizeof(double) * 3 * MAX_TARGETS);
	for (k = 0; k < ml->n; k++) {
		struct rec *m = &ml->r[k], *r[MAX_TARGETS];

		if (!m->canon || m->cls != c)
			continue;
		for (i = 0; i < ntg; i++) {
			r[i] = honest(&tg[i], m->key, k);
			if (!r[i])
				break;
		}
		if (i < ntg)
			continue;	/* e.g. hVHE: not in 6.1 */
		n++;
		for (i = 0; i < ntg; i++)
			for (j = 0; j < NCOST; j++)
				mean[i][j % 3] += r[i]->cost[j];
	}
	for (i = 0; i < ntg; i++)
		for (j = 0; j < 3; j++)
			mean[i][j] /= n ? n : 1;
	return n;
}

/*
 * The cost table, for people; with costs set, the same numbers as records
 * (class, states, target, reads, writes, barriers; a header line names
 * them) for the scripts.
 */
static void cost_table(struct target *ml, FILE *costs)
{
	double mean[MAX_TARGETS][3];
	int c, i, n;

	printf("\ncost per world switch (entry+exit): mean sysreg reads/writes/barriers over honest states all targets have\n");
	printf("%-6s %5s", "class", "n");
	for (i = 0; i < ntg; i++)
		printf(" %15s", tg[i].name);
	printf("\n");
	if (costs)
		fprintf(costs, "class\tstates\ttarget\treads\twrites\tbarriers\n");
	for (c = 0; c < 4; c++) {
		n = class_cost(ml, c, mean);
		printf("%-6s %5d", classes[c], n);
		for (i = 0; i < ntg; i++) {
			char v[48];

			snprintf(v, sizeof(v), "%4.1f/%4.1f/%4.1f", mean[i][0],
				 mean[i][1], mean[i][2]);
			/* as wide as the column's name */
			printf(" %*s", strlen(tg[i].name) > 15 ?
			       (int)strlen(tg[i].name) : 15, v);
			if (costs)
				fprintf(costs, "%s\t%d\t%s\t%.1f\t%.1f\t%.1f\n",
					classes[c], n, tg[i].name, mean[i][0],
					mean[i][1], mean[i][2]);
		}
		printf("\n");
	}
}

/*
 * A patched target may not do more than its unpatched base for a unit that
 * has no buffer enabled, nor more than mainline for a unit that has one.
 */
static void cost_rule(struct target *p, struct target *ml)
{
	struct target *u = base_of(p);
	struct target *mlb = find_target("mainline" FOLLOWUP);

	/* The follow-up's isb is charged against mainline's follow-up. */
	if (is_followup(p) && mlb)
		ml = mlb;
	int k, j, bad = 0, seen = 0;
	char first[512] = "";

	for (k = 0; k < p->n; k++) {
		struct rec *r = &p->r[k], *m, *b, *ref;

		if (!r->canon)
			continue;
		m = honest(ml, r->key, k);
		b = honest(u, r->key, k);
		if (!m || !b)
			continue;
		seen++;
		for (j = 0; j < NCOST; j++) {
			int unit = j / 3, on = unit < 2 && (r->cls >> unit) & 1;

			ref = on ? m : b;
			if (r->cost[j] <= ref->cost[j])
				continue;
			if (!bad++)
				snprintf(first, sizeof(first),
					 "%s: %s %s %d > %s %d", r->key,
					 units[unit], counts[j % 3], r->cost[j],
					 on ? ml->name : u->name, ref->cost[j]);
			break;
		}
	}
	if (!seen) {
		printf("cost rule %-20s FAIL: no honest state in common with mainline and %s\n",
		       p->name, u->name);
		failed = 1;
	} else if (bad) {
		printf("cost rule %-20s FAIL: %d of %d states over budget, e.g.\n    %s\n",
		       p->name, bad, seen, first);
		failed = 1;
	} else {
		printf("cost rule %-20s ok: %d states, never more than %s for an idle unit nor %s for an enabled one\n",
		       p->name, seen, u->name, ml->name);
	}
}

/* With -d: each distinct pair of traces once, with how many states. */
static void differential(struct target *t, struct target *ml, int verbose)
{
	struct rec **mine = calloc(t->n, sizeof(*mine));
	struct rec **ref = calloc(t->n, sizeof(*ref));
	int *cnt = calloc(t->n, sizeof(*cnt));
	int k, j, n = 0, d = 0, np = 0;

	if (!mine || !ref || !cnt)
		die("out of memory", "");
	for (k = 0; k < t->n; k++) {
		struct rec *r = &t->r[k], *m;

		m = r->canon ? honest(ml, r->key, k) : NULL;
		if (!m)
			continue;
		n++;
		if (!strcmp(r->trace, m->trace))
			continue;
		d++;
		for (j = 0; j < np; j++)
			if (!strcmp(mine[j]->trace, r->trace) &&
			    !strcmp(ref[j]->trace, m->trace))
				break;
		if (j == np) {
			mine[np] = r;
			ref[np++] = m;
		}
		cnt[j]++;
	}
	for (j = 0; verbose && j < np; j++)
		printf("\n%d state(s), e.g. %s\n  %-20s %s\n  %-20s %s\n",
		       cnt[j], mine[j]->key, "mainline", ref[j]->trace,
		       t->name, mine[j]->trace);
	printf("differential %-20s trace differs from mainline in %d of %d honest states, %d distinct%s\n",
	       t->name, d, n, np, verbose || !d ? "" : " (make diff lists them)");
	free(mine);
	free(ref);
	free(cnt);
}

int main(int argc, char **argv)
{
	struct target *ml;
	FILE *costs = NULL;
	int i, verbose = 0;

	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!strcmp(argv[i], "-d")) {
			verbose = 1;
			continue;
		}
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			costs = fopen(argv[++i], "w");
			if (!costs)
				die("cannot write ", argv[i]);
			continue;
		}
		if (!strcmp(argv[i], "-t") && i + 1 < argc &&
		    ntrusted < MAX_TARGETS) {
			trusted[ntrusted++] = argv[++i];
			continue;
		}
		if (!eq || ntg == MAX_TARGETS)
			die("bad argument (want NAME=RESULTS): ", argv[i]);
		*eq = 0;
		tg[ntg].name = argv[i];
		tg[ntg].file = eq + 1;
		load(&tg[ntg++]);
	}
	ml = find_target("mainline");
	if (!ml)
		die("no mainline results: pass MAINLINE=<tree>", "");
	for (i = 0; i < ntg; i++)
		if (!strncmp(tg[i].name, "patched-", 8) &&
		    !base_of(&tg[i]))
			die("no unpatched base for ", tg[i].name);
	if (verbose) {
		for (i = 0; i < ntg; i++)
			if (&tg[i] != ml)
				differential(&tg[i], ml, 1);
		return 0;
	}
	verdicts();
	proposals();
	cost_table(ml, costs);
	if (costs && fclose(costs))
		die("cannot write the cost records", "");
	printf("  (sysreg accesses and isb/dsb/tsb/psb only; flag tests and hyp-private memory are not counted)\n");
	for (i = 0; i < ntg; i++)
		if (!strncmp(tg[i].name, "patched-", 8))
			cost_rule(&tg[i], ml);
	for (i = 0; i < ntg; i++)
		if (&tg[i] != ml)
			differential(&tg[i], ml, 0);
	printf("model: %s\n", failed ? "FAIL" : "ok");
	return failed;
}
