#!/bin/bash
# test-qemu.sh: tests of the QEMU tree scripts on a tiny made-up QEMU git
# tree (QEMU_SRC) in a scratch copy of the project: making build/qemu,
# its guards, export and its round trip, check-qemu-patches, and the
# build cache's key and warm hit. Builds nothing; takes seconds.
#
# With QEMU_BIN=$(make -s qemu), it also runs the buffer models' hazard
# check on a few EL2 programs (aarch64-linux-gnu-gcc builds them): the
# world-switch orders of an unpatched, a fixed and a too-late-disabling
# hypervisor, a VHE host, a world switch given up before the guest, and
# x-buffer-hazard-fatal's exit status; and the ETE model (x-ete) filling
# the trace buffer: fill and wrap modes with the interrupt, nothing
# written where TRFCR_EL2 or TRCVICTLR prohibit trace or the unit is
# off. Seconds too.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
T=$TMP/top
export KNB_CACHE=$TMP/cache BUILD=$TMP/build QEMU_SRC=$TMP/src
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@invalid
export GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' GIT_COMMITTER_DATE='2020-01-01T00:00:00Z'
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@invalid
failures=0

# ok NAME CMD...: CMD must succeed.
ok()
{
	local name=$1

	shift
	if "$@" >"$TMP/out" 2>&1; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		sed 's/^/#   /' "$TMP/out"
		failures=$((failures + 1))
	fi
}

# refused NAME PATTERN CMD...: CMD must fail, saying PATTERN.
refused()
{
	local name=$1 pattern=$2

	shift 2
	if ! "$@" >"$TMP/out" 2>&1 && grep -qE -- "$pattern" "$TMP/out"; then
		echo "ok - $name"
	else
		echo "not ok - $name (wanted a failure saying /$pattern/)"
		sed 's/^/#   /' "$TMP/out"
		failures=$((failures + 1))
	fi
}

# fake_qemu: a git tree with just what the scripts look at, and a
# checkpatch.pl that objects to the word BADSTYLE.
fake_qemu()
{
	mkdir -p "$QEMU_SRC"/{target/arm,pc-bios,scripts,subprojects/keycodemapdb}
	cd "$QEMU_SRC"
	echo 10.0.2 >VERSION
	echo 'int cpu;' >target/arm/cpu.c
	printf "fds = [\n  'edk2-aarch64-code.fd',\n]\n" >pc-bios/meson.build
	printf '#!/usr/bin/perl\nwhile (<>) { exit 1 if /BADSTYLE/; }\n' >scripts/checkpatch.pl
	echo /keycodemapdb/ >subprojects/.gitignore
	echo keymaps >subprojects/keycodemapdb/README
	git init -q && git add -A && git commit -q -m 'QEMU 10.0.2' && git tag v10.0.2
	cd - >/dev/null
}

# commit_in_tree MSG LINE: a commit in build/qemu adding LINE to cpu.c.
commit_in_tree()
{
	echo "$2" >>"$BUILD/qemu/target/arm/cpu.c"
	git -C "$BUILD/qemu" commit -q -a -m "$1" -m "Signed-off-by: Tester <tester@invalid>"
}

# warm_hit: a binary in the cache under the key is printed, alone.
warm_hit()
{
	local key out

	key=$("$T/mk/build-qemu.sh" --key)
	mkdir -p "$KNB_CACHE/qemu/$key"
	printf '#!/bin/sh\n' >"$KNB_CACHE/qemu/$key/qemu-system-aarch64"
	chmod +x "$KNB_CACHE/qemu/$key/qemu-system-aarch64"
	out=$("$T/mk/build-qemu.sh" 2>/dev/null)
	[ "$out" = "$KNB_CACHE/qemu/$key/qemu-system-aarch64" ]
}

mkdir -p "$T"
cp -a "$HERE/.." "$T/mk"
fake_qemu

ok "tree from QEMU_SRC, series file created" "$T/mk/qemu-tree.sh"
ok "series starts with a comment header" grep -q '^# patches/qemu' "$T/patches/qemu/series"
ok "edk2 placeholder made, untracked" test -s "$BUILD/qemu/pc-bios/edk2-aarch64-code.fd.bz2"
ok "subprojects copied" test -f "$BUILD/qemu/subprojects/keycodemapdb/README"
ok "tree stays clean" test -z "$(git -C "$BUILD/qemu" status --porcelain)"
ok "empty series: no patches" "$T/mk/check-qemu-patches.sh"
key0=$("$T/mk/build-qemu.sh" --key)

