# SPDX-License-Identifier: GPL-2.0
# BCM2837 (Raspberry Pi 3, Pi 2 v1.2): 4x Cortex-A53, 64-bit or 32-bit.
SOC_ARCHS       := arm64 arm
include soc/bcm283x.mk
