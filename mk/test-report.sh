#!/bin/bash
# test-report.sh [--gate] TARGET: the "what was tested" paragraph of the
# cover letter, from the last 'make check' results for TARGET
# ($BUILD/results/TARGET.env, written by check.sh). --gate fails unless
# those results are green and were made from the series as it is now.
# The text and the gate's checks are mk/report.py's.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

gate=0
if [ "${1:-}" = --gate ]; then gate=1; shift; fi
load_target "${1:-}"
RESULTS=$BUILD/results/$TARGET.env

if [ ! -f "$RESULTS" ]; then
	[ "$gate" = 0 ] || die "no 'make check' results for $TARGET; run 'make check' first"
	echo "Testing: no 'make check' results for this series yet."
	exit 0
fi
if [ "$gate" = 1 ]; then
	exec "$TOP/mk/report.py" gate "$RESULTS" --target "$TARGET" \
		--tested-id "$(tested_id "$TARGET")"
fi
exec "$TOP/mk/report.py" cover "$RESULTS" --modes "$MODES" \
	${TEST_SERIES:+--test-series "$TEST_SERIES"}
