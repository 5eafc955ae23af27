#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The verdict of 'make audit' (mk/audit.sh) on one kernel tree.

  audit.py verdict --info INFO --results FILE [--model BIN]
  audit.py diagnose --info INFO --log BUILD_LOG [--gen DIR]

INFO is a key=value record written by mk/audit.sh (the tree, its version
and line, which protected-mode design its hyp has, the results files of
the references or why each was skipped). FILE is the model's results for
the tree: a "#fields" line names the columns.

verdict prints what a person can act on and exits 0 (fixed), 2 (affected:
the buffers stay enabled in the guest, no fix attempted) or 3 (fixed but
wrong: a fix is there, but some invariant or the cost rule fails).
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
}
EXIT = {"fixed": 0, "affected": 2, "fixed but wrong": 3}


def read_info(path):
    info = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                info[k] = v
    return info


def read_results(path):
    """The results file as records named by its #fields line."""
    fields, recs, flavour = None, [], ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# flavour:"):
                flavour = line[len("# flavour:"):].strip()
            elif line.startswith("#fields\t"):
                fields = line.split("\t")[1:]
            elif line and not line.startswith("#"):
                if fields is None:
                    raise SystemExit("audit: %s has no #fields line; rebuild it" % path)
                vals = line.split("\t")
                if len(vals) != len(fields):
                    raise SystemExit("audit: malformed line in %s" % path)
                rec = dict(zip(fields, vals))
                rec["mode"] = rec["state"].split(" ", 1)[0]
                rec["cost"] = [int(x) for x in rec["cost"].split()]
                rec["units"] = {}
                if rec["violation_units"] != "-":
                    for item in rec["violation_units"].split(","):
                        inv, units = item.split("=", 1)
                        rec["units"][inv] = units.split("+")
                recs.append(rec)
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


