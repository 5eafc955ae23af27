#!/bin/bash
# test-reproduce.sh: make reproduce's bad input ends in one line and a
# non-zero exit before anything is built or booted, and every kept mutant
# says what its boots must show in a form parse-log.sh takes.
set -eu

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
export BUILD=$TMP/build

# refused NAME PATTERN CMD...: CMD must fail with one line saying PATTERN
# (besides make's own "***" line), having made nothing in BUILD but the
# project's mark.
refused()
{
	local name=$1 pattern=$2

	shift 2
	if ! "$@" >"$TMP/out" 2>&1 && [ "$(grep -Evc '^make(\[[0-9]+\])?: \*\*\*' "$TMP/out")" -eq 1 ] &&
	   grep -qE -- "$pattern" "$TMP/out" &&
	   [ -z "$(find "$BUILD" -mindepth 1 ! -name .kvm-nvhe-buffers 2>/dev/null)" ]; then
		tap_ok "$name"
	else
		tap_fail "$name (wanted one line saying /$pattern/, nothing built)" "$TMP/out"
	fi
}

cd "$TOP"
refused "PATCHED=2" "PATCHED takes 0, 1 or both, not '2'" \
	make -s reproduce TARGET=6.12.y PATCHED=2
refused "FATAL=yes" "FATAL takes 0 or 1, not 'yes'" \
	make -s reproduce TARGET=6.12.y FATAL=yes
refused "a mode the line does not have" "6.1.y has no KVM mode 'pkvm-hvhe'" \
	make -s reproduce TARGET=6.1.y HAZARD_MODES="nvhe pkvm-hvhe"
refused "unknown TARGET" "unknown TARGET '6.13.y'" \
	make -s reproduce TARGET=6.13.y
refused "an unknown option" "unknown option '--all'; use --all-selftests or --no-mutants" \
	mk/reproduce.sh 6.12.y both --all

# The waker of the hazard boots: a bad period is refused before anything
# is made; a good one reaches the initramfs as /waker for init to read.
MKI=tools/testing/kvm-qemu-boot/make-initramfs.sh
mkdir -p "$TMP/sel/bin" && : >"$TMP/sel/tests" && : >"$TMP/sel/bin/prog"
for bad in abc 0 -5 020 "1 2"; do
	if ! "$MKI" --waker "$bad" "$TMP/sel" "$TMP/i.cpio" >"$TMP/out" 2>&1 &&
	   [ "$(wc -l <"$TMP/out")" -eq 1 ] && grep -q "^make-initramfs.sh: error: --waker '$bad'" "$TMP/out" &&
	   [ ! -e "$TMP/i.cpio" ] && [ ! -e "$TMP/i.cpio.d" ]; then
		tap_ok "make-initramfs --waker '$bad' refused in one line"
	else
		tap_fail "make-initramfs --waker '$bad' (wanted one error line, nothing made)" "$TMP/out"
	fi
done
if command -v aarch64-linux-gnu-gcc >/dev/null && command -v cpio >/dev/null; then
	if "$MKI" --waker 2000 "$TMP/sel" "$TMP/i.cpio" >"$TMP/out" 2>&1 &&
	   [ "$(cd "$TMP" && cpio -i --quiet --to-stdout waker <i.cpio)" = 2000 ]; then
		tap_ok "make-initramfs --waker 2000: /waker holds 2000"
	else
		tap_fail "make-initramfs --waker 2000: no /waker holding 2000" "$TMP/out"
	fi
	if "$MKI" "$TMP/sel" "$TMP/i.cpio" >"$TMP/out" 2>&1 &&
	   ! (cd "$TMP" && cpio -t --quiet <i.cpio) | grep -qx waker; then
		tap_ok "make-initramfs without --waker: no /waker"
	else
		tap_fail "make-initramfs without --waker: /waker present or build failed" "$TMP/out"
	fi
else
	tap_skip "make-initramfs --waker 2000" "no aarch64-linux-gnu-gcc or cpio"
fi

# run-boot.sh: an option without its value, or an unknown one, is one line.
RB=tools/testing/kvm-qemu-boot/run-boot.sh
refused "run-boot.sh --waker" '^run-boot.sh: error: --waker needs a value' "$RB" --waker
refused "run-boot.sh --timeout last" '^run-boot.sh: error: --timeout needs a value' \
	"$RB" --modes nvhe --timeout
refused "run-boot.sh --bogus" '^run-boot.sh: error: unknown option --bogus' "$RB" --bogus 1

