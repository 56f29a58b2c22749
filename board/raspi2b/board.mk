# SPDX-License-Identifier: GPL-2.0
# Raspberry Pi 2 Model B (BCM2836, 4x Cortex-A7, 1 GiB), also a Pi 3 booted
# in 32-bit mode (kernel7.img, BCM2837 runs the same image). The firmware (or
# QEMU's raspi2b model) loads kernel7.img at 0x8000 and starts the cores
# there in HYP mode. A real Pi's firmware passes its DTB in r2; QEMU passes
# none unless asked, so the RAM below is used. QEMU boots the ELF: a raw
# 32-bit image it would load as a Linux kernel, at 0x10000.
BOARD_NAME      := raspi2b
ARCH            := arm
SOC             := bcm2836
LOAD_ADDR       := 0x00008000
# 1 GiB minus the VideoCore's share (QEMU: gpu_mem 64 MiB below 0x3c000000).
RAM_SIZE        := 0x3c000000
DEFAULT_CMDLINE :=
KERNEL_IMG      := kernel7.img
QEMU_MACHINE    := raspi2b
QEMU_MEM        := 1G
QEMU_DTB        := $(O)/qemu.dtb
QEMU_DTB_SCRIPT := soc/bcm283x/qemu_dtb.py
QEMU_DTB_ARGS   := raspberrypi,2-model-b brcm,bcm2836 "Raspberry Pi 2 Model B (QEMU)"
QEMU_ARGS        = -M raspi2b -m 1G -nographic -nic none -kernel $(ELF) \
                   $(if $(APPEND),-dtb $(QEMU_DTB) -append "$(APPEND)")
# The cores when the DTB has no /cpus (MPIDR.Aff0 = the index, cores 0-3): a
# Pi's firmware parks cores 1-3 in a loop reading their BCM2836 mailbox 3
# (read-clear at 0x400000cc + 0x10 * core) for an entry address, written to
# these write-set registers; QEMU starts every core of an ELF at _start,
# where they wait in head.S's pen. arch/arm/kernel/smp.c releases both ways.
CPU_RELEASE_ADDRS := 0x4000008c 0x4000009c 0x400000ac 0x400000bc
CPU_RELEASE_KIND  := mailbox
