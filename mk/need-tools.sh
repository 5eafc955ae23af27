#!/bin/bash
# need-tools.sh GROUP...: make sure the tools a step needs are installed.
# As root, missing Debian packages are installed with apt-get (and named);
# otherwise the exact apt-get line is printed and the step fails.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# venv_probe: a path that python3-venv provides for the system's python3
# (Debian ships venv's ensurepip apart from python3.X itself).
venv_probe()
{
	echo "/usr/lib/$(basename "$(readlink -f /usr/bin/python3)")/ensurepip"
}

# group: probe=package ... (a probe is a command, or a path for libraries)
tools_of()
{
	case "$1" in
	fetch) echo "git=git curl=curl xz=xz-utils dpkg-deb=dpkg" \
		"/usr/share/keyrings/debian-archive-keyring.gpg=debian-archive-keyring" ;;
	build) echo "make=make gcc=gcc aarch64-linux-gnu-gcc=gcc-aarch64-linux-gnu" \
		"aarch64-linux-gnu-ld=binutils-aarch64-linux-gnu" \
		"/usr/aarch64-linux-gnu/lib/libc.a=libc6-dev-arm64-cross" \
		"flex=flex bison=bison bc=bc perl=perl python3=python3" \
		"/usr/include/openssl/ssl.h=libssl-dev /usr/include/libelf.h=libelf-dev" \
		"cpio=cpio rsync=rsync ccache=ccache patch=patch" ;;
	check) echo "sparse=sparse shellcheck=shellcheck pgrep=procps flock=util-linux" \
		"/usr/lib/python3/dist-packages/ply=python3-ply" \
		"/usr/lib/python3/dist-packages/git=python3-git" ;;
	boot) echo "qemu-system-aarch64=qemu-system-arm" ;;
	qemu) echo "gcc=gcc pkg-config=pkgconf ninja=ninja-build bzip2=bzip2" \
		"/usr/include/glib-2.0/glib.h=libglib2.0-dev" \
		"/usr/include/pixman-1/pixman.h=libpixman-1-dev" \
		"/usr/include/libfdt.h=libfdt-dev /usr/include/zlib.h=zlib1g-dev" \
		"/usr/bin/python3=python3 $(venv_probe)=python3-venv" \
		"dtc=device-tree-compiler ccache=ccache" ;;
	mail) echo "/usr/lib/git-core/git-send-email=git-email b4=b4" ;;
	audit) echo "make=make gcc=gcc /usr/bin/python3=python3 flock=util-linux patch=patch" ;;
	lava) echo "lava-run=lava-dispatcher /usr/lib/python3/dist-packages/lava_common=lava-common" \
		"busybox=busybox dash=dash cpio=cpio git=git dpkg-deb=dpkg" ;;
	*) die "unknown tool group '$1'" ;;
	esac
}

missing_packages()
{
	local group pair probe

	for group in "$@"; do
		for pair in $(tools_of "$group"); do
			probe=${pair%%=*}
			case "$probe" in
			/*) [ -e "$probe" ] && continue ;;
			
			*) command -v "$probe" >/dev/null && continue ;;
			esac
			echo "${pair#*=}"
		done
	done | sort -u
}

# keep_awk PATH: make /usr/bin/awk PATH again if an install changed it.
keep_awk()
{
	[ -n "$1" ] && [ -x "$1" ] || return 0
	[ "$(readlink -f /usr/bin/awk 2>/dev/null)" = "$1" ] && return 0
	update-alternatives --set awk "$1" >/dev/null 2>&1 || true
}

main()
{
	local pkgs left awk_was

	pkgs=$(missing_packages "$@" | tr '\n' ' ')
	[ -n "$pkgs" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		die "missing tools; as root run: apt-get install -y --no-install-recommends $pkgs"
	fi
	info "installing: $pkgs"
	# lava-dispatcher brings gawk, which takes /usr/bin/awk over from mawk;
	# the project's scripts are written and tested against mawk: keep it.
	awk_was=$(readlink -f /usr/bin/awk 2>/dev/null || true)
	# shellcheck disable=SC2086 # word splitting of the package list is meant
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $pkgs >/dev/null 2>&1; then
		info "apt-get update"
		apt-get update -q >/dev/null 2>&1 ||
			die "apt-get update failed: no route to Debian's archive? fix the network or install: $pkgs"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $pkgs >/dev/null ||
			die "apt-get install $pkgs failed; see the output above"
	fi
	keep_awk "$awk_was"
	left=$(missing_packages "$@" | tr '\n' ' ')
	[ -z "$left" ] ||
		die "apt-get reported success, but these are still missing: ${left% }; install them by hand"
}

main "$@"
