// SPDX-License-Identifier: GPL-2.0-only
/*
 * The world-switch invariants, checked event by event as the code under
 * test drives the hardware model: an observer of its writes, barriers and
 * phases (check_observer, which the driver subscribes), that reports
 * violations into the model's log. Across world switches (sequences),
 * a value written back on the way out must be the host's current one for
 * this CPU: not an older one (stale) nor another CPU's.
 *
 * exit-regime-synced is the project's own proposal (patches/mainline-
 * barrier, Documentation/virt/kvm/arm/trace-buffer-barriers.rst), not
 * upstream's rule: the report shows it as its own class.
 */
#include <stdio.h>
#include <string.h>
#include "hw-int.h"
#include "check.h"


/* Sequence trackers: csync after a synchronised prohibit, then dsb. */
struct unit_chk {
	int stage;		/* 0, 1: isb seen, 2: csync seen, 3: dsb seen */
	int prohibited;		/* the filter register was written */
	int off_pending;	/* buffer disabled, no isb yet */
	int redrain;		/* 0 not needed, 1 needed, 2 csync, 3 done */
	int reenabled, isbs;	/* exit: buffer re-enabled, isbs since */
	int unit;		/* CU_TRACE or CU_SPE, for the violations */
};

static struct unit_chk tc, sc;
static int idle;
/*
 * Exit path: a register the buffers read for their owner or regime was
 * written since the last isb. The callers of __debug_switch_to_host()
 * (__deactivate_traps(), __load_host_stage2(),
 * __sysreg_restore_state_nvhe()) write MDCR_EL2, HCR_EL2, VTTBR_EL2,
 * VTCR_EL2 and the EL1 stage-1 registers, so it is set when the exit
 * path starts; only an isb (a context synchronisation event) clears it.
 */
static int regime_pending;

static int live(int reg)
{
	const char *why;

	return accessible(regs[reg].kind, &why);
}

static void check_disable(struct unit_chk *c, int filt, const char *what)
{
	if (regs[filt].val && live(filt))
		violate(INV_DRAIN, c->unit, "%s disabled while %s = 0x%llx", what,
			regs[filt].name, regs[filt].val);
	else if (c->stage < 3)
		violate(INV_DRAIN, c->unit, "%s disabled before isb, csync, dsb completed (%d of 3 done)",
			what, c->stage);
	c->off_pending = 1;
}

/* Exit path: the filter register is written with the buffer live again. */
static void check_filter(struct unit_chk *c, int buf, int filt, int cap)
{
	if (phase != PH_EXIT || !(regs[buf].init & E_BIT) || !live(buf))
		return;
	if (!(regs[buf].val & E_BIT))
		violate(INV_ENABLE_FIRST, c->unit, "%s restored while the buffer is still disabled",
			regs[filt].name);
	else if (c->reenabled && c->isbs < 1)
		violate(INV_ENABLE_FIRST, c->unit, "%s restored with no isb after re-enabling the buffer",
			regs[filt].name);
	else if (c->reenabled && cap && c->isbs < 2)
		violate(INV_2038923, c->unit, "%s restored after %d isb (erratum wants 2)",
			regs[filt].name, c->isbs);
}

/* Proposed: a buffer enabled on exit sees the host's regime, synchronised. */
static void check_regime_synced(struct unit_chk *c, int buf,
				unsigned long long val)
{
	if (phase != PH_EXIT || !(val & E_BIT) || !regime_pending)
		return;
	violate(INV_EXIT_SYNC, c->unit, "%s.E set with the host's MDCR_EL2, HCR_EL2, stage-2 and EL1 regs not synchronised (no isb since)",
		regs[buf].name);
}

static void on_buffer_write(struct unit_chk *c, int buf, int filt,
			    unsigned long long old, unsigned long long val,
			    int redrain_cap)
{
	check_regime_synced(c, buf, val);
	if ((old & E_BIT) && !(val & E_BIT)) {
		check_disable(c, filt, regs[buf].name);
		c->redrain = redrain_cap ? 1 : 0;
	} else if (!(old & E_BIT) && (val & E_BIT)) {
		c->reenabled = 1;
		c->isbs = 0;
	}
}

/* Sequences: a value put back on the way out that is not the host's now. */
static void check_provenance(int reg, unsigned long long val)
{
	if (phase != PH_EXIT || !val)
		return;
	switch (hw_programmed(reg, val)) {
	case HW_BEFORE:
		violate(INV_STALE, reg_unit(reg), "%s <- 0x%llx, a value the host had programmed on this CPU before, not its current 0x%llx",
			regs[reg].name, val, regs[reg].init);
		break;
	case HW_OTHER_CPU:
		violate(INV_CROSS, reg_unit(reg), "%s <- 0x%llx, a value the host programmed on another CPU",
			regs[reg].name, val);
		break;
	}
}

