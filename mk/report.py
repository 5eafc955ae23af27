#!/usr/bin/python3
"""Text made from the project's records: the verdict 'make' ends with and
the "Testing" paragraph of a cover letter, the full report behind it,
and the send gate.

Inputs are records with named fields, never columns by position:
- results/TARGET.env, written by mk/check.sh: KEY=VALUE lines, some values
  being lists of records 'k=v k=v|k=v ...' (boot_detail, hazard_detail);
- summary.tsv of run-boot.sh, hazards.tsv of reproduce.sh (run-boot's
  fields behind a variant) and times.tsv (record_time in mk/lib.sh):
  tab-separated, the first line naming the fields.

Subcommands (mk/test-report.sh and mk/verdict.sh call them):
  cover RESULTS --modes "nvhe ..." [--test-series DIR]
  details RESULTS --modes "nvhe ..." [--test-series DIR]
  gate RESULTS --target T --tested-id ID
  verdict HAZARDS --target T --base "VER ORIGIN" --applied N --total N
          --series TEXT [--modes "nvhe ..."] [--stable yes|no]
          [--qemu TEXT] [--times TIMES] [--logs DIR]
  costs COSTS --target T   (the model's costs.tsv: mainline, unpatched, patched)
Tests: mk/tests/report_test.py, on recorded inputs in mk/tests/test_data/.
"""

import argparse
import csv
import re
import sys
import textwrap


def read_env(path):
    """KEY=VALUE lines as a dict; the first of a repeated key wins."""
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.rstrip("\n").partition("=")
            if sep and key not in env:
                env[key] = value
    return env


def records(value):
    """'k=v k=v|k=v ...' as a list of dicts (a value may hold '=')."""
    out = []
    for rec in value.split("|"):
        fields = {}
        for word in rec.split():
            key, sep, val = word.partition("=")
            if sep:
                fields[key] = val
        if fields:
            out.append(fields)
    return out


def read_tsv(path):
    """A tab-separated file whose first line names its fields."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def status_word(value):
    """A step's status ('ok (last log line)') without its log line."""
    return re.sub(r" \(.*", "", value or "")


def bullet(text):
    """One paragraph of a list in a cover letter: '- ', 72 columns, words
    broken at spaces only."""
    return textwrap.fill(text, width=72, initial_indent="- ",
                         subsequent_indent="  ", break_on_hyphens=False)


def parts_text(parts):
    """'spe:ran,trbe:skipped' as 'spe ran, trbe skipped'."""
    return (parts or "").replace(":", " ").replace(",", ", ")


def base_text(base):
    """results' base ('VER ORIGIN') as 'Linux VER (ORIGIN)', no checksum."""
    base = re.sub(r" sha256:[0-9a-f]*", "", base or "unknown")
    ver, _, origin = base.partition(" ")
    text = f"Linux {ver} ({origin})" if origin else f"Linux {ver}"
    return re.sub(r"\(binary (.*) \(Debian's patches applied\)\)",
                  r"(Debian's \1, with Debian's patches)", text)


def boot_lines(env):
    """One line per KVM mode of the boot test."""
    lines = []
    for r in records(env.get("boot_detail", "")):
        mode = r.get("mode", "?") + ":"
        lines.append(f"    {mode:<10} {r.get('result', '?')}, "
                     f"{r.get('pass', '?')} passed, {r.get('fail', '?')} failed, "
                     f"{r.get('skip', '?')} skipped; host parts: "
                     f"{parts_text(r.get('parts'))}")
    return lines


def hazard_what(r):
    """One boot on the buffer models, in words."""
    if r.get("stopped"):
        what = f"QEMU stopped at the first hazard ({r['stopped']})"
    else:
        what = (f"SPE {r.get('spe_entry', '?')}/{r.get('spe_exit', '?')}, "
                f"TRBE {r.get('trbe_entry', '?')}/{r.get('trbe_exit', '?')}")
    parts = r.get("parts", "").split(",")
    ran = [u.upper() for u in ("spe", "trbe") if f"{u}:ran" in parts]
    if "spe:failed" in parts or "trbe:failed" in parts:
        what += ", the selftest caught it"
    elif ran:
        what += f", {' and '.join(ran)} part{'s' if len(ran) > 1 else ''} ran"
    return f"{r.get('result', '?')}, {what}"


