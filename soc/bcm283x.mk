# SPDX-License-Identifier: GPL-2.0
# What BCM2836 (Raspberry Pi 2) and BCM2837 (Pi 3) share: the peripherals at
# 0x3f000000, the ARM-local interrupt controller at 0x40000000, RAM from 0.
SOC_SRC         := soc/bcm283x/bcm283x.c
RAM_BASE        := 0x00000000
UART_KIND       := pl011
UART_BASE       := 0x3f201000
UART_CLOCK      := 48000000
DEVICE_WINDOWS  := 0x3f000000:0x01000000 0x40000000:0x40000000
# The per-core local controller (timer IRQs).
IRQCHIP         := bcm2836
IRQCHIP_BASE    := 0x40000000
IRQCHIP_BASE2   := 0
