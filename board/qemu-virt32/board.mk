# SPDX-License-Identifier: GPL-2.0
# QEMU's `virt` machine with a 32-bit CPU (Cortex-A15; -cpu cortex-a7 works
# too). RAM (128 MiB to 2 GiB) and the command line come from the DTB QEMU
# passes; RAM_SIZE is the default used when there is no DTB.
BOARD_NAME      := qemu-virt32
ARCH            := arm
SOC             := qemu-virt
# QEMU only places its DTB at the RAM base if the image starts >= 1 MiB above it.
LOAD_ADDR       := 0x40200000
RAM_SIZE        := 0x8000000
DEFAULT_CMDLINE :=
QEMU_MACHINE    := virt
QEMU_CPU        := cortex-a15
QEMU_MEM        := 512M
# Cores for `make run` (SMP=1 for one); started by PSCI from the DTB's /cpus.
SMP             ?= 4
QEMU_ARGS        = -M $(QEMU_MACHINE) -cpu $(QEMU_CPU) -m $(MEM) -smp $(SMP) -nographic -nic none \
                   -kernel $(ELF) $(if $(APPEND),-append "$(APPEND)")