def hazard_lines(env):
    """The hazard boots, one line per kernel: modes that said the same
    thing, one after the other, are folded into one line."""
    groups = []
    for r in records(env.get("hazard_detail", "")):
        key = (r.get("variant", "?"), hazard_what(r))
        if groups and groups[-1][0] == key:
            groups[-1][1].append(r.get("mode", "?"))
        else:
            groups.append((key, [r.get("mode", "?")]))
    lines = []
    for (variant, what), modes in groups:
        lines.append(f"    {variant}, {', '.join(modes)}:")
        lines.append(f"      {what}")
    return lines


HAZARD_INTRO = (
    "QEMU with the project's SPE and TRBE models (patches/qemu), the host "
    "owning both buffers{waker}, in each KVM mode: a buffer left enabled "
    "while its owning regime is switched is a hazard, counted per unit and "
    "direction (guest entry/exit). Unpatched must show entry hazards for "
    "both units, the series none, and each kept mutant of the series must "
    "be caught (QEMU stops at, or counts, hazards of the direction it "
    "breaks, or host_trace_buffers fails): {status}. Hazards entry/exit:")


def waker_words(env):
    """What the hazard boots' records say of the waker (run-boot.sh
    --waker, a period in microseconds, empty for none)."""
    periods = {r.get("waker", "") for r in records(env.get("hazard_detail", ""))}
    if periods <= {""}:
        return ""
    if "" in periods:
        return " and, in some boots, a task waking on each CPU"
    if len(periods) > 1 or not next(iter(periods)).isdigit():
        return " and a task waking on each CPU"
    us = int(periods.pop())
    period = f"{us // 1000} ms" if us % 1000 == 0 else f"{us} us"
    return f" and a task waking every {period} on each CPU"


def hazard_intro(env):
    """The paragraph before the hazard boots' lines."""
    text = HAZARD_INTRO.format(waker=waker_words(env),
                               status=status_word(env["hazard"]))
    return bullet(text)


NOT_TESTED = """\
- Not tested here: real TRBE or SPE units. The QEMU models show whether
  a buffer is left enabled on guest entry, and that SPE and TRBE record
  again after the runs, but not how real units drain, what they do when
  left running, nor the CPU errata. A board with TRBE or SPE (cores such
  as Cortex-A510 and Neoverse-N2, whose TRBE errata the kernel handles)
  is needed for that;
  Documentation/virt/kvm/arm/trace-buffers-testing.rst says how."""


def span(values):
    """'20' or '20-21' for a list of counts (as strings); '?' if none."""
    nums = sorted({int(v) for v in values if str(v).isdigit()})
    if not nums:
        return "?"
    return str(nums[0]) if nums[0] == nums[-1] else f"{nums[0]}-{nums[-1]}"


def by_variant(env):
    """The hazard boots' records grouped by variant, in first-seen order."""
    groups = {}
    for r in records(env.get("hazard_detail", "")):
        groups.setdefault(r.get("variant", "?"), []).append(r)
    return groups


def all_ok(recs):
    return bool(recs) and all(r.get("result") == "ok" for r in recs)


def units_ran(recs):
    """The host parts of host_trace_buffers that ran and passed in every
    record, as 'SPE and TRBE' (or 'none')."""
    ran = [u.upper() for u in ("spe", "trbe")
           if recs and all(f"{u}:ran" in r.get("parts", "").split(",")
                           for r in recs)]
    return " and ".join(ran) or "none"


def shows_bug(r):
    """A base boot that counted entry hazards for both units."""
    return all(str(r.get(k, "")).isdigit() and int(r[k]) > 0
               for k in ("spe_entry", "trbe_entry"))


