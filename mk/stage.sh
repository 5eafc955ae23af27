#!/bin/bash
# stage.sh NAME CMD...: run one stage of a job, print how long it took and
# keep that in $BUILD/times.tsv (record_time) for README's table and the
# verdict.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

name=$1
shift
mkdir -p "$BUILD"
start=$(date +%s)
printf '== %s\n' "$name" >&2
rc=0
"$@" || rc=$?
secs=$(($(date +%s) - start))
record_time "$name" "$secs" "$rc"
if [ "$rc" -ne 0 ]; then
	printf '== %s: FAILED after %ss\n' "$name" "$secs" >&2
	exit "$rc"
fi
printf '== %s: done in %ss\n' "$name" "$secs" >&2
