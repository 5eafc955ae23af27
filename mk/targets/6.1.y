# Target 6.1.y: Debian bookworm's kernel line. No hVHE before 6.5.
LINE=6.1
SELFTEST_DIR=aarch64
MODES="nvhe pkvm-nvhe"
STABLE=yes
# Test-only patches make tree applies after the series, for the boot
# tests: never exported into patches/6.1.y nor mailed (see README).
TEST_SERIES=patches/6.1.y-test
