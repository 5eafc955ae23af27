# Target 6.1.y: Debian bookworm's kernel line. No hVHE before 6.5.
LINE=6.1
SELFTEST_DIR=aarch64
MODES="nvhe pkvm-nvhe"
STABLE=yes
# Test-only patches make tree applies after the series, for the boot
# tests: never exported into patches/6.1.y nor mailed (see README).
TEST_SERIES=patches/6.1.y-test
# make check boots it in every mode (boot-test.sh) and, since its base
# tree has the bug, unpatched and patched on the buffer models, with each
# mutant of tools/testing/kvm-qemu-boot/mutants/6.1.y (reproduce.sh).
CHECK_BOOT=yes
CHECK_HAZARD=yes
# The model runs its base tree (unpatched-6.1) and its series
# (patched-6.1). 6.1's protected mode runs the host's own struct kvm_vcpu
# at EL2, with the stage 2 and traps the host set up: the host is trusted
# there, so a host that lies about the vcpu flags is not a violation.
MODEL_ROLE=backport
MODEL_TRUSTED_HOST=yes
# The backport of the proposed mainline patch (patches/mainline-barrier),
# for stable once kvmarm has merged it: not part of the series. Checked
# like mainline's (check-patches on top of the series; the model and the
# audit run patched-6.1+barrier).
FOLLOWUP_SERIES=patches/6.1.y-barrier
