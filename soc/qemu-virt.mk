# SPDX-License-Identifier: GPL-2.0
# QEMU's `virt` machine, with a 64-bit or a 32-bit CPU: the same memory map.
# RAM and the command line come from the DTB QEMU passes; RAM_BASE is where
# it starts.
SOC_ARCHS       := arm64 arm
SOC_SRC         := soc/qemu-virt/virt.c
RAM_BASE        := 0x40000000
UART_KIND       := pl011
UART_BASE       := 0x09000000
UART_CLOCK      := 24000000
# Device MMIO windows mapped as Device memory (base:size, space separated):
# GIC, UART, RTC, virtio, PCIe. Flash at 0 stays unmapped so NULL faults.
DEVICE_WINDOWS  := 0x08000000:0x38000000
# Interrupt controller: GICv2 distributor and CPU interface (a GICv3 is
# found from the DTB when QEMU has one).
IRQCHIP         := gicv2
IRQCHIP_BASE    := 0x08000000
IRQCHIP_BASE2   := 0x08010000
