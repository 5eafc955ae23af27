#!/bin/bash
# test-report.sh [--gate] TARGET: the "what was tested" paragraph of the
# cover letter, from the last 'make check' results for TARGET
# ($BUILD/results/TARGET.env, written by check.sh). --gate fails unless
# those results are green and were made from the series as it is now.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

gate=0
if [ "${1:-}" = --gate ]; then gate=1; shift; fi
load_target "${1:-}"
RESULTS=$BUILD/results/$TARGET.env

get()
{
	sed -n "s/^$1=//p" "$RESULTS" | head -n 1
}

if [ ! -f "$RESULTS" ]; then
	[ "$gate" = 0 ] || die "no 'make check' results for $TARGET; run 'make check' first"
	echo "Testing: no 'make check' results for this series yet."
	exit 0
fi
if [ "$gate" = 1 ]; then
	[ "$(get series_id)" = "$(tested_id "$TARGET")" ] ||
		die "the last 'make check' ran on another version of patches/$TARGET or its test-only series; run 'make check' again"
	[ "$(get status)" = pass ] ||
		die "the last 'make check' failed for $TARGET ($(get failed)); fix that first"
	exit 0
fi
# verdict KEY: the step's status word (ok, FAIL, not run) without its log.
verdict()
{
	get "$1" | sed 's/ (.*//'
}

# base: "Linux VERSION (ORIGIN)", without the checksum.
base()
{
	get base | sed -e 's/ sha256:[0-9a-f]*//' \
		-e 's/^\([^ ]*\) \(.*\)$/Linux \1 (\2)/' \
		-e "s/(binary \(.*\) (Debian's patches applied))/(Debian's \1, with Debian's patches)/"
}

# boots: one line per mode, from check.sh's key=value records.
boots()
{
	get boot_detail | tr '|' '\n' | awk 'NF {
		delete f
		for (i = 1; i <= NF; i++)
			if (split($i, kv, "=") == 2)
				f[kv[1]] = kv[2]
		parts = f["parts"]
		gsub(/:/, " ", parts)
		gsub(/,/, ", ", parts)
		printf "    %-10s %s, %s passed, %s failed, %s skipped; host parts: %s\n",
			f["mode"] ":", f["result"], f["pass"], f["fail"], f["skip"], parts
	}'
}

# costs: the model's cost table for this target, when the results have it.
costs()
{
	[ -n "$(get model_cost)" ] || return 0
	echo "  Sysreg reads/writes/barriers per world switch, by enabled buffer:"
	get model_cost | tr '|' '\n' | sed 's/^/    /'
}

# hazards: the boots on QEMU's buffer models, one line per kernel and
# mode, from check.sh's key=value records.
hazards()
{
	[ -n "$(get hazard)" ] || return 0
	echo "- QEMU with the project's SPE and TRBE models (patches/qemu), the host"
	echo "  owning both buffers, in each KVM mode: a buffer left enabled while"
	echo "  its owning regime is switched is a hazard, counted per unit and"
	echo "  direction (guest entry/exit). Unpatched must show entry hazards for"
	echo "  both units, the series none, and each kept mutant of the series must"
	echo "  be caught (QEMU stops at a hazard of the direction it breaks, or"
	echo "  host_trace_buffers fails): $(verdict hazard). Hazards entry/exit:"
	get hazard_detail | tr '|' '\n' | awk '
		# what: one boot in words; boots of a variant that say the same
		# are folded into one line naming their modes.
		function flush() {
			if (prev != "")
				printf "    %s, %s:\n      %s\n", prev, modes, text
		}
		NF {
			delete f
			for (i = 1; i <= NF; i++)
				if (split($i, kv, "=") >= 2)
					f[kv[1]] = substr($i, length(kv[1]) + 2)
			if (f["stopped"] != "")
				what = "QEMU stopped at the first hazard (" f["stopped"] ")"
			else
				what = sprintf("SPE %s/%s, TRBE %s/%s",
					f["spe_entry"], f["spe_exit"], f["trbe_entry"], f["trbe_exit"])
			if (f["parts"] ~ /spe:failed/)
				what = what ", the selftest caught it"
			else if (f["parts"] ~ /spe:ran/)
				what = what ", SPE part ran"
			what = f["result"] ", " what
			if (f["variant"] == prev && what == text) {
				modes = modes ", " f["mode"]
				next
			}
			flush()
			prev = f["variant"]; modes = f["mode"]; text = what
		}
		END { flush() }'
}

# selftest_origin: where host_trace_buffers came from, for a line that
# has it only from the project's test-only series.
selftest_origin()
{
	[ -n "${TEST_SERIES:-}" ] || return 0
	printf '\n  host_trace_buffers is not upstream: it was applied for the test runs\n'
	printf '  only (%s), and is posted to kvmarm on its own.' "$TEST_SERIES"
}

cat <<EOT
Testing (make check, $(get date)):
- Base: $(base).
- git am, checkpatch --strict, export round trip: $(verdict patches).
- W=1 and sparse (C=1) build of arch/arm64/kvm/, base against series,
  no new warning in the files the series touches: $(verdict warnings).
- World-switch model (this tree's hyp/nvhe/debug-sr.c compiled for the
  host, driven through every TRBE/SPE/errata/mode state; it must pass on
  the series and find the bug in the unpatched tree): $(verdict model).
$(costs)
- QEMU TCG boots with the KVM selftests, host_trace_buffers included
  (${MODES// /, }): $(verdict boot).$(selftest_origin)
$(boots)
$(hazards)
- Not tested here: real TRBE or SPE units. The QEMU models show whether
  a buffer is left enabled on guest entry, and that SPE records again
  after the runs, but not how real units drain, what they do when left
  running, nor the CPU errata. A board with TRBE or SPE (cores such as
  Cortex-A510 and Neoverse-N2, whose TRBE errata the kernel handles) is
  needed for that; Documentation/virt/kvm/arm/trace-buffers-testing.rst
  says how.
EOT
