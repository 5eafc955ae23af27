# shellcheck shell=bash
# shellcheck disable=SC2034 # TOP and TMP are for the tests that source it
# tap.sh: what the tool tests in mk/tests share. Source it after set -eu.
# It sets TOP (the project) and TMP (a scratch directory, removed on
# exit), and writes one result line a case:
#   tap_ok NAME            "ok - NAME"
#   tap_fail NAME [FILE]   "not ok - NAME", FILE's lines shown as comments
#   tap_check NAME CMD...  tap_ok NAME if CMD succeeds, tap_fail NAME if not
#   tap_skip NAME WHY      "ok - NAME # SKIP WHY": the case could not run
#   tap_done SUITE         the closing line; exit 1 if any case failed
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
tap_failures=0

tap_ok()
{
	echo "ok - $1"
}

tap_fail()
{
	echo "not ok - $1"
	[ -z "${2:-}" ] || sed 's/^/#   /' "$2"
	tap_failures=$((tap_failures + 1))
}

tap_skip()
{
	echo "ok - $1 # SKIP $2"
}

tap_check()
{
	local name=$1

	shift
	if "$@"; then
		tap_ok "$name"
	else
		tap_fail "$name"
	fi
}

tap_done()
{
	if [ "$tap_failures" -ne 0 ]; then
		echo "$1: $tap_failures failed"
		exit 1
	fi
	echo "$1: all passed"
}
