#!/bin/bash
# parse-log.sh LOG EXPECT: read the serial log of one boot. Prints the
# KTAP lines of the run (top level only), a line per problem found, and a
# last line "result: ok|FAIL mode=... pass=N fail=N skip=N". Exit 0 only
# when the kernel says EXPECT (the KVM mode the boot asked for), the init
# finished, no program failed, at least one passed, every program listed
# in REQUIRE (space-separated names, from the environment) passed rather
# than skipped, and the kernel reported no panic, oops, WARN or BUG.
set -eu

LOG=${1:?usage: parse-log.sh LOG EXPECT}
EXPECT=${2:?usage: parse-log.sh LOG EXPECT}
[ -r "$LOG" ] || { echo "parse-log.sh: error: cannot read $LOG" >&2; exit 2; }

tr -d '\r' <"$LOG" | awk -v expect="$EXPECT" -v require="${REQUIRE:-}" '
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
	printf "result: %s pass=%d fail=%d skip=%d\n", bad ? "FAIL" : "ok",
		pass, fail, skip
	exit bad
}'
