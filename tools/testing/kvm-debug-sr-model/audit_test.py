#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tests of audit.py's verdict rules, each on records made here (the
format of the model's results, see README) or in fixtures/audit-py.
Each rule has a case it must get right and one that shows it can fail.

  python3 audit_test.py   (test-audit.sh runs it first)
"""

import contextlib
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import audit  # noqa: E402

ON = "entry: R:TRBLIMITR_EL1 W:TRFCR_EL1=0x0 isb tsb dsb(nsh) W:TRBLIMITR_EL1=0x0 isb " \
     "|exit: W:TRBLIMITR_EL1=0x1 isb W:TRFCR_EL1=0x63"
UNFIXED = "entry: R:TRBLIMITR_EL1 |exit: W:TRFCR_EL1=0x63"


def rec(state="nvhe trbe=owned,E=1 trfcr=0x63 spe=absent errata=none", variant="-",
        cls="trbe", units=None, trace=ON, cost=None, proposed=None):
    units = units or {}
    proposed = proposed or {}
    return {"state": state, "variant": variant, "honest": "1" if variant == "-" else "0",
            "class": cls, "violations": ",".join(sorted(units) + sorted(proposed)) or "-",
            "cost": cost or [0] * 9, "trace": trace, "units": units,
            "proposed": proposed, "mode": state.split(" ", 1)[0], "violation_units": "-"}


def facts(recs, **info):
    base = {"line": "6.12.y", "version": "6.12.1", "protected": "yes", "hyp_vcpu": "yes"}
    base.update(info)
    return audit.Facts(base, recs, "vcpu-iflags")


def judge(f):
    tried = audit.attempted(f)
    per_unit, trusted = audit.findings(f)
    status = {u: audit.unit_status(u, per_unit, tried, f) for u in ("trace", "spe")}
    return audit.decide(status, per_unit), status, per_unit, trusted


class Rules(unittest.TestCase):
    def test_modes(self):
        self.assertEqual(audit.modes_of({"protected": "yes"}),
                         ["nvhe", "protected", "protected-hvhe"])
        self.assertEqual(audit.modes_of({"protected": "no"}), ["nvhe"])

    def test_impossible_without_driver(self):
        r = rec()
        self.assertTrue(audit.impossible(r, ["trace"]))
        self.assertFalse(audit.impossible(r, ["spe"]))

    def test_classify(self):
        honest = rec(state="protected trbe=absent trfcr=0 spe=absent errata=none", cls="none",
                     trace="")
        lie_acts = rec(state=honest["state"], variant="host-sets:SAVE_SPE=1,SAVE_TRBE=0",
                       cls="none", trace="entry: R:PMBLIMITR_EL1",
                       units={"no-absent-access": ["spe"]})
        lie_same = rec(state=honest["state"], variant="host-sets:SAVE_SPE=0,SAVE_TRBE=1",
                       cls="none", trace="")
        f = facts([honest, lie_acts, lie_same])
        self.assertEqual(audit.classify(honest, f), "honest")
        self.assertEqual(audit.classify(lie_acts, f), "host")
        # The lie changed nothing the hyp did: not a host-set state.
        self.assertEqual(audit.classify(lie_same, f), "same")
        f = facts([honest, lie_acts], hyp_vcpu="no")
        self.assertEqual(audit.classify(lie_acts, f), "trusted")
        # The target table trusts the host on the line (6.12.y today).
        f = facts([honest, lie_acts], trusted_host="mk/targets/6.12.y")
        self.assertEqual(audit.classify(lie_acts, f), "trusted")
        self.assertEqual(judge(f)[0], "fixed")

    def test_host_set_counts_only_where_flags_are_read(self):
        # A tree whose protected mode ignores the vcpu flags: each lying
        # variant does what the honest one does, violation included.
        st = "protected trbe=owned,E=1 trfcr=0x63 spe=absent errata=none"
        bad = {"entry-trbe-disabled": ["trace"]}
        recs = [rec(state=st, units=bad, trace=UNFIXED),
                rec(state=st, variant="host-sets:SAVE_SPE=1,SAVE_TRBE=1", units=bad,
                    trace=UNFIXED)]
        _, _, per_unit, _ = judge(facts(recs))
        d = per_unit["trace"]["entry-trbe-disabled"]
        self.assertEqual((d["honest"], d["host"]), (1, 0))

    def test_fixed(self):
        self.assertEqual(judge(facts([rec()]))[0], "fixed")

    def test_affected(self):
        r = rec(units={"entry-trbe-disabled": ["trace"]}, trace=UNFIXED)
        result, status, _, _ = judge(facts([r]))
        self.assertEqual((result, status["trace"]), ("affected", "affected"))

    def test_half_missing_is_wrong(self):
        spe = rec(state="nvhe trbe=absent trfcr=0 spe=owned,E=1,pmscr=0x43 errata=none",
                  cls="spe", trace="entry: R:PMBLIMITR_EL1",
                  units={"entry-spe-disabled": ["spe"]})
        result, status, _, _ = judge(facts([rec(), spe]))
        self.assertEqual(result, "fixed but wrong")
        self.assertEqual((status["trace"], status["spe"]), ("ok", "affected"))

    def test_cost_never_decides(self):
        k = "nvhe trbe=owned,E=0 trfcr=0 spe=absent errata=none"
        ml = {k: rec(state=k, cls="none", cost=[0] * 9)}
        mine = rec(state=k, cls="none", cost=[0, 2, 0] + [0] * 6)
        f = facts([mine])
        f.refs = {"mainline": ml, "unpatched": ml}
        seen, over, first = audit.cost_note(f)
        self.assertEqual((seen, over), (1, 1))
        self.assertIn("trace writes 2", first)
        self.assertEqual(judge(f)[0], "fixed")

    def test_sequences_count(self):
        f = facts([rec()])
        f.seqs = [{"mode": "nvhe", "cpus": "a/b", "steps": "x", "length": 3, "failing": 4,
                   "units": {"seq-stale-restore": ["trace"]}}]
        result, status, per_unit, _ = judge(f)
        self.assertEqual((result, status["trace"]), ("fixed but wrong", "wrong"))
        self.assertEqual(per_unit["trace"]["seq-stale-restore"]["seq"], 4)


class Proposed(unittest.TestCase):
    """The proposed class (exit-regime-synced): shown, never decisive."""

    def test_split(self):
        up, prop = audit.split_proposed({"exit-regime-synced": ["trace"],
                                         "entry-trbe-disabled": ["trace"]})
        self.assertEqual(up, {"entry-trbe-disabled": ["trace"]})
        self.assertEqual(prop, {"exit-regime-synced": ["trace"]})

    def test_never_decides(self):
        r = rec(proposed={"exit-regime-synced": ["trace"]})
        f = facts([r])
        result, status, per_unit, _ = judge(f)
        self.assertEqual((result, status["trace"]), ("fixed", "ok"))
        self.assertNotIn("exit-regime-synced", per_unit["trace"])
        prop = audit.proposed_findings(f)
        self.assertEqual(prop["trace"]["exit-regime-synced"]["honest"], 1)
        self.assertIn("patches/6.12.y-barrier", audit.proposed_advice(f, prop)[0])

    def test_counted_like_the_others(self):
        # A trusted lying host is not counted; an untrusted one is.
        st = "protected trbe=owned,E=1 trfcr=0x63 spe=absent errata=none"
        lie = rec(state=st, variant="host-sets:SAVE_SPE=0,SAVE_TRBE=1", trace=ON + " x",
                  proposed={"exit-regime-synced": ["trace"]})
        recs = [rec(state=st), lie]
        self.assertEqual(audit.proposed_findings(facts(recs))["trace"]
                         ["exit-regime-synced"]["host"], 1)
        self.assertFalse(any(audit.proposed_findings(
            facts(recs, trusted_host="mk/targets/6.12.y")).values()))

    def test_cost_of_the_isb(self):
        k = "nvhe trbe=owned,E=1 trfcr=0x63 spe=absent errata=none"
        ml = {k: rec(state=k, cost=[0, 0, 5] + [0] * 6, proposed={"exit-regime-synced": ["trace"]})}
        f = facts([rec(state=k, cost=[0, 0, 6] + [0] * 6)])
        f.refs = {"mainline": ml, "unpatched": ml}
        self.assertEqual(audit.cost_note(f)[1], 1)
        self.assertEqual(audit.proposal_cost(f), 1)
        # Two barriers more is more than the proposal's isb.
        f = facts([rec(state=k, cost=[0, 0, 7] + [0] * 6)])
        f.refs = {"mainline": ml, "unpatched": ml}
        self.assertEqual(audit.proposal_cost(f), 0)
        # A tree that violates the proposal gets no such allowance.
        f = facts([rec(state=k, cost=[0, 0, 6] + [0] * 6,
                       proposed={"exit-regime-synced": ["trace"]})])
        f.refs = {"mainline": ml, "unpatched": ml}
        self.assertEqual(audit.proposal_cost(f), 0)


class Advice(unittest.TestCase):
    def items(self, recs, shown=("trace", "spe"), over=0, **info):
        f = facts(recs, **info)
        result, status, per_unit, _ = judge(f)
        return result, audit.advice(result, f, per_unit, status, over, set(shown))

    def test_fixed_over_cost_points_at_no_counterexample(self):
        result, items = self.items([rec()], over=3)
        self.assertEqual(result, "fixed")
        self.assertEqual(len(items), 1)
        self.assertNotIn("counterexample", items[0])
        self.assertIn("cost note", items[0])

    def test_names_every_broken_unit_and_the_lying_host(self):
        # SPE missing, TRBE wrong only with a lying host.
        st = "protected trbe=absent trfcr=0 spe=absent errata=none"
        recs = [rec(), rec(state=st, cls="none", trace=""),
                rec(state=st, variant="host-sets:SAVE_SPE=0,SAVE_TRBE=1", cls="none",
                    trace="entry: R:TRBLIMITR_EL1", units={"no-absent-access": ["trace"]}),
                rec(state="nvhe trbe=absent trfcr=0 spe=owned,E=1,pmscr=0x43 errata=none",
                    cls="spe", trace="entry: R:PMBLIMITR_EL1",
                    units={"entry-spe-disabled": ["spe"]})]
        result, items = self.items(recs)
        self.assertEqual(result, "fixed but wrong")
        text = "\n".join(items)
        self.assertIn("backport the SPE half", text)
        self.assertIn("fix the TRBE half", text)
        self.assertIn("decide from what the hyp recorded", text)

    def test_no_counterexample_no_pointer(self):
        r = rec(units={"exit-restore-identical": ["trace"]})
        _, items = self.items([r], shown=())
        self.assertNotIn("counterexample", "\n".join(items))
        _, items = self.items([r])
        self.assertIn("TRBE counterexample below", "\n".join(items))


class Verdict(unittest.TestCase):
    """verdict() end to end on fixtures/audit-py."""

    def run_verdict(self, results, **info):
        base = {"line": "6.12.y", "version": "6.12.1", "protected": "yes",
                "hyp_vcpu": "yes"}
        base.update(info)
        fx = os.path.join(HERE, "fixtures", "audit-py")
        base.setdefault("ref_mainline", os.path.join(fx, "ref-mainline.results"))
        base.setdefault("ref_unpatched", os.path.join(fx, "ref-unpatched.results"))
        with tempfile.NamedTemporaryFile("w", suffix=".info", delete=False) as f:
            f.write("".join("%s=%s\n" % kv for kv in base.items()))
        args = type("A", (), {"info": f.name, "results": os.path.join(fx, results),
                              "sequences": None, "model": None})
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                rc = audit.verdict(args)
        finally:
            os.unlink(f.name)
        return rc, out.getvalue()

    def test_idle_writes_fixed_with_cost_note(self):
        rc, out = self.run_verdict("idle-writes.results")
        self.assertEqual(rc, 0)
        self.assertIn("verdict: FIXED\n", out)
        self.assertIn("cost: a note, not a fault", out)
        self.assertNotIn("counterexample", out)

    def test_lying_host_untrusted(self):
        rc, out = self.run_verdict("fixed-but-lying.results")
        self.assertEqual(rc, 3)
        self.assertIn("counterexample (SPE): protected", out)

    def test_lying_host_trusted(self):
        rc, out = self.run_verdict("fixed-but-lying.results", hyp_vcpu="no")
        self.assertEqual(rc, 0)
        self.assertIn("not counted: 1 state", out)

    def test_affected(self):
        rc, out = self.run_verdict("affected.results")
        self.assertEqual(rc, 2)
        self.assertIn("next: apply patches/6.12.y", out)


    def test_proposed_violated_is_fixed(self):
        rc, out = self.run_verdict("proposed-violated.results")
        self.assertEqual(rc, 0)
        self.assertIn("verdict: FIXED\n", out)
        self.assertIn("  TRBE: ok", out)
        self.assertIn("proposed: exit isb, patches/mainline-barrier (the project's own rule", out)
        self.assertIn("TRBE exit-regime-synced", out)
        self.assertIn("next: optional, the project's proposal", out)
        self.assertNotIn("counterexample", out)

    def test_proposed_held_explains_its_cost(self):
        rc, out = self.run_verdict("proposed-held.results")
        self.assertEqual(rc, 0)
        self.assertIn("proposed: exit isb, patches/mainline-barrier: holds", out)
        self.assertIn("1 of them only by the proposed exit isb", out)
        self.assertIn("next: nothing: the tree disables both buffers", out)

    def test_proposed_never_picks_the_counterexample(self):
        rc, out = self.run_verdict("proposed-spe-wrong-trbe.results")
        self.assertEqual(rc, 3)
        self.assertIn("  SPE:  ok", out)
        self.assertIn("SPE exit-regime-synced", out)
        self.assertIn("the tree lost it", out)
        self.assertIn("counterexample (TRBE)", out)
        self.assertNotIn("counterexample (SPE)", out)


class Diagnose(unittest.TestCase):
    """diagnose(): a build failure is named by its construct and file."""

    def test_generated_name_without_sysreg(self):
        msg = "'ID_AA64DFR0_EL1_PMSVer' undeclared (first use in this function)"
        self.assertIn("kbuild generates", audit.construct(msg, has_sysreg=False))
        self.assertNotIn("kbuild generates", audit.construct(msg, has_sysreg=True))
        self.assertNotIn("kbuild generates",
                         audit.construct("'vendor_limit' undeclared", has_sysreg=False))

    def diagnose(self, log):
        with tempfile.TemporaryDirectory() as d:
            info, path = os.path.join(d, "info"), os.path.join(d, "build.log")
            with open(info, "w", encoding="utf-8") as f:
                f.write("tree=/nowhere\nversion=6.12.1\n")
            with open(path, "w", encoding="utf-8") as f:
                f.write(log)
            args = type("A", (), {"info": info, "log": path, "gen": None})
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                rc = audit.diagnose(args)
        return rc, err.getvalue()

    def test_compiler_error_names_file_and_construct(self):
        rc, err = self.diagnose(
            "/nowhere/arch/arm64/kvm/hyp/nvhe/debug-sr.c:12:5: error: implicit "
            "declaration of function 'vendor_quiesce'\n")
        self.assertEqual(rc, 1)
        self.assertIn("arch/arm64/kvm/hyp/nvhe/debug-sr.c:12 calls vendor_quiesce()", err)

    def test_make_step_without_compiler_error(self):
        rc, err = self.diagnose(
            "make[1]: Entering directory '/x'\n"
            "make[1]: *** [Makefile:60: /o/tree/gen/host_data.h] Error 1\n"
            "make[1]: Leaving directory '/x'\n")
        self.assertEqual(rc, 1)
        self.assertIn("making host_data.h failed", err)
        self.assertNotIn("Leaving directory", err)


if __name__ == "__main__":
    unittest.main(verbosity=1)
