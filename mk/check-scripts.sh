#!/bin/bash
# check-scripts.sh: shellcheck every shell script of the project, then run
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
# shellcheck disable=SC2086 # one word per script path
shellcheck $scripts
echo "shellcheck: $(echo "$scripts" | wc -l) scripts clean"

# The suites in two lanes at once (the machine's two cores), each suite
# into its own log, printed in order with how long it took; every one
# runs, and any that fails fails the check. The model's suites make and
# read the trees under $BUILD (make-tree.sh), so they share one lane and
# run one after the other; the others work in directories of their own.
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
LOGDIR=$(mktemp -d)
trap 'rm -rf "$LOGDIR"' EXIT

# run_suite I: suite I, its output and then its time and status to files.
run_suite()
{
	local t=${suites[$1]} start rc=0

	start=$(date +%s)
	case "$t" in
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

# lane trees|other: one after the other, the suites that use the trees
# under $BUILD, or the others.
lane()
{
	local i

	for i in "${!suites[@]}"; do
		if uses_trees "${suites[$i]}"; then
			[ "$1" = trees ] || continue
		else
			[ "$1" = other ] || continue
		fi
		run_suite "$i"
	done
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
echo "tool tests: ${#suites[@]} suites passed"
