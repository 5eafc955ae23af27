#!/bin/bash
# sparse-touched.sh ARGS... : kbuild's CHECK for check-warnings.sh. kbuild
# calls it for every file it compiles, the source file last; it runs sparse
# only on the files named in SPARSE_FILES (paths in the tree, separated by
# spaces) and appends each such path to SPARSE_LOG, so that the caller can
# tell that every file it asked for was checked. The others cost nothing:
# the series' warnings are only looked for in the files it touches, and a
# header's are seen through the touched files that include it. With
# SPARSE_FILES empty (a series that touches only headers) every file is
# checked.
set -eu
: "${SPARSE_FILES?set SPARSE_FILES to the files to check}"
: "${SPARSE_LOG:?set SPARSE_LOG to the list of files checked}"
[ -n "$SPARSE_FILES" ] || exec sparse "$@"
src=${!#}
for f in $SPARSE_FILES; do
	case "$src" in
	"$f" | */"$f")
		echo "$f" >>"$SPARSE_LOG"
		exec sparse "$@"
		;;
	esac
done
exit 0
