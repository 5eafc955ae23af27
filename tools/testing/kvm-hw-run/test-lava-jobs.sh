#!/bin/bash
# test-lava-jobs.sh: test lava-jobs.py without booting anything: its check
# against jobs LAVA's schema takes and rejects, its QEMU job, and its
# compare against made-up lava-run logs where LAVA and run-hw.sh agree,
# and where they do not. No arguments.
# shellcheck disable=SC2016 # check's eval strings expand when they run
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
JOBS=$HERE/lava-jobs.py
# shellcheck source=../../../mk/tests/tap.sh
. "$HERE/../../../mk/tests/tap.sh"
T=$TMP

check()
{
	tap_check "$@"
}

# lj ARGS...: lava-jobs.py; output in $T/out, status in $T/status.
lj()
{
	echo 0 >"$T/status"
	"$JOBS" "$@" >"$T/out" 2>&1 || echo $? >"$T/status"
}
has() { grep -qF -- "$1" "$T/out"; }
status() { [ "$(cat "$T/status")" = "$1" ]; }

# --- check ---------------------------------------------------------------
lj check "$HERE"/lava-host-trace-buffers*.yaml --testdef "$HERE/kvm-host-trace-buffers.yaml" \
	--device "$HERE/lava/qemu-device.yaml"
check "the board jobs, the test definition and the device are valid" status 0
check "every board job is checked" eval \
	'[ "$(grep -c "^ok .*lava-host-trace-buffers.*valid (LAVA" "$T/out")" -eq "$(ls "$HERE"/lava-host-trace-buffers*.yaml | wc -l)" ]'

# The job as it was: its dmesg step is a YAML mapping, not a string.
cat >"$T/mapping.yaml" <<'EOF'
device_type: x
job_name: a step YAML reads as a mapping
timeouts: {job: {minutes: 1}}
priority: medium
visibility: public
actions:
- test:
    definitions:
    - from: git
      repository: https://example.invalid/x.git
      path: x.yaml
      name: x
- test:
    timeout: {minutes: 1}
    definitions:
    - from: inline
      name: y
      path: inline/y.yaml
      repository:
        metadata: {format: Lava-Test Test Definition 1.0, name: y}
        run:
          steps:
          - dmesg | grep -E 'kvm \[[0-9]+\]: .*mode' || true
EOF
lj check "$T/mapping.yaml"
check "negative: a step that is a mapping is rejected" eval 'status 1 && has "FAIL" && has "steps"'
sed 's/^job_name:.*/job_name: x\nfrobnicate: 1/' "$HERE/lava-host-trace-buffers.yaml" >"$T/extra.yaml"
lj check "$T/extra.yaml"
check "negative: a key LAVA does not know is rejected (strict)" eval 'status 1 && has "frobnicate"'
sed 's|path: tools/testing/kvm-hw-run/kvm-host-trace-buffers.yaml|path: other.yaml|' \
	"$HERE/lava-host-trace-buffers.yaml" >"$T/other.yaml"
lj check "$HERE/lava-host-trace-buffers.yaml" "$T/other.yaml"
check "negative: a job with another test definition fails" eval 'status 1 && has "differs"'
sed 's/^  pattern: .*/  pattern: '\''^# result: (?P<case>\\S+) (?P<result>pass|fail|skip)'\''/' \
	"$HERE/kvm-host-trace-buffers.yaml" >"$T/kvm-host-trace-buffers.yaml"
lj check "$HERE/lava-host-trace-buffers.yaml" --testdef "$T/kvm-host-trace-buffers.yaml"
check "negative: a pattern without test_case_id fails" eval 'status 1 && has "lacks test_case_id"'
check "negative: a definition elsewhere than the jobs say fails" has "not at tools/testing/kvm-hw-run"
sed '/^constants:/,/^character_delays:/{/^character_delays:/!d}' "$HERE/lava/qemu-device.yaml" >"$T/device.yaml"
lj check "$HERE/lava-host-trace-buffers.yaml" --device "$T/device.yaml"
check "negative: a device dictionary without constants fails" eval 'status 1 && has "constants"'
lj check "$T/missing.yaml"
check "a missing job: one line, exit 2" eval 'status 2 && [ "$(wc -l <"$T/out")" -eq 1 ]'

