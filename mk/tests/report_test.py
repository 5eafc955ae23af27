#!/usr/bin/python3
"""Tests of mk/report.py on recorded inputs (mk/tests/test_data/): each
composed text must read as recorded, whatever the order of the fields in
the records, and the gate and the verdict must refuse what they must."""

import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "test_data")
sys.path.insert(0, os.path.dirname(HERE))

import report  # noqa: E402  (mk/ is on the path only now)


def data(name):
    return os.path.join(DATA, name)


def read(name):
    with open(data(name), encoding="utf-8") as f:
        return f.read()


def reversed_records(value):
    """Every record of a 'k=v k=v|...' list with its fields reversed."""
    return "|".join(" ".join(reversed(r.split())) for r in value.split("|"))


def reversed_tsv(text):
    """A TSV with its columns in the reverse order."""
    return "".join("\t".join(reversed(line.rstrip("\n").split("\t"))) + "\n"
                   for line in text.splitlines())


class RecordsTest(unittest.TestCase):
    def test_values_may_hold_equals(self):
        self.assertEqual(report.records("a=1 b=x=y|c=2"),
                         [{"a": "1", "b": "x=y"}, {"c": "2"}])

    def test_empty(self):
        self.assertEqual(report.records(""), [])

    def test_env_first_wins(self):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("a=1\na=2\nnot a record\nb=\n")
        try:
            self.assertEqual(report.read_env(f.name), {"a": "1", "b": ""})
        finally:
            os.unlink(f.name)


class CoverTest(unittest.TestCase):
    """The cover letter's few lines of counts."""
    MODES = "nvhe pkvm-nvhe pkvm-hvhe"

    def setUp(self):
        self.env = report.read_env(data("results-6.12.y.env"))

    def cover(self, env):
        return " ".join(report.cover(env, self.MODES,
                                     "patches/6.12.y-test").split())

    def test_recorded(self):
        self.assertEqual(report.cover(self.env, self.MODES, "patches/6.12.y-test"),
                         read("cover-6.12.y.txt"))

    def test_short(self):
        text = report.cover(self.env, self.MODES, "patches/6.12.y-test")
        self.assertLessEqual(len(text.splitlines()), 16)
        self.assertTrue(all(len(line) <= 72 for line in text.splitlines()))

    def test_counts(self):
        text = self.cover(self.env)
        self.assertIn("enabled on guest entry in 3 of 3 modes (SPE 20-21, "
                      "TRBE 41-42 times a boot)", text)
        self.assertIn("with the series no hazard in any mode", text)
        self.assertIn("Mutants of the series caught: 5 of 5", text)

    def test_base_without_hazards(self):
        recs = self.env["hazard_detail"].split("|")
        env = dict(self.env, hazard_detail="|".join(
            r.replace("trbe_entry=41", "trbe_entry=0")
            if "variant=unpatched mode=nvhe" in r else r for r in recs))
        self.assertIn("in 2 of 3 modes", self.cover(env))

    def test_line_with_the_fix(self):
        """mainline: no base boots, no stock-QEMU boots."""
        recs = self.env["hazard_detail"].split("|")
        env = {k: v for k, v in self.env.items() if not k.startswith("boot")}
        env["hazard_detail"] = "|".join(r for r in recs if "variant=unpatched" not in r)
        text = self.cover(env)
        self.assertIn("the base kernel already has the fix", text)
        self.assertNotIn("stock QEMU", text)

    def test_mutant_missed_and_series_dirty(self):
        recs = self.env["hazard_detail"].split("|")
        env = dict(self.env, hazard_detail="|".join(
            r.replace("result=ok", "result=FAIL")
            if "mutant-late-enable mode=nvhe" in r else
            r.replace("spe_exit=0", "spe_exit=3")
            if "variant=patched mode=pkvm-hvhe" in r else r for r in recs))
        text = self.cover(env)
        self.assertIn("caught: 4 of 5", text)
        self.assertIn("NOT clean", text)


