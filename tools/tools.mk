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
GDB_ARGS        := -q -ex "set architecture $(GDB_ARCH)" $(if $(GDB_SCRIPT),-x $(GDB_SCRIPT))

# analyse: its entry point, and each subcommand in tools/analyse/; the map's
# PNG is drawn with libgd.
ANALYSE_SRC := $(wildcard tools/analyse/*.c) $(wildcard tools/analyse/*.h)
$(HO)/tools/analyse: tools/analyse.c $(ANALYSE_SRC) tools/lib/xml.c tools/lib/xml.h tools/lib/path.h \
		| deps-analyse
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -g -Wall -Wextra -Werror -o $@ $(filter %.c,$^) -lgd -lm

APT_ANALYSE := libgd-dev
deps-analyse:
	$(call apt_need,$(APT_ANALYSE))

# capture and monitor share the target code (serial port or QEMU) in tools/lib.
TOOLS_LIB := tools/lib/target.c tools/lib/path.h
# The owner stream's codec is the kernel's own (lib/owner_stream.c); frames sent
# as addresses are resolved from the ELF's own symbol table with libelf.
STREAM_LIB := lib/owner_stream.c tools/lib/po_stream.c tools/lib/po_stream.h \
	include/ferret/owner_stream.h tools/lib/elf_syms.c tools/lib/elf_syms.h
$(HO)/tools/capture: tools/capture.c $(TOOLS_LIB) tools/lib/target.h $(STREAM_LIB) | deps-tools
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -g -Wall -Wextra -Werror -Iinclude -o $@ $(filter %.c,$^) -lelf

$(HO)/tools/po_decode: tools/po_decode.c $(TOOLS_LIB) tools/lib/target.h $(STREAM_LIB) | deps-tools
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -g -Wall -Wextra -Werror -Iinclude -o $@ $(filter %.c,$^) -lelf

# monitor and gate read the ELF's symbols and line tables with elfutils' libdw.
ELF_LIB := tools/lib/elfsym.c tools/lib/elfsym.h
$(HO)/tools/monitor: tools/monitor.c $(TOOLS_LIB) tools/lib/target.h $(ELF_LIB) | deps-tools
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -g -Wall -Wextra -Werror -o $@ $(filter %.c,$^) -ldw -lelf

# gate: the leak and heap regression gate (docs/CI.md), its parts in tools/gate/.
GATE_SRC := $(wildcard tools/gate/*.c) $(wildcard tools/gate/*.h)
$(HO)/tools/gate: tools/gate.c $(GATE_SRC) $(TOOLS_LIB) tools/lib/target.h $(ELF_LIB) \
		tools/lib/xml.c tools/lib/xml.h | deps-tools
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -g -Wall -Wextra -Werror -o $@ $(filter %.c,$^) -ldw -lelf

# make check [APPS="dir ..."] SCENARIO=file [BASELINE=file] [UPDATE_BASELINE=1]
#            [GATE_ARGS="--runs 2 ..."]
# builds the firmware with APPS, runs the scenario under the gate, compares
# with the baseline (default: the scenario's name, .baseline); TAP, JUnit
# and the console log go to $(O)/gate.tap, gate.xml, gate.log.
SCENARIO ?= $(if $(APPS),,apps/demo.scenario)
check: deps-run
	$(if $(SCENARIO),,@echo "make check: SCENARIO= names the scenario of APPS=$(APPS) (docs/CI.md)"; exit 2)
	$(Q)$(MAKE) --no-print-directory all $(HO)/tools/gate
	$(HO)/tools/gate --scenario $(SCENARIO) --elf $(ELF) $(if $(BASELINE),--baseline $(BASELINE)) \
		$(if $(filter 1 yes,$(UPDATE_BASELINE)),--update-baseline) \
		--tap $(O)/gate.tap --junit $(O)/gate.xml --log $(O)/gate.log $(GATE_ARGS)

APT_TOOLS := libdw-dev libelf-dev
deps-tools:
	$(call apt_need,$(APT_TOOLS))

define need_openocd_cfg
	$(if $(OPENOCD_CFG),,@echo "make $@: BOARD=$(BOARD) is not reached over JTAG (no OPENOCD_CFG in board/$(BOARD)/board.mk)"; exit 1)
endef

# Each recipe below runs under /bin/sh, as make runs it. When OpenOCD or QEMU
# fails, the user gets one line saying what is missing; the full output stays
# in a log.
OPENOCD_LOG := $(O)/openocd.log

# $(call openocd_why,log): OpenOCD's failure in $(1), as one line, exit 1.
define openocd_why
	if grep -qiE "No J-Link device found|unable to open ftdi device|no device found|unable to find a matching|LIBUSB_ERROR|Error: open failed|could not find or open device" $(1); then \
		echo "make $@: no JTAG adapter found ($(OPENOCD_ADAPTER)): plug it in, or set OPENOCD_ADAPTER= to your adapter's config (log: $(1))"; \
	elif grep -qiE "Can't find interface|couldn't open .*\.cfg|Can't find .*\.cfg" $(1); then \
		echo "make $@: OpenOCD has no config '$(OPENOCD_ADAPTER)': set OPENOCD_ADAPTER= to one of /usr/share/openocd/scripts/interface (log: $(1))"; \
	elif grep -qiE "scan chain interrogation failed|all ones|all zeroes|Invalid ACK|Target not examined|target .* not halted" $(1); then \
		echo "make $@: the JTAG adapter answers but no board does: check the wiring, power and enable_jtag_gpio=1 in config.txt (log: $(1))"; \
	elif grep -qiE "couldn't bind|Address already in use" $(1); then \
		echo "make $@: OpenOCD's ports (3333, 4444, 6666) are in use: is another OpenOCD running? (log: $(1))"; \
	else \
		echo "make $@: OpenOCD failed: $$(grep -m1 -iE '^Error' $(1) || tail -n1 $(1)) (log: $(1))"; \
	fi; exit 1
endef

# $(call port_state,port): 0 a gdb stub answers there, 1 nothing listens, 2 something else does.
port_state = /usr/bin/python3 tools/gdb/gdbport.py $(1)

# Entry: the ELF's load address (board.mk), with x0 = 0 (no DTB).
flash: deps-build all
	$(call need_openocd_cfg)
	$(call apt_need,openocd)
	@echo "  FLASH   $(ELF) over JTAG ($(OPENOCD_ADAPTER); log in $(OPENOCD_LOG))"
	@$(OPENOCD) -f $(OPENOCD_ADAPTER) -f $(OPENOCD_CFG) -f $(OPENOCD_TCL) \
		-c "ferret_flash $(ELF) $(LOAD_ADDR); shutdown" > $(OPENOCD_LOG) 2>&1 || \
		{ $(call openocd_why,$(OPENOCD_LOG)); }
	@grep -E "^ferret:" $(OPENOCD_LOG) || true

# CI: interface/dummy.cfg has no scan chain, so every step that needs the
# target fails with ERROR_FAIL; an unknown command or bad syntax still fails
# the check (tools/openocd/ferret.tcl, ferret_check).
openocd-check: deps-build all
	$(call need_openocd_cfg)
	$(call apt_need,openocd)
	@$(OPENOCD) -f interface/dummy.cfg -f $(OPENOCD_CFG) -f $(OPENOCD_TCL) \
		-c "ferret_check $(ELF) $(LOAD_ADDR); shutdown" > $(OPENOCD_LOG) 2>&1 || \
		{ echo "make $@: the OpenOCD script check failed: $$(grep -m1 -E '^(ferret: |Error)' $(OPENOCD_LOG) || tail -n1 $(OPENOCD_LOG)) (log: $(OPENOCD_LOG))"; exit 1; }
	@grep -E "^ferret:" $(OPENOCD_LOG)

debug: deps-run all
	@$(call port_state,$(GDB_PORT)); if [ $$? != 1 ]; then \
		echo "make $@: port $(GDB_PORT) is in use (another make debug?): stop it or set GDB_PORT="; \
		exit 1; fi
	$(QEMU_SYSTEM) $(QEMU_ARGS) -S -gdb tcp::$(GDB_PORT)

# gdb runs in its own foreground process group (tools/gdb/fg.py): Ctrl-C
# stops the target, not make.
GDB_FG := /usr/bin/python3 tools/gdb/fg.py

ifneq ($(OPENOCD_CFG),)
# A board: OpenOCD in the background (log in $(O)/openocd.log), gdb on its
# server for the first core once it listens; OpenOCD stops when gdb exits.
gdb: deps-test all
	$(call apt_need,openocd gdb-multiarch)
	@$(OPENOCD) -f $(OPENOCD_ADAPTER) -f $(OPENOCD_CFG) > $(OPENOCD_LOG) 2>&1 & \
	pid=$$!; n=0; \
	while :; do \
		if ! kill -0 $$pid 2>/dev/null; then wait $$pid; $(call openocd_why,$(OPENOCD_LOG)); fi; \
		if grep -q "Listening on port 3333" $(OPENOCD_LOG); then break; fi; \
		n=$$((n + 1)); \
		if [ $$n -ge 100 ]; then kill $$pid; echo "make $@: OpenOCD did not open its gdb port in 10 s (log: $(OPENOCD_LOG))"; exit 1; fi; \
		sleep 0.1; \
	done; \
	$(GDB_FG) $(GDB) $(GDB_ARGS) -ex "target extended-remote :3333" $(GDB_CMDS) $(ELF); \
	kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; true
else
# QEMU: attach to the stub on GDB_PORT (`make debug` in another terminal);
# with none listening, start a headless QEMU held at reset, its console in
# $(O)/console.log, and stop it when gdb exits.
gdb: deps-test all
	$(call apt_need,gdb-multiarch)
	@$(call port_state,$(GDB_PORT)); state=$$?; \
	if [ $$state = 2 ]; then \
		echo "make $@: port $(GDB_PORT) is in use by something that is not a gdb stub: set GDB_PORT="; exit 1; \
	fi; \
	pid=; \
	if [ $$state = 1 ]; then \
		$(QEMU_SYSTEM) $(filter-out -nographic,$(QEMU_ARGS)) -display none \
			-monitor none -serial file:$(O)/console.log -S -gdb tcp::$(GDB_PORT) \
			> $(O)/qemu.log 2>&1 & \
		pid=$$!; n=0; \
		until $(call port_state,$(GDB_PORT)); do \
			if ! kill -0 $$pid 2>/dev/null; then \
				echo "make $@: QEMU did not start: $$(head -n1 $(O)/qemu.log)"; exit 1; fi; \
			n=$$((n + 1)); \
			if [ $$n -ge 100 ]; then kill $$pid; echo "make $@: QEMU's gdb stub did not open port $(GDB_PORT) in 10 s"; exit 1; fi; \
			sleep 0.1; \
		done; \
		echo "QEMU (pid $$pid) held at reset; console output in $(O)/console.log"; \
	fi; \
	$(GDB_FG) $(GDB) $(GDB_ARGS) -ex "target remote :$(GDB_PORT)" $(GDB_CMDS) $(ELF); \
	if [ -n "$$pid" ]; then kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; fi; true
endif

.PHONY: flash openocd-check debug gdb deps-tools deps-analyse check
