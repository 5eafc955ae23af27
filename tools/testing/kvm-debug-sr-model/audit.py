#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The verdict of 'make audit' (mk/audit.sh) on one kernel tree.

  audit.py verdict --info INFO --results FILE [--sequences FILE] [--model BIN]
  audit.py diagnose --info INFO --log BUILD_LOG [--gen DIR]

INFO is a key=value record written by mk/audit.sh (the tree, its version
and line, which protected-mode design its hyp has, the results files of
the references or why each was skipped). FILE is the model's results for
the tree: a "#fields" line names the columns.

verdict prints what a person can act on and exits 0 (fixed: every
invariant holds in every state and sequence; a tree over the cost rule is
fixed too, with a cost note), 2 (affected: the buffers stay enabled in the
guest, no fix attempted) or 3 (fixed but wrong: a fix is there, but an
invariant fails). Correctness alone decides. The project's proposed
invariants (exit-regime-synced: patches/mainline-barrier) are shown as a
class of their own and never change the verdict or the exit status.
diagnose turns a failed model build into the construct that stopped it
and exits 1.
"""

import argparse
import os
import re
import signal
import subprocess
import sys

UNITS = ("trace", "spe", "other")
UNIT_NAME = {"trace": "TRBE", "spe": "SPE", "other": "other"}
CLASSES = ("none", "trbe", "spe", "both")
CLASS_NAME = {"none": "buffers off", "trbe": "TRBE on", "spe": "SPE on",
              "both": "both on"}
# The register whose clearing is the fix, per unit.
DISABLE = {"trace": "W:TRBLIMITR_EL1=0x0", "spe": "W:PMBLIMITR_EL1=0x0"}
INV_MEANING = {
    "entry-trbe-disabled": "the trace buffer is still enabled in the guest",
    "entry-spe-disabled": "the profiling buffer is still enabled in the guest",
    "prohibit-before-drain": "drained before trace/profiling was prohibited and synchronised",
    "drain-before-disable": "buffer disabled before it was drained (csync; dsb)",
    "isb-after-disable": "no isb between disabling the buffer and guest entry",
    "erratum-2064142-redrain": "no second drain on Cortex-A510 (erratum 2064142)",
    "exit-restore-identical": "the host's registers differ after the world switch",
    "exit-enable-before-filter": "TRFCR/PMSCR restored before the buffer is back on (+isb)",
    "erratum-2038923-isb": "no second isb before TRFCR on Cortex-A510 (erratum 2038923)",
    "no-absent-access": "register of an absent or not-owned unit touched: UNDEF, hyp panic",
    "idle-untouched": "barrier or write that changes a value with no unit in use",
    "seq-stale-restore": "a value the host had programmed on this CPU before is put back",
    "seq-cross-cpu": "a value the host programmed on another CPU is put back",
}
EXIT = {"fixed": 0, "affected": 2, "fixed but wrong": 3}
# The project's own rules, not upstream's: shown apart, never counted in
# the verdict (Documentation/virt/kvm/arm/trace-buffer-barriers.rst).
PROPOSED = {
    "exit-regime-synced": "a buffer enabled on exit before an isb has synchronised "
                          "the host's MDCR_EL2, HCR_EL2, stage 2 and EL1 stage 1",
}
PROPOSED_CLASS = "proposed: exit isb, patches/mainline-barrier"


def read_info(path):
    info = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                info[k] = v
    return info


def read_fielded(path):
    """A file of the model's: its comment lines, and its records named by
    its #fields line (tab-separated), in file order."""
    fields, comments, recs = None, [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#fields\t"):
                fields = line.split("\t")[1:]
            elif line.startswith("#"):
                comments.append(line)
            elif line:
                if fields is None:
                    raise SystemExit("audit: %s has no #fields line; rebuild it" % path)
                vals = line.split("\t")
                if len(vals) != len(fields):
                    raise SystemExit("audit: malformed line in %s" % path)
                recs.append(dict(zip(fields, vals)))
    return comments, recs


def units_of(text):
    """'inv=spe+trbe,inv2=spe' as {inv: [spe, trbe], inv2: [spe]}."""
    out = {}
    for item in text.split(","):
        inv, units = item.split("=", 1)
        out[inv] = units.split("+")
    return out


def split_proposed(units):
    """{inv: units} as (upstream's invariants, the proposed ones)."""
    return ({k: v for k, v in units.items() if k not in PROPOSED},
            {k: v for k, v in units.items() if k in PROPOSED})


def read_results(path):
    """The results file as records named by its #fields line."""
    comments, recs = read_fielded(path)
    flavour = ""
    for line in comments:
        if line.startswith("# flavour:"):
            flavour = line[len("# flavour:"):].strip()
    for rec in recs:
        rec["mode"] = rec["state"].split(" ", 1)[0]
        rec["cost"] = [int(x) for x in rec["cost"].split()]
        rec["units"], rec["proposed"] = {}, {}
        if rec["violation_units"] != "-":
            rec["units"], rec["proposed"] = split_proposed(units_of(rec["violation_units"]))
    if not recs:
        raise SystemExit("audit: no states in %s" % path)
    return recs, flavour


def honest_by_key(recs):
    return {r["state"]: r for r in recs if r["honest"] == "1"}


def lying(rec):
    """A protected-mode host that wrote vcpu flags against the hardware."""
    return "host-sets:" in rec["variant"]


def entry_part(trace):
    return trace.split("|exit:", 1)[0]


def mean_costs(states, table):
    """reads/writes/barriers summed over the units, mean over states."""
    sums = [0, 0, 0]
    for k in states:
        c = table[k]["cost"]
        for j in range(9):
            sums[j % 3] += c[j]
    n = len(states) or 1
    return "%.1f/%.1f/%.1f" % tuple(s / n for s in sums)


def cost_rule(mine, idle_ref, on_ref):
    """Per honest state and unit: no more than idle_ref for a unit with no
    buffer enabled, no more than on_ref (mainline) for one enabled.
    Returns (states compared, over-budget states, first example)."""
    seen, bad, first = 0, 0, ""
    for k, r in mine.items():
        on_r = on_ref.get(k) if on_ref is not None else None
        idle_r = idle_ref.get(k) if idle_ref is not None else None
        cls = CLASSES.index(r["class"])
        compared = False
        for j in range(9):
            unit = j // 3
            on = unit < 2 and (cls >> unit) & 1
            ref = on_r if on else idle_r
            if ref is None:
                continue
            compared = True
            if r["cost"][j] > ref["cost"][j]:
                bad += 1
                if not first:
                    first = "%s: %s %s %d, %s %d" % (
                        k, UNITS[unit], ("reads", "writes", "barriers")[j % 3],
                        r["cost"][j], "mainline" if on else "the unpatched line",
                        ref["cost"][j])
                break
        seen += compared
    return seen, bad, first


# --- verdict: facts gathered once, then small named rules ---------------
#
# gather() reads the inputs into one Facts record; each rule below reads
# Facts and returns one thing (a classification, a status, a list of
# lines). verdict() only calls them in order and prints. audit_test.py
# tests each rule on records made in the test.

MODES = ("nvhe", "protected", "protected-hvhe")
FIXES = {"trace": "d133aa75e39d", "spe": "07695f7dc1e1"}


class Facts:
    """What the audit knows about one tree, before any judgement."""

    def __init__(self, info, recs, flavour, seqs=None, seq_summary=None):
        self.info = info
        self.line = info.get("line", "none")
        self.flavour = flavour
        self.modes = modes_of(info)
        self.no_driver = no_driver(info)
        kept = [r for r in recs if r["mode"] in self.modes]
        self.recs = [r for r in kept if not impossible(r, self.no_driver)]
        self.impossible = len(kept) - len(self.recs)
        # Rule: the host is trusted in protected mode where the hyp runs
        # the host's own vcpu, or where the project's target table says so
        # for the tree's line (MODEL_TRUSTED_HOST).
        self.trust_host = info.get("hyp_vcpu") != "yes" or bool(info.get("trusted_host"))
        self.honest = honest_by_key(self.recs)
        self.seqs = [s for s in (seqs or []) if s["mode"] in self.modes]
        self.seq_summary = seq_summary or {}
        self.refs, self.ref_flavour, self.ref_skipped = {}, {}, []


def modes_of(info):
    """Rule: the modes the tree has (protected from 5.12, hVHE from 6.5;
    the model only runs protected-hvhe for a tree that has it)."""
    return list(MODES) if info.get("protected") == "yes" else ["nvhe"]


def no_driver(info):
    """Rule: a unit whose host driver the tree lacks is never enabled by
    the host (5.10 has no TRBE driver)."""
    return [u for u, key in (("trace", "trbe_driver"), ("spe", "spe_driver"))
            if info.get(key) == "no"]


def impossible(rec, units):
    """Rule: a state with a buffer enabled whose unit has no host driver."""
    pats = {"trace": "trbe=owned,E=1", "spe": "spe=owned,E=1"}
    return any(pats[u] in rec["state"] for u in units)


def classify(rec, facts):
    """Rule: how one violating state counts.
    honest    the host set every flag as the hardware says;
    host      the host wrote vcpu flags against the hardware, and the hyp
              acted on them (its trace differs from the honest one);
    trusted   as host, in a tree whose protected mode runs the host's own
              vcpu: the host is trusted there, shown but not counted;
    same      as host, but the hyp did just what it does for an honest
              host: the tree does not read a host-writable flag here, so
              the state is the honest one again and is not counted twice."""
    if not lying(rec):
        return "honest"
    twin = facts.honest.get(rec["state"])
    if twin is not None and twin["trace"] == rec["trace"] and \
            twin["violations"] == rec["violations"]:
        return "same"
    return "trusted" if facts.trust_host else "host"


def attempted(facts):
    """Rule: a unit's fix is there when some state's entry path clears its
    buffer's LIMITR (the disable that is the fix)."""
    return {u: any(DISABLE[u] in entry_part(r["trace"]) for r in facts.recs)
            for u in ("trace", "spe")}


def findings(facts):
    """Per unit (trace, spe, other): {invariant: {modes, honest, host, seq}}
    over the counted states and the failing sequences; and the states
    not counted because the host is trusted."""
    per_unit = {u: {} for u in UNITS}
    trusted = []

    def add(u, inv, mode, kind, n=1):
        d = per_unit[u].setdefault(inv, {"modes": set(), "honest": 0,
                                          "host": 0, "seq": 0})
        d["modes"].add(mode)
        d[kind] += n

    for r in facts.recs:
        if not r["units"]:
            continue
        kind = classify(r, facts)
        if kind == "trusted":
            trusted.append(r)
        if kind not in ("honest", "host"):
            continue
        for inv, units in r["units"].items():
            for u in units:
                add(u, inv, r["mode"], kind)
    for s in facts.seqs:
        for inv, units in s["units"].items():
            for u in units:
                add(u, inv, s["mode"], "seq", s["failing"])
    return per_unit, trusted


def proposed_findings(facts):
    """Per unit: {invariant: {modes, honest, host}} of the proposed
    invariants, over the states counted as findings() counts them (an
    honest host, or one whose lie the hyp acted on where it is not
    trusted). Never part of the verdict."""
    out = {u: {} for u in UNITS}
    for r in facts.recs:
        if not r.get("proposed"):
            continue
        kind = classify(r, facts)
        if kind not in ("honest", "host"):
            continue
        for inv, units in r["proposed"].items():
            for u in units:
                d = out[u].setdefault(inv, {"modes": set(), "honest": 0, "host": 0})
                d["modes"].add(r["mode"])
                d[kind] += 1
    return out


def proposed_advice(facts, prop):
    """Rule: where a proposed invariant fails, one optional item naming
    the patch that makes it hold on the tree's line."""
    if not any(prop.values()):
        return []
    patch = {"6.12.y": "patches/6.12.y-barrier", "6.1.y": "patches/6.1.y-barrier"}.get(
        facts.line, "patches/mainline-barrier")
    return ["optional, the project's proposal and not upstream's (the verdict does not "
            "count it): an isb before a buffer is re-enabled on the way back from the "
            "guest, as %s adds for the TRBE" % patch]


def unit_status(unit, per_unit, tried, facts):
    """Rule: one buffer's status: ok, n/a (no host driver), AFFECTED (no
    disable for the guest at all) or WRONG (a disable, but a rule fails)."""
    if not per_unit[unit]:
        if unit in facts.no_driver:
            return "n/a"
        return "ok" if tried[unit] else "ok-untouched"
    return "wrong" if tried[unit] else "affected"


def decide(status, per_unit):
    """Rule: correctness alone decides. Fixed when no counted invariant
    fails for any unit; affected when some do and neither buffer's fix is
    there; fixed but wrong otherwise. The cost rule never changes it."""
    bad = [u for u in ("trace", "spe") if status[u] in ("wrong", "affected")]
    if not bad and not per_unit["other"]:
        return "fixed"
    if not any(status[u] == "wrong" for u in ("trace", "spe")) and \
            not any(s == "ok" for s in status.values()):
        return "affected"
    return "fixed but wrong"


def cost_note(facts):
    """Rule: the cost rule, as a note. Returns (states compared, states
    over budget, first example); the idle reference is the unpatched line
    (mainline for a mainline tree)."""
    idle_ref = facts.refs.get("mainline" if facts.line == "mainline" else "unpatched")
    return cost_rule(facts.honest, idle_ref, facts.refs.get("mainline"))


def proposal_cost(facts):
    """Rule: how many states are over the cost rule only by the proposed
    exit isb: where this tree holds the proposed invariants with the TRBE
    enabled, it is held against mainline with that isb (one barrier more,
    as patches/mainline-barrier adds; the model charges a barrier to the
    unit of the nearest register access, so to TRBE or to SPE)."""
    ml = facts.refs.get("mainline")
    if ml is None:
        return 0
    idle_ref = facts.refs.get("mainline" if facts.line == "mainline" else "unpatched")
    n = 0
    for k, r in facts.honest.items():
        if k not in ml or r["class"] not in ("trbe", "both") or r.get("proposed"):
            continue
        one = {k: r}
        if not cost_rule(one, idle_ref, ml)[1]:
            continue
        for j in (2, 5):        # trace barriers, SPE barriers
            cost = list(ml[k]["cost"])
            cost[j] += 1
            if not cost_rule(one, idle_ref, {k: dict(ml[k], cost=cost)})[1]:
                n += 1
                break
    return n


def needs_lying_host(per_unit):
    """Rule: some counted violation happens only when the host lies."""
    return any(d["host"] for u in UNITS for d in per_unit[u].values())


def advice(result, facts, per_unit, status, over, shown):
    """Rule: what to do, one item a line; it names every broken unit, and
    points only at what is printed (shown: units with a counterexample)."""
    if result == "fixed":
        if over:
            return ["nothing is required: the fix is right in every state; the cost "
                    "note says where it does more per world switch than the rule allows "
                    "(optional to change)"]
        return ["nothing: the tree disables both buffers for the guest as mainline does"]
    if result == "affected" and facts.line in ("6.12.y", "6.1.y"):
        return ["apply patches/%s (the project's backport; 'make tree TARGET=%s' "
                "shows it applied), then audit again" % (facts.line, facts.line)]
    items = []
    missing = [u for u in ("trace", "spe") if status[u] == "affected"]
    if missing:
        items.append("backport the %s half (%s)%s, then audit again" % (
            " and ".join(UNIT_NAME[u] for u in missing),
            ", ".join(FIXES[u] for u in missing),
            "; patches/6.12.y and patches/6.1.y show backports to trees without "
            "mainline's host_data flags" if result == "affected" else ""))
    for u in ("trace", "spe"):
        if status[u] != "wrong":
            continue
        invs = ", ".join(sorted(per_unit[u]))
        if u in shown:
            items.append("fix the %s half (%s): compare the %s counterexample below "
                         "with mainline's nvhe/debug-sr.c" % (UNIT_NAME[u], invs, UNIT_NAME[u]))
        else:
            items.append("fix the %s half (%s): compare its code with mainline's "
                         "nvhe/debug-sr.c" % (UNIT_NAME[u], invs))
    if per_unit["other"]:
        items.append("registers of no buffer unit are touched wrongly (%s)" %
                     ", ".join(sorted(per_unit["other"])))
    if any(d["seq"] for u in UNITS for d in per_unit[u].values()):
        items.append("keep what the entry path saves per CPU, write it on every world "
                     "switch, and decide the restore from this CPU's units (present and "
                     "owned), not from what an earlier switch saved (the failing "
                     "sequences are counted above)")
    if needs_lying_host(per_unit):
        items.append("in protected mode, decide from what the hyp recorded per CPU "
                     "before the host was deprivileged (mainline's host_data flags, or "
                     "the ID registers read at EL2), never from vcpu flags the host wrote")
    return items


def pick_counterexamples(per_unit, facts, counted):
    """Rule: one counterexample per broken unit: an honest state if any,
    then the shortest failing sequence, then a lying host; the shortest
    trace first. Returns [(unit, state record or None, sequence or None)]."""
    out = []
    for u in ("trace", "spe", "other"):
        if not per_unit[u]:
            continue
        states = [r for r in counted if any(u in us for us in r["units"].values())]
        honest = [r for r in states if not lying(r)]
        seqs = [s for s in facts.seqs if any(u in us for us in s["units"].values())]
        if honest:
            out.append((u, min(honest, key=lambda r: len(r["trace"])), None))
        elif seqs:
            out.append((u, None, min(seqs, key=lambda s: s["length"])))
        elif states:
            out.append((u, min(states, key=lambda r: len(r["trace"])), None))
    return out


def gather(args):
    info = read_info(args.info)
    recs, flavour = read_results(args.results)
    seqs, summary = read_sequences(args.sequences) if getattr(args, "sequences", None) \
        else ([], {})
    facts = Facts(info, recs, flavour, seqs, summary)
    for name in ("mainline", "unpatched", "patched"):
        path = info.get("ref_" + name)
        if path:
            ref_recs, facts.ref_flavour[name] = read_results(path)
            facts.refs[name] = honest_by_key(ref_recs)
        elif info.get("ref_%s_skip" % name):
            facts.ref_skipped.append("%s reference: %s" % (name, info["ref_%s_skip" % name]))
    return facts


def skipped_checks(facts):
    """Rule: every check that could not run, and why."""
    out = list(facts.ref_skipped)
    for key in ("trbe_driver", "spe_driver"):
        if key not in facts.info:
            out.append("whether the host can enable the %s at all (no drivers/ in the "
                       "tree: its host driver is not known)" % ("TRBE" if key[0] == "t" else "SPE"))
    if "mainline" not in facts.refs:
        out.append("cost of a unit with its buffer enabled against mainline (no mainline reference)")
    idle = "mainline" if facts.line == "mainline" else "unpatched"
    if idle not in facts.refs:
        if facts.line == "none":
            out.append("cost of an idle unit against the tree's unpatched line "
                       "(the project has no reference for Linux %s)" % facts.info.get("version", "?"))
        else:
            out.append("cost of an idle unit against the unpatched line (reference missing)")
    if "patched" not in facts.refs and facts.line != "mainline":
        if facts.line == "none":
            out.append("comparison with the project's patched tree "
                       "(the project has no series for this line)")
        else:
            out.append("comparison with the project's patched %s tree (reference missing)"
                       % facts.line)
    for note in facts.info.get("missing", "").split(";"):
        if note.strip():
            out.append(note.strip())
    return out


def verdict(args):
    facts = gather(args)
    tried = attempted(facts)
    per_unit, trusted = findings(facts)
    status = {u: unit_status(u, per_unit, tried, facts) for u in ("trace", "spe")}
    result = decide(status, per_unit)
    seen, over, first = cost_note(facts)
    by_proposal = proposal_cost(facts) if over else 0
    counted = [r for r in facts.recs if r["units"] and classify(r, facts) in ("honest", "host")]
    examples = pick_counterexamples(per_unit, facts, counted) if result != "fixed" else []
    shown = {u for u, _, _ in examples}
    print_header(facts)
    print("verdict: %s" % result.upper())
    print_units(facts, per_unit, status)
    if trusted:
        why = ("the project trusts the host in this line's protected mode "
               "(MODEL_TRUSTED_HOST=yes in %s, as make check-model does)" % facts.info["trusted_host"]
               if facts.info.get("trusted_host") and facts.info.get("hyp_vcpu") == "yes" else
               "this tree's hyp runs the host's own vcpu (no hyp_vcpu in nvhe/hyp-main.c), "
               "so the host is trusted there")
        print("  not counted: %d state(s) violate only with a protected-mode host that "
              "lies about the vcpu flags; %s" % (len(trusted), why))
    print_sequences(facts)
    prop = proposed_findings(facts)
    print_proposed(prop)
    print_costs(facts, seen, over, first, by_proposal)
    skipped = skipped_checks(facts)
    if skipped:
        print("skipped:")
        for s in skipped:
            print("  - %s" % s)
    for item in advice(result, facts, per_unit, status, over - by_proposal, shown) + \
            proposed_advice(facts, prop):
        print("next: %s" % item)
    for u, rec, seq in examples:
        counter_example(args.model, u, rec, seq)
    print("audit: %s (exit %d)" % (result, EXIT[result]))
    return EXIT[result]


def print_header(facts):
    info = facts.info
    where = info.get("tree", "?")
    if info.get("git"):
        where += " (git %s)" % info["git"]
    line = facts.line
    lname = {"none": "no reference line", "mainline": "mainline (7.1+, fixed upstream)"}.get(line, line)
    print("audit: %s" % where)
    print("  Linux %s, line: %s; the hyp reads: %s" % (
        info.get("version", "?"), lname, facts.flavour or "vcpu fields only"))
    if info.get("sysreg_defs"):
        print("  generated register names: %s" % info["sysreg_defs"])
    like = [label for name, label in (
        ("patched", "the project's patched %s" % line), ("unpatched", "unpatched %s" % line),
        ("mainline", "mainline")) if facts.ref_flavour.get(name) == facts.flavour]
    if like:
        print("  structures: as in %s" % " and ".join(like))
    elif line not in ("none", "mainline"):
        print("  structures: unlike the project's %s trees (a vendor or partial backport?)" % line)
    have = sorted({r["mode"] for r in facts.recs}, key=MODES.index)
    print("  modes judged: %s; %d states%s" % (
        ", ".join(have), len(facts.recs),
        " (%d more with a buffer enabled that has no host driver here)" % facts.impossible
        if facts.impossible else ""))


def print_units(facts, per_unit, status):
    text = {
        "n/a": "n/a: the tree has no %s host driver, so the host never enables it",
        "ok": "ok: disabled and restored correctly in every state",
        "ok-untouched": "ok: never left enabled in the guest",
        "affected": "AFFECTED: the buffer is never disabled for the guest (no fix for %s)",
        "wrong": "WRONG: the fix is there but fails",
    }
    for u in ("trace", "spe"):
        t = text[status[u]]
        print("  %-5s %s" % (UNIT_NAME[u] + ":", t % UNIT_NAME[u] if "%s" in t else t))
        print_invariants(per_unit[u])
    if per_unit["other"]:
        print("  other:")
        print_invariants(per_unit["other"])


def print_invariants(invs):
    for inv, d in sorted(invs.items()):
        n = ", ".join(x for x in (
            "%d honest state(s)" % d["honest"] if d["honest"] else "",
            "%d with host-set vcpu flags" % d["host"] if d["host"] else "",
            "%d failing sequence(s)" % d["seq"] if d["seq"] else "") if x)
        print("        %s (%s) in %s: %s" % (inv, INV_MEANING.get(inv, ""),
                                             ", ".join(m for m in MODES if m in d["modes"]), n))


def print_proposed(prop):
    """The proposed class: each invariant per unit with its counts, or
    that it holds. A unit's line says where mainline itself has the isb
    (SPE), so that losing it is not taken for the proposal."""
    if not any(prop.values()):
        print("  %s: holds in every state counted" % PROPOSED_CLASS)
        return
    print("  %s (the project's own rule, not upstream's: not counted in the verdict):"
          % PROPOSED_CLASS)
    for u in ("trace", "spe", "other"):
        for inv, d in sorted(prop[u].items()):
            n = ", ".join(x for x in (
                "%d honest state(s)" % d["honest"] if d["honest"] else "",
                "%d with host-set vcpu flags" % d["host"] if d["host"] else "") if x)
            print("        %s %s (%s) in %s: %s%s" % (
                UNIT_NAME[u], inv, PROPOSED[inv],
                ", ".join(m for m in MODES if m in d["modes"]), n,
                "; mainline's SPE restore has this isb: the tree lost it" if u == "spe" else ""))


def print_sequences(facts):
    s = facts.seq_summary
    if not s:
        return
    failing = sum(x["failing"] for x in facts.seqs)
    print("  sequences: %s run (%s), %d failing" % (s.get("run", "?"), s.get("bound", "?"), failing))


def print_costs(facts, seen, over, first, by_proposal=0):
    print("cost per world switch, mean sysreg reads/writes/barriers over honest states:")
    mine = facts.honest
    info = facts.info
    for c in CLASSES:
        ks = [k for k, r in mine.items() if r["class"] == c]
        if not ks:
            continue
        row = "  %-12s this tree %s" % (CLASS_NAME[c], mean_costs(ks, mine))
        for name, label in (("mainline", "mainline %s" % info.get("ref_mainline_version", "")),
                            ("unpatched", "unpatched %s" % info.get("ref_unpatched_version", ""))):
            ref = facts.refs.get(name)
            if ref is None:
                continue
            common = [k for k in ks if k in ref]
            if common:
                row += ", %s %s" % (label, mean_costs(common, ref))
        print(row)
    if seen:
        if over:
            print("  cost: a note, not a fault: more work than the cost rule allows in %d of "
                  "%d states, e.g. %s" % (over, seen, first))
            if by_proposal:
                print("  %d of them only by the proposed exit isb (%s), which mainline%s "
                      "lacks: that isb is the proposal's, not work to trim"
                      % (by_proposal, PROPOSED_CLASS.split(", ", 1)[1],
                         " " + facts.info["ref_mainline_version"]
                         if facts.info.get("ref_mainline_version") else ""))
        else:
            idle = ("idle unit: skipped" if facts.refs.get(
                "mainline" if facts.line == "mainline" else "unpatched") is None else
                "idle unit: no more than %s" % (
                    "mainline" if facts.line == "mainline" else "the unpatched line"))
            print("  cost rule: ok in %d states (%s; enabled unit: no more than mainline)"
                  % (seen, idle))
    for name, label in (("patched", "the project's patched %s" % facts.line),
                        ("unpatched", "the unpatched %s" % info.get("ref_unpatched_version", ""))):
        ref = facts.refs.get(name)
        if ref is None:
            continue
        common = [k for k in mine if k in ref]
        same = sum(mine[k]["trace"] == ref[k]["trace"] for k in common)
        print("  trace identical to %s in %d of %d honest states" % (label, same, len(common)))


def counter_example(model, unit, rec, seq):
    if seq is not None:
        print("counterexample (%s): the shortest failing sequence (%d steps): %s" % (
            UNIT_NAME[unit], seq["length"], seq["steps"]))
        if model and os.access(model, os.X_OK):
            out = subprocess.run([model, "explain-seq", seq["key"]],
                                 capture_output=True, text=True, check=False).stdout
            for line in out.splitlines():
                if " mem " not in line:
                    print("  " + line)
            print("  (any sequence: %s explain-seq KEY; the failing ones are in %s)" % (
                model, os.path.join(os.path.dirname(model), "sequences")))
        else:
            print("  %s, %s" % (seq["mode"], seq["cpus"]))
        return
    print("counterexample (%s): %s%s" % (UNIT_NAME[unit], rec["state"],
                                         "" if rec["variant"] == "-"
                                         else " (host: %s)" % rec["variant"]))
    if not model or not os.access(model, os.X_OK):
        return
    out = subprocess.run([model, "explain", rec["state"], rec["variant"]],
                         capture_output=True, text=True, check=False).stdout
    for line in out.splitlines()[1:]:
        if " mem " not in line:
            print("  " + line)
    print("  (any state: %s explain 'STATE' [VARIANT]; the states are in %s)" % (
        model, os.path.join(os.path.dirname(model), "results")))


def read_sequences(path):
    """The model's failing sequences: one record per mode and CPU pair
    (the shortest failing sequence and how many failed), and the summary."""
    comments, recs = read_fielded(path)
    summary = {}
    for line in comments:
        if line.startswith("# sequences:"):
            for item in line[len("# sequences:"):].split("\t"):
                if "=" in item:
                    k, v = item.strip().split("=", 1)
                    summary[k] = v
    for rec in recs:
        rec["failing"] = int(rec["failing"])
        rec["length"] = int(rec["length"])
        rec["units"] = units_of(rec["violation_units"])
    return recs, summary


# --- diagnose: why the model could not be built for a tree ---------------

ERR = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?:\d+:)? (?:fatal )?error: (?P<msg>.*)$")