class DetailsTest(unittest.TestCase):
    """The full report behind the cover's counts."""
    MODES = "nvhe pkvm-nvhe pkvm-hvhe"

    def setUp(self):
        self.env = report.read_env(data("results-6.12.y.env"))

    def cover(self, env):
        return report.details(env, self.MODES, "patches/6.12.y-test")

    def test_recorded(self):
        self.assertEqual(self.cover(self.env), read("report-6.12.y.txt"))

    def test_fields_in_another_order(self):
        env = dict(self.env)
        for key in ("boot_detail", "hazard_detail"):
            env[key] = reversed_records(env[key])
        self.assertEqual(self.cover(env), read("report-6.12.y.txt"))

    def test_folds_only_alike_modes(self):
        text = self.cover(self.env)
        self.assertIn("    unpatched, nvhe:\n      ok, SPE 20/19", text)
        self.assertIn("    patched, nvhe, pkvm-nvhe, pkvm-hvhe:\n", text)

    def test_parts_that_ran(self):
        both = {"variant": "patched", "mode": "nvhe", "result": "ok",
                "parts": "guest:ran,spe:ran,trbe:ran", "spe_entry": "0",
                "spe_exit": "0", "trbe_entry": "0", "trbe_exit": "0"}
        self.assertTrue(report.hazard_what(both).endswith(", SPE and TRBE parts ran"))
        caught = dict(both, parts="guest:ran,spe:ran,trbe:failed")
        self.assertTrue(report.hazard_what(caught).endswith(", the selftest caught it"))
        neither = dict(both, parts="guest:ran,spe:skipped,trbe:skipped")
        self.assertTrue(report.hazard_what(neither).endswith("TRBE 0/0"))

    def test_waker(self):
        """The waker is said as the records have it: a period, a mix, or
        nothing (records from before run-boot.sh had --waker)."""
        def flat(env):
            return " ".join(self.cover(env).split())
        self.assertIn("owning both buffers and a task waking every 2 ms on "
                      "each CPU, in each KVM mode", flat(self.env))
        recs = self.env["hazard_detail"].split("|")
        none = dict(self.env, hazard_detail="|".join(
            r.replace(" waker=2000", "") for r in recs))
        self.assertIn("owning both buffers, in each KVM mode", flat(none))
        mixed = dict(self.env, hazard_detail="|".join(
            [recs[0].replace(" waker=2000", "")] + recs[1:]))
        self.assertIn("buffers and, in some boots, a task waking on each CPU,",
                      flat(mixed))
        odd = dict(self.env, hazard_detail="|".join(
            r.replace("waker=2000", "waker=1500") for r in recs))
        self.assertIn("waking every 1500 us on each CPU", flat(odd))

    def test_no_hazard_boots(self):
        env = {k: v for k, v in self.env.items() if not k.startswith("hazard")}
        text = self.cover(env)
        self.assertNotIn("Hazards entry/exit", text)
        self.assertIn("- Not tested here", text)

    def test_no_test_series(self):
        text = report.details(self.env, self.MODES)
        self.assertNotIn("is not upstream", text)


class CostsTest(unittest.TestCase):
    def rows(self, text):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "costs.tsv")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            return report.read_tsv(path)

    def expected(self):
        env = report.read_env(data("results-6.12.y.env"))
        return env["model_cost"].split("|")

    def test_recorded(self):
        rows = self.rows(read("costs.tsv"))
        self.assertEqual(report.cost_rows(rows, "6.12.y"), self.expected())

    def test_columns_in_another_order(self):
        rows = self.rows(reversed_tsv(read("costs.tsv")))
        self.assertEqual(report.cost_rows(rows, "6.12.y"), self.expected())

    def test_mainline_alone(self):
        lines = report.cost_rows(self.rows(read("costs.tsv")), "mainline")
        self.assertEqual(lines[0].split(), ["class", "mainline"])
        self.assertEqual(len(lines), 5)


class GateTest(unittest.TestCase):
    def setUp(self):
        self.env = report.read_env(data("results-6.12.y.env"))
        self.tested = self.env["series_id"]

    def test_green_and_current(self):
        self.assertIsNone(report.gate(self.env, "6.12.y", self.tested))

    def test_other_series(self):
        why = report.gate(self.env, "6.12.y", "0123456789abcdef")
        self.assertIn("another version of patches/6.12.y", why)

    def test_failed(self):
        env = dict(self.env, status="fail", failed="hazard-6.12.y")
        self.assertIn("failed for 6.12.y (hazard-6.12.y)",
                      report.gate(env, "6.12.y", self.tested))


