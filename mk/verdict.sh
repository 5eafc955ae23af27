#!/bin/bash
# verdict.sh TARGET: the short verdict 'make' ends with: the base tree,
# the patches applied, and per KVM mode what ran, passed and skipped:
# the selftest programs, and which host parts of host_trace_buffers (SPE,
# TRBE) ran and which skipped. Reads run-boot.sh's summary.tsv by its
# header. A mode whose host parts all skipped is not a pass of the fix.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
SUMMARY=$BUILD/logs/$TARGET/summary.tsv
[ -f "$SUMMARY" ] || die "no boot results for $TARGET; run 'make boot-test TARGET=$TARGET'"
n=$(series_list "$TOP/patches/$TARGET" | grep -c . || true)
# The test-only patches (TEST_SERIES) are applied after the series.
if [ -n "${TEST_SERIES:-}" ]; then
	n=$((n + $(series_list "$TOP/$TEST_SERIES" | grep -c . || true)))
fi
applied=$(git -C "$BUILD/linux-$TARGET" rev-list --count base..HEAD)
read -r ver origin <"$BUILD/linux-$TARGET.base"

echo
echo "verdict for $TARGET"
echo "  base:    Linux $ver ($origin)"
echo "  patches: $applied of the $n in patches/$TARGET${TEST_SERIES:+ and $TEST_SERIES} applied as commits"
[ "$applied" = "$n" ] ||
	die "build/linux-$TARGET is older than patches/$TARGET; run 'make' again"
# The last time of each of this target's stages, from times.tsv by name.
if [ -f "$BUILD/times.tsv" ]; then
	awk -F'\t' -v t="$TARGET" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{
			split($col["stage"], w, " ")
			if (w[2] == t && (w[1] in want)) secs[w[1]] = $col["secs"]
		}
		BEGIN { split("tree kernel selftests boot", order, " ")
			for (i in order) want[order[i]] = 1 }
		END {
			line = ""
			for (i = 1; i <= 4; i++)
				if (order[i] in secs)
					line = line (line == "" ? "" : ", ") order[i] " " secs[order[i]] "s"
			if (line != "") print "  time:    " line
		}' "$BUILD/times.tsv"
fi
awk -F'\t' '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	function get(k) { return (k in col) ? $col[k] : "?" }
	{
		parts = get("parts")
		gsub(/:/, " ", parts)
		gsub(/,/, ", ", parts)
		printf "  %-10s %-4s programs: %s passed, %s failed, %s skipped; host parts: %s (%ss)\n",
			get("mode"), get("result"), get("pass"), get("fail"), get("skip"),
			parts, get("secs")
		printf "             log: %s\n", get("log")
		if (get("result") != "ok") bad = 1
		if (parts !~ /(spe|trbe) ran/) noparts = 1
	}
	END {
		if (bad) { print "  RESULT:  FAIL (see the logs above)"; exit 1 }
		if (noparts) {
			print "  RESULT:  ok, but a mode ran no host part of host_trace_buffers:"
			print "           this CPU model has no SPE or TRBE, so the fix itself was not"
			print "           exercised there (make reproduce boots the buffer models)"
			exit 0
		}
		print "  RESULT:  ok: every mode booted as asked and its selftests passed"
	}' "$SUMMARY"
