# shellcheck shell=bash
# A private apt configuration for Debian suites beyond the system's own.
# It never touches /etc/apt: sources, lists and downloads live in $CACHE/apt.
# Source it after mk/lib.sh.

MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
APT_DIR=$CACHE/apt
APT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

apt_suites()
{
	printf '%s %s\n' \
		"$MIRROR" bookworm "$MIRROR" bookworm-backports \
		"$SECURITY_MIRROR" bookworm-security "$MIRROR" trixie \
		"$MIRROR" trixie-backports "$SECURITY_MIRROR" trixie-security \
		"$MIRROR" sid
}

apt_write_sources()
{
	local url suite

	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	apt_suites | while read -r url suite; do
		echo "deb [signed-by=$APT_KEYRING] $url $suite main"
		echo "deb-src [signed-by=$APT_KEYRING] $url $suite main"
	done >"$APT_DIR/sources.list"
}

# papt CMD ARGS: run apt-get/apt-cache with the private configuration.
papt()
{
	local cmd=$1

	shift
	"$cmd" -q -o Dir::Etc::SourceList="$APT_DIR/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::State::Lists="$APT_DIR/lists" \
		-o Dir::Cache="$APT_DIR/cache" \
		-o APT::Sandbox::User="$(id -un)" \
		-o Debug::NoLocking=true "$@"
}

# apt_refresh: update the private lists when missing or older than a day.
apt_refresh()
{
	local stamp=$APT_DIR/lists/.updated log

	[ -f "$APT_KEYRING" ] ||
		die "$APT_KEYRING is missing; install debian-archive-keyring"
	apt_write_sources
	if [ -f "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440)" ]; then
		return 0
	fi
	info "updating the private apt lists in $APT_DIR"
	log=$APT_DIR/update.log
	if papt apt-get update >"$log" 2>&1 &&
	   ! grep -q '^[WE]: Failed to fetch' "$log"; then
		touch "$stamp"
		return 0
	fi
	if [ -f "$stamp" ]; then
		warn "cannot refresh the apt lists (see $log); using the old ones"
		return 0
	fi
	die "cannot reach Debian's archive at $MIRROR (see $log); check the network, set DEBIAN_MIRROR, or pass LINUX=/path/to/a/kernel/git/tree"
}
