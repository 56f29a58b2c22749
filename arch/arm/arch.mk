# SPDX-License-Identifier: GPL-2.0
# AArch32 (ARMv7-A with the virtualization extensions and LPAE: Cortex-A7,
# A15, and A53 in 32-bit mode), built with Debian's bare-metal toolchain and
# newlib for the applications.
#
# Frame pointers: ARM state (-marm), not Thumb, with plain
# -fno-omit-frame-pointer. GCC then saves { fp, lr } in every function that
# calls another and points fp at the saved lr, so the records { caller's fp,
# lr } sit at fp - 4 and chain like AArch64's (asm/stacktrace.h). Leaf
# functions save fp alone, which is harmless: a walk starts in a function that
# calls (stack_trace_save()), and every frame further out called someone.
# -mapcs-frame would give leaves a frame too, at four registers a function.
ARCH_CROSS_COMPILE := arm-none-eabi-
ARCH_APT        := gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi
ARCH_FP_FLAGS   := -marm
ARCH_CFLAGS     := -march=armv7ve -mfloat-abi=soft -mgeneral-regs-only -mno-unaligned-access \
		   -mabi=aapcs
ARCH_APP_CFLAGS := -march=armv7-a -mfloat-abi=soft -marm -D_GNU_SOURCE	# newlib: asprintf()
ARCH_LIBC       := newlib
ARCH_LIBC_INCLUDE := /usr/lib/arm-none-eabi/include
ARCH_LIBC_A     := /usr/lib/arm-none-eabi/newlib/thumb/v7-a/nofp/libc.a
ARCH_SRC_EXCLUDE :=
ARCH_EXTRA_SRC  := arch/arm64/mm/mmu.c
LINKER_ARCH     := arm
QEMU_SYSTEM     := qemu-system-arm
GDB_ARCH        := arm
