# Target 6.12.y: the default, and the line the fix matters most for.
LINE=6.12
SELFTEST_DIR=aarch64
MODES="nvhe pkvm-nvhe pkvm-hvhe"
STABLE=yes
# Test-only patches make tree applies after the series, for the boot
# tests: never exported into patches/6.12.y nor mailed (see README).
TEST_SERIES=patches/6.12.y-test
# make check boots it in every mode (boot-test.sh) and, since its base
# tree has the bug, unpatched and patched on the buffer models (reproduce.sh).
CHECK_BOOT=yes
CHECK_HAZARD=yes
# reproduce.sh (and so make check) also boots the series in this mode with
# two SPE units, one per CPU: each instance's results, by name.
TWO_SPE_MODE=nvhe
# The model runs its base tree (unpatched-6.12) and its series
# (patched-6.12) against the reference. 6.12's protected hypervisor takes
# each vcpu's hcr_el2, mdcr_el2, stage-2 (hw_mmu) and iflags from the host
# (flush_hyp_vcpu() in nvhe/hyp-main.c) and 6.12 has no protected VM
# (nothing sets kvm->arch.pkvm.enabled): the host is trusted there, so a
# host that lies about the vcpu flags is reported, not a violation.
MODEL_ROLE=backport
MODEL_TRUSTED_HOST=yes
# The backport of the proposed mainline patch (patches/mainline-barrier),
# for stable once kvmarm has merged it: not part of the series. Checked
# like mainline's (check-patches on top of the series; the model and the
# audit run patched-6.12+barrier).
FOLLOWUP_SERIES=patches/6.12.y-barrier
