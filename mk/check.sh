#!/bin/bash
# check.sh: every test of the project, for every target of mk/targets/,
# each a named step with its own log; a failing step does not stop the
# others. A target whose file says CHECK_BOOT=yes boots (boot-test.sh), the
# others build their selftests only; CHECK_HAZARD=yes also boots it
# unpatched and patched on QEMU's SPE/TRBE models (reproduce.sh).
# CHECK_BOOT_TARGETS and CHECK_HAZARD_TARGETS (environment) override both.
# Ends with 'check: N passed, N failed' and fails when any step failed.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

LOGS=$BUILD/logs/check
passed=0
failed=0
failures=""
declare -A status

# step NAME CMD...: run, time and log one check.
step()
{
	local name=$1 start secs log=$LOGS/$1.log rc=0

	shift
	start=$(date +%s)
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		status[$name]=ok
		passed=$((passed + 1))
		secs=$(($(date +%s) - start))
		printf 'ok   %-22s %5ss  %s\n' "$name" "$secs" "$(tail -n 1 "$log")"
	else
		status[$name]=FAIL
		failed=$((failed + 1))
		failures="$failures $name"
		secs=$(($(date +%s) - start))
		printf 'FAIL %-22s %5ss  log: %s\n' "$name" "$secs" "$log"
		# The boot checks' reasons come before their tables: first them.
		grep -m 10 '^ *problem: ' "$log" | sed 's/^ */     | /' || true
		tail -n 25 "$log" | sed 's/^/     | /'
	fi
	record_time "check-$name" "$secs" "$rc"
}

# mail_dry_run TARGET: the emails of the series, signed off by a stand-in
# sender, applied back to a fresh tree (send-email.sh checks it); then,
# for a stable line, the emails as a fake UPSTREAM_GIT makes them.
mail_dry_run()
{
	GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="Check Sender" \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=check@invalid \
	SEND=0 "$TOP/mk/send-email.sh" "$1"
	if grep -qx 'STABLE=yes' "$TOP/mk/targets/$1"; then
		"$TOP/mk/tests/mail-upstream.sh" "$1"
	fi
}

# selftests_only TARGET: for a target that does not boot in make check,
# build what its series changes beyond the kernel: the selftests.
selftests_only()
{
	(
		load_target "$1"
		"$TOP/mk/make-tree.sh" "$TARGET"
		"$TOP/mk/build-selftests.sh" "$BUILD/linux-$TARGET" \
			"$BUILD/out-$TARGET/selftests" "$SELFTEST_DIR" "$LINE"
	)
}

# qemu_model: build the project's QEMU (cached) and run the buffer models'
# hazard check on small EL2 programs (mk/tests/test-qemu.sh with QEMU_BIN).
qemu_model()
{
	local qemu

	qemu=$("$TOP/mk/build-qemu.sh")
	QEMU_BIN=$qemu "$TOP/mk/tests/test-qemu.sh"
}

# result NAME: what a step gave, with the last line of its log.
result()
{
	local st=${status[$1]:-not run}

	[ "$st" = "not run" ] || st="$st ($(tail -n 1 "$LOGS/$1.log"))"
	echo "$st"
}

# model_cost TARGET: the model's cost per world switch (reads/writes/
# barriers, by class of state) for mainline and TARGET's unpatched and
# patched trees, one row per line, from the model's cost records
# ($BUILD/model/costs.tsv, read by field name).
model_cost()
{
	[ -f "$BUILD/model/costs.tsv" ] || return 0
	"$TOP/mk/report.py" costs "$BUILD/model/costs.tsv" --target "$1"
}

# records TSV KEY...: each line of TSV (a header naming its fields) as
# "KEY=value ..." for the keys asked, the lines joined with '|'.
records()
{
	local f=$1

	shift
	awk -F'\t' -v keys="$*" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{
			n = split(keys, k, " ")
			line = ""
			for (i = 1; i <= n; i++)
				line = line (i > 1 ? " " : "") k[i] "=" ((k[i] in col) ? $col[k[i]] : "")
			print line
		}' "$f" | paste -sd'|'
}

# hazard_detail TARGET: reproduce.sh's boots (hazards.tsv) as records().
hazard_detail()
{
	local f=$BUILD/logs/$1-hazard/hazards.tsv

	[ -f "$f" ] || return 0
	records "$f" variant mode result parts spe_entry spe_exit trbe_entry \
		trbe_exit stopped waker
}

