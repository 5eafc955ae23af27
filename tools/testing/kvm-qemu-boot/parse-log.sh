#!/bin/bash
# parse-log.sh [OPTION VALUE]... LOG EXPECT: read the serial log of one
# boot. Options: --require, --require-inner, --hazards, --qemu-rc,
# --must-fail, --must-fail-inner (below). Prints the
# KTAP lines of the run (top level only), a line per problem found, a
# line "result: ok|FAIL pass=N fail=N skip=N [xfail=N] [hazards=...]",
# then "fatal: ..." when QEMU stopped at a hazard, and last "parts:
# spe:ran,trbe:skipped", what became of each tagged group of inner tests
# (ran, skipped or failed; "none" without any). Exit 0 only
# when the kernel says EXPECT (the KVM mode the boot asked for), the init
# finished, no program failed, at least one passed, every program listed
# in --require (space-separated names) passed rather
# than skipped, and the kernel reported no panic, oops, WARN or BUG.
#
# With the project's QEMU buffer models (patches/qemu), more checks:
# --hazards says what QEMU's hazard report (one line
# per CPU at exit, "arm-buffer-hazards: cpu=N spe-entry=N spe-exit=N
# trbe-entry=N trbe-exit=N", read by field name) must show, summed over
# the CPUs:
#   none         every count zero (the fixed world switch)
#   entry        SPE and TRBE each with entry hazards (the unfixed one)
#   entry-spe    SPE with entry hazards and TRBE with none (one buffer
#   entry-trbe   left enabled on entry), or the other way round
#   exit         SPE and TRBE each with exit hazards, more than entry ones
#                (a world switch given up before the guest ran, as Linux
#                does with an interrupt pending, is an entry in the models:
#                a kernel that breaks only the way back shows a few)
#   fatal-entry  QEMU stopped at its first hazard (x-buffer-hazard-fatal,
#   fatal-exit   exit status --qemu-rc 3) and it was of that direction; the
#                run is cut short there, so the selftest checks are off
# --require-inner: tags of inner KTAP tests ("spe: trbe:") that must have
# run and passed, none skipped. An inner test's tag is its first word:
# host_trace_buffers names its results by PMU instance, and arm_spe_N:
# counts as spe:, trbeN: as trbe:; a tag that names an instance
# ("arm_spe_1:") asks for that instance's own results. Two inner results
# of one program with the same name are a problem (LAVA and KernelCI
# would merge them).
# --must-fail (programs, space-separated) and --must-fail-inner (inner
# KTAP test names, '|'-separated): a mutant of the fix these must catch.
# Their failures are then expected (counted as xfail) and the problem is
# a run where one of them did not fail.
set -eu

USAGE="usage: parse-log.sh [--require|--require-inner|--hazards|--qemu-rc|--must-fail|--must-fail-inner VALUE]... LOG EXPECT"
REQUIRE="" REQUIRE_INNER="" HAZARDS="" QEMU_RC="" MUST_FAIL="" MUST_FAIL_INNER=""
while [ $# -gt 0 ]; do
	case "$1" in
	--*) [ $# -ge 2 ] || { echo "parse-log.sh: error: $1 needs a value; $USAGE" >&2; exit 2; } ;;
	esac
	case "$1" in
	--require) REQUIRE=$2 ;;
	--require-inner) REQUIRE_INNER=$2 ;;
	--hazards) HAZARDS=$2 ;;
	--qemu-rc) QEMU_RC=$2 ;;
	--must-fail) MUST_FAIL=$2 ;;
	--must-fail-inner) MUST_FAIL_INNER=$2 ;;
	--*) echo "parse-log.sh: error: unknown option $1; $USAGE" >&2; exit 2 ;;
	*) break ;;
	esac
	shift 2
done
LOG=${1:?$USAGE}
EXPECT=${2:?$USAGE}
[ -r "$LOG" ] || { echo "parse-log.sh: error: cannot read $LOG" >&2; exit 2; }