# run-boot.sh with a stand-in QEMU that logs when each boot starts and
# ends: --jobs 2 runs two modes' boots at once, --jobs 1 one after the
# other, and the summaries list the modes in their order either way; a
# TERM to run-boot.sh stops the QEMUs it started.
mkdir -p "$TMP/rb/sel/bin" && echo prog >"$TMP/rb/sel/tests" && : >"$TMP/rb/sel/bin/prog"
cat >"$TMP/rb/qemu" <<'QEMU'
#!/bin/bash
[ "$1" != --version ] || { echo "QEMU emulator version 10.0.2"; exit 0; }
echo "start $$" >>"$RB_EVENTS"
sleep "$RB_SLEEP"
echo "end $$" >>"$RB_EVENTS"
QEMU
chmod +x "$TMP/rb/qemu"
refused "run-boot.sh --jobs 0" "^run-boot.sh: error: --jobs takes a number of boots at once \\(1 or more\\), not '0'" \
	"$RB" --kernel "$RB" --selftests "$TMP/rb/sel" --modes nvhe --logdir "$TMP/rb/bad" --qemu "$TMP/rb/qemu" --jobs 0
# fake_boots JOBS SLEEP: run-boot.sh on the stand-in, modes nvhe and
# pkvm-nvhe, in the background; its pid in rb_pid.
fake_boots()
{
	rm -rf "$TMP/rb/logs" && : >"$TMP/rb/events"
	RB_EVENTS=$TMP/rb/events RB_SLEEP=$2 "$RB" --kernel "$RB" --selftests "$TMP/rb/sel" \
		--modes "nvhe pkvm-nvhe" --logdir "$TMP/rb/logs" --qemu "$TMP/rb/qemu" \
		--buffers none --jobs "$1" >"$TMP/out" 2>&1 &
	rb_pid=$!
}
if command -v aarch64-linux-gnu-gcc >/dev/null && command -v cpio >/dev/null; then
	for jobs in 1 2; do
		want="start end start end"
		[ "$jobs" = 1 ] || want="start start end end"
		fake_boots "$jobs" 1
		wait "$rb_pid" || true
		got=$(cut -d' ' -f1 "$TMP/rb/events" | paste -sd' ')
		if [ "$got" = "$want" ] &&
		   [ "$(cut -f1 "$TMP/rb/logs/summary.tsv" | paste -sd' ')" = "mode nvhe pkvm-nvhe" ]; then
			tap_ok "run-boot.sh --jobs $jobs: the boots $want, summary in the modes' order"
		else
			tap_fail "run-boot.sh --jobs $jobs: boots '$got' (wanted '$want') or summary out of order" "$TMP/out"
		fi
	done
	fake_boots 2 60
	for _ in $(seq 50); do
		[ "$(grep -c start "$TMP/rb/events")" -lt 2 ] || break
		sleep 0.2
	done
	kill -TERM "$rb_pid"
	rc=0 && wait "$rb_pid" || rc=$?
	left=()
	while read -r event pid; do
		[ "$event" = start ] || continue
		for _ in $(seq 25); do
			kill -0 "$pid" 2>/dev/null || continue 2
			sleep 0.2
		done
		left+=("$pid")
	done <"$TMP/rb/events"
	if [ "$rc" = 143 ] && [ "${#left[@]}" -eq 0 ] && [ "$(grep -c start "$TMP/rb/events")" = 2 ]; then
		tap_ok "run-boot.sh --jobs 2 stopped by TERM: exit 143, both QEMUs gone"
	else
		tap_fail "run-boot.sh stopped by TERM: exit $rc, QEMUs still running: ${left[*]:-none}" "$TMP/out"
		[ "${#left[@]}" -eq 0 ] || kill "${left[@]}" 2>/dev/null || true
	fi
else
	tap_skip "run-boot.sh --jobs with a stand-in QEMU" "no aarch64-linux-gnu-gcc or cpio"
fi

# Every mutant: an Expect: line parse-log.sh knows, and a diff to apply.
n=0
for m in tools/testing/kvm-qemu-boot/mutants/*/*.patch; do
	[ -f "$m" ] || continue
	n=$((n + 1))
	want=$(sed -n 's/^Expect: *//p' "$m" | head -n 1)
	case "$want" in
	none | entry | entry-spe | entry-trbe | exit | fatal-entry | fatal-exit | "fails "?*)
		if grep -q '^+++ b/' "$m"; then
			tap_ok "mutant $m: expects $want"
		else
			tap_fail "mutant $m: no diff in it"
		fi
		;;
	*)
		tap_fail "mutant $m: Expect: '$want' is not a HAZARDS value of parse-log.sh nor 'fails PROGRAM'"
		;;
	esac
done
[ "$n" -gt 0 ] || tap_fail "no mutants kept"

tap_done test-reproduce.sh
