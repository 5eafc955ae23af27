#!/bin/bash
# export-qemu.sh: git format-patch build/qemu (base..HEAD) back into
# patches/qemu, with its cover letter and series file (whose comment header
# stays), as export-series.sh does for the kernel lines. Exporting an
# unchanged tree changes nothing. EXPORT_DIR=dir writes elsewhere (used by
# the checks).
set -eu
. "$(dirname "$0")/lib.sh"
# shellcheck source=qemu-lib.sh
. "$TOP/mk/qemu-lib.sh"
# shellcheck source=series-lib.sh
. "$TOP/mk/series-lib.sh"

export_patches "${EXPORT_DIR:-$PATCHES}" PATCH
