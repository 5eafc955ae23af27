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
# The model runs its base tree (unpatched-6.12) and its series
# (patched-6.12) against the reference.
MODEL_ROLE=backport
