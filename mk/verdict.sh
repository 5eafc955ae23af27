#!/bin/bash
# verdict.sh TARGET: the short verdict 'make' ends with: the base tree,
# the patches applied, each boot's mode and selftest counts, the logs.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
SUMMARY=$BUILD/logs/$TARGET/summary
[ -f "$SUMMARY" ] || die "no boot results for $TARGET; run 'make boot-test TARGET=$TARGET'"
n=$(grep -cv -e '^#' -e '^$' "$TOP/patches/$TARGET/series" || true)
# The test-only patches (TEST_SERIES) are applied after the series.
if [ -n "${TEST_SERIES:-}" ]; then
	n=$((n + $(grep -cv -e '^#' -e '^$' "$TOP/$TEST_SERIES/series" || true)))
fi
applied=$(git -C "$BUILD/linux-$TARGET" rev-list --count base..HEAD)

echo
echo "verdict for $TARGET"
echo "  base:    Linux $(cut -d' ' -f1 "$BUILD/linux-$TARGET.base") ($(cut -d' ' -f2- "$BUILD/linux-$TARGET.base"))"
echo "  patches: $applied of the $n in patches/$TARGET${TEST_SERIES:+ and $TEST_SERIES} applied as commits"
[ "$applied" = "$n" ] ||
	die "build/linux-$TARGET is older than patches/$TARGET; run 'make' again"
while read -r mode res pass fail skip secs log; do
	printf '  %-10s %-4s %s %s %s  %s  %s\n' "$mode" "$res" "$pass" "$fail" "$skip" "$secs" "$log"
done <"$SUMMARY"
if grep -qv ' ok ' "$SUMMARY"; then
	echo "  RESULT:  FAIL (see the logs above)"
	exit 1
fi
echo "  RESULT:  ok: every mode booted as asked and its selftests passed"
