#!/bin/bash
# test-verdict.sh: verdict.sh on recorded boots on the buffer models
# (reproduce.sh's hazards.tsv): it reads the records by their header (a
# reordered column reads the same), says in one line what was shown, and
# fails, naming the mode, when a boot did not show the bug on the base or
# the fix with the series; with no records or a stale tree it says what
# to run. report.py's own tests (report_test.py) cover the wording.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
export BUILD=$TMP/build KNB_CACHE=$TMP/cache
unset HAZARD_MODES

# expect NAME STATUS PATTERN: run the verdict; want STATUS and PATTERN.
expect()
{
	local rc=0

	"$TOP/mk/verdict.sh" 6.12.y >"$TMP/out" 2>&1 || rc=$?
	if [ "$rc" -eq "$2" ] && grep -qE -- "$3" "$TMP/out"; then
		tap_ok "$1"
	else
		tap_fail "$1 (exit $rc, wanted $2 and /$3/)" "$TMP/out"
	fi
}

# A tree with a base commit and the series' patches on it.
mkdir -p "$BUILD/logs/6.12.y-hazard"
git init -q "$BUILD/linux-6.12.y"
n=$(cat "$TOP/patches/6.12.y/series" "$TOP/patches/6.12.y-test/series" |
	grep -cv -e '^#' -e '^$')
for i in $(seq 0 "$n"); do
	git -C "$BUILD/linux-6.12.y" -c user.name=t -c user.email=t@invalid \
		commit -q --allow-empty -m "commit $i"
	[ "$i" -gt 0 ] || git -C "$BUILD/linux-6.12.y" tag base
done
echo "6.12.118 test-tree" >"$BUILD/linux-6.12.y.base"

H=$BUILD/logs/6.12.y-hazard/hazards.tsv
expect "no records: what to run" 1 "no boot results for 6.12.y on the buffer models; run 'make TARGET=6.12.y'"

# record VARIANT MODE RESULT PASS FAIL PARTS SPE_E SPE_X TRBE_E TRBE_X
record()
{
	printf '%s\t%s\t%s\t%s\t%s\t0\t%s\t%s\t%s\t%s\t%s\t\t\t2000\t9\t/l/%s/%s.log\n' \
		"$@" "$1" "$2"
}
printf 'variant\tmode\tresult\tpass\tfail\tskip\tparts\tspe_entry\tspe_exit\ttrbe_entry\ttrbe_exit\tfatal\tstopped\twaker\tsecs\tlog\n' >"$H"
for m in nvhe pkvm-nvhe pkvm-hvhe; do
	record patched "$m" ok 11 0 guest:ran,spe:ran,trbe:ran 0 0 0 0 >>"$H"
	record unpatched "$m" ok 1 0 guest:ran,spe:ran,trbe:ran 20 19 41 41 >>"$H"
done
expect "the bug and the fix, in one line" 0 '^  bug reproduced on 6.12.118, gone with the series, in nvhe, pkvm-nvhe, pkvm-hvhe$'
expect "the table" 0 '^  pkvm-hvhe  20/19  41/41  +0/0  +0/0  +11  +0  +0  SPE, TRBE$'
expect "the base" 0 'base: +Linux 6.12.118 \(test-tree\)'

# The same records, columns reversed.
awk -F'\t' -v OFS='\t' '{ for (i = NF; i > 1; i--) printf "%s\t", $i; print $1 }' \
	"$H" >"$TMP/rev" && mv "$TMP/rev" "$H"
expect "columns in another order" 0 '^  bug reproduced on 6.12.118, gone with the series'

# HAZARD_MODES (make passes it down): the verdict speaks of those modes.
HAZARD_MODES=nvhe expect "HAZARD_MODES" 0 'gone with the series, in nvhe$'

# A base kernel whose boot counted no TRBE hazard did not show the bug.
printf 'variant\tmode\tresult\tpass\tfail\tskip\tparts\tspe_entry\tspe_exit\ttrbe_entry\ttrbe_exit\tfatal\tstopped\twaker\tsecs\tlog\n' >"$H"
for m in nvhe pkvm-nvhe pkvm-hvhe; do
	record patched "$m" ok 11 0 guest:ran,spe:ran,trbe:ran 0 0 0 0 >>"$H"
done
record unpatched nvhe ok 1 0 guest:ran,spe:ran,trbe:ran 20 19 41 41 >>"$H"
record unpatched pkvm-nvhe ok 1 0 guest:ran,spe:ran,trbe:ran 20 19 0 0 >>"$H"
expect "a base without TRBE hazards" 1 'pkvm-nvhe: no TRBE entry hazard on the base kernel \(log: /l/unpatched/pkvm-nvhe.log\)'
expect "a mode not booted" 1 'pkvm-hvhe: no boot of the base kernel recorded'

# The stage times, from times.tsv by its header: the last of each stage
# of this target, another target's left out.
T=$BUILD/times.tsv
printf 'stage\trc\tsecs\twhen\n' >"$T"
printf 'tree 6.12.y\t0\t30\tx\nkernel 6.12.y\t0\t400\tx\nkernel 6.1.y\t0\t9\tx\n' >>"$T"
printf 'kernel 6.12.y\t0\t41\tx\nbase kernel 6.12.y\t0\t12\tx\n' >>"$T"
expect "stage times by name" 1 'time: +tree 30s, kernel 41s, base kernel 12s, boots 45s$'

# A tree older than the series: make again.
git -C "$BUILD/linux-6.12.y" reset -q --hard HEAD~1
expect "a stale tree" 1 "is older than patches/6.12.y; run 'make' again"

tap_done test-verdict.sh