# Names gen-sysreg.awk makes: REG_FIELD, REG_FIELD_SHIFT, ... of a _ELn register.
GENERATED = re.compile(r"^[A-Z][A-Z0-9_]*_EL[0-9]+_[A-Za-z0-9_]+$")


def construct(msg, has_sysreg=True):
    m = re.search(r"implicit declaration of function '([^']+)'", msg)
    if m:
        return ("calls %s(), which the model has no stand-in for (it models "
                "sysreg accesses, barriers, cpucap, mode and flag tests)" % m.group(1))
    m = re.search(r"'([^']+)' undeclared", msg)
    if m and GENERATED.match(m.group(1)) and not has_sysreg:
        return ("uses %s, a register field name kbuild generates from "
                "arch/arm64/tools/sysreg with arch/arm64/tools/gen-sysreg.awk, which "
                "the tree lacks; add both (a sparse copy needs them too)" % m.group(1))
    if m:
        return ("uses %s, which neither the model nor the tree's copied "
                "declarations define (a constant, register or per-CPU symbol "
                "of another name)" % m.group(1))
    m = re.search(r"'(struct [^']+|union [^']+)' has no member named '([^']+)'", msg)
    if m:
        return ("uses field %s of %s, which the model's view of it lacks (the "
                "struct is not declared in asm/kvm_host.h as the model reads it)"
                % (m.group(2), m.group(1)))
    m = re.search(r"unknown type name '([^']+)'", msg)
    if m:
        return "uses type %s, which the model does not define" % m.group(1)
    m = re.search(r"([^\s:]+\.h): No such file", msg)
    if m:
        return "includes <%s>, which the model has no stand-in for" % m.group(1)
    return "has a construct the model cannot compile (%s)" % msg


