#!/bin/bash
# test-report.sh: the cover letter's test summary (mk/test-report.sh) and
# the full report behind it (--full) from recorded results
# (test_data/results-6.12.y.env, as check.sh wrote them on a real run,
# with one SPE exit count lowered by hand so that entry and exit differ)
# must read as recorded (test_data/cover-6.12.y.txt, report-6.12.y.txt);
# the same with every record's fields in another order; and --gate
# refuses stale or failed results.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
DATA=$TOP/mk/tests/test_data
export BUILD=$TMP/build
mkdir -p "$BUILD/results"

# report NAME: the summary and the full report of the results in place
# must be the recorded ones.
report()
{
	local opt want

	for opt in "" --full; do
		want=$DATA/cover-6.12.y.txt
		[ -z "$opt" ] || want=$DATA/report-6.12.y.txt
		# shellcheck disable=SC2086 # no word, or one option
		if "$TOP/mk/test-report.sh" $opt 6.12.y >"$TMP/out" 2>&1 &&
		   diff -u "$want" "$TMP/out" >"$TMP/diff"; then
			tap_ok "$1${opt:+ ($opt)}"
		else
			cat "$TMP/out" >>"$TMP/diff"
			tap_fail "$1${opt:+ ($opt)}" "$TMP/diff"
		fi
	done
}

# gate NAME PATTERN: --gate must refuse, saying PATTERN.
gate()
{
	if ! "$TOP/mk/test-report.sh" --gate 6.12.y >"$TMP/out" 2>&1 &&
	   grep -q -- "$2" "$TMP/out"; then
		tap_ok "$1"
	else
		tap_fail "$1 (wanted a refusal saying '$2')" "$TMP/out"
	fi
}

cp "$DATA/results-6.12.y.env" "$BUILD/results/6.12.y.env"
report "recorded results read as recorded"

# Every key=value record of boot_detail and hazard_detail, reversed.
awk -F= '
	/^(boot|hazard)_detail=/ {
		key = $1
		n = split(substr($0, length(key) + 2), rec, "|")
		out = ""
		for (r = 1; r <= n; r++) {
			m = split(rec[r], f, " ")
			line = ""
			for (i = m; i >= 1; i--)
				line = line (i < m ? " " : "") f[i]
			out = out (r > 1 ? "|" : "") line
		}
		print key "=" out
		next
	}
	{ print }' "$DATA/results-6.12.y.env" >"$BUILD/results/6.12.y.env"
report "records with their fields in another order"

sed 's/^series_id=.*/series_id=0123456789abcdef/' "$DATA/results-6.12.y.env" \
	>"$BUILD/results/6.12.y.env"
gate "results of another version of the series" "another version of patches/6.12.y"
sed -e "s/^series_id=.*/series_id=$(bash -c ". '$TOP/mk/lib.sh'; tested_id 6.12.y")/" \
	-e 's/^status=pass/status=fail/' -e 's/^failed=$/failed=hazard-6.12.y/' \
	"$DATA/results-6.12.y.env" >"$BUILD/results/6.12.y.env"
gate "failed results" "failed for 6.12.y (hazard-6.12.y)"

tap_done test-report.sh