# EXPECT is a regular expression: it reaches awk through the environment,
# as it is (awk -v would process its backslashes, and gawk and mawk do
# that differently).
tr -d '\r' <"$LOG" | KNB_EXPECT=$EXPECT awk -v require="$REQUIRE" \
	-v hazards="$HAZARDS" -v inner="$REQUIRE_INNER" \
	-v qemu_rc="$QEMU_RC" -v must_fail="$MUST_FAIL" \
	-v must_fail_inner="$MUST_FAIL_INNER" '
BEGIN { expect = ENVIRON["KNB_EXPECT"] }
function problem(what) { print "problem: " what; bad = 1 }
# unit TAG: the part the tag of an inner test belongs to, without its colon.
function unit(tag) {
	sub(/:$/, "", tag)
	if (tag ~ /^arm_spe_[0-9]+$/)
		return "spe"
	if (tag ~ /^trbe[0-9]+$/)
		return "trbe"
	return tag
}
# part TAG STATE: what became of the inner tests of one part ("spe:"):
# failed beats ran, ran beats skipped.
function part(tag, state) {
	tag = unit(tag)
	if (!(tag in parts))
		order[++nparts] = tag
	if (parts[tag] == "" || state == "failed" || (state == "ran" && parts[tag] == "skipped"))
		parts[tag] = state
}
# check_run: the init ran every program; none failed, the required passed.
function check_run(  n, i, req, tags) {
	n = split(must_fail, req, " ")
	for (i = 1; i <= n; i++)
		if (!(req[i] in xfailed))
			problem("a mutant went unseen: " req[i] " did not fail")
	n = split(must_fail_inner, tags, "|")
	for (i = 1; i <= n; i++)
		if (!(tags[i] in inner_fail))
			problem("a mutant went unseen: inner test \"" tags[i] "\" did not fail")
	if (!done)
		problem("init did not finish: hang, crash or timeout; last line: " last)
	if (done && pass + xfail == 0)
		problem("no test passed")
	n = split(require, req, " ")
	for (i = 1; i <= n; i++)
		if (!(req[i] in passed) && !(req[i] in xfailed))
			problem("required test did not pass: " req[i] \
				(req[i] in skipped ? " (skipped)" : ""))
	n = split(inner, tags, " ")
	for (i = 1; i <= n; i++)
		if (!inner_pass[tags[i]] || inner_skip[tags[i]])
			problem("inner tests " tags[i] " did not all run: " \
				inner_pass[tags[i]] + 0 " passed, " \
				inner_skip[tags[i]] + 0 " skipped")
}
# counts: the summed hazard counts, for messages.
function counts() {
	return sprintf("SPE entry %d exit %d, TRBE entry %d exit %d",
		hz["spe-entry"], hz["spe-exit"], hz["trbe-entry"], hz["trbe-exit"])
}
# check_hazards: QEMU reported, and its counts are what HAZARDS asks.
function check_hazards(  u, o) {
	if (!model) {
		problem("no arm-buffer-hazards report from QEMU: not the project'"'"'s QEMU, or no x-spe/x-trbe CPU")
		return
	}
	if (hazards == "none" && hz["spe-entry"] + hz["spe-exit"] + \
	    hz["trbe-entry"] + hz["trbe-exit"] > 0)
		problem("buffer enabled across a change of its owning regime: " counts())
	if (hazards == "entry" && (!hz["spe-entry"] || !hz["trbe-entry"]))
		problem("expected entry hazards from both buffers, got " counts())
	if (hazards ~ /^entry-(spe|trbe)$/) {
		u = substr(hazards, 7)
		o = u == "spe" ? "trbe" : "spe"
		if (!hz[u "-entry"] || hz[o "-entry"] + hz[o "-exit"])
			problem("expected entry hazards from " toupper(u) " only, got " counts())
	}
	if (hazards == "exit" && (!hz["spe-exit"] || !hz["trbe-exit"] || \
	    hz["spe-entry"] >= hz["spe-exit"] || hz["trbe-entry"] >= hz["trbe-exit"]))
		problem("expected exit hazards from both buffers, more than entry ones, got " counts())
}
# check_fatal DIR: QEMU stopped at a first hazard of direction DIR.
function check_fatal(dir) {
	if (fatal == "")
		problem("no fatal hazard: QEMU ran on (exit status " \
			(qemu_rc == "" ? "unknown" : qemu_rc) ")")
	else if (fatal_f["dir"] != dir)
		problem("first hazard was " fatal_f["dir"] ", wanted " dir ": " fatal)
	if (fatal != "" && qemu_rc != "" && qemu_rc != 3)
		problem("QEMU exit status " qemu_rc " after a fatal hazard, wanted 3")
}
/Kernel panic/ { problem("kernel panic: " $0) }
/[Hh][Yy][Pp] panic|hyp_panic/ { problem("hyp panic: " $0) }
/Internal error: |Oops/ { problem("oops: " $0) }
/WARNING: CPU: / { problem("WARN: " $0) }
/(kernel )?BUG: / { problem("BUG: " $0) }
/Unable to handle kernel/ { problem("fault: " $0) }
/mode initialized successfully/ {
	modeline = $0
	if ($0 ~ expect)
		mode = 1
}
/^(not )?ok [0-9]+ / {
	delete inner_seen
	print
	name = ($1 == "ok") ? $3 : $4
	if ($1 == "not" && index(" " must_fail " ", " " name " ")) { xfail++; xfailed[name] = 1 }
	else if ($1 == "not") { fail++; problem("failed: " $0) }
	else if ($0 ~ /# SKIP/) { skip++; skipped[name] = 1 }
	else { pass++; passed[name] = 1 }
}
/^# (not )?ok [0-9]+ / {
	t = $0
	sub(/^# (not )?ok [0-9]+ (# SKIP )?/, "", t)
	sub(/ #.*$/, "", t)
	if (t in inner_seen)
		problem("two inner results named \"" t "\"")
	inner_seen[t] = 1
}
# The results of an instance count for its unit and for the instance.
function tally(count, t) {
	count[unit(t) ":"]++
	if (unit(t) ":" != t)
		count[t]++
}
/^# ok [0-9]+ [^ #]+:/ { tally(inner_pass, $4); part($4, "ran") }
/^# ok [0-9]+ # SKIP [^ ]+:/ { part($6, "skipped") }
/^# not ok [0-9]+ [^ #]+:/ { part($5, "failed") }
/^# not ok [0-9]+ / {
	t = $0
	sub(/^# not ok [0-9]+ /, "", t)
	sub(/ #.*$/, "", t)
	inner_fail[t] = 1
}
/^# ok [0-9]+ # SKIP [^ ]+:/ { tally(inner_skip, $6) }
/arm-buffer-hazards: cpu=[0-9]+ / {
	model++
	for (i = 1; i <= NF; i++)
		if (split($i, kv, "=") == 2 && kv[1] ~ /^(spe|trbe)-(entry|exit)$/)
			hz[kv[1]] += kv[2]
}
/arm-buffer-hazard: fatal: / {
	fatal = substr($0, index($0, "fatal: ") + 7)
	for (i = 1; i <= NF; i++)
		if (split($i, kv, "=") == 2)
			fatal_f[kv[1]] = kv[2]
}
/^# knb-init: done/ { done = 1 }
NF { last = $0 }
END {
	if (!mode)
		problem("not in the expected KVM mode: wanted /" expect "/, got \"" \
			(modeline == "" ? "no KVM init message" : modeline) "\"")
	if (hazards ~ /^fatal-/)
		check_fatal(substr(hazards, 7))
	else
		check_run()
	if (hazards != "" && hazards !~ /^fatal-/)
		check_hazards()
	printf "result: %s pass=%d fail=%d skip=%d%s%s\n", bad ? "FAIL" : "ok",
		pass, fail, skip, must_fail == "" ? "" : " xfail=" xfail + 0, model ? sprintf(" hazards=spe-entry:%d,spe-exit:%d,trbe-entry:%d,trbe-exit:%d",
		hz["spe-entry"], hz["spe-exit"], hz["trbe-entry"], hz["trbe-exit"]) : ""
	if (fatal != "")
		print "fatal: " fatal
	for (i = 1; i <= nparts; i++)
		line = line (i > 1 ? "," : "") order[i] ":" parts[order[i]]
	print "parts: " (nparts ? line : "none")
	exit bad
}'
