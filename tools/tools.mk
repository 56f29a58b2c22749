# SPDX-License-Identifier: GPL-2.0
#
# Host tools, JTAG and debugging (included by the Makefile; docs/TOOLS.md).
#
#   make flash BOARD=raspi3b          load and start ferret over JTAG (OpenOCD)
#   make openocd-check BOARD=raspi3b  the same OpenOCD script against no hardware
#   make debug                        QEMU waiting for gdb on :1234, console here
#   make gdb                          gdb-multiarch on QEMU's stub (started if none
#                                     listens), or, with BOARD=raspi3b, on OpenOCD
#
#   OPENOCD_ADAPTER=interface/...cfg  the JTAG adapter (default: a J-Link)
#   GDB_PORT=1234                     QEMU's gdb stub port
#   GDB_CMDS='-batch -ex "bt"'        more gdb arguments, after the connection

OPENOCD         ?= openocd
OPENOCD_ADAPTER ?= interface/jlink.cfg
OPENOCD_TCL     := tools/openocd/ferret.tcl
GDB             ?= gdb-multiarch
GDB_PORT        ?= 1234
GDB_SCRIPT      := $(wildcard tools/gdb/ferret_gdb.py)
GDB_ARGS        := -q -ex "set architecture aarch64" $(if $(GDB_SCRIPT),-x $(GDB_SCRIPT))

# The PNG legend's font is a header of analyse.c.
$(HO)/tools/analyse: tools/analyse_font.h

# capture and monitor share the target code (serial port or QEMU) in tools/lib.
TOOLS_LIB := tools/lib/target.c
$(HO)/tools/capture: tools/capture.c $(TOOLS_LIB) tools/lib/target.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -g -Wall -Wextra -Werror -o $@ $(filter %.c,$^)

# monitor reads the ELF's symbols and line tables with elfutils' libdw.
$(HO)/tools/monitor: tools/monitor.c $(TOOLS_LIB) tools/lib/target.h | deps-tools
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -g -Wall -Wextra -Werror -o $@ $(filter %.c,$^) -ldw -lelf

APT_TOOLS := libdw-dev libelf-dev
deps-tools:
	$(call apt_need,$(APT_TOOLS))

define need_openocd_cfg
	$(if $(OPENOCD_CFG),,@echo "BOARD=$(BOARD) has no OPENOCD_CFG in board/$(BOARD)/board.mk: it is not reached over JTAG"; exit 1)
endef

# Entry: the ELF's load address (board.mk), with x0 = 0 (no DTB).
flash: deps-build all
	$(call need_openocd_cfg)
	$(call apt_need,openocd)
	$(OPENOCD) -f $(OPENOCD_ADAPTER) -f $(OPENOCD_CFG) -f $(OPENOCD_TCL) \
		-c "ferret_flash $(ELF) $(LOAD_ADDR); shutdown"

# CI: interface/dummy.cfg has no scan chain, so every step that needs the
# target fails with ERROR_FAIL; an unknown command or bad syntax still fails
# the check (tools/openocd/ferret.tcl, ferret_check).
openocd-check: deps-build all
	$(call need_openocd_cfg)
	$(call apt_need,openocd)
	$(OPENOCD) -f interface/dummy.cfg -f $(OPENOCD_CFG) -f $(OPENOCD_TCL) \
		-c "ferret_check $(ELF) $(LOAD_ADDR); shutdown"

debug: deps-run all
	qemu-system-aarch64 $(QEMU_ARGS) -S -gdb tcp::$(GDB_PORT)

ifneq ($(OPENOCD_CFG),)
# A board: OpenOCD in the background (log in $(O)/openocd.log), gdb on its
# server for the first core; OpenOCD stops when gdb exits.
gdb: deps-test all
	$(call apt_need,openocd gdb-multiarch)
	@$(OPENOCD) -f $(OPENOCD_ADAPTER) -f $(OPENOCD_CFG) > $(O)/openocd.log 2>&1 & \
	pid=$$!; sleep 1; \
	$(GDB) $(GDB_ARGS) -ex "target extended-remote :3333" $(GDB_CMDS) $(ELF); \
	kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; true
else
# QEMU: attach to the stub on GDB_PORT (`make debug` in another terminal);
# with none listening, start a headless QEMU held at reset, its console in
# $(O)/console.log, and stop it when gdb exits.
gdb: deps-test all
	$(call apt_need,gdb-multiarch)
	@if (exec 3<>/dev/tcp/127.0.0.1/$(GDB_PORT)) 2>/dev/null; then \
		$(GDB) $(GDB_ARGS) -ex "target remote :$(GDB_PORT)" $(GDB_CMDS) $(ELF); \
	else \
		qemu-system-aarch64 $(filter-out -nographic,$(QEMU_ARGS)) -display none \
			-monitor none -serial file:$(O)/console.log -S -gdb tcp::$(GDB_PORT) & \
		pid=$$!; sleep 1; \
		echo "QEMU (pid $$pid) held at reset; console output in $(O)/console.log"; \
		$(GDB) $(GDB_ARGS) -ex "target remote :$(GDB_PORT)" $(GDB_CMDS) $(ELF); \
		kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; true; \
	fi
endif

.PHONY: flash openocd-check debug gdb deps-tools
