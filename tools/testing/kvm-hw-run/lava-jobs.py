#!/usr/bin/python3
"""lava-jobs.py: the project's LAVA jobs, checked and run by LAVA's own code.

  lava-jobs.py check JOB... [--testdef FILE] [--device DEVICE...]
      validate each job with lava_common's schema (strict), the test
      definition FILE with lava_common's test definition schema (and its
      parse pattern as LAVA compiles it) and each device dictionary with
      lava_common's device schema. Every job must take the same test
      definition (from, path, name) as the first one, and FILE must be
      at that path.
  lava-jobs.py qemu --board JOB --repository URL --kernel IMAGE
                    --rootfs CPIO --mode MODE --artifacts DIR [--repeat N]
                    [--serial-log FILE] --out JOB
      write the job that runs JOB's test action, its definition taken
      from the git repository URL (a copy of this project's) and only its
      parameters set for the emulator, on the 'qemu' device
      of lava/qemu-device.yaml: the kernel and the initramfs deployed to
      tmpfs from file:// URLs, LAVA's overlay appended to the initramfs.
      With --serial-log, QEMU also writes the serial console to FILE.
  lava-jobs.py compare LOG [--serial FILE] [--mode MODE] [--qemu PATH]
                       [--expect CASE=RESULT...]
      LOG is what lava-run wrote (one YAML record a line), FILE what QEMU
      wrote of the serial console (else LOG's copy of it is read). The
      cases that LAVA recorded for the test definition must be those that
      run-hw.sh printed on the serial console in that job, case by case with the
      same result, plus "run-hw" (pass exactly when no case failed); the
      kernel's own KVM message must name MODE and run-hw.sh's kvm-mode
      case pass; LAVA must have started PATH as its QEMU; each CASE must
      have the RESULT given; LAVA's job must have ended complete. Prints
      one line per case and a summary.

Bad input gives one line on stderr and exit status 2; a check that does
not hold gives exit status 1.
"""

import argparse
import copy
import os
import re
import sys

import yaml

PROG = "lava-jobs.py"
# What run-hw.sh prints for a case (after the serial console's CR is cut).
CASE_LINE = re.compile(r"^# result: (\S+) (pass|fail|skip)$")
# The kernel's line for each mode of lava-qemu-run.sh; its messages as
# run-hw.sh maps them.
MODE_MESSAGES = {
    "nvhe": re.compile(r"kvm \[\d+\]: Hyp (nVHE )?mode initialized successfully"),
    "protected-hvhe": re.compile(r"kvm \[\d+\]: Protected hVHE mode initialized successfully"),
    "protected-nvhe": re.compile(r"kvm \[\d+\]: Protected nVHE mode initialized successfully"),
}
KERNEL_ARGS = {"nvhe": "kvm-arm.mode=nvhe", "protected-hvhe": "kvm-arm.mode=protected"}
PROMPT = "khtb-lava # "


def die(msg):
    print("%s: error: %s" % (PROG, msg), file=sys.stderr)
    sys.exit(2)