def hazard_summary(env, modes):
    """A few lines: the bug on the base, none with the series, the
    mutants caught; counts only (the full table is 'details')."""
    groups = by_variant(env)
    base, series = groups.get("unpatched", []), groups.get("patched", [])
    mutants = {k: v for k, v in groups.items() if k.startswith("mutant-")}
    clean = all_ok(series) and all(
        r.get(k) == "0" for r in series
        for k in ("spe_entry", "spe_exit", "trbe_entry", "trbe_exit"))
    if base:
        bug = (f"the base kernel left the buffers enabled on guest entry in "
               f"{sum(1 for r in base if shows_bug(r))} of "
               f"{len(modes.split())} modes (SPE {span(r.get('spe_entry') for r in base)}, "
               f"TRBE {span(r.get('trbe_entry') for r in base)} times a boot); ")
    else:
        bug = "the base kernel already has the fix (not booted apart); "
    text = (f"QEMU with the project's SPE and TRBE models ({', '.join(modes.split())}): "
            f"{bug}with the "
            f"series {'no hazard in any mode' if clean else 'NOT clean: see the full report'}, "
            f"host_trace_buffers' parts run and passed: {units_ran(series)}. "
            f"Mutants of the series caught: "
            f"{sum(1 for v in mutants.values() if all_ok(v))} of {len(mutants)} "
            f"({status_word(env.get('hazard'))}).")
    return bullet(text)


def boot_summary(env, modes):
    """The stock-QEMU boots in one line: selftest counts over the modes."""
    recs = records(env.get("boot_detail", ""))
    text = (f"KVM selftests on stock QEMU (no buffers), "
            f"{', '.join(modes.split())}: {status_word(env.get('boot'))}, "
            f"{span(r.get('pass') for r in recs)} passed, "
            f"{span(r.get('fail') for r in recs)} failed, "
            f"{span(r.get('skip') for r in recs)} skipped a mode.")
    return bullet(text)


def cover(env, modes, test_series=None):
    """The cover letter's "Testing" paragraph: a few lines of counts."""
    checks = ", ".join(f"{name} {status_word(env.get(key))}" for name, key in (
        ("git am/checkpatch --strict", "patches"),
        ("W=1/sparse", "warnings"), ("world-switch model", "model")))
    out = [textwrap.fill(f"Testing (make check, {env.get('date', 'unknown date')}, "
                         f"{base_text(env.get('base'))}):", width=72),
           textwrap.fill(checks + ".", width=72, initial_indent="- ",
                         subsequent_indent="  ")]
    if env.get("hazard"):
        out.append(hazard_summary(env, modes))
    if env.get("boot"):
        out.append(boot_summary(env, modes))
    if test_series:
        out.append(textwrap.fill(
            f"host_trace_buffers, not upstream, was applied for the test runs "
            f"only ({test_series}); it is posted to kvmarm on its own.",
            width=72, initial_indent="- ", subsequent_indent="  "))
    out.append("- Not tested: real TRBE or SPE units (no such hardware here).")
    out.append(textwrap.fill(
        "Per-boot and per-mutant results: the make check report "
        "(mk/test-report.sh --full TARGET), on request.", width=72,
        break_on_hyphens=False))
    return "\n".join(out) + "\n"


def details(env, modes, test_series=None):
    """The full "Testing" report: per boot, per mode, per mutant."""
    out = [
        f"Testing (make check, {env.get('date', 'unknown date')}):",
        f"- Base: {base_text(env.get('base'))}.",
        "- git am, checkpatch --strict, export round trip: "
        f"{status_word(env.get('patches'))}.",
        "- W=1 and sparse (C=1) build of arch/arm64/kvm/, base against series,",
        "  no new warning in the files the series touches: "
        f"{status_word(env.get('warnings'))}.",
        "- World-switch model (this tree's hyp/nvhe/debug-sr.c compiled for the",
        "  host, driven through every TRBE/SPE/errata/mode state; it must pass on",
        "  the series and find the bug in the unpatched tree): "
        f"{status_word(env.get('model'))}.",
    ]
    cost = env.get("model_cost", "")
    if cost:
        out.append("  Sysreg reads/writes/barriers per world switch, by enabled buffer:")
        out += ["    " + row for row in cost.split("|")]
    out.append("- QEMU TCG boots with the KVM selftests, host_trace_buffers included")
    out.append(f"  ({', '.join(modes.split())}): {status_word(env.get('boot'))}.")
    if test_series:
        out.append("  host_trace_buffers is not upstream: it was applied for the test runs")
        out.append(f"  only ({test_series}), and is posted to kvmarm on its own.")
    out += boot_lines(env)
    if env.get("hazard"):
        out.append(hazard_intro(env))
        out += hazard_lines(env)
    out.append(NOT_TESTED)
    return "\n".join(out) + "\n"