commit_in_tree "target/arm: one" "int one;"
git -C "$BUILD/qemu" config branch.qemu.description "$(printf 'target/arm: a test series\n\nIts blurb.')"
refused "unexported commit kept" "not exported to patches/qemu.*make qemu-export" "$T/mk/qemu-tree.sh"
ok "export" "$T/mk/export-qemu.sh"
ok "export keeps the header" grep -q '^# patches/qemu' "$T/patches/qemu/series"
ok "export lists the patch" grep -qx '0001-target-arm-one.patch' "$T/patches/qemu/series"
ok "cover letter from the branch description" grep -q '^Its blurb' "$T/patches/qemu/0000-cover-letter.patch"
ok "remade tree" "$T/mk/qemu-tree.sh"
head=$(git -C "$BUILD/qemu" rev-parse HEAD)
rm -rf "$BUILD/qemu"
ok "made afresh" "$T/mk/qemu-tree.sh"
ok "same commit id when made afresh" test "$(git -C "$BUILD/qemu" rev-parse HEAD)" = "$head"
cp -a "$T/patches/qemu" "$TMP/exported"
ok "export right after make" "$T/mk/export-qemu.sh"
ok "... changes nothing" diff -r "$TMP/exported" "$T/patches/qemu"
ok "check-qemu-patches passes" "$T/mk/check-qemu-patches.sh"
ok "key changes with the series" test "$("$T/mk/build-qemu.sh" --key)" != "$key0"
ok "warm run prints the cached binary only" warm_hit

flock "$BUILD/qemu.lock" sleep 2 &
sleep 0.5
ok "a second run waits for the lock" "$T/mk/qemu-tree.sh"
cp "$TMP/out" "$TMP/lock.out"
ok "... and says so" grep -q 'waiting for another QEMU tree or build' "$TMP/lock.out"
wait

echo "0000-cover-letter.patch" >>"$T/patches/qemu/series"
ok "cover letter in series skipped by git am" "$T/mk/qemu-tree.sh"
sed -i '/^0000-cover-letter.patch$/d' "$T/patches/qemu/series"
# The tree follows the series file put back (export keeps hand edits).
ok "... and made again without it" "$T/mk/qemu-tree.sh"

commit_in_tree "target/arm: two" "int BADSTYLE;"
ok "export two" "$T/mk/export-qemu.sh"
refused "checkpatch failure reported" "FAIL checkpatch.pl: 0002-" "$T/mk/check-qemu-patches.sh"

echo junk >>"$BUILD/qemu/target/arm/cpu.c"
refused "uncommitted change kept" "uncommitted changes" "$T/mk/qemu-tree.sh"
git -C "$BUILD/qemu" checkout -q -- .

echo dirty >>"$QEMU_SRC/target/arm/cpu.c"
refused "dirty QEMU_SRC refused" "QEMU_SRC=.* has uncommitted changes" "$T/mk/build-qemu.sh"
git -C "$QEMU_SRC" checkout -q -- .
echo 9.2.0 >"$QEMU_SRC/VERSION"
git -C "$QEMU_SRC" commit -q -a -m 'other version'
refused "other QEMU version refused" "is QEMU 9.2.0; check out v10.0.2" "$T/mk/qemu-tree.sh"

printf '# header\n' >"$T/patches/qemu/series"
refused "empty series with stray patches fails" "lists no patches" "$T/mk/check-qemu-patches.sh"

