# SPDX-License-Identifier: GPL-2.0
# BCM2836 (Raspberry Pi 2): 4x Cortex-A7, 32-bit only.
SOC_ARCHS       := arm
include soc/bcm283x.mk
