#!/bin/bash
# check-scripts.sh: shellcheck every shell script of the project, and run
# the tests of the project's own tools (tools/testing/*/test-*.sh) and
# of its scripts (mk/tests/test-*.sh, mk/tests/*_test.py).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TOP"
scripts=$(git ls-files | while read -r f; do
	[ -f "$f" ] || continue
	case "$f" in
	patches/*) continue ;;
	*.sh) echo "$f" ;;
	*) if head -n 1 "$f" | grep -q '^#!.*\<\(ba\)\?sh\>'; then echo "$f"; fi ;;
	esac
done)

# The jobs in two lanes at once (the machine's two cores), each into its
# own log, printed in order with how long it took; every one runs, and
# any that fails fails the check. The jobs: the suites, then shellcheck
# in two jobs, the odd and the even scripts of the list (short jobs,
# last, to even out the lanes' ends). The model's suites make and read the trees under $BUILD
# (make-tree.sh), so one lane runs them one after the other and then
# helps with the rest; the other lane takes the rest, one job at a time,
# each claimed by the lane that gets to it first.
suites=()
for t in tools/testing/*/test-*.sh mk/tests/test-*.sh; do
	[ -x "$t" ] && suites+=("$t")
done
# The Python tools' tests (unittest, on recorded inputs in test_data/).
for t in mk/tests/*_test.py; do
	[ -f "$t" ] && suites+=("$t")
done
[ "${#suites[@]}" -gt 0 ] ||
	die "no tool tests found (tools/testing/*/test-*.sh, mk/tests/test-*.sh)"
ntests=${#suites[@]}
mapfile -t sc < <(echo "$scripts")
SC1=() SC2=()
for i in "${!sc[@]}"; do
	if [ $((i % 2)) -eq 0 ]; then SC1+=("${sc[$i]}"); else SC2+=("${sc[$i]}"); fi
done
suites+=(shellcheck:1 shellcheck:2)
LOGDIR=$(mktemp -d)
trap 'rm -rf "$LOGDIR"' EXIT

# run_suite I: suite I, its output and then its time and status to files.
run_suite()
{
	local t=${suites[$1]} start rc=0

	start=$(date +%s)
	case "$t" in
	shellcheck:1) shellcheck "${SC1[@]}" >"$LOGDIR/$1.log" 2>&1 || rc=$? ;;
	shellcheck:2) shellcheck "${SC2[@]}" >"$LOGDIR/$1.log" 2>&1 || rc=$? ;;
	*.py) /usr/bin/python3 "$t" >"$LOGDIR/$1.log" 2>&1 || rc=$? ;;
	*) "$t" >"$LOGDIR/$1.log" 2>&1 || rc=$? ;;
	esac
	echo "$(($(date +%s) - start)) $rc" >"$LOGDIR/$1.done"
}

# uses_trees SUITE: the suite makes or reads the trees under $BUILD.
uses_trees()
{
	case "$1" in
	tools/testing/kvm-debug-sr-model/*) return 0 ;;
	esac
	return 1
}

# claim I: this lane takes job I, unless the other lane did (mkdir is
# atomic).
claim()
{
	mkdir "$LOGDIR/$1.claim" 2>/dev/null
}

# lane trees|other: the trees lane runs the suites that use the trees
# under $BUILD, one after the other; then both lanes take the other jobs
# as they come free.
lane()
{
	local i

	if [ "$1" = trees ]; then
		for i in "${!suites[@]}"; do
			uses_trees "${suites[$i]}" && run_suite "$i"
		done
	fi
	for i in "${!suites[@]}"; do
		uses_trees "${suites[$i]}" && continue
		claim "$i" && run_suite "$i"
	done
	return 0
}

# (Wait for that lane alone: lib.sh's watcher is a child of this shell
# too, and lives until it ends.)
lane trees &
trees_lane=$!
lane other
wait "$trees_lane" || true
failed=""
for i in "${!suites[@]}"; do
	read -r secs rc <"$LOGDIR/$i.done"
	echo "== ${suites[$i]} (${secs}s, exit $rc)"
	cat "$LOGDIR/$i.log"
	[ "$rc" -eq 0 ] || failed="$failed ${suites[$i]}"
done
[ -z "$failed" ] || die "tool tests failed:$failed"
echo "shellcheck: ${#sc[@]} scripts clean"
echo "tool tests: $ntests suites passed"
