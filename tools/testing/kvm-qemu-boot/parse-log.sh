#!/bin/bash
# parse-log.sh LOG EXPECT: read the serial log of one boot. Prints the
# KTAP lines of the run (top level only), a line per problem found, and a
# last line "result: ok|FAIL mode=... pass=N fail=N skip=N". Exit 0 only
# when the kernel says EXPECT (the KVM mode the boot asked for), the init
# finished, no program failed, at least one passed, every program listed
# in REQUIRE (space-separated names, from the environment) passed rather
# than skipped, and the kernel reported no panic, oops, WARN or BUG.
#
# With the project's QEMU buffer models (patches/qemu), two more checks
# come from the environment: HAZARDS=none|some, how many entries to guest
# context with the host's SPE or TRBE buffer still enabled QEMU may report
# at exit (none: zero; some: at least one of each); REQUIRE_INNER, tags of
# inner KTAP tests ("spe:") that must have run and passed, none skipped.
set -eu

LOG=${1:?usage: parse-log.sh LOG EXPECT}
EXPECT=${2:?usage: parse-log.sh LOG EXPECT}
[ -r "$LOG" ] || { echo "parse-log.sh: error: cannot read $LOG" >&2; exit 2; }

tr -d '\r' <"$LOG" | awk -v expect="$EXPECT" -v require="${REQUIRE:-}" \
	-v hazards="${HAZARDS:-}" -v inner="${REQUIRE_INNER:-}" '
function problem(what) { print "problem: " what; bad = 1 }
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
	print
	name = ($1 == "ok") ? $3 : $4
	if ($1 == "not") { fail++; problem("failed: " $0) }
	else if ($0 ~ /# SKIP/) { skip++; skipped[name] = 1 }
	else { pass++; passed[name] = 1 }
}
/^# ok [0-9]+ [^ #]+:/ { inner_pass[$4]++ }
/^# ok [0-9]+ # SKIP [^ ]+:/ { inner_skip[$6]++ }
/arm-buffer-hazards: cpu [0-9]+: spe [0-9]+ trbe [0-9]+$/ {
	model++
	spe += $(NF - 2)
	trbe += $NF
}
/^# knb-init: done/ { done = 1 }
NF { last = $0 }
END {
	if (!mode)
		problem("not in the expected KVM mode: wanted /" expect "/, got \"" \
			(modeline == "" ? "no KVM init message" : modeline) "\"")
	if (!done)
		problem("init did not finish: hang, crash or timeout; last line: " last)
	if (done && pass == 0)
		problem("no test passed")
	n = split(require, req, " ")
	for (i = 1; i <= n; i++)
		if (!(req[i] in passed))
			problem("required test did not pass: " req[i] \
				(req[i] in skipped ? " (skipped)" : ""))
	n = split(inner, tags, " ")
	for (i = 1; i <= n; i++)
		if (!inner_pass[tags[i]] || inner_skip[tags[i]])
			problem("inner tests " tags[i] " did not all run: " \
				inner_pass[tags[i]] + 0 " passed, " \
				inner_skip[tags[i]] + 0 " skipped")
	if (hazards != "" && !model)
		problem("no arm-buffer-hazards report from QEMU: not the project'"'"'s QEMU, or no x-spe/x-trbe CPU")
	if (hazards == "none" && spe + trbe > 0)
		problem("buffer enabled on entry to guest context: " spe \
			" SPE and " trbe " TRBE hazards")
	if (hazards == "some" && model && (!spe || !trbe))
		problem("expected hazards from both buffers, got " spe \
			" SPE and " trbe " TRBE")
	printf "result: %s pass=%d fail=%d skip=%d%s\n", bad ? "FAIL" : "ok",
		pass, fail, skip,
		model ? sprintf(" hazards=spe:%d,trbe:%d", spe, trbe) : ""
	exit bad
}'