static void on_write(int i, unsigned long long old, unsigned long long val)
{
	if (idle && old != val)
		violate(INV_IDLE, reg_unit(i), "%s changed (to 0x%llx) though no unit is in use",
			regs[i].name, val);
	check_provenance(i, val);
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
	case R_MDCR:
		/* E2TB/E2PB: the buffers' owner. */
		if (phase == PH_EXIT)
			regime_pending = 1;
		break;
	}
}

static void isb_unit(struct unit_chk *c)
{
	if (!c->stage)
		c->stage = 1;
	if (c->off_pending && (c->redrain == 0 || c->redrain == 3))
		c->off_pending = 0;
	c->isbs++;
}

static void dsb_unit(struct unit_chk *c)
{
	if (c->stage == 2)
		c->stage = 3;
	if (c->redrain == 2)
		c->redrain = 3;
}

static void csync(struct unit_chk *c, int filt, const char *what)
{
	if (regs[filt].val && live(filt))
		violate(INV_PROHIBIT, c->unit, "%s while %s = 0x%llx", what,
			regs[filt].name, regs[filt].val);
	else if (c->prohibited && c->stage < 1)
		violate(INV_PROHIBIT, c->unit, "%s with no isb after the %s write",
			what, regs[filt].name);
	if (c->stage < 2)
		c->stage = 2;
	if (c->off_pending && c->redrain == 1)
		c->redrain = 2;
}

static void on_barrier(int kind)
{
	if (idle)
		violate(INV_IDLE, kind == EV_TSB ? CU_TRACE : kind == EV_PSB ? CU_SPE : CU_OTHER,
			"%s executed though no unit is in use",
			kind == EV_ISB ? "isb" : kind == EV_DSB ? "dsb" :
			kind == EV_TSB ? "tsb csync" : "psb csync");
	switch (kind) {
	case EV_ISB:
		regime_pending = 0;
		isb_unit(&tc);
		isb_unit(&sc);
		break;
	case EV_DSB:
		/* Any full-system or non-shareable dsb completes the drain. */
		dsb_unit(&tc);
		dsb_unit(&sc);
		break;
	case EV_TSB:
		csync(&tc, R_TRFCR, "tsb csync");
		break;
	case EV_PSB:
		csync(&sc, R_PMSCR, "psb csync");
		break;
	}
}

static void pending_checks(struct unit_chk *c, const char *what)
{
	if (!c->off_pending)
		return;
	if (c->redrain == 1 || c->redrain == 2)
		violate(INV_2064142, c->unit, "%s disabled, but not drained again (tsb csync; dsb) before the isb",
			what);
	else
		violate(INV_ISB_DISABLE, c->unit, "%s disabled, but no isb before guest entry",
			what);
}

/* The guest runs with whatever the entry path left in the hardware. */
static void check_guest_entry(void)
{
	if (live(R_TRBLIMITR) && (regs[R_TRBLIMITR].val & E_BIT))
		violate(INV_ENTRY_TRBE, CU_TRACE, "TRBLIMITR_EL1.E = 1: the host's trace buffer is live in the guest");
	if (live(R_PMBLIMITR) && (regs[R_PMBLIMITR].val & E_BIT))
		violate(INV_ENTRY_SPE, CU_SPE, "PMBLIMITR_EL1.E = 1: the host's profiling buffer is live in the guest");
	pending_checks(&tc, "TRBLIMITR_EL1");
	pending_checks(&sc, "PMBLIMITR_EL1");
}

static void check_final(void)
{
	int i;

	for (i = 0; i < R_NR; i++)
		if (regs[i].val != regs[i].init)
			violate(INV_IDENTICAL, reg_unit(i), "%s = 0x%llx after exit, host had 0x%llx",
				regs[i].name, regs[i].val, regs[i].init);
}

static void on_begin(int is_idle)
{
	memset(&tc, 0, sizeof(tc));
	memset(&sc, 0, sizeof(sc));
	tc.unit = CU_TRACE;
	sc.unit = CU_SPE;
	idle = is_idle;
	regime_pending = 0;
}

static void on_phase(int ph)
{
	switch (ph) {
	case PH_GUEST:
		check_guest_entry();
		break;
	case PH_EXIT:
		tc.stage = 0;
		sc.stage = 0;
		regime_pending = 1;
		break;
	case PH_END:
		check_final();
		break;
	}
}

const struct hw_observer check_observer = {
	.begin = on_begin,
	.write = on_write,
	.barrier = on_barrier,
	.phase = on_phase,
};
