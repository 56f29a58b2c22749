# SPDX-License-Identifier: GPL-2.0
#
# ferret: one Makefile for the kernel, the host tests, the tools and the
# benchmarks. Output goes under build/ only.
#
#   make [BOARD=qemu-virt|raspi3b|qemu-virt32|raspi2b]
#                                    build build/<board>/ferret.elf (+ .bin / kernel8.img / kernel7.img)
#   make run [MEM=512M] [APPEND=".."]  boot it in QEMU, console on this terminal
#   make test                        every test; ends with "N passed, N failed"
#   make bench                       benchmarks (host callgrind + QEMU -icount)
#   make tools                       host tools under build/host/tools
#   make APPS="dir ..."              also build the applications in these folders
#   make check [APPS=..] SCENARIO=f  the leak and heap regression gate (docs/CI.md)
#   O=dir                            build into dir instead of build/<board>
#   V=1                              show the commands

BOARD         ?= qemu-virt

ifeq ($(wildcard board/$(BOARD)/board.mk),)
$(error unknown BOARD '$(BOARD)': choose one of $(notdir $(wildcard board/*)))
endif

# PAGE_OWNER=0 compiles page_owner out (for measuring what "compiled in but
# off" costs); such a kernel builds in its own folder.
PAGE_OWNER ?= 1
O    ?= build/$(BOARD)$(if $(filter 0,$(PAGE_OWNER)),-nopo)
ELF  := $(O)/ferret.elf
BIN  := $(O)/ferret.bin
# A board names its architecture and SoC (board/<name>/board.mk); the SoC
# brings its devices (soc/<soc>.mk), the architecture its compiler and flags
# (arch/<arch>/arch.mk).
include board/$(BOARD)/board.mk
ifeq ($(wildcard soc/$(SOC).mk),)
$(error board $(BOARD): unknown SOC '$(SOC)': choose one of $(basename $(notdir $(wildcard soc/*.mk))))
endif
include soc/$(SOC).mk
ifeq ($(filter $(ARCH),$(SOC_ARCHS)),)
$(error board $(BOARD): SoC $(SOC) runs $(SOC_ARCHS), not ARCH '$(ARCH)')
endif
include arch/$(ARCH)/arch.mk
CROSS_COMPILE ?= $(ARCH_CROSS_COMPILE)
IMG  := $(O)/$(if $(KERNEL_IMG),$(KERNEL_IMG),ferret.img)
MEM  ?= $(QEMU_MEM)
# Built-in command line, used when the DTB has none (raspi3b): make CMDLINE=page_owner=on
CMDLINE ?= $(DEFAULT_CMDLINE)

ifeq ($(V),1)
Q :=
else
Q := @
endif

CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM      := $(CROSS_COMPILE)nm
HOSTCC  ?= gcc

VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)

# The frame-pointer flags keep every caller in the frame-record chain:
# page_owner's stacks depend on them (ARCH_FP_FLAGS: the architecture's part).
FP_FLAGS := -fno-omit-frame-pointer -fno-optimize-sibling-calls $(ARCH_FP_FLAGS)

# Board facts reach the code as one generated header, <generated/board.h>,
# rewritten only when a fact changes.
GEN_BOARD_H := $(O)/include/generated/board.h
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -nostdlib -fno-common -fno-stack-protector \
	-fno-pic -fno-pie -fno-tree-loop-distribute-patterns $(ARCH_CFLAGS) \
	$(FP_FLAGS) -ffunction-sections -fdata-sections \
	-Iinclude -Iarch/$(ARCH)/include -I$(O)/include -DCONFIG_PAGE_OWNER=$(PAGE_OWNER)
# Atomics inline (LL/SC, or LSE where the CPU has it), not libgcc's
# out-of-line helpers: the page allocator's fast free is one compare-and-swap.
KCFLAGS += $(if $(filter arm64,$(ARCH)),-mno-outline-atomics)
KASFLAGS := -Iinclude -Iarch/$(ARCH)/include -I$(O)/include -D__ASSEMBLY__ -g
LDFLAGS  := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=sha1 \
	-Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments

# C string of a make value: backslashes and double quotes escaped.
c_string = "$(subst ",\",$(subst \,\\,$(1)))"
define BOARD_H
/* Generated from board/$(BOARD)/board.mk and soc/$(SOC).mk: do not edit. */
#ifndef GENERATED_BOARD_H
#define GENERATED_BOARD_H
#ifdef __ASSEMBLY__
#define BOARD_UL(x)		x
#else
#define BOARD_UL(x)		x##UL
#endif
#define BOARD_NAME		"$(BOARD_NAME)"
#define BOARD_ARCH		"$(ARCH)"
#define BOARD_SOC		"$(SOC)"
#define BOARD_RAM_BASE		BOARD_UL($(RAM_BASE))
#define BOARD_RAM_SIZE		BOARD_UL($(RAM_SIZE))
#define BOARD_LOAD_ADDR		BOARD_UL($(LOAD_ADDR))
#define BOARD_UART_OPS		$(UART_KIND)_uart_ops
#define BOARD_UART_BASE		BOARD_UL($(UART_BASE))
#define BOARD_UART_CLOCK	$(UART_CLOCK)
#define BOARD_IRQCHIP		$(IRQCHIP)_irqchip
#define BOARD_IRQCHIP_BASE	BOARD_UL($(IRQCHIP_BASE))
#define BOARD_IRQCHIP_BASE2	BOARD_UL($(IRQCHIP_BASE2))
#define BOARD_DEVICE_WINDOWS	"$(DEVICE_WINDOWS)"
#define BOARD_CPU_RELEASE_ADDRS	"$(CPU_RELEASE_ADDRS)"
#define BOARD_CPU_RELEASE_MAILBOX	$(if $(filter mailbox,$(CPU_RELEASE_KIND)),1,0)
#define BOARD_DEFAULT_CMDLINE	$(call c_string,$(CMDLINE))
#endif
endef
ifneq ($(file <$(GEN_BOARD_H)),$(BOARD_H))
$(shell mkdir -p $(dir $(GEN_BOARD_H)))
$(file >$(GEN_BOARD_H),$(BOARD_H))
endif

# Every .c/.S in these folders is part of the kernel.
KSRC_DIRS := arch/$(ARCH)/kernel arch/$(ARCH)/mm mm drivers/uart drivers/irqchip kernel lib \
	tests/ktest
KSRC := $(filter-out $(ARCH_SRC_EXCLUDE),$(foreach d,$(KSRC_DIRS),$(wildcard $(d)/*.c $(d)/*.S))) \
	$(ARCH_EXTRA_SRC) $(SOC_SRC) $(wildcard board/$(BOARD)/*.c)
KOBJ := $(patsubst %,$(O)/%.o,$(basename $(KSRC)))
DEPS := $(KOBJ:.o=.d)

all: $(ELF) $(if $(KERNEL_IMG),$(IMG),$(BIN)) $(QEMU_DTB)

# A board whose QEMU model gets no DTB of its own has a script that writes one.
$(O)/qemu.dtb: $(QEMU_DTB_SCRIPT)
	@mkdir -p $(dir $@)
	$(Q)python3 $< $@ $(QEMU_DTB_ARGS)

$(O)/%.o: %.c | deps-build
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(O)/%.o: %.S | deps-build
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KCFLAGS) $(KASFLAGS) -MMD -MP -c $< -o $@

$(O)/linker.lds: linker.ld $(GEN_BOARD_H) | deps-build
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x c -D__ASSEMBLY__ -I$(O)/include -DLINKER_ARCH=$(LINKER_ARCH) \
		linker.ld -o $@

# ---------------------------------------------------------------------------
# Applications (docs/APPS.md): apps/ and every folder of APPS= (out-of-tree
# firmware, several allowed), compiled against picolibc with the C library
# glue (lib/libc/), linked into one relocatable object whose every symbol is
# then made local: the C library's memcpy, printf... never meet the kernel's.
# What stays undefined must be ferret's API (<ferret/firmware.h>).
# ---------------------------------------------------------------------------
# The C library: its headers and libc.a (arch/<arch>/arch.mk: picolibc on
# AArch64, newlib on AArch32).
LIBC_INCLUDE ?= $(ARCH_LIBC_INCLUDE)
LIBC_A       ?= $(ARCH_LIBC_A)
APPS     ?=
APP_FLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter $(FP_FLAGS) \
	-ffunction-sections -fdata-sections -fno-common -fno-stack-protector \
	-fno-pic -fno-pie $(ARCH_APP_CFLAGS) -ftls-model=local-exec \
	-nostdinc -isystem $(LIBC_INCLUDE) -Iinclude \
	-D_POSIX_TIMERS=200809L -D_POSIX_MONOTONIC_CLOCK=200809L	# clock_gettime() and the monotonic clock
# Asked of the compiler when used (make installs it first).
APP_CFLAGS = $(APP_FLAGS) -isystem $(shell $(CC) -print-file-name=include)
APP_SRC  := $(wildcard apps/*.c)
EXT_SRC  := $(foreach d,$(APPS),$(wildcard $(abspath $(d))/*.c))
LIBC_SRC := $(wildcard lib/libc/*.c)
APPS_OBJ := $(O)/apps.o
APP_OBJS := $(patsubst %.c,$(O)/app/%.o,$(APP_SRC) $(LIBC_SRC)) \
	$(patsubst /%.c,$(O)/app-ext/%.o,$(EXT_SRC))
$(foreach d,$(APPS),$(if $(wildcard $(d)/*.c),,$(error APPS: no .c files in '$(d)')))

$(O)/app/lib/libc/%.o: APP_EXTRA := -Werror -fno-builtin -ffreestanding
$(O)/app/apps/%.o: APP_EXTRA := -Werror
$(O)/app/%.o: %.c | deps-build
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  APPCC   $<")
	$(Q)$(CC) $(APP_CFLAGS) $(APP_EXTRA) -MMD -MP -c $< -o $@
$(O)/app-ext/%.o: /%.c | deps-build
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  APPCC   $<")
	$(Q)$(CC) $(APP_CFLAGS) -MMD -MP -c $< -o $@
-include $(APP_OBJS:.o=.d)

ifneq ($(file <$(O)/.apps),$(strip $(APP_OBJS) $(APP_FLAGS)))
$(shell mkdir -p $(O))
$(file >$(O)/.apps,$(strip $(APP_OBJS) $(APP_FLAGS)))
endif
$(APP_OBJS): $(O)/.apps Makefile

$(APPS_OBJ): $(APP_OBJS) $(O)/.apps
	@$(if $(Q),echo "  LD -r   $@")
	$(Q)$(LD) -r -o $@.tmp $(APP_OBJS) --start-group $(LIBC_A) \
		$(shell $(CC) -print-libgcc-file-name) --end-group
	$(Q)bad=$$($(NM) -u $@.tmp | awk '$$1 == "U" {print $$2}' | grep -v -E '^(ferret_|heap_trace_)'); \
	if [ -n "$$bad" ]; then \
		echo "apps: neither the C library nor <ferret/firmware.h> provides:" $$bad; \
		rm -f $@.tmp; exit 1; fi
	$(Q)$(OBJCOPY) -w --keep-global-symbol='ferret_*' --keep-global-symbol='heap_trace_*' \
		$@.tmp $@
	$(Q)rm -f $@.tmp

# Two-pass link: the symbol table sits after all code and read-only data, so
# filling it in (pass 2) moves no function. The build checks that. The
# Cortex-A53 erratum 843419 stubs the linker may add in one pass only go after
# every function (they move none) and are left out of the comparison.
KALLSYMS := build/host/tools/kallsyms
$(O)/.tmp_ferret1.elf: $(KOBJ) $(APPS_OBJ) $(O)/linker.lds $(KALLSYMS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(KALLSYMS) < /dev/null > $(O)/.tmp_kallsyms0.S
	$(Q)$(CC) $(KCFLAGS) $(KASFLAGS) -c $(O)/.tmp_kallsyms0.S -o $(O)/.tmp_kallsyms0.o
	$(Q)$(CC) $(KCFLAGS) $(LDFLAGS) -T $(O)/linker.lds -o $@ $(KOBJ) $(APPS_OBJ) $(O)/.tmp_kallsyms0.o -lgcc

$(ELF): $(O)/.tmp_ferret1.elf
	@$(if $(Q),echo "  KSYM    $@")
	$(Q)LC_ALL=C $(NM) -n -S --defined-only $< | $(KALLSYMS) > $(O)/.tmp_kallsyms1.S
	$(Q)$(CC) $(KCFLAGS) $(KASFLAGS) -c $(O)/.tmp_kallsyms1.S -o $(O)/.tmp_kallsyms1.o
	$(Q)$(CC) $(KCFLAGS) $(LDFLAGS) -T $(O)/linker.lds -o $@ $(KOBJ) $(APPS_OBJ) $(O)/.tmp_kallsyms1.o -lgcc
	$(Q)$(NM) -n --defined-only $< | grep -i ' t ' | grep -v ' e843419@' > $(O)/.tmp_syms1
	$(Q)$(NM) -n --defined-only $@ | grep -i ' t ' | grep -v ' e843419@' > $(O)/.tmp_syms2
	$(Q)cmp -s $(O)/.tmp_syms1 $(O)/.tmp_syms2 || { echo "kallsyms: text moved between link passes"; rm -f $@; exit 1; }

$(BIN): $(ELF)
	$(Q)$(OBJCOPY) -O binary $< $@

$(IMG): $(ELF)
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(DEPS)

# Board facts and flags are compiled in: a change of either (CMDLINE=...,
# another board.mk) rebuilds everything. The version has its own file.
ifneq ($(file <$(O)/.kcflags),$(strip $(KCFLAGS)))
$(shell mkdir -p $(O))
$(file >$(O)/.kcflags,$(strip $(KCFLAGS)))
endif
ifneq ($(file <$(O)/.version),$(VERSION))
$(shell mkdir -p $(O))
$(file >$(O)/.version,$(VERSION))
endif
$(KOBJ): board/$(BOARD)/board.mk soc/$(SOC).mk arch/$(ARCH)/arch.mk Makefile $(O)/.kcflags
$(O)/kernel/version.o: $(O)/.version
$(O)/kernel/version.o: KCFLAGS += -DFERRET_VERSION='"$(VERSION)"'


# ---------------------------------------------------------------------------
# Dependencies: each target that needs a Debian package installs it first.
# ---------------------------------------------------------------------------
APT_BUILD := $(ARCH_APT) make gcc libc6-dev
APT_RUN   := qemu-system-arm
# 32-bit host tests: gcc-12-multilib, not gcc-multilib (which conflicts with
# the cross compilers); qemu-i386 where the kernel cannot run them itself.
APT_HOST32 := gcc-12-multilib libc6-dev-i386 qemu-user
APT_TEST  := python3 python3-pexpect gdb-multiarch google-perftools graphviz linux-source-6.12 \
	     openocd valgrind xz-utils python3-pil librsvg2-bin
define apt_need
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		export DEBIAN_FRONTEND=noninteractive; \
		$$SUDO apt-get install -y -q $$missing >/dev/null || \
		{ $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q $$missing >/dev/null; } || \
		{ echo "apt-get install$$missing failed"; exit 1; }; \
	fi
endef

deps-build:
	$(call apt_need,$(APT_BUILD))
deps-host32:
	$(call apt_need,$(APT_HOST32))
deps-run: deps-build
	$(call apt_need,$(APT_RUN))
deps-test: deps-run
	$(call apt_need,$(APT_TEST))

# ---------------------------------------------------------------------------
# Run in QEMU
# ---------------------------------------------------------------------------
run: deps-run all
	$(QEMU_SYSTEM) $(QEMU_ARGS)

# ---------------------------------------------------------------------------
# Host builds of the portable code (mm/, lib/, the unwinder) with sanitizers.
# ---------------------------------------------------------------------------
HO := build/host
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -pthread \
	-fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-Iinclude -Itests/host/include -include tests/host/include/host_rename.h
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_SRC := $(wildcard mm/*.c lib/*.c) $(wildcard tests/host/shim/*.c)
HOST_SRC := $(filter $(wildcard $(HOST_SRC)),$(HOST_SRC))
HOST_TESTS := $(patsubst tests/host/%.c,$(HO)/tests/%,$(wildcard tests/host/test_*.c))

$(HO)/san/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -MMD -MP -c $< -o $@

$(HO)/tests/%: tests/host/%.c $(patsubst %.c,$(HO)/san/%.o,$(HOST_SRC))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -o $@ $(filter %.c %.o,$^)

-include $(patsubst %.c,$(HO)/san/%.d,$(HOST_SRC))

# test_fdt embeds its DTBs with .incbin, which -MMD does not see.
$(HO)/tests/test_fdt: $(wildcard tests/host/data/*.dtb)

host-tests: $(HOST_TESTS)

# The concurrency test once more under ThreadSanitizer: every access two
# threads (cores) make to one place without a lock or an atomic between them.
# -Wno-tsan: TSan does not model owner_track.c's fences (its warning is an error here).
HOST_TSAN := -fsanitize=thread -Wno-tsan
$(HO)/tsan/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $< (tsan)")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_TSAN) -MMD -MP -c $< -o $@

$(HO)/tests/test_smp_mm_tsan: tests/host/test_smp_mm.c $(patsubst %.c,$(HO)/tsan/%.o,$(HOST_SRC))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_TSAN) -o $@ $(filter %.c %.o,$^)

-include $(patsubst %.c,$(HO)/tsan/%.d,$(HOST_SRC))
host-tests: $(HO)/tests/test_smp_mm_tsan

# Each fuzz harness (tests/fuzz/fuzz_<name>.c) also builds with gcc as a host
# test that replays its committed corpus (tests/fuzz/replay.c).
FUZZ_ALL := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(patsubst %,$(HO)/tests/test_fuzz_%,$(FUZZ_ALL))

$(HO)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
		$(patsubst %.c,$(HO)/san/%.o,$(HOST_SRC))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -DFUZZ_NAME='"$*"' -o $@ $(filter %.c %.o,$^)

# The capture harness runs the host tools' reader, built as the tools build it
# (libc, no ferret lib, no renames); its die() comes back to the harness.
FUZZ_CAPTURE_SRC := tools/analyse/capture.c tools/analyse/group.c tools/analyse/util.c \
	tools/analyse/analyse.h tools/lib/path.h
$(HO)/tests/test_fuzz_capture: tests/fuzz/fuzz_capture.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
		$(FUZZ_CAPTURE_SRC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOSTCC) -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter $(HOST_SAN) \
		-DFUZZ_NAME='"capture"' -Wl,--wrap=die -o $@ $(filter %.c,$^)

host-tests: $(FUZZ_REPLAY)

# The same tests built as 32-bit programs (-m32: 32-bit longs and pointers,
# no __int128), so 64-bit assumptions in mm/ and lib/ show on the host. UBSan
# only: a host whose kernel cannot run 32-bit programs runs them under
# qemu-i386 (tests/run_tests.py), where ASan's shadow memory does not work.
HO32 := build/host32
# The kernel headers' asm/ folder is the 64-bit host's (they serve both; the
# gcc-multilib package would link it where -m32 looks).
HOST32_FLAGS := -m32 -D_FILE_OFFSET_BITS=64 -fsanitize=undefined -fno-sanitize-recover=all \
	-idirafter /usr/include/$(shell $(HOSTCC) -print-multiarch)

$(HO32)/obj/%.o: %.c | deps-host32
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC32 $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST32_FLAGS) -MMD -MP -c $< -o $@

$(HO32)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
		$(patsubst %.c,$(HO32)/obj/%.o,$(HOST_SRC))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD32 $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST32_FLAGS) -DFUZZ_NAME='"$*"' -o $@ $(filter %.c %.o,$^)

$(HO32)/tests/%: tests/host/%.c $(patsubst %.c,$(HO32)/obj/%.o,$(HOST_SRC))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD32 $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST32_FLAGS) -o $@ $(filter %.c %.o,$^)

$(HO32)/tests/test_fuzz_capture: tests/fuzz/fuzz_capture.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
		$(FUZZ_CAPTURE_SRC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD32 $@")
	$(Q)$(HOSTCC) -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter $(HOST32_FLAGS) \
		-DFUZZ_NAME='"capture"' -Wl,--wrap=die -o $@ $(filter %.c,$^)

$(HO32)/tests/test_fdt: $(wildcard tests/host/data/*.dtb)
-include $(patsubst %.c,$(HO32)/obj/%.d,$(HOST_SRC))

host-tests: $(patsubst $(HO)/%,$(HO32)/%,$(HOST_TESTS) $(FUZZ_REPLAY))

# ---------------------------------------------------------------------------
# Fuzzing with libFuzzer (clang, ASan+UBSan): long-running, not part of
# `make test`, which replays the corpora.
#   make fuzz [FUZZ_TIME=seconds per target (60)] [FUZZ_TARGETS="fdt mm ..."]
# Inputs that add coverage are merged into tests/fuzz/corpus/<target>/ (commit
# them); a crash stops with its input in build/fuzz/artifacts/.
# ---------------------------------------------------------------------------
FO           := build/fuzz
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_TIME    ?= 60
FUZZ_CC      := clang-14
FUZZ_CFLAGS  := $(filter-out -Werror,$(HOST_CFLAGS)) -fsanitize=address,undefined \
	-fno-sanitize-recover=all
APT_FUZZ     := clang-14 libclang-rt-14-dev

deps-fuzz:
	$(call apt_need,$(APT_FUZZ))

$(FO)/obj/%.o: %.c | deps-fuzz
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

-include $(patsubst %.c,$(FO)/obj/%.d,$(HOST_SRC))

$(FO)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(patsubst %.c,$(FO)/obj/%.o,$(HOST_SRC))
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.o,$^)

$(FO)/fuzz_capture: tests/fuzz/fuzz_capture.c tests/fuzz/fuzz.h $(FUZZ_CAPTURE_SRC) | deps-fuzz
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fsanitize=fuzzer -Wl,--wrap=die -o $@ $(filter %.c,$^)

fuzz: $(patsubst %,$(FO)/fuzz_%,$(FUZZ_TARGETS))
	@fail=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FO)/corpus/$$t $(FO)/artifacts tests/fuzz/corpus/$$t; \
		nice -n 19 $(FO)/fuzz_$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
			-artifact_prefix=$(FO)/artifacts/$$t- $(FO)/corpus/$$t tests/fuzz/corpus/$$t \
			> $(FO)/$$t.log 2>&1; rc=$$?; \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FO)/$$t.log); \
		if [ $$rc = 0 ]; then \
			nice -n 19 $(FO)/fuzz_$$t -merge=1 tests/fuzz/corpus/$$t $(FO)/corpus/$$t \
				> $(FO)/$$t.merge.log 2>&1; \
			echo "fuzz $$t: $(FUZZ_TIME) s, $$runs runs, no finding; corpus" \
				"$$(ls tests/fuzz/corpus/$$t | wc -l) inputs"; \
		else \
			fail=1; echo "fuzz $$t: FINDING after $$runs runs (exit $$rc):"; \
			grep -E "ERROR|SUMMARY|FUZZ_ASSERT|Test unit written|runtime error" \
				$(FO)/$$t.log | head -8; \
		fi; \
	done; exit $$fail

# ---------------------------------------------------------------------------
# Tests: host unit tests, then QEMU tests (which run the KTAP suites).
# ---------------------------------------------------------------------------
# A build that fails still ends in the summary line, as one failed test.
test: deps-test
	@fail=0; \
	$(MAKE) --no-print-directory host-tests tools || fail=1; \
	$(MAKE) --no-print-directory BOARD=qemu-virt all || fail=1; \
	$(MAKE) --no-print-directory BOARD=raspi3b all || fail=1; \
	$(MAKE) --no-print-directory BOARD=qemu-virt32 all || fail=1; \
	$(MAKE) --no-print-directory BOARD=raspi2b all || fail=1; \
	FERRET_BUILD_FAILED=$$fail /usr/bin/python3 tests/run_tests.py $(TESTS)

# ---------------------------------------------------------------------------
# Mutation testing (docs/TESTING.md): long-running, not part of `make test`.
#   make mutate [FILES="mm/stackdepot.c ..."] [MUTATE_MAX=n per file]
#     [MUTATE_SEED=s] [MUTATE_BUDGET=seconds] [MUTATE_TIERS=own,host,ktest,qemu]
#     [MUTATE_OPS=rel,const,...] [MUTANT="id ..."] [MUTATE_SURVIVORS=1]
#     [MUTATE_REV=HEAD: a git revision instead of the working tree]
# ---------------------------------------------------------------------------
mutate: deps-test
	nice -n 19 /usr/bin/python3 tests/mutate/mutate.py $(if $(FILES),--files $(FILES)) \
		$(if $(MUTATE_MAX),--max $(MUTATE_MAX)) $(if $(MUTATE_SEED),--seed $(MUTATE_SEED)) \
		$(if $(MUTATE_BUDGET),--budget $(MUTATE_BUDGET)) \
		$(if $(MUTATE_TIERS),--tiers $(MUTATE_TIERS)) $(if $(MUTATE_OPS),--ops $(MUTATE_OPS)) \
		$(if $(MUTANT),--mutant $(MUTANT)) $(if $(MUTATE_SURVIVORS),--survivors) \
		$(if $(MUTATE_REV),--rev $(MUTATE_REV))

# ---------------------------------------------------------------------------
# Host tools
# ---------------------------------------------------------------------------
TOOLS_SRC := $(wildcard tools/*.c)
TOOLS := $(patsubst tools/%.c,$(HO)/tools/%,$(TOOLS_SRC))
$(HO)/tools/%: tools/%.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -g -Wall -Wextra -Werror -o $@ $<
tools: $(TOOLS)

# Host tools, flashing and debugging rules live beside the tools.
-include tools/tools.mk

bench: deps-test
	$(MAKE) --no-print-directory BOARD=qemu-virt all tools
	/usr/bin/python3 tests/bench/run_bench.py

clean:
	rm -rf build

# Objects named only through patterns are not intermediate: keep them.
.SECONDARY:

.PHONY: all run test mutate host-tests tools bench clean deps-build deps-run deps-test deps-host32 \
	fuzz deps-fuzz