def gate(env, target, tested_id):
    """Why the results may not go out with the series, or None."""
    if env.get("series_id") != tested_id:
        return (f"the last 'make check' ran on another version of patches/{target}"
                " or its test-only series; run 'make check' again")
    if env.get("status") != "pass":
        return (f"the last 'make check' failed for {target} "
                f"({env.get('failed', '')}); fix that first")
    return None


def cost_rows(rows, target):
    """The model's cost records (costs.tsv of report.c: class, target,
    reads, writes, barriers) as the table of a cover letter: mainline and
    the target's unpatched and patched trees, a class a row."""
    ver = "none" if target == "mainline" else target[:-2] if target.endswith(".y") else target
    want = ["mainline", f"unpatched-{ver}", f"patched-{ver}"]
    cost, classes = {}, []
    for r in rows:
        cls, name = r.get("class"), r.get("target")
        if cls not in classes:
            classes.append(cls)
        cost[cls, name] = "  %4.1f/%4.1f/%4.1f" % tuple(
            float(r.get(k) or 0) for k in ("reads", "writes", "barriers"))
    if not classes:
        return []
    names = [w for w in want if (classes[0], w) in cost]
    lines = ["%-6s" % "class" + "".join("%16s" % w for w in names)]
    for cls in classes:
        lines.append("%-6s" % cls + "".join(cost.get((cls, w), "") for w in names))
    return lines


# The stages of 'make' (stage.sh's names: "qemu", or "NAME TARGET"), in
# the order the verdict says them.
STAGES = ("qemu", "tree", "kernel", "base kernel", "selftests")


def stage_times(rows, target):
    """'qemu 0s, tree 30s, kernel 41s, ...': the last time of each stage
    of 'make' for the target (times.tsv's "qemu" and "NAME TARGET")."""
    last = {}
    for r in rows:
        stage = r.get("stage") or ""
        if stage.endswith(" " + target):
            stage = stage[:-len(target) - 1]
        elif stage != "qemu":
            continue
        if stage in STAGES:
            last[stage] = r.get("secs", "?")
    return ", ".join(f"{s} {last[s]}s" for s in STAGES if s in last)


def boot_secs(times, target, boots):
    """How long the base's and the series' boots took: the last wall time
    of each ("boots unpatched TARGET", "boots patched TARGET" in
    times.tsv; reproduce.sh boots several modes at once) of the variants
    booted, or, for a run that did not record each, the sum of the boots'
    own times."""
    variants = {v for v, _ in boots}
    last = {}
    for r in times or []:
        for variant in variants:
            if r.get("stage") == f"boots {variant} {target}":
                last[variant] = number(r.get("secs"))
    if variants and set(last) == variants and None not in last.values():
        return sum(last.values())
    return sum(number(r.get("secs")) or 0 for r in boots.values())


UNITS = ("spe", "trbe")


def number(value):
    """A record's count as an int, None when it has none (QEMU died
    before its report, or the field is missing)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def hazard_cell(r, unit):
    """A unit's hazards in one boot, 'entry/exit'; '*' when QEMU stopped
    at the first one (FATAL=1), '-' without a boot."""
    if r is None:
        return "-"
    cell = f"{r.get(unit + '_entry') or '?'}/{r.get(unit + '_exit') or '?'}"
    return cell + "*" if r.get("stopped") else cell


def unit_states(parts):
    """parse-log's parts ('guest:ran,spe:ran,trbe:skipped') as a dict of
    the host units' states: {'spe': 'ran', 'trbe': 'skipped'}."""
    states = {}
    for part in (parts or "").split(","):
        tag, _, state = part.partition(":")
        if tag in UNITS:
            states[tag] = state
    return states


def parts_cell(r):
    """The host parts of host_trace_buffers in one boot: those that ran,
    then the others with what became of them ('SPE, TRBE skipped')."""
    if r is None:
        return "-"
    states = unit_states(r.get("parts"))
    words = [u.upper() for u in UNITS if states.get(u) == "ran"]
    words += [f"{u.upper()} {states[u]}" for u in UNITS
              if u in states and states[u] != "ran"]
    return ", ".join(words) or "none"