# The buffer models at EL2 (QEMU_BIN only). One program, MODE picks the
# hypervisor's order: A never disables the buffers (unpatched), B
# disables them before loading the guest's regime and re-enables them
# after the host's is back (fixed), M disables them only after
# HCR_EL2/MDCR_EL2 are the guest's (too late), C is a VHE host whose
# EL2-owned buffers stay on, T loads the guest's MDCR_EL2 and gives up
# before entering the guest (a world switch all the same). The guest exits on its first
# instruction fetch (stage 2 faults on an empty table); PSCI SYSTEM_OFF
# ends the run.
model_program()
{
	cat <<'EOF'
#define HOST_MDCR	((3 << 12) | (3 << 24))	/* E2PB, E2TB 0b11 */
#define HCR_RW		(1 << 31)
#define HCR_VM		1
#define HCR_TGE		(1 << 27)
#define HCR_E2H		(1 << 34)
#define TRBLIMITR	s3_0_c9_c11_0
#define PMBLIMITR	s3_0_c9_c10_0
#define ON		(0x40200000 | 1)

	.macro buffers, reg
	msr	TRBLIMITR, \reg
	msr	PMBLIMITR, \reg
	isb
	.endm

	.macro to_el1, label
	adr	x0, \label
	msr	elr_el2, x0
	mov	x0, #0x3c5
	msr	spsr_el2, x0
	eret
	.endm

	.globl	_start
_start:
	adr	x0, vectors
	msr	vbar_el2, x0
	mov	x20, #0
	ldr	x0, =(32 | (1 << 6))
	msr	vtcr_el2, x0
#if MODE == 'C'
	ldr	x0, =(HCR_RW | HCR_E2H | HCR_TGE)
	msr	hcr_el2, x0
	msr	mdcr_el2, xzr
	isb
	ldr	x0, =ON
	buffers	x0
	b	run_guest
#else
	ldr	x0, =HCR_RW
	msr	hcr_el2, x0
	ldr	x0, =HOST_MDCR
	msr	mdcr_el2, x0
	isb
	ldr	x0, =ON
	buffers	x0
	to_el1	host
#endif
host:	hvc	#0
	b	host

	.balign	2048
vectors:
	.skip	0x400
	add	x20, x20, #1
	cmp	x20, #1
	b.eq	run_guest
	cmp	x20, #2
	b.eq	guest_exit
poweroff:
	ldr	x0, =0x84000008
	smc	#0
	b	.

run_guest:
#if MODE == 'T'
	msr	mdcr_el2, xzr
	ldr	x0, =HOST_MDCR
	msr	mdcr_el2, x0
	mov	x20, #2
	to_el1	host
#endif
#if MODE == 'B'
	buffers	xzr
#endif
	ldr	x0, =(1 << 48)
	msr	vttbr_el2, x0
#if MODE == 'C'
	ldr	x0, =(HCR_RW | HCR_E2H | HCR_VM)
	mov	x20, #1
#else
	ldr	x0, =(HCR_RW | HCR_VM)
#endif
	msr	hcr_el2, x0
#if MODE != 'C'
	msr	mdcr_el2, xzr
#endif
	isb
#if MODE == 'M'
	buffers	xzr
#endif
	to_el1	guest
guest:	b	guest

guest_exit:
#if MODE == 'C'
	ldr	x0, =(HCR_RW | HCR_E2H | HCR_TGE)
	msr	hcr_el2, x0
	b	poweroff
#else
	ldr	x0, =HOST_MDCR
	msr	mdcr_el2, x0
	ldr	x0, =HCR_RW
	msr	hcr_el2, x0
	msr	vttbr_el2, xzr
	isb
#if MODE == 'B' || MODE == 'M'
	ldr	x0, =ON
	buffers	x0
#endif
	to_el1	host
#endif
	.ltorg
EOF
}

# model_run MODE CPUOPTS WANT [STATUS]: QEMU_BIN runs the MODE program and
# exits with STATUS (default 0), printing the summary line WANT.
model_run()
{
	local mode=$1 cpu=$2 want=$3 status=${4:-0} rc=0

	aarch64-linux-gnu-gcc -DMODE="'$mode'" -nostdlib -static \
		-Wl,-Ttext=0x40080000 -Wl,--build-id=none \
		-o "$TMP/model-$mode.elf" "$TMP/model.S" || return 1
	timeout 60 "$QEMU_BIN" -M virt,virtualization=on,gic-version=3 \
		-cpu "$cpu,x-spe=on,x-trbe=on" -display none -nodefaults \
		-kernel "$TMP/model-$mode.elf" -d guest_errors || rc=$?
	echo "exit status $rc"
	[ "$rc" -eq "$status" ] || return 1
	grep -qxF "qemu-system-aarch64: info: arm-buffer-hazards: cpu=0 $want" "$TMP/out"
}