# --- qemu ----------------------------------------------------------------
: >"$T/Image"
: >"$T/rootfs.cpio"
lj qemu --board "$HERE/lava-host-trace-buffers.yaml" --repository "file://$T/repo" \
	--kernel "$T/Image" --rootfs "$T/rootfs.cpio" --mode nvhe --artifacts /opt/khtb \
	--repeat 2 --out "$T/job.yaml"
check "the QEMU job is written" status 0
lj check "$T/job.yaml" "$HERE/lava-host-trace-buffers.yaml" --device "$HERE/lava/qemu-device.yaml"
check "the QEMU job is valid and takes the board's test definition" status 0
/usr/bin/python3 - "$T/job.yaml" "$HERE/lava-host-trace-buffers.yaml" >"$T/out" 2>&1 <<'EOF' && echo 0 >"$T/status" || echo 1 >"$T/status"
import sys
import yaml

qemu, board = (yaml.safe_load(open(p)) for p in sys.argv[1:])
def test(job):
    return [a["test"] for a in job["actions"] if "test" in a][0]["definitions"][0]
q, b = test(qemu), test(board)
assert {k: v for k, v in q.items() if k not in ("repository", "parameters")} == \
    {k: v for k, v in b.items() if k not in ("repository", "parameters")}, "definition"
assert q["parameters"] == {"ARTIFACTS": "/opt/khtb", "EXPECT_MODE": "nvhe", "REPEAT": "2"}, q["parameters"]
deploy = qemu["actions"][0]["deploy"]
assert deploy["to"] == "tmpfs" and deploy["images"]["ramdisk"]["overlays"] == {"lava": True}
assert "kvm-arm.mode=nvhe" in deploy["images"]["kernel"]["image_arg"]
EOF
check "only the repository and the parameters differ; kvm-arm.mode on the command line" status 0
lj qemu --board "$HERE/lava-host-trace-buffers.yaml" --repository x --kernel "$T/Image" \
	--rootfs "$T/rootfs.cpio" --mode vhe --artifacts /opt/khtb --out "$T/job.yaml"
check "a bad mode: one line, exit 2" eval 'status 2 && [ "$(wc -l <"$T/out")" -eq 1 ]'

