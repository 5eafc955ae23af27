#!/bin/bash
# test-report.sh [--gate | --full] TARGET: the "what was tested" paragraph
# of the cover letter (a few lines of counts), from the last 'make check'
# results for TARGET ($BUILD/results/TARGET.env, written by check.sh).
# --full prints the whole report behind it (each boot, mode and mutant),
# which a maintainer may ask for. --gate fails unless those results are
# green and were made from the series as it is now. The text and the
# gate's checks are mk/report.py's.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

gate=0 kind=cover
case "${1:-}" in
--gate) gate=1; shift ;;
--full) kind=details; shift ;;
esac
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
exec "$TOP/mk/report.py" "$kind" "$RESULTS" --modes "$MODES" \
	${TEST_SERIES:+--test-series "$TEST_SERIES"}