# The ETE model (x-ete) feeding TRBE at EL2, which owns the buffer
# (MDCR_EL2.E2TB 0b00, MMU off): OS Lock cleared, a 4 KiB buffer in fill
# mode, trace allowed at EL2 by TRFCR_EL2, the unit enabled, then a spin
# of a million loops. MODE: F fills the buffer (stop, interrupt, pointer
# wrapped to the base), H spins 300,000 (pointer advanced, no
# interrupt), W is wrap mode (interrupt, no stop), P prohibits EL2 in
# TRFCR_EL2, X excludes EL2 in TRCVICTLR, D leaves the trace unit
# disabled: the last three must write nothing. The program prints, one
# per line in hex: TRCSTATR, TRBPTR_EL1 minus the base, TRBSR_EL1,
# GICR_ISPENDR0 (bit 22: the TRBE PPI), the buffer's bytes 8-15,
# GICR_ISPENDR0 after TRBSR_EL1 is cleared, TRCDEVARCH and
# ID_AA64DFR0_EL1.
ete_program()
{
	cat <<'EOF2'
#define TRBLIMITR	s3_0_c9_c11_0
#define TRBPTR		s3_0_c9_c11_1
#define TRBBASER	s3_0_c9_c11_2
#define TRBSR		s3_0_c9_c11_3
#define TRFCR_EL2	s3_4_c1_c2_1
#define TRCPRGCTLR	s2_1_c0_c1_0
#define TRCSTATR	s2_1_c0_c3_0
#define TRCVICTLR	s2_1_c0_c0_2
#define TRCDEVARCH	s2_1_c7_c15_6
#define BUF		0x40200000
#define GICR_ISPENDR0	0x080b0200
#define UART		0x09000000

	.globl	_start
_start:
	msr	oslar_el1, xzr
	msr	mdcr_el2, xzr
	ldr	x1, =BUF
	msr	TRBBASER, x1
	msr	TRBPTR, x1
#if MODE == 'W'
	ldr	x0, =(BUF + 0x1000) | (1 << 1) | 1
#else
	ldr	x0, =(BUF + 0x1000) | 1
#endif
	msr	TRBLIMITR, x0
	mov	x0, #2
#if MODE == 'P'
	mov	x0, #0
#endif
	msr	TRFCR_EL2, x0
#if MODE == 'X'
	mov	x0, #(1 << 22)
	msr	TRCVICTLR, x0
#endif
	mov	x0, #1
#if MODE != 'D'
	msr	TRCPRGCTLR, x0
#endif
	isb
#if MODE == 'H'
	ldr	x2, =300000
#else
	ldr	x2, =1000000
#endif
1:	subs	x2, x2, #1
	b.ne	1b
	mrs	x0, TRCSTATR
	bl	print
	mrs	x0, TRBPTR
	ldr	x1, =BUF
	sub	x0, x0, x1
	bl	print
	mrs	x0, TRBSR
	bl	print
	ldr	x1, =GICR_ISPENDR0
	ldr	w0, [x1]
	bl	print
	ldr	x1, =BUF + 8
	ldr	x0, [x1]
	bl	print
	msr	TRBSR, xzr
	isb
	ldr	x1, =GICR_ISPENDR0
	ldr	w0, [x1]
	bl	print
	mrs	x0, TRCDEVARCH
	bl	print
	mrs	x0, id_aa64dfr0_el1
	bl	print
	ldr	x0, =0x84000008
	smc	#0
	b	.

print:
	ldr	x3, =UART
	mov	x4, #60
2:	lsr	x5, x0, x4
	and	x5, x5, #0xf
	cmp	x5, #10
	add	x6, x5, #'0'
	add	x7, x5, #('a' - 10)
	csel	x5, x6, x7, lo
	str	w5, [x3]
	subs	x4, x4, #4
	b.pl	2b
	mov	x5, #'\n'
	str	w5, [x3]
	ret
	.ltorg
EOF2
}

# ete_run MODE: run the ETE program for MODE; its lines go to
# TMP/ete-MODE.txt, and the rest is checked by ete_check.
ete_run()
{
	aarch64-linux-gnu-gcc -DMODE="'$1'" -nostdlib -static \
		-Wl,-Ttext=0x40080000 -Wl,--build-id=none \
		-o "$TMP/ete-$1.elf" "$TMP/ete.S" || return 1
	timeout 60 "$QEMU_BIN" -M virt,virtualization=on,gic-version=3 \
		-cpu cortex-a72,x-trbe=on,x-ete=on -icount shift=0 \
		-display none -nodefaults -serial "file:$TMP/ete-$1.txt" \
		-kernel "$TMP/ete-$1.elf" || return 1
	cat "$TMP/ete-$1.txt"
}