def verdict(args):
    info = read_info(args.info)
    recs, flavour = read_results(args.results)
    modes = ["nvhe"]
    if info.get("protected") == "yes":
        modes += ["protected", "protected-hvhe"]
    recs = [r for r in recs if r["mode"] in modes]
    have_modes = sorted({r["mode"] for r in recs}, key=modes.index)
    trust_host = info.get("hyp_vcpu") != "yes"
    skipped = []
    # Without its host driver a buffer is never enabled by the host: the
    # states that have it enabled cannot happen on this kernel.
    no_driver = [u for u, key, pat in (("trace", "trbe_driver", "trbe=owned,E=1"),
                                       ("spe", "spe_driver", "spe=owned,E=1"))
                 if info.get(key) == "no"]
    impossible = 0
    for u in no_driver:
        pat = "trbe=owned,E=1" if u == "trace" else "spe=owned,E=1"
        keep = [r for r in recs if pat not in r["state"]]
        impossible += len(recs) - len(keep)
        recs = keep
    for key in ("trbe_driver", "spe_driver"):
        if key not in info:
            skipped.append("whether the host can enable the %s at all (no drivers/ in the "
                           "tree: its host driver is not known)" % ("TRBE" if key[0] == "t" else "SPE"))

    # Which violations count: an honest host always; a host lying about
    # the vcpu flags only where the hyp keeps its own vcpu (the host is
    # untrusted there).
    counted, ignored = [], []
    for r in recs:
        if not r["units"]:
            continue
        (ignored if lying(r) and trust_host else counted).append(r)

    attempted = {u: any(DISABLE[u] in entry_part(r["trace"]) for r in recs)
                 for u in ("trace", "spe")}
    per_unit = {u: {} for u in UNITS}
    for r in counted:
        for inv, units in r["units"].items():
            for u in units:
                d = per_unit[u].setdefault(inv, {"modes": set(), "honest": 0, "host": 0})
                d["modes"].add(r["mode"])
                d["honest" if not lying(r) else "host"] += 1

    # Cost, against mainline and the tree's unpatched line.
    mine = honest_by_key(recs)
    refs, ref_flavour = {}, {}
    for name in ("mainline", "unpatched", "patched"):
        path = info.get("ref_" + name)
        if path:
            ref_recs, ref_flavour[name] = read_results(path)
            refs[name] = honest_by_key(ref_recs)
        elif info.get("ref_%s_skip" % name):
            skipped.append("%s reference: %s" % (name, info["ref_%s_skip" % name]))
    line = info.get("line", "none")
    idle_ref = refs.get("unpatched")
    if line == "mainline":
        idle_ref = refs.get("mainline")
    seen, over, first = cost_rule(mine, idle_ref, refs.get("mainline"))
    if "mainline" not in refs:
        skipped.append("cost of a unit with its buffer enabled against mainline (no mainline reference)")
    if idle_ref is None:
        if line == "none":
            skipped.append("cost of an idle unit against the tree's unpatched line "
                           "(the project has no reference for Linux %s)" % info.get("version", "?"))
        else:
            skipped.append("cost of an idle unit against the unpatched line (reference missing)")
    if "patched" not in refs:
        if line in ("none",):
            skipped.append("comparison with the project's patched tree "
                           "(the project has no series for this line)")
        elif line == "mainline":
            pass
        else:
            skipped.append("comparison with the project's patched %s tree (reference missing)" % line)

    bad_units = [u for u in UNITS if per_unit[u]]
    if not bad_units and not over:
        result = "fixed"
    elif not attempted["trace"] and not attempted["spe"]:
        result = "affected"
    else:
        result = "fixed but wrong"

    ver = info.get("version", "?")
    where = info.get("tree", "?")
    if info.get("git"):
        where += " (git %s)" % info["git"]
    lname = {"none": "no reference line", "mainline": "mainline (7.1+, fixed upstream)"}.get(line, line)
    print("audit: %s" % where)
    print("  Linux %s, line: %s; the hyp reads: %s" % (ver, lname, flavour or "vcpu fields only"))
    like = [label for name, label in (
        ("patched", "the project's patched %s" % line), ("unpatched", "unpatched %s" % line),
        ("mainline", "mainline")) if ref_flavour.get(name) == flavour]
    if like:
        print("  structures: as in %s" % " and ".join(like))
    elif line not in ("none", "mainline"):
        print("  structures: unlike the project's %s trees (a vendor or partial backport?)" % line)
    print("  modes judged: %s; %d states%s" % (
        ", ".join(have_modes), len(recs),
        " (%d more with a buffer enabled that has no host driver here)" % impossible
        if impossible else ""))
    print("verdict: %s" % result.upper())
    for u in ("trace", "spe"):
        invs = per_unit[u]
        if u in no_driver and not invs:
            status = "n/a: the tree has no %s host driver, so the host never enables it" % UNIT_NAME[u]
        elif not invs:
            status = "ok: disabled and restored correctly in every state"
            if not attempted[u]:
                status = "ok: never left enabled in the guest"
        elif not attempted[u]:
            status = "AFFECTED: the buffer is never disabled for the guest (no fix for %s)" % UNIT_NAME[u]
        else:
            status = "WRONG: the fix is there but fails"
        print("  %-5s %s" % (UNIT_NAME[u] + ":", status))
        for inv, d in sorted(invs.items()):
            n = ", ".join(x for x in (
                "%d honest state(s)" % d["honest"] if d["honest"] else "",
                "%d with host-set vcpu flags" % d["host"] if d["host"] else "") if x)
            print("        %s (%s) in %s: %s" % (inv, INV_MEANING.get(inv, ""),
                                                 ", ".join(m for m in modes if m in d["modes"]), n))
    if not bad_units and over:
        print("  cost: right in every state, but over budget per world switch (cost rule below)")
    if per_unit["other"]:
        print("  other:")
        for inv, d in sorted(per_unit["other"].items()):
            print("        %s (%s) in %s: %d state(s)" % (
                inv, INV_MEANING.get(inv, ""),
                ", ".join(m for m in modes if m in d["modes"]), d["honest"] + d["host"]))
    if ignored:
        print("  not counted: %d state(s) violate only with a protected-mode host that "
              "lies about the vcpu flags; this tree's hyp runs the host's own vcpu "
              "(no hyp_vcpu in nvhe/hyp-main.c), so the host is trusted there" % len(ignored))

    # Cost.
    print("cost per world switch, mean sysreg reads/writes/barriers over honest states:")
    for c in CLASSES:
        ks = [k for k, r in mine.items() if r["class"] == c]
        if not ks:
            continue
        row = "  %-12s this tree %s" % (CLASS_NAME[c], mean_costs(ks, mine))
        for name, label in (("mainline", "mainline %s" % info.get("ref_mainline_version", "")),
                            ("unpatched", "unpatched %s" % info.get("ref_unpatched_version", ""))):
            ref = refs.get(name)
            if ref is None:
                continue
            common = [k for k in ks if k in ref]
            if common:
                row += ", %s %s" % (label, mean_costs(common, ref))
        print(row)
    if seen:
        if over:
            print("  cost rule: OVER in %d of %d states, e.g. %s" % (over, seen, first))
        else:
            idle = ("idle unit: skipped" if idle_ref is None else
                    "idle unit: no more than %s" % (
                        "mainline" if line == "mainline" else "the unpatched line"))
            print("  cost rule: ok in %d states (%s; enabled unit: no more than mainline)"
                  % (seen, idle))
    for name, label in (("patched", "the project's patched %s" % line),
                        ("unpatched", "the unpatched %s" % info.get("ref_unpatched_version", ""))):
        ref = refs.get(name)
        if ref is None:
            continue
        common = [k for k in mine if k in ref]
        same = sum(mine[k]["trace"] == ref[k]["trace"] for k in common)
        print("  trace identical to %s in %d of %d honest states" % (label, same, len(common)))
    if skipped:
        print("skipped:")
        for s in skipped:
            print("  - %s" % s)
    host_only = bool(counted) and all(lying(r) for r in counted)
    print("next: %s" % advice(result, line, per_unit, attempted, host_only))
    if result != "fixed":
        counter_example(args.model, counted, over, first)
    print("audit: %s (exit %d)" % (result, EXIT[result]))
    return EXIT[result]