def base_problems(r, stable):
    """Why the base kernel's boot did not show what it must: entry
    hazards of both units on a stable line, none on a tree that has the
    fix already. Empty when it did."""
    if r is None:
        return ["no boot of the base kernel recorded"]
    probs = []
    if r.get("result") != "ok":
        probs.append("the base kernel's boot failed")
    stopped = r.get("stopped", "")
    if stable and stopped:
        # FATAL=1: QEMU stopped at the first hazard; an entry one is the bug.
        if ",entry," not in stopped + ",":
            probs.append(f"QEMU stopped at a hazard that is not an entry one ({stopped})")
        return probs
    for unit in UNITS:
        entry = number(r.get(unit + "_entry"))
        exits = number(r.get(unit + "_exit"))
        if stable and not (entry and entry > 0):
            probs.append(f"no {unit.upper()} entry hazard on the base kernel")
        elif not stable and (entry != 0 or exits != 0):
            probs.append(f"{unit.upper()} hazards {hazard_cell(r, unit)} on the "
                         "base kernel, which has the fix already")
    return probs


def series_problems(r):
    """Why the series' boot did not show the fix: a hazard, a failed
    boot or selftest, a host part that did not run. Empty when it did."""
    if r is None:
        return ["no boot of the series recorded"]
    probs = []
    if r.get("result") != "ok":
        probs.append("the series' boot failed")
    for unit in UNITS:
        if number(r.get(unit + "_entry")) != 0 or number(r.get(unit + "_exit")) != 0:
            probs.append(f"{unit.upper()} hazards {hazard_cell(r, unit)} with the series")
    fail = number(r.get("fail"))
    if fail != 0:
        probs.append(f"{r.get('fail') or '?'} selftest program(s) failed with the series")
    states = unit_states(r.get("parts"))
    for unit in UNITS:
        if states.get(unit) != "ran":
            probs.append(f"the {unit.upper()} host part of host_trace_buffers "
                         f"{states.get(unit, 'did not run')} with the series")
    return probs


def table(groups, header, rows):
    """Columns two spaces apart, as wide as their widest cell: the first
    and the last left-aligned, the others right-aligned. header names each
    column; groups, (label, first, last) each, are labels over a span of
    columns, right-aligned over it (its columns widen, each alike, to
    hold the label)."""
    width = [max(len(line[i]) for line in [header] + rows)
             for i in range(len(header))]
    for label, first, last in groups:
        extra = len(label) - sum(width[first:last + 1]) - 2 * (last - first)
        for i in range(max(0, extra)):
            width[first + i % (last - first + 1)] += 1

    def align(i, cell):
        if i in (0, len(width) - 1):
            return cell.ljust(width[i])
        return cell.rjust(width[i])

    start = [2 + sum(width[:i]) + 2 * i for i in range(len(width))]
    line = ""
    for label, first, last in groups:
        end = start[last] + width[last]
        line = line.ljust(end - len(label)) + label
    out = [line]
    for cells in [header] + rows:
        out.append(("  " + "  ".join(align(i, c) for i, c in enumerate(cells))).rstrip())
    return out


