# Target 6.12.y: the default, and the line the fix matters most for.
LINE=6.12
SELFTEST_DIR=aarch64
MODES="nvhe pkvm-nvhe pkvm-hvhe"
STABLE=yes