# ete_check MODE STATR LO HI TRBSR PEND BYTES: MODE's run printed
# TRCSTATR STATR, a pointer offset from LO to HI, TRBSR_EL1 TRBSR, the
# interrupt pending (PEND 1) or not (0), buffer bytes BYTES, and then no
# interrupt once TRBSR_EL1 is cleared, the ETE's TRCDEVARCH and TraceVer 1.
ete_check()
{
	local mode=$1 statr ptr trbsr pend bytes after devarch dfr0

	ete_run "$mode" || return 1
	{
		read -r statr; read -r ptr; read -r trbsr; read -r pend
		read -r bytes; read -r after; read -r devarch; read -r dfr0
	} <"$TMP/ete-$mode.txt"
	ptr=$((16#$ptr))
	[ "$((16#$statr))" -eq "$2" ] && [ "$ptr" -ge "$3" ] &&
		[ "$ptr" -le "$4" ] && [ "$((16#$trbsr))" -eq "$5" ] &&
		[ "$(((16#$pend >> 22) & 1))" -eq "$6" ] &&
		[ "$bytes" = "$7" ] && [ "$(((16#$after >> 22) & 1))" -eq 0 ] &&
		[ "$devarch" = 0000000047705a13 ] &&
		[ "$(((16#$dfr0 >> 4) & 0xf))" -eq 1 ]
}

if [ -n "${QEMU_BIN:-}" ]; then
	model_program >"$TMP/model.S"
	ok "model: unpatched order, entry and exit" model_run A cortex-a72 \
		"spe-entry=1 spe-exit=1 trbe-entry=1 trbe-exit=1"
	ok "model: fixed order, none" model_run B cortex-a72 \
		"spe-entry=0 spe-exit=0 trbe-entry=0 trbe-exit=0"
	ok "model: disabled too late, entry" model_run M max \
		"spe-entry=1 spe-exit=0 trbe-entry=1 trbe-exit=0"
	ok "model: VHE host buffers stay on, none" model_run C max \
		"spe-entry=0 spe-exit=0 trbe-entry=0 trbe-exit=0"
	ok "model: world switch given up, entry" model_run T cortex-a72 \
		"spe-entry=1 spe-exit=0 trbe-entry=1 trbe-exit=0"
	ok "model: fatal exits 3" model_run A cortex-a72,x-buffer-hazard-fatal=on \
		"spe-entry=1 spe-exit=0 trbe-entry=0 trbe-exit=0" 3
	cp "$TMP/out" "$TMP/model.out"
	ok "model: ... naming the first event" grep -q \
		'arm-buffer-hazard: fatal: cpu=0 unit=SPE dir=entry event=hcr_el2 n=1 pc=0x' "$TMP/model.out"
	ok "model: log line fields" grep -qE \
		'^arm-buffer-hazard: cpu=0 unit=SPE dir=entry event=hcr_el2 n=1 pc=0x[0-9a-f]+ el=2 owner=EL1 limitr=0x40200001 ptr=0x0 filter=0x0 mdcr_el2=0x3003000 hcr_el2=0x80000001 vttbr_el2=0x1000000000000$' "$TMP/model.out"
	ete_program >"$TMP/ete.S"
	ok "ete: fill mode stops full, wrapped, with the interrupt" ete_check F \
		0 0 0 $((0x520001)) 1 7004000180000000
	ok "ete: half the time, part of the buffer, no interrupt" ete_check H \
		0 64 4032 0 0 7004000180000000
	ok "ete: wrap mode wraps with the interrupt, runs on" ete_check W \
		0 64 4032 $((0x500001)) 1 7004000180000000
	ok "ete: TRFCR_EL2 prohibits EL2: nothing written" ete_check P \
		0 0 0 0 0 0000000000000000
	ok "ete: TRCVICTLR excludes EL2: nothing written" ete_check X \
		0 0 0 0 0 0000000000000000
	ok "ete: trace unit disabled: idle, nothing written" ete_check D \
		3 0 0 0 0 0000000000000000
	refused "ete: x-ete without x-trbe is refused" "x-ete needs x-trbe" \
		timeout 60 "$QEMU_BIN" -M virt,virtualization=on -cpu max,x-ete=on \
		-display none -nodefaults -S
else
	echo "ok - model: the EL2 programs # SKIP no QEMU_BIN (make check's qemu-model step runs them)"
fi

if [ "$failures" -ne 0 ]; then
	echo "test-qemu: $failures failed"
	exit 1
fi
echo "test-qemu: all passed"
