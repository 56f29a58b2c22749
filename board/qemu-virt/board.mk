# SPDX-License-Identifier: GPL-2.0
# QEMU's `virt` machine. RAM and the command line come from the DTB QEMU
# passes; the numbers below are the defaults used when there is no DTB.
BOARD_NAME      := qemu-virt
RAM_BASE        := 0x40000000
# QEMU only places its DTB at the RAM base if the image starts >= 1 MiB above it.
LOAD_ADDR       := 0x40200000
RAM_SIZE        := 0x8000000
# Largest RAM the image's page tables and memblock are sized for.
UART_KIND       := pl011
UART_BASE       := 0x09000000
UART_CLOCK      := 24000000
# Device MMIO windows mapped Device-nGnRE (base:size, space separated): GIC,
# UART, RTC, virtio, PCIe. Flash at 0 stays unmapped so NULL faults.
DEVICE_WINDOWS  := 0x08000000:0x38000000
DEFAULT_CMDLINE :=
QEMU_MACHINE    := virt
QEMU_CPU        := cortex-a53
QEMU_MEM        := 512M
QEMU_ARGS        = -M $(QEMU_MACHINE) -cpu $(QEMU_CPU) -m $(MEM) -nographic -nic none \
                   -kernel $(ELF) $(if $(APPEND),-append "$(APPEND)")
# Interrupt controller: GICv2 distributor and CPU interface.
IRQCHIP         := gicv2
IRQCHIP_BASE    := 0x08000000
IRQCHIP_BASE2   := 0x08010000