# --- compare ---------------------------------------------------------------
# logrec LVL MSG: one lava-run log record (MSG as YAML).
logrec() { printf '{"dt": "2026-01-01T00:00:00", "lvl": "%s", "msg": %s}\n' "$1" "$2"; }
target() { logrec target "\"$1\""; }
result() { logrec results "{\"case\": \"$1\", \"definition\": \"${3:-0_kvm-host-trace-buffers}\", \"result\": \"$2\"}"; }
# log: a job where LAVA and run-hw.sh agree; $T/qemu is the QEMU.
: >"$T/qemu"
log()
{
	logrec info "\"Boot command: $T/qemu -M virt -kernel x\""
	target "kvm [1]: Hyp nVHE mode initialized successfully"
	target "# result: kvm-mode pass"
	result kvm-mode pass
	target "ok 1 spe: recording resumes after vcpu runs"
	target "# result: run1.spe_recording_resumes_after_vcpu_runs pass"
	result run1.spe_recording_resumes_after_vcpu_runs pass
	target "# result: run1.trbe_recording_resumes_after_vcpu_runs skip"
	result run1.trbe_recording_resumes_after_vcpu_runs skip
	target "# result: host-parts pass"
	result host-parts pass
	target "# result: dmesg pass"
	result dmesg pass
	result run-hw pass
	result job pass lava
}
log >"$T/good.log"
lj compare "$T/good.log" --mode nvhe --qemu "$T/qemu" --expect host-parts=pass
check "LAVA and run-hw.sh agree" eval 'status 0 && has "0 problems"'
check "each case is shown" has "same run1.trbe_recording_resumes_after_vcpu_runs"
check "the kernel's mode line is shown" has "mode nvhe: the kernel said 'kvm [1]: Hyp nVHE mode"
log | sed 's/\(# result: dmesg pass\)/\1\\r/' >"$T/crlf.log"
lj compare "$T/crlf.log" --mode nvhe
check "a CR at a line's end is the console's, not the case's" status 0
log | grep -v '"case": "run1.trbe' >"$T/missing.log"
lj compare "$T/missing.log"
check "negative: a case LAVA did not record" eval 'status 1 && has "run1.trbe_recording_resumes_after_vcpu_runs: run-hw.sh skip, LAVA nothing"'
log | sed '/"case": "dmesg"/s/"pass"/"fail"/' >"$T/differ.log"
lj compare "$T/differ.log"
check "negative: a case LAVA recorded otherwise" eval 'status 1 && has "dmesg: run-hw.sh pass, LAVA fail"'
{ log; result extra pass; } >"$T/extra.log"
lj compare "$T/extra.log"
check "negative: a case run-hw.sh never printed" eval 'status 1 && has "extra: LAVA recorded pass, run-hw.sh printed nothing"'
log | sed '/"case": "run-hw"/s/"pass"/"fail"/' >"$T/runhw.log"
lj compare "$T/runhw.log"
check "negative: run-hw fails while no case did" eval 'status 1 && has "run-hw: run-hw.sh pass, LAVA fail"'
lj compare "$T/good.log" --mode protected-hvhe
check "negative: another KVM mode than the kernel said" eval 'status 1 && has "never said it initialised KVM in protected-hvhe"'
lj compare "$T/good.log" --qemu /usr/bin/qemu-system-aarch64
check "negative: LAVA started another QEMU" eval 'status 1 && has "LAVA did not start"'
lj compare "$T/good.log" --expect host-parts=fail
check "negative: a result this run must not give" eval 'status 1 && has "host-parts: LAVA recorded pass, this run must give fail"'
log | sed '/"case": "job"/s/"pass"/"fail"/' >"$T/job.log"
lj compare "$T/job.log"
check "negative: LAVA's job did not pass" eval 'status 1 && has "job result is fail"'
log | grep -v '# result:' >"$T/silent.log"
lj compare "$T/silent.log"
check "negative: run-hw.sh printed nothing" eval 'status 1 && has "printed no case"'
# QEMU's own copy of the console: CR LF line ends, the cases as printed.
printf '%s\r\n' "kvm [1]: Hyp nVHE mode initialized successfully" "# result: kvm-mode pass" \
	"# result: run1.spe_recording_resumes_after_vcpu_runs pass" \
	"# result: run1.trbe_recording_resumes_after_vcpu_runs skip" \
	"# result: host-parts pass" "# result: dmesg pass" >"$T/serial.log"
log | grep -v '"lvl": "target"' >"$T/nocopy.log"
lj compare "$T/nocopy.log" --serial "$T/serial.log" --mode nvhe
check "QEMU's console file, CR LF and all, agrees with LAVA" eval 'status 0 && has "6 of them end in CR LF"'
printf '%s\r\n' "# result: dmesg fail" >>"$T/serial.log"
lj compare "$T/nocopy.log" --serial "$T/serial.log"
check "negative: the console file says what LAVA did not record" eval 'status 1 && has "run-hw: run-hw.sh fail, LAVA pass"'

echo "not a log" >"$T/bad.log"
lj compare "$T/bad.log"
check "not a log: one line, exit 2" eval 'status 2 && [ "$(wc -l <"$T/out")" -eq 1 ]'

tap_done test-lava-jobs.sh
