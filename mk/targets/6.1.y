# Target 6.1.y: Debian bookworm's kernel line. No hVHE before 6.5.
LINE=6.1
SELFTEST_DIR=aarch64
MODES="nvhe pkvm-nvhe"
STABLE=yes