class VerdictTest(unittest.TestCase):
    """The verdict 'make' ends with, on reproduce.sh's hazards.tsv: the
    table, and the one line that says what was shown. Each broken record
    below is a way the boots can fail to show the bug or the fix; the
    verdict must say which, in which mode, and fail."""
    BASE = ("6.12.118 binary linux-source-6.12_6.12.118-1_all.deb "
            "sha256:b75bb2e7 (Debian's patches applied)")
    KW = dict(target="6.12.y", base=BASE, applied=4, total=4,
              series="patches/6.12.y and patches/6.12.y-test",
              modes=["nvhe", "pkvm-nvhe", "pkvm-hvhe"], stable=True,
              qemu="QEMU 10.0.2 + patches/qemu (7 patches)",
              logs="/b/logs/6.12.y-hazard")

    def rows(self, text):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "hazards.tsv")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            return report.read_tsv(path)

    def verdict(self, hazards=None, times=None, **kw):
        rows = self.rows(read("hazards-6.12.y.tsv") if hazards is None else hazards)
        times = self.rows(read("times.tsv") if times is None else times)
        return report.verdict(rows, **dict(self.KW, times=times, **kw))

    def edited(self, variant, mode, **fields):
        """hazards-6.12.y.tsv with fields of one boot's record changed."""
        rows = self.rows(read("hazards-6.12.y.tsv"))
        names = list(rows[0])
        out = ["\t".join(names)]
        for r in rows:
            if r["variant"] == variant and r["mode"] == mode:
                r.update(fields)
            out.append("\t".join(r[n] for n in names))
        return "\n".join(out) + "\n"

    def test_recorded(self):
        self.assertEqual(self.verdict(), (read("verdict-6.12.y.txt"), 0))

    def test_columns_and_rows_in_another_order(self):
        lines = read("hazards-6.12.y.tsv").splitlines(True)
        shuffled = reversed_tsv(lines[0] + "".join(reversed(lines[1:])))
        text, rc = self.verdict(shuffled, reversed_tsv(read("times.tsv")))
        self.assertEqual((text, rc), (read("verdict-6.12.y.txt"), 0))

    def test_the_line(self):
        text, _ = self.verdict()
        self.assertIn("\n  bug reproduced on 6.12.118, gone with the series, in "
                      "nvhe, pkvm-nvhe, pkvm-hvhe\n", text)

    def test_times(self):
        text, _ = self.verdict()
        self.assertIn("  time:    qemu 310s, tree 20s, kernel 300s, base kernel 95s, "
                      "selftests 19s, boots 73s\n", text)
        text, _ = self.verdict(times="when\tstage\tsecs\trc\n")
        self.assertIn("  time:    boots 73s\n", text)

    def test_boot_wall_time(self):
        """Boots run several at once: the verdict gives their wall time
        (times.tsv's "boots VARIANT TARGET", the last of each) instead of
        the sum of the boots' own times (73 s in the fixture); with one of
        the two missing, the sum."""
        wall = ("2026-12-01T10:11:00Z\tboots unpatched 6.12.y\t9\t0\n"
                "2026-12-01T10:12:00Z\tboots patched 6.12.y\t40\t0\n"
                "2026-12-01T10:13:00Z\tboots patched 6.1.y\t500\t0\n"
                "2026-12-01T10:14:00Z\tboots mutant-late-enable 6.12.y\t7\t0\n")
        again = "2026-12-01T10:20:00Z\tboots unpatched 6.12.y\t11\t1\n"
        text, _ = self.verdict(times=read("times.tsv") + wall)
        self.assertIn("selftests 19s, boots 49s\n", text)
        text, _ = self.verdict(times=read("times.tsv") + wall + again)
        self.assertIn("selftests 19s, boots 51s\n", text)
        text, _ = self.verdict(times=read("times.tsv") + wall.split("\n", 1)[1])
        self.assertIn("selftests 19s, boots 73s\n", text)

    def test_other_variants_left_out(self):
        mutant = ("mutant-late-disable\tnvhe\tok\t0\t0\t0\tnone\t0\t0\t1\t0\t"
                  "fatal: x\tTRBE,entry,hcr_el2\t2000\t2\t/b/m.log\n")
        text, rc = self.verdict(read("hazards-6.12.y.tsv") + mutant)
        self.assertEqual((text, rc), (read("verdict-6.12.y.txt"), 0))

    def failed(self, hazards, *want, **kw):
        text, rc = self.verdict(hazards, **kw)
        self.assertEqual(rc, 1, text)
        self.assertIn("  FAIL: the bug and the fix were not both shown on 6.12.118:", text)
        self.assertNotIn("bug reproduced", text)
        for w in want:
            self.assertIn(w, text)
        return text

    def test_base_without_trbe_hazard(self):
        """A base kernel that shows no TRBE entry hazard (the test module
        did not enable the buffer, say) has not shown the bug."""
        self.failed(self.edited("unpatched", "pkvm-hvhe", trbe_entry="0", trbe_exit="0"),
                    "    pkvm-hvhe: no TRBE entry hazard on the base kernel "
                    "(log: /b/logs/6.12.y-hazard/unpatched/pkvm-hvhe.log)")

    def test_base_without_counts(self):
        """QEMU died before its report: no count is no hazard shown."""
        text = self.failed(self.edited("unpatched", "nvhe", result="FAIL", spe_entry="",
                                       spe_exit="", trbe_entry="", trbe_exit=""),
                           "    nvhe: the base kernel's boot failed",
                           "    nvhe: no SPE entry hazard on the base kernel")
        self.assertIn("  nvhe         ?/?    ?/?", text)

    def test_series_with_hazards(self):
        self.failed(self.edited("patched", "nvhe", spe_entry="3"),
                    "    nvhe: SPE hazards 3/0 with the series")

    def test_series_exit_hazards(self):
        self.failed(self.edited("patched", "pkvm-nvhe", trbe_exit="12"),
                    "    pkvm-nvhe: TRBE hazards 0/12 with the series")

    def test_series_selftest_failed(self):
        self.failed(self.edited("patched", "pkvm-hvhe", result="FAIL", fail="1", skip="0"),
                    "    pkvm-hvhe: the series' boot failed",
                    "    pkvm-hvhe: 1 selftest program(s) failed with the series")

    def test_series_host_part_skipped(self):
        """Stock QEMU: host_trace_buffers skips its host parts. The
        series' boots then show nothing of the fix."""
        text = self.failed(self.edited("patched", "nvhe",
                                       parts="guest:ran,spe:skipped,trbe:skipped"),
                           "    nvhe: the SPE host part of host_trace_buffers "
                           "skipped with the series",
                           "    nvhe: the TRBE host part of host_trace_buffers "
                           "skipped with the series")
        self.assertIn("SPE skipped, TRBE skipped", text)

    def test_series_host_part_failed(self):
        text = self.failed(self.edited("patched", "nvhe", parts="guest:ran,spe:ran,trbe:failed"),
                           "    nvhe: the TRBE host part of host_trace_buffers "
                           "failed with the series")
        self.assertIn("SPE, TRBE failed", text)

    def test_a_mode_not_booted(self):
        """PATCHED=1 left no base boots; a mode the line has is missing."""
        lines = read("hazards-6.12.y.tsv").splitlines(True)
        text = self.failed("".join(lines[:4]),
                           "    nvhe: no boot of the base kernel recorded")
        self.assertIn("  nvhe           -      -", text)
        self.failed("".join(lines[:3] + lines[4:]),
                    "    pkvm-hvhe: no boot of the series recorded")

    def test_fatal(self):
        """FATAL=1: a base boot stopped at an entry hazard shows the bug;
        one stopped at an exit hazard does not."""
        text, rc = self.verdict(self.edited("unpatched", "nvhe", spe_entry="0", spe_exit="0",
                                            trbe_entry="1", trbe_exit="0",
                                            stopped="TRBE,entry,hcr_el2"))
        self.assertEqual(rc, 0, text)
        self.assertIn("  nvhe        0/0*   1/0*", text)
        self.assertIn("(*: QEMU stopped at the first)", " ".join(text.split()))
        self.failed(self.edited("unpatched", "nvhe", stopped="TRBE,exit,mdcr_el2"),
                    "    nvhe: QEMU stopped at a hazard that is not an entry one "
                    "(TRBE,exit,mdcr_el2)")

    def test_line_with_the_fix(self):
        """mainline (--stable no): its base must show no hazard."""
        clean = read("hazards-6.12.y.tsv")
        for r in self.rows(clean):
            if r["variant"] == "unpatched":
                for k in ("spe_entry", "spe_exit", "trbe_entry", "trbe_exit"):
                    clean = clean.replace(f"\t{r[k]}\t", "\t0\t")
        text, rc = self.verdict(clean, stable=False)
        self.assertEqual(rc, 0, text)
        self.assertIn("  no hazard on 6.12.118, which has the fix already, nor with "
                      "the series, in nvhe, pkvm-nvhe, pkvm-hvhe\n", text)
        self.failed(read("hazards-6.12.y.tsv"),
                    "    nvhe: SPE hazards 28/28 on the base kernel, which has the "
                    "fix already", stable=False)

    def test_fewer_modes(self):
        """HAZARD_MODES=nvhe: the verdict speaks of that mode alone."""
        lines = read("hazards-6.12.y.tsv").splitlines(True)
        text, rc = self.verdict("".join(lines[:2] + lines[4:5]), modes=["nvhe"])
        self.assertEqual(rc, 0, text)
        self.assertIn("gone with the series, in nvhe\n", text)

    def test_tree_older_than_series(self):
        text, rc = self.verdict(applied=3)
        self.assertEqual(rc, 2)
        self.assertNotIn("hazards", text)

    def test_table_fits_a_mail(self):
        """The paragraph and the table a maintainer pastes fit 76 columns
        (the line after them is one line, however long)."""
        text, _ = self.verdict()
        body = text.split("  logs:")[1].split("\n", 1)[1].splitlines()[:-1]
        self.assertEqual([line for line in body if len(line) > 76], [])


if __name__ == "__main__":
    unittest.main(verbosity=1)