def advice(result, line, per_unit, attempted, host_only):
    """One line: what to do with this verdict."""
    if result == "fixed":
        return "nothing: the tree disables both buffers for the guest as mainline does"
    if result == "affected":
        if line in ("6.12.y", "6.1.y"):
            return ("apply patches/%s (the project's backport; 'make tree TARGET=%s' "
                    "shows it applied), then audit again" % (line, line))
        fixes = {"trace": "d133aa75e39d (TRBE)", "spe": "07695f7dc1e1 (SPE)"}
        return ("backport %s; patches/6.12.y and patches/6.1.y show backports to trees "
                "without mainline's host_data flags; then audit again" % " and ".join(
                    fixes[u] for u in ("trace", "spe") if per_unit[u]))
    if host_only:
        return ("in protected mode, decide from what the hyp recorded per CPU before "
                "the host was deprivileged (mainline's host_data flags, patched 6.12.y's "
                "has_trbe/has_spe), never from vcpu flags the host wrote")
    missing = [UNIT_NAME[u] for u in ("trace", "spe") if per_unit[u] and not attempted[u]]
    if missing:
        return ("backport the %s half too (%s), then audit again" % (
            " and ".join(missing),
            ", ".join({"TRBE": "d133aa75e39d", "SPE": "07695f7dc1e1"}[m] for m in missing)))
    return ("compare the counterexample below with mainline's nvhe/debug-sr.c; "
            "each invariant named above is one rule of the sequence")


def counter_example(model, counted, over, first):
    if not counted:
        if over:
            print("no invariant fails; the cost rule does: %s" % first)
        return
    # The plainest: an honest host if any, then the shortest trace.
    pick = min(counted, key=lambda r: (lying(r), len(r["trace"])))
    print("counterexample: %s%s" % (pick["state"], "" if pick["variant"] == "-"
                                    else " (host: %s)" % pick["variant"]))
    if not model or not os.access(model, os.X_OK):
        return
    out = subprocess.run([model, "explain", pick["state"], pick["variant"]],
                         capture_output=True, text=True, check=False).stdout
    for line in out.splitlines()[1:]:
        if " mem " not in line:
            print("  " + line)
    print("  (any state: %s explain 'STATE' [VARIANT]; the states are in %s)" % (
        model, os.path.join(os.path.dirname(model), "results")))


# --- diagnose: why the model could not be built for a tree ---------------

ERR = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?:\d+:)? (?:fatal )?error: (?P<msg>.*)$")


def construct(msg):
    m = re.search(r"implicit declaration of function '([^']+)'", msg)
    if m:
        return ("calls %s(), which the model has no stand-in for (it models "
                "sysreg accesses, barriers, cpucap, mode and flag tests)" % m.group(1))
    m = re.search(r"'([^']+)' undeclared", msg)
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
        what = construct(first.group("msg"))
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
    v.add_argument("--model")
    d = sub.add_parser("diagnose")
    d.add_argument("--info", required=True)
    d.add_argument("--log", required=True)
    d.add_argument("--gen")
    args = ap.parse_args()
    return verdict(args) if args.cmd == "verdict" else diagnose(args)


if __name__ == "__main__":
    sys.exit(main())
