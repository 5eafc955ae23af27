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
    ARGS = ("6.12.y", "6.12.118 test-tree", 4, 4,
            "patches/6.12.y and patches/6.12.y-test")

    def verdict(self, summary_text, times_text=None, args=ARGS):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "summary.tsv")
            with open(path, "w", encoding="utf-8") as f:
                f.write(summary_text)
            rows = report.read_tsv(path)
            times = None
            if times_text is not None:
                tpath = os.path.join(tmp, "times.tsv")
                with open(tpath, "w", encoding="utf-8") as f:
                    f.write(times_text)
                times = report.read_tsv(tpath)
        return report.verdict(rows, *args, times=times)

    def test_recorded(self):
        text, rc = self.verdict(read("summary-6.12.y.tsv"), read("times.tsv"))
        self.assertEqual((text, rc), (read("verdict-6.12.y.txt"), 0))

    def test_columns_in_another_order(self):
        text, rc = self.verdict(reversed_tsv(read("summary-6.12.y.tsv")),
                                reversed_tsv(read("times.tsv")))
        self.assertEqual((text, rc), (read("verdict-6.12.y.txt"), 0))

    def test_every_mode_ran_a_part(self):
        summary = "".join(read("summary-6.12.y.tsv").splitlines(True)[:2])
        text, rc = self.verdict(summary)
        self.assertEqual(rc, 0)
        self.assertIn("RESULT:  ok: every mode booted", text)
        self.assertNotIn("time:", text)

    def test_failed_mode(self):
        summary = read("summary-6.12.y.tsv").replace("pkvm-hvhe\tok", "pkvm-hvhe\tFAIL")
        text, rc = self.verdict(summary)
        self.assertEqual(rc, 1)
        self.assertIn("RESULT:  FAIL", text)

    def test_tree_older_than_series(self):
        args = self.ARGS[:2] + (3, 4) + self.ARGS[4:]
        _, rc = self.verdict(read("summary-6.12.y.tsv"), args=args)
        self.assertEqual(rc, 2)


if __name__ == "__main__":
    unittest.main(verbosity=1)
