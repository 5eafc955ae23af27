#!/bin/bash
# test-verdict.sh: verdict.sh on recorded boot summaries: it reads
# summary.tsv by its header (a reordered column reads the same), says per
# mode which host parts ran or skipped, and fails on a failed mode.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
export BUILD=$TMP/build

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
mkdir -p "$BUILD/logs/6.12.y"
git init -q "$BUILD/linux-6.12.y"
n=$(cat "$TOP/patches/6.12.y/series" "$TOP/patches/6.12.y-test/series" |
	grep -cv -e '^#' -e '^$')
for i in $(seq 0 "$n"); do
	git -C "$BUILD/linux-6.12.y" -c user.name=t -c user.email=t@invalid \
		commit -q --allow-empty -m "commit $i"
	[ "$i" -gt 0 ] || git -C "$BUILD/linux-6.12.y" tag base
done
echo "6.12.118 test-tree" >"$BUILD/linux-6.12.y.base"

S=$BUILD/logs/6.12.y/summary.tsv
printf 'mode\tresult\tpass\tfail\tskip\tparts\tsecs\tlog\n' >"$S"
printf 'nvhe\tok\t12\t0\t1\tspe:ran,trbe:skipped\t70\t/l/nvhe.log\n' >>"$S"
expect "host parts per mode" 0 'nvhe +ok +programs: 12 passed, 0 failed, 1 skipped; host parts: spe ran, trbe skipped'
expect "the base" 0 'base: +Linux 6.12.118 \(test-tree\)'

printf 'log\tparts\tskip\tfail\tpass\tresult\tmode\tsecs\n' >"$S"
printf '/l/nvhe.log\tspe:ran,trbe:skipped\t1\t0\t12\tok\tnvhe\t70\n' >>"$S"
expect "columns in another order" 0 'nvhe +ok +programs: 12 passed, 0 failed, 1 skipped; host parts: spe ran'

printf '/l/p.log\tguest:ran,spe:skipped,trbe:skipped\t1\t0\t12\tok\tpkvm-nvhe\t70\n' >>"$S"
expect "a mode with every host part skipped is said so" 0 'ok, but a mode ran no host part'

printf '/l/x.log\tspe:failed\t0\t1\t11\tFAIL\tpkvm-hvhe\t70\n' >>"$S"
expect "a failed mode" 1 'RESULT: +FAIL'

# The stage times, from times.tsv by its header: the last of each stage
# of this target, another target's left out.
T=$BUILD/times.tsv
printf 'stage\trc\tsecs\twhen\n' >"$T"
printf 'tree 6.12.y\t0\t30\tx\nkernel 6.12.y\t0\t400\tx\nkernel 6.1.y\t0\t9\tx\n' >>"$T"
printf 'kernel 6.12.y\t0\t41\tx\nboot 6.12.y\t1\t70\tx\n' >>"$T"
expect "stage times by name" 1 'time: +tree 30s, kernel 41s, boot 70s$'

tap_done test-verdict.sh