def first_line(text):
    """The first line of a build log that is not make's own chatter."""
    for line in text.splitlines():
        if line.strip() and not re.match(r"make(\[\d+\])?: ", line):
            return line.strip()
    return "no message"


def diagnose(args):
    info = read_info(args.info)
    tree = info.get("tree", "")
    link = os.path.join(os.path.dirname(args.log), "src")
    text = open(args.log, encoding="utf-8", errors="replace").read()
    where = "LINUX=%s (Linux %s)" % (tree, info.get("version", "?"))
    # gen-headers.sh says what it missed in the tree's headers itself.
    m = re.search(r"gen-headers\.sh: (.*)", text)
    if m:
        print("audit: cannot model %s: %s" % (where, m.group(1)), file=sys.stderr)
        return 1
    first = None
    for line in text.splitlines():
        e = ERR.match(line)
        if e:
            first = e
            break
    if first:
        path = first.group("file")
        shown = path
        for prefix in (link + "/", tree + "/"):
            if path.startswith(prefix):
                shown = path[len(prefix):]
        src = ""
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                src = f.readlines()[int(first.group("line")) - 1].strip()
        except (OSError, IndexError):
            pass
        what = construct(first.group("msg"), os.path.isfile(
            os.path.join(tree, "arch/arm64/tools/sysreg")))
        if "/gen/" in path:
            shown = "the tree's declarations copied from asm/kvm_host.h (%s)" % os.path.basename(path)
        print("audit: cannot model %s: %s:%s %s%s" % (
            where, shown, first.group("line"), what, ": `%s`" % src if src else ""),
            file=sys.stderr)
        print("audit: the model's stand-ins are tools/testing/kvm-debug-sr-model/shim/"
              "model-kernel.h; full build log: %s" % args.log, file=sys.stderr)
        return 1
    m = re.search(r"undefined reference to `([^']+)'", text)
    if m:
        print("audit: cannot model %s: %s() is called but neither the tree's nvhe/debug-sr.c "
              "nor the model defines it" % (where, m.group(1)),
              file=sys.stderr)
        return 1
    if "Segmentation fault" in text or "core dumped" in text:
        print("audit: cannot model %s: the tree's code crashed in the model (a pointer the "
              "model does not set up?); log: %s" % (where, args.log), file=sys.stderr)
        return 1
    m = re.search(r"make(?:\[\d+\])?: \*\*\* \[[^\]]*?([^/\]]+)\] Error", text)
    if m:
        step = {"model": "linking the model", "results": "running the model"}.get(
            m.group(1), "making %s" % m.group(1))
        print("audit: cannot model %s: %s failed without a compiler error (%s); log: %s" % (
            where, step, first_line(text), args.log), file=sys.stderr)
        return 1
    last = [l for l in text.splitlines() if l.strip()][-1:] or ["(empty log)"]
    print("audit: cannot model %s: the model build failed: %s; log: %s" % (
        where, last[0], args.log), file=sys.stderr)
    return 1


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("verdict")
    v.add_argument("--info", required=True)
    v.add_argument("--results", required=True)
    v.add_argument("--sequences")
    v.add_argument("--model")
    d = sub.add_parser("diagnose")
    d.add_argument("--info", required=True)
    d.add_argument("--log", required=True)
    d.add_argument("--gen")
    args = ap.parse_args()
    return verdict(args) if args.cmd == "verdict" else diagnose(args)


if __name__ == "__main__":
    sys.exit(main())
