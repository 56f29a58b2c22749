# SPDX-License-Identifier: GPL-2.0
# Raspberry Pi 3 Model B (BCM2837, 4x Cortex-A53, 1 GiB). The firmware (or
# QEMU's raspi3b model) loads kernel8.img at 0x80000 and starts all four cores
# there. A real Pi's firmware passes its DTB (cmdline.txt in /chosen/bootargs);
# QEMU passes none unless asked, so the RAM below is used. `make run
# APPEND=...` hands QEMU a small DTB (qemu_dtb.py) for the command line.
BOARD_NAME      := raspi3b
ARCH            := arm64
SOC             := bcm2837
LOAD_ADDR       := 0x00080000
# 1 GiB minus the VideoCore's share (QEMU: gpu_mem 64 MiB below 0x3c000000).
RAM_SIZE        := 0x3c000000
DEFAULT_CMDLINE :=
KERNEL_IMG      := kernel8.img
QEMU_MACHINE    := raspi3b
QEMU_MEM        := 1G
QEMU_DTB        := $(O)/qemu.dtb
QEMU_DTB_SCRIPT := soc/bcm283x/qemu_dtb.py
QEMU_ARGS        = -M raspi3b -m 1G -nographic -nic none -kernel $(IMG) \
                   $(if $(APPEND),-dtb $(QEMU_DTB) -append "$(APPEND)")
OPENOCD_CFG     := board/rpi3.cfg
# The firmware (and QEMU's model) parks cores 1-3 in a spin loop reading these
# release addresses (cores 0-3): the cores when the DTB has no /cpus.
CPU_RELEASE_ADDRS := 0xd8 0xe0 0xe8 0xf0