def verdict(rows, target, base, applied, total, series, modes=None,
            stable=True, qemu=None, times=None, logs=None):
    """The verdict 'make' ends with, from reproduce.sh's hazards.tsv
    rows (the base kernel's boots, variant 'unpatched', and the series',
    'patched'; others are left out), and its exit status: 0 when every
    mode showed the bug on the base (none on a tree that has the fix) and
    none with the series, its selftests passing with both host parts
    run; 1 otherwise; 2 when the tree is older than the series."""
    out = ["", f"verdict for {target}", f"  base:    {base_text(base)}",
           f"  patches: {applied} of the {total} in {series} applied as commits"]
    if applied != total:
        return "\n".join(out) + "\n", 2
    boots = {}
    for r in rows:
        if r.get("variant") in ("patched", "unpatched"):
            boots[r["variant"], r.get("mode", "?")] = r
    if not modes:
        modes = list(dict.fromkeys(m for _, m in boots))
    secs = boot_secs(times, target, boots)
    if times is not None:
        line = stage_times(times, target)
        out.append(f"  time:    {line + ', ' if line else ''}boots {secs}s")
    if logs:
        out.append(f"  logs:    {logs}/{{unpatched,patched}}/MODE.log")
    ver = base.split()[0] if base else "?"
    out += ["", textwrap.fill(
        f"Linux {ver} without and with the series, booted under "
        f"{qemu or 'the project' + chr(39) + 's QEMU (patches/qemu)'} with its SPE and TRBE models, the "
        "host owning both buffers, in each KVM mode below. A hazard is a buffer "
        "left enabled while its owning regime is switched, counted on guest "
        "entry/exit" + (" (*: QEMU stopped at the first)" if any(
            r.get("stopped") for r in boots.values()) else "") + ".",
        width=74, initial_indent="  ", subsequent_indent="  "), ""]
    cells = []
    problems = []
    for m in modes:
        b, s = boots.get(("unpatched", m)), boots.get(("patched", m))
        cells.append([m, hazard_cell(b, "spe"), hazard_cell(b, "trbe"),
                      hazard_cell(s, "spe"), hazard_cell(s, "trbe"),
                      (s or {}).get("pass") or "-", (s or {}).get("fail") or "-",
                      (s or {}).get("skip") or "-", parts_cell(s)])
        problems += [(m, p, b) for p in base_problems(b, stable)]
        problems += [(m, p, s) for p in series_problems(s)]
    out += table([("base hazards", 1, 2), ("series hazards", 3, 4),
                  ("series selftests", 5, 7)],
                 ["mode", "SPE", "TRBE", "SPE", "TRBE", "pass", "fail", "skip",
                  "host parts"], cells)
    out.append("")
    where = ", ".join(modes)
    if problems:
        out.append(f"  FAIL: the bug and the fix were not both shown on {ver}:")
        for m, p, r in problems:
            out.append(f"    {m}: {p}" + (f" (log: {r['log']})" if r and r.get("log") else ""))
        return "\n".join(out) + "\n", 1
    if stable:
        out.append(f"  bug reproduced on {ver}, gone with the series, in {where}")
    else:
        out.append(f"  no hazard on {ver}, which has the fix already, nor with the "
                   f"series, in {where}")
    return "\n".join(out) + "\n", 0


def main(argv):
    p = argparse.ArgumentParser(prog="report.py", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("cover", "details"):
        c = sub.add_parser(name)
        c.add_argument("results")
        c.add_argument("--modes", required=True)
        c.add_argument("--test-series")
    g = sub.add_parser("gate")
    g.add_argument("results")
    g.add_argument("--target", required=True)
    g.add_argument("--tested-id", required=True)
    v = sub.add_parser("verdict")
    v.add_argument("hazards")
    v.add_argument("--target", required=True)
    v.add_argument("--base", required=True)
    v.add_argument("--applied", type=int, required=True)
    v.add_argument("--total", type=int, required=True)
    v.add_argument("--series", required=True)
    v.add_argument("--modes", help="the line's KVM modes, space-separated")
    v.add_argument("--stable", choices=("yes", "no"), default="yes",
                   help="yes: the base must show the bug; no: it has the fix")
    v.add_argument("--qemu", help="the QEMU the boots ran on, in words")
    v.add_argument("--times")
    v.add_argument("--logs", help="the boots' log directory")
    k = sub.add_parser("costs")
    k.add_argument("costs")
    k.add_argument("--target", required=True)
    a = p.parse_args(argv)
    if a.cmd == "costs":
        for line in cost_rows(read_tsv(a.costs), a.target):
            print(line)
        return 0
    if a.cmd in ("cover", "details"):
        make = cover if a.cmd == "cover" else details
        sys.stdout.write(make(read_env(a.results), a.modes, a.test_series))
        return 0
    if a.cmd == "gate":
        why = gate(read_env(a.results), a.target, a.tested_id)
        if why:
            print(f"test-report.sh: error: {why}", file=sys.stderr)
            return 1
        return 0
    times = read_tsv(a.times) if a.times else None
    text, rc = verdict(read_tsv(a.hazards), a.target, a.base, a.applied,
                       a.total, a.series, modes=(a.modes or "").split(),
                       stable=a.stable == "yes", qemu=a.qemu, times=times,
                       logs=a.logs)
    sys.stdout.write(text)
    if rc == 2:
        print(f"verdict.sh: error: build/linux-{a.target} is older than "
              f"{a.series.split()[0]}; run 'make' again", file=sys.stderr)
        return 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
