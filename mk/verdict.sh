#!/bin/bash
# verdict.sh TARGET: the verdict 'make' ends with: the base tree, the
# patches applied, and a table a maintainer can paste: per KVM mode, the
# hazards QEMU's SPE and TRBE models counted on the base kernel and with
# the series, the series' selftest programs passed, failed and skipped,
# and which host parts of host_trace_buffers ran; then one line saying
# what was shown. Reads reproduce.sh's hazards.tsv (its variants
# 'unpatched' and 'patched') by its header. The text and the judgement
# are mk/report.py's; exit 0 only when every mode showed the bug on the
# base (none on a line that has the fix) and the fix with the series.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

load_target "${1:-}"
HAZARDS=$BUILD/logs/$TARGET-hazard/hazards.tsv
[ -f "$HAZARDS" ] ||
	die "no boot results for $TARGET on the buffer models; run 'make TARGET=$TARGET' (or 'make reproduce TARGET=$TARGET')"
[ -f "$BUILD/linux-$TARGET.base" ] ||
	die "no build/linux-$TARGET; run 'make TARGET=$TARGET'"
n=$(series_list "$TOP/patches/$TARGET" | grep -c . || true)
# The test-only patches (TEST_SERIES) are applied after the series.
if [ -n "${TEST_SERIES:-}" ]; then
	n=$((n + $(series_list "$TOP/$TEST_SERIES" | grep -c . || true)))
fi
applied=$(git -C "$BUILD/linux-$TARGET" rev-list --count base..HEAD)
read -r ver origin <"$BUILD/linux-$TARGET.base"
TIMES=""
[ ! -f "$BUILD/times.tsv" ] || TIMES=$BUILD/times.tsv
# The QEMU the boots ran on, from the record next to the cached binary.
QEMU_TEXT=""
key=$("$TOP/mk/build-qemu.sh" --key 2>/dev/null) || key=""
env=$CACHE/qemu/$key/qemu.env
if [ -n "$key" ] && [ -f "$env" ]; then
	QEMU_TEXT="QEMU $(sed -n 's/^version=.*version \([^ ]*\).*/\1/p' "$env") + patches/qemu ($(sed -n 's/^patches=//p' "$env") patches)"
fi

exec "$TOP/mk/report.py" verdict "$HAZARDS" --target "$TARGET" \
	--base "$ver $origin" --applied "$applied" --total "$n" \
	--series "patches/$TARGET${TEST_SERIES:+ and $TEST_SERIES}" \
	--modes "${HAZARD_MODES:-$MODES}" --stable "${STABLE:-no}" --logs "$BUILD/logs/$TARGET-hazard" \
	${QEMU_TEXT:+--qemu "$QEMU_TEXT"} ${TIMES:+--times "$TIMES"}