def load_yaml(path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as exc:
        die("cannot read %s: %s" % (path, exc.strerror))
    except yaml.YAMLError as exc:
        die("%s is not YAML: %s" % (path, str(exc).splitlines()[0]))


def lava_schemas():
    try:
        from lava_common import schemas
        from lava_common.schemas import device
    except ImportError:
        die("lava_common is missing; as root: apt-get install lava-common lava-dispatcher")
    return schemas, device


def test_definition(job, path):
    """What names the test definition of JOB's one test action."""
    tests = [a["test"] for a in job.get("actions", []) if "test" in a]
    if len(tests) != 1 or len(tests[0].get("definitions", [])) != 1:
        die("%s: wants one test action with one definition" % path)
    d = tests[0]["definitions"][0]
    return {k: d.get(k) for k in ("from", "path", "name")}


def check_testdef(path, want):
    """Problems of the test definition FILE, as LAVA would see them."""
    from lava_common.schemas.test import testdef

    data = load_yaml(path)
    try:
        testdef.validate(data)
    except Exception as exc:
        return ["LAVA's test definition schema: %s" % exc]
    bad = []
    if want and not os.path.realpath(path).endswith("/" + want["path"]):
        bad.append("not at %s, where the jobs take it from" % want["path"])
    if want and data["metadata"]["name"] != want["name"]:
        bad.append("named %s, the jobs say %s" % (data["metadata"]["name"], want["name"]))
    try:
        pat = re.compile(data["parse"]["pattern"], re.M)
    except (KeyError, TypeError, re.error) as exc:
        return bad + ["no parse pattern LAVA can compile (%s)" % exc]
    if not {"test_case_id", "result"} <= set(pat.groupindex):
        bad.append("the parse pattern lacks test_case_id or result")
    return bad


def cmd_check(args):
    schemas, device = lava_schemas()
    bad = 0
    first = None
    for path in args.jobs:
        job = load_yaml(path)
        try:
            schemas.validate(job, strict=True, extra_context_variables=[])
        except Exception as exc:  # voluptuous.Invalid and its kinds
            print("FAIL %s: LAVA's schema: %s" % (path, exc))
            bad += 1
            continue
        d = test_definition(job, path)
        if first is None:
            first = (path, d)
        elif d != first[1]:
            print("FAIL %s: its test definition differs from %s's" % (path, first[0]))
            bad += 1
            continue
        print("ok   %s: valid (LAVA's schema, strict), test definition %s" % (path, d["path"]))
    if args.testdef:
        bad_def = check_testdef(args.testdef, first[1] if first else None)
        for b in bad_def:
            print("FAIL %s: %s" % (args.testdef, b))
        if not bad_def:
            print("ok   %s: valid test definition (LAVA's schema), its pattern compiles" % args.testdef)
        bad += len(bad_def)
    for path in args.device or []:
        try:
            device.validate(load_yaml(path))
        except Exception as exc:
            print("FAIL %s: LAVA's device schema: %s" % (path, exc))
            bad += 1
            continue
        print("ok   %s: valid device dictionary" % path)
    return 1 if bad else 0


def cmd_qemu(args):
    if args.mode not in KERNEL_ARGS:
        die("--mode takes %s, not '%s'" % (" or ".join(KERNEL_ARGS), args.mode))
    for p in (args.kernel, args.rootfs):
        if not os.path.isfile(p):
            die("no file %s; build it first" % p)
    board = load_yaml(args.board)
    test = [a["test"] for a in board["actions"] if "test" in a][0]
    test = copy.deepcopy(test)
    test["timeout"] = {"minutes": 5}
    defn = test["definitions"][0]
    defn["repository"] = args.repository
    defn["parameters"] = {
        "ARTIFACTS": args.artifacts,
        "EXPECT_MODE": args.mode,
        "REPEAT": str(args.repeat),
    }
    cmdline = "console=ttyAMA0 panic=-1 %s" % KERNEL_ARGS[args.mode]
    kernel_arg = '-kernel {kernel} -append "%s"' % cmdline
    if args.serial_log:
        # The console stays on stdio for LAVA; QEMU keeps a copy.
        kernel_arg += (" -chardev stdio,id=khtbcon,signal=off,logfile=%s"
                       " -serial chardev:khtbcon -monitor none"
                       % os.path.abspath(args.serial_log))
    job = {
        "device_type": "qemu",
        "job_name": "kvm-nvhe-buffers host_trace_buffers on QEMU's SPE/TRBE models, %s"
        % KERNEL_ARGS[args.mode],
        "priority": board.get("priority", "medium"),
        "visibility": board.get("visibility", "public"),
        "timeouts": {
            "job": {"minutes": 10},
            "action": {"minutes": 5},
            "connection": {"minutes": 2},
        },
        "context": {"arch": "arm64"},
        "actions": [
            {
                "deploy": {
                    "to": "tmpfs",
                    "timeout": {"minutes": 2},
                    "images": {
                        "kernel": {
                            "url": "file://" + os.path.abspath(args.kernel),
                            "image_arg": kernel_arg,
                        },
                        "ramdisk": {
                            "url": "file://" + os.path.abspath(args.rootfs),
                            "image_arg": "-initrd {ramdisk}",
                            "format": "cpio.newc",
                            "overlays": {"lava": True},
                        },
                    },
                }
            },
            {
                "boot": {
                    "method": "qemu",
                    "media": "tmpfs",
                    "timeout": {"minutes": 2},
                    "prompts": [PROMPT],
                }
            },
            {"test": test},
        ],
    }
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# Made by %s qemu from %s: do not edit.\n" % (PROG, args.board))
        yaml.safe_dump(job, f, sort_keys=False, default_flow_style=False)
    return 0


def read_log(path):
    """lava-run's log: one record (dt, lvl, msg) a line."""
    records = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError as exc:
        die("cannot read %s: %s" % (path, exc.strerror))
    for n, line in enumerate(lines, 1):
        if not line.startswith("{"):
            continue
        try:
            r = yaml.safe_load(line)
        except yaml.YAMLError:
            die("%s:%d: not a lava-run log record" % (path, n))
        if isinstance(r, dict) and "lvl" in r:
            records.append(r)
    if not records:
        die("%s holds no lava-run log record" % path)
    return records


def target_lines(log):
    """What the serial console said, one string a line, CR cut."""
    for r in log:
        if r["lvl"] != "target":
            continue
        msg = r.get("msg")
        if isinstance(msg, str):
            yield msg.rstrip("\r")


def serial_lines(path):
    """QEMU's copy of the serial console, one string a line, CR cut; and
    how many lines ended in CR LF."""
    try:
        with open(path, "rb") as f:
            raw = f.read().decode("utf-8", errors="replace").split("\n")
    except OSError as exc:
        die("cannot read %s: %s" % (path, exc.strerror))
    return [l.rstrip("\r") for l in raw], sum(1 for l in raw if l.endswith("\r"))


def cmd_compare(args):
    log = read_log(args.log)
    printed = []
    if args.serial:
        console, crlf = serial_lines(args.serial)
        print("serial %s: %d lines, %d of them end in CR LF" % (args.serial, len(console), crlf))
    else:
        console = list(target_lines(log))
    for line in console:
        # The console may put run-hw.sh's line after other text (a prompt).
        m = CASE_LINE.match(line[line.find("# result: "):] if "# result: " in line else "")
        if m:
            printed.append((m.group(1), m.group(2)))
    recorded = []
    lava = {}
    for r in log:
        if r["lvl"] != "results" or not isinstance(r.get("msg"), dict):
            continue
        msg = r["msg"]
        if msg.get("definition") == "lava":
            lava[msg.get("case")] = msg.get("result")
        elif msg.get("definition", "").endswith("_kvm-host-trace-buffers"):
            recorded.append((msg.get("case"), msg.get("result")))
    bad = []
    if not printed:
        bad.append("run-hw.sh printed no case on the console")
    want = list(printed)
    want.append(("run-hw", "fail" if any(r == "fail" for _, r in printed) else "pass"))
    got = dict()
    for case, res in recorded:
        if case in got:
            bad.append("LAVA recorded %s twice" % case)
        got[case] = res
    same = 0
    for case, res in want:
        g = got.pop(case, None)
        if g == res:
            same += 1
            print("same %-55s %s" % (case, res))
        else:
            bad.append("%s: run-hw.sh %s, LAVA %s" % (case, res, g or "nothing"))
    for case, res in got.items():
        bad.append("%s: LAVA recorded %s, run-hw.sh printed nothing" % (case, res))
    if args.mode:
        said = [l for l in console if MODE_MESSAGES[args.mode].search(l)]
        if said:
            print("mode %s: the kernel said '%s'" % (args.mode, said[-1].strip()))
        else:
            bad.append("the kernel never said it initialised KVM in %s mode" % args.mode)
        if ("kvm-mode", "pass") not in printed:
            bad.append("run-hw.sh did not pass kvm-mode for %s" % args.mode)
    if args.qemu:
        started = [r["msg"] for r in log if r["lvl"] == "info" and isinstance(r.get("msg"), str)
                   and r["msg"].startswith("Boot command: ")]
        qemu = os.path.realpath(args.qemu)
        if not any(os.path.realpath(m.split()[2]) == qemu for m in started):
            bad.append("LAVA did not start %s (%s)" % (args.qemu, started[-1] if started else "no boot command"))
        else:
            print("qemu %s" % args.qemu)
    for e in args.expect or []:
        case, _, res = e.partition("=")
        if dict(recorded).get(case) != res:
            bad.append("%s: LAVA recorded %s, this run must give %s"
                       % (case, dict(recorded).get(case, "nothing"), res))
        else:
            print("want %-55s %s" % (case, res))
    if lava.get("job") != "pass":
        bad.append("LAVA's job result is %s, not pass" % lava.get("job", "missing"))
    for b in bad:
        print("FAIL " + b)
    fails = sum(1 for _, r in want if r == "fail")
    print("lava-compare: %d cases the same in LAVA and run-hw.sh (%d failed, %d skipped), %d problems"
          % (same, fails,
             sum(1 for _, r in want if r == "skip"), len(bad)))
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("jobs", nargs="+")
    c.add_argument("--device", nargs="+")
    c.add_argument("--testdef")
    q = sub.add_parser("qemu")
    q.add_argument("--board", required=True)
    q.add_argument("--repository", required=True)
    q.add_argument("--kernel", required=True)
    q.add_argument("--rootfs", required=True)
    q.add_argument("--mode", required=True)
    q.add_argument("--artifacts", required=True)
    q.add_argument("--repeat", type=int, default=1)
    q.add_argument("--serial-log")
    q.add_argument("--out", required=True)
    m = sub.add_parser("compare")
    m.add_argument("log")
    m.add_argument("--mode", choices=sorted(MODE_MESSAGES))
    m.add_argument("--qemu")
    m.add_argument("--serial")
    m.add_argument("--expect", nargs="+")
    args = p.parse_args()
    return {"check": cmd_check, "qemu": cmd_qemu, "compare": cmd_compare}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
