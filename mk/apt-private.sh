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
		-o APT::Sandbox::User="$(id -un)" "$@"
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

# Downloads from the archive go to $DL, checked against apt's signed metadata.
DL=$CACHE/dl

# fetch URL FILE SHA256: download into $DL unless a verified copy is there.
fetch()
{
	local url=$1 file=$DL/$2 sum=$3

	mkdir -p "$DL"
	if [ -f "$file" ] && echo "$sum  $file" | sha256sum -c --status; then
		return 0
	fi
	info "downloading $url"
	curl -sfL --retry 2 -o "$file.part" "$url" || { rm -f "$file.part"; return 1; }
	echo "$sum  $file.part" | sha256sum -c --status ||
		die "checksum mismatch for $url (expected sha256 $sum); retry, or report a broken mirror"
	mv "$file.part" "$file"
}

# split_uri: apt's --print-uris lines, 'URL' NAME SIZE SHA256:HEX, as
# URL NAME HEX.
split_uri()
{
	sed -n "s/^'\([^']*\)' \([^ ]*\) [0-9]* SHA256:\([0-9a-f]*\)$/\1 \2 \3/p"
}
