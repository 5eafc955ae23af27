# kvm-nvhe-buffers: the arm64 KVM nVHE TRBE/SPE world-switch fix, as
# stable series, with the tests that prove it. README explains each target.
#
#   make                     the main job: the bug and the fix, on QEMU's SPE/TRBE models
#   make check               every test; what CI runs
#   make help                this list, with the variables
#
# Variables: TARGET=mainline|6.12.y|6.1.y (default 6.12.y),
#            LINUX=/path/to/git/tree (instead of Debian's sources),
#            BUILD=dir (default ./build), SEND=1 (make send-email),
#            QEMU_SRC=/path/to/qemu/git/tree (instead of Debian's QEMU 10.0.2),
#            PATCHED=0|1|both (make reproduce; default both), FATAL=1
#            (stop at the first hazard), HAZARD_MODES="nvhe ...",
#            UPSTREAM_GIT=/path/to/linux.git (make send-email, am, check-upstream),
#            OUT=dir (make am; default BUILD/am/TARGET),
#            CHECK_BOOT_TARGETS="…", CHECK_HAZARD_TARGETS="…" (make check;
#            default: mk/targets/*), KNB_LOCK_WAIT=seconds (a second run on
#            the same BUILD waits this long; 0 refuses at once).

# The recipes run the project's scripts by their paths from here: make
# runs in the project's directory (make -C DIR), not with -f from another.
ifneq ($(abspath $(dir $(lastword $(MAKEFILE_LIST)))),$(CURDIR))
$(error run make in the project's directory: make -C $(abspath $(dir $(lastword $(MAKEFILE_LIST)))) ..., not make -f from $(CURDIR))
endif

TARGET ?= 6.12.y
# The targets are the files of mk/targets/ (NAME.selftest.sed are not).
TARGETS := $(notdir $(filter-out %.sed,$(wildcard mk/targets/*)))
ifeq ($(origin BUILD),undefined)
BUILD := $(CURDIR)/build
endif

# Checked before any recipe runs: a TARGET from the list, one BUILD path.
ifneq ($(words $(TARGET))$(filter-out $(TARGETS),$(TARGET)),1)
$(error unknown TARGET '$(TARGET)'; use one of: $(TARGETS))
endif
ifeq ($(strip $(BUILD)),)
$(error BUILD is empty; leave it unset for ./build, or give a directory)
endif
ifneq ($(words $(BUILD)),1)
$(error BUILD='$(BUILD)' must be one path without spaces; choose another directory)
endif
override BUILD := $(abspath $(BUILD))
# LINUX and QEMU_SRC likewise: one path, made absolute once.
$(foreach v,LINUX QEMU_SRC UPSTREAM_GIT,$(if $(filter-out 0 1,$(words $($(v)))),\
  $(error $(v)='$($(v))' must be one path without spaces; pass another checkout)))
$(foreach v,LINUX QEMU_SRC UPSTREAM_GIT,$(if $($(v)),$(eval override $(v) := $(abspath $($(v))))))
LINUX_TARGET := $(TARGET)
# What 'override' set is no longer exported as the command line's was:
# export it again, so that each variable README documents reaches the
# scripts alike from make's command line and from the environment
# (mk/tests/test-variables.sh).
export BUILD LINUX LINUX_TARGET SEND QEMU_SRC UPSTREAM_GIT FATAL HAZARD_MODES
# V=N (make send-email): a series version (1-99, as mk/send-email.sh
# takes it), checked before any work.
SERIES_VERSIONS := $(foreach a,1 2 3 4 5 6 7 8 9,$(a) $(foreach b,0 1 2 3 4 5 6 7 8 9,$(a)$(b)))
ifneq ($(filter send-email,$(MAKECMDGOALS)),)
ifneq ($(strip $(V)),)
ifneq ($(words $(V))$(filter-out $(SERIES_VERSIONS),$(V)),1)
$(error V='$(V)' is not a series version; use V=2, V=3... (or no V for the first))
endif
endif
endif

# Which targets 'make check' boots, and boots on QEMU's SPE/TRBE models
# unpatched and patched, is said by each mk/targets/TARGET (CHECK_BOOT,
# CHECK_HAZARD); CHECK_BOOT_TARGETS="…" or CHECK_HAZARD_TARGETS="…"
# overrides that for one run (make passes a variable given on its command
# line to the scripts as it is).
PATCHED ?= both

RUN := mk/stage.sh

.PHONY: all check help tools tree export sync fetch build \
	boot-test check-patches check-warnings check-model check-scripts send-email clean \
	check-upstream check-lava am \
	qemu qemu-tree qemu-export check-qemu-patches reproduce

# --- the two commands README gives -------------------------------------------

# 'make': the bug on the base kernel and the fix with the series, on the
# project's QEMU (SPE and TRBE models) in every KVM mode of the line, the
# series running every selftest; the verdict's table says it. A failed
# boot still leads to the verdict (which names it); make fails when
# either fails.
all:
	@$(RUN) tools mk/need-tools.sh fetch build check qemu
	@rc=0; mk/reproduce.sh $(TARGET) both --all-selftests --no-mutants || rc=$$?; \
		[ -f $(BUILD)/logs/$(TARGET)-hazard/hazards.tsv ] || exit $$rc; \
		mk/verdict.sh $(TARGET) && exit $$rc

check:
	@mk/check.sh

help:
	@sed -n 's/^#\(   *make\)/\1/p' Makefile
	@echo
	@grep -E '^[a-z-]+:.*## ' Makefile | sed -e 's/:.*## /\t/' -e 's/\$$(TARGET)/TARGET/g' | \
		expand -t 24
	@echo
	@sed -n '/^# Variables:/,/^$$/s/^# \{0,1\}//p' Makefile

# --- steps, one target each --------------------------------------------------

tools:  ## install what is missing (as root) or print the apt-get line
	@mk/need-tools.sh fetch build check boot

fetch:  ## download and unpack $(TARGET)'s tree into the cache
	@mk/fetch-tree.sh $(TARGET)

tree:  ## build/linux-$(TARGET): base commit + the series as commits
	@mk/make-tree.sh $(TARGET)

export:  ## format-patch build/linux-$(TARGET) back into patches/$(TARGET)
	@mk/export-series.sh $(TARGET)

sync:  ## put the project's kselftest source into the series, then export
	@mk/make-tree.sh --sync $(TARGET)
	@mk/export-series.sh $(TARGET)

build:  ## cross-build $(TARGET)'s kernel with the project's config
	@mk/make-tree.sh $(TARGET)
	@mk/build-kernel.sh $(BUILD)/linux-$(TARGET) $(BUILD)/out-$(TARGET)/kernel

boot-test:  ## build, then boot $(TARGET) in each KVM mode it has
	@mk/boot-test.sh $(TARGET)

check-patches:  ## apply, checkpatch, round-trip and sync checks ($(TARGET))
	@mk/check-patches.sh $(TARGET)

check-warnings:  ## W=1 C=1 arch/arm64/kvm/: no new warning in touched files
	@mk/check-warnings.sh $(TARGET)

check-model:  ## the world-switch model over mainline, 6.12 and 6.1
	@mk/check-model.sh

check-scripts:  ## shellcheck, and the tests of the project's own tools
	@mk/check-scripts.sh

check-lava:  ## the LAVA jobs: LAVA's schemas, and a lava-run of the test on QEMU's models (after boot-test)
	@mk/check-lava.sh 6.12.y

.PHONY: audit
audit:  ## LINUX=/path/to/any/arm64/tree: affected, fixed, or fixed but wrong? (README: "Auditing")
	@mk/need-tools.sh fetch audit
	@mk/audit.sh

check-upstream:  ## patches/upstream.tsv against UPSTREAM_GIT: ids, titles, authors, trailers
	@mk/upstream.py check --git "$${UPSTREAM_GIT:-$${LINUX:-}}"

send-email:  ## write $(TARGET)'s emails (dry run), or send them with SEND=1
	@mk/send-email.sh $(TARGET)

am:  ## OUT=dir: $(TARGET)'s series for git am, upstream messages (UPSTREAM_GIT) and your sign-off
	@mk/am.sh $(TARGET) $(OUT)

reproduce:  ## the bug (PATCHED=0), the fix (PATCHED=1), both and the mutants, on QEMU's SPE/TRBE models in every KVM mode
	@mk/reproduce.sh $(TARGET) $(PATCHED)

qemu:  ## build QEMU 10.0.2 + patches/qemu (cached); print its path
	@mk/build-qemu.sh

qemu-tree:  ## build/qemu: QEMU 10.0.2 base commit + patches/qemu as commits
	@mk/qemu-tree.sh

qemu-export:  ## format-patch build/qemu back into patches/qemu
	@mk/export-qemu.sh

check-qemu-patches:  ## patches/qemu: git am, QEMU's checkpatch, round trip
	@mk/check-qemu-patches.sh

clean:  ## remove build/ if this project made it (the download cache stays)
	@mk/clean.sh
