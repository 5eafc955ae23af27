#!/bin/bash
# export-qemu.sh [--to DIR]: git format-patch build/qemu (base..HEAD) back into
# patches/qemu, with its cover letter and series file (whose comment header
# stays), as export-series.sh does for the kernel lines. Exporting an
# unchanged tree changes nothing. --to DIR writes there instead (used by
# the checks).
set -eu
EXPORT_DIR=""
if [ "${1:-}" = --to ]; then EXPORT_DIR=${2:?usage: export-qemu.sh [--to DIR]}; shift 2; fi
. "$(dirname "$0")/lib.sh"
# shellcheck source=qemu-lib.sh
. "$TOP/mk/qemu-lib.sh"
# shellcheck source=series-lib.sh
. "$TOP/mk/series-lib.sh"

export_patches "${EXPORT_DIR:-$PATCHES}" PATCH
