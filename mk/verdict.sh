#!/bin/bash
# verdict.sh TARGET: the short verdict 'make' ends with: the base tree,
# the patches applied, and per KVM mode what ran, passed and skipped:
# the selftest programs, and which host parts of host_trace_buffers (SPE,
# TRBE) ran and which skipped. Reads run-boot.sh's summary.tsv by its
# header. A mode whose host parts all skipped is not a pass of the fix.
# The text is mk/report.py's.
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
TIMES=""
[ ! -f "$BUILD/times.tsv" ] || TIMES=$BUILD/times.tsv

exec "$TOP/mk/report.py" verdict "$SUMMARY" --target "$TARGET" \
	--base "$ver $origin" --applied "$applied" --total "$n" \
	--series "patches/$TARGET${TEST_SERIES:+ and $TEST_SERIES}" \
	${TIMES:+--times "$TIMES"}
