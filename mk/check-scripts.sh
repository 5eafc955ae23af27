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

n=0
for t in tools/testing/*/test-*.sh mk/tests/test-*.sh; do
	[ -x "$t" ] || continue
	echo "== $t"
	"$t"
	n=$((n + 1))
done
# The Python tools' tests (unittest, on recorded inputs in test_data/).
for t in mk/tests/*_test.py; do
	[ -f "$t" ] || continue
	echo "== $t"
	/usr/bin/python3 "$t"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no tool tests found (tools/testing/*/test-*.sh, mk/tests/test-*.sh)"
echo "tool tests: $n suites passed"