# write_results TARGET: what the cover letter and the send gate read.
write_results()
{
	local t=$1 bad="" s summary=$BUILD/logs/$1/summary.tsv

	for s in tools scripts "patches-$t" "warnings-$t" model "mail-$t" "boot-$t" \
		"build-$t" "hazard-$t"; do
		[ "${status[$s]:-ok}" = ok ] || bad="$bad $s"
	done
	mkdir -p "$BUILD/results"
	{
		echo "date=$(date -u '+%F %H:%M UTC')"
		echo "series_id=$(tested_id "$t")"
		echo "base=$(cat "$BUILD/linux-$t.base" 2>/dev/null || echo unknown)"
		echo "patches=$(result "patches-$t")"
		echo "warnings=$(result "warnings-$t")"
		echo "model=$(result model)"
		echo "model_cost=$(model_cost "$t" | paste -sd'|')"
		if [ -n "${status[boot-$t]:-}" ]; then
			echo "boot=$(result "boot-$t")"
			[ -f "$summary" ] && echo "boot_detail=$(records "$summary" \
				mode result pass fail skip parts)"
		else
			echo "boot=not run in make check (selftests built only: $(result "build-$t"))"
		fi
		if [ -n "${status[hazard-$t]:-}" ]; then
			echo "hazard=$(result "hazard-$t")"
			echo "hazard_detail=$(hazard_detail "$t")"
		fi
		if [ -z "$bad" ]; then echo status=pass; else echo status=fail; fi
		echo "failed=${bad# }"
	} >"$BUILD/results/$t.env"
}

# targets_with VAR: the targets whose mk/targets file sets VAR=yes.
targets_with()
{
	local t names=""

	for t in $(target_names); do
		[ "$(load_target "$t"; eval "echo \${$1:-no}")" = yes ] && names="$names $t"
	done
	echo "${names# }"
}

# disk_room: one line on the room left on BUILD's file system. A first
# run on a new BUILD writes about 26 GB (per stable line its tree, the
# base tree, one mutant tree and one tree to git am in, and their kernel
# builds; mainline's; QEMU's build): below that it warns, and below 5 GB
# it stops before any step, since a step would then fail half way with a
# message about some file git or the compiler could not write.
disk_room()
{
	local free_gb need=26

	free_gb=$(($(df -Pk "$BUILD" | awk 'NR == 2 { print $4 }') / 1048576))
	ls -d "$BUILD"/linux-* >/dev/null 2>&1 && need=5
	[ "$free_gb" -ge 5 ] ||
		die "only ${free_gb} GB free on the file system of $BUILD; make check needs at least 5 GB (26 for a new BUILD): free some space or give BUILD=/a/roomier/directory"
	[ "$free_gb" -ge "$need" ] ||
		warn "only ${free_gb} GB free on the file system of $BUILD; a first make check writes about $need GB there"
}

main()
{
	local targets boots hazards t start

	[ $# -eq 0 ] || die "check.sh takes no arguments (the targets are mk/targets/*)"
	targets=$(target_names)
	boots=${CHECK_BOOT_TARGETS-$(targets_with CHECK_BOOT)}
	hazards=${CHECK_HAZARD_TARGETS-$(targets_with CHECK_HAZARD)}
	for t in $boots $hazards; do
		case " $targets " in
		*" $t "*) ;;
		*) die "CHECK_BOOT_TARGETS/CHECK_HAZARD_TARGETS name '$t', which is not a target; use some of: $targets" ;;
		esac
	done
	disk_room
	mkdir -p "$LOGS"
	start=$(date +%s)

	step tools "$TOP/mk/need-tools.sh" fetch build check boot mail qemu lava
	step scripts "$TOP/mk/check-scripts.sh"
	for t in $targets; do
		step "patches-$t" "$TOP/mk/check-patches.sh" "$t"
		step "warnings-$t" "$TOP/mk/check-warnings.sh" "$t"
	done
	step model "$TOP/mk/check-model.sh"
	step audit "$TOP/mk/audit-check.sh"
	step qemu-patches "$TOP/mk/check-qemu-patches.sh"
	step qemu-model qemu_model
	for t in $targets; do
		case " $boots " in
		*" $t "*) step "boot-$t" "$TOP/mk/boot-test.sh" "$t" ;;
		*) step "build-$t" selftests_only "$t" ;;
		esac
	done
	case " $boots " in *" 6.12.y "*) step lava "$TOP/mk/check-lava.sh" 6.12.y ;; esac
	for t in $hazards; do
		step "hazard-$t" "$TOP/mk/reproduce.sh" "$t" both
	done
	# The emails quote the results of this run: written before them, and
	# again after with the mail steps' own status.
	for t in $targets; do
		write_results "$t"
	done
	for t in $targets; do
		step "mail-$t" mail_dry_run "$t"
		write_results "$t"
	done
	echo "check took $(($(date +%s) - start))s; logs in $LOGS"
	[ -z "$failures" ] || echo "failed:$failures"
	echo "check: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

main "$@"
