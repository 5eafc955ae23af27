# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by the scripts that source it
# Common helpers for the project's scripts. Source it; do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${KNB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-nvhe-buffers}
BUILD=${BUILD:-$TOP/build}

# One line on stderr saying what is wrong and what to do, then exit 1.
die()
{
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

info()
{
	printf '  %-8s %s\n' "${INFO_TAG:-${0##*/}}" "$*" >&2
}

warn()
{
	printf '%s: warning: %s\n' "${0##*/}" "$*" >&2
}

# load_target NAME: read mk/targets/NAME into LINE, SELFTEST_DIR, MODES, STABLE.
load_target()
{
	local t=$1

	[ -n "$t" ] || die "no TARGET given; use TARGET=mainline, 6.12.y or 6.1.y"
	[ -f "$TOP/mk/targets/$t" ] ||
		die "unknown TARGET '$t'; use one of: $(cd "$TOP/mk/targets" && echo *)"
	# shellcheck source=/dev/null
	. "$TOP/mk/targets/$t"
	TARGET=$t
}

# tree_version DIR: the kernel version a source tree's Makefile declares.
tree_version()
{
	awk -F' *= *' '
		$1 == "VERSION" { v = $2 }
		$1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 }
		$1 == "EXTRAVERSION" { e = $2 }
		/^$/ && v != "" { exit }
		END { if (v != "") printf "%s.%s.%s%s\n", v, p, s, e }
	' "$1/Makefile"
}

# version_in_line VERSION LINE: true when e.g. 6.12.117 belongs to 6.12,
# or 7.3.4 to 7.
version_in_line()
{
	case "$1" in
	"$2".*) return 0 ;;
	*) return 1 ;;
	esac
}

# series_id TARGET: a short hash of patches/TARGET as it is now.
series_id()
{
	local dir=$TOP/patches/$1

	# shellcheck disable=SC2046 # the series file lists plain file names
	(cd "$dir" && cat series $(grep -v -e '^#' -e '^$' series)) |
		sha256sum | cut -c1-16
}
