# SPDX-License-Identifier: GPL-2.0
# AArch64: the compiler, its flags, and how to run and debug the result.
ARCH_CROSS_COMPILE := aarch64-linux-gnu-
ARCH_APT        := gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu picolibc-aarch64-linux-gnu
# Leaf functions keep their frame record too: a walk from any pc sees them.
ARCH_FP_FLAGS   := -mno-omit-leaf-frame-pointer
ARCH_CFLAGS     := -mgeneral-regs-only -mstrict-align -mcmodel=small
ARCH_APP_CFLAGS := -mcmodel=small
# picolibc; PICOLIBC= points at another build of it.
PICOLIBC        ?= /usr/lib/picolibc/aarch64-linux-gnu
ARCH_LIBC_INCLUDE := $(PICOLIBC)/include
ARCH_LIBC_A     := $(PICOLIBC)/lib/libc.a
ARCH_SRC_EXCLUDE :=
LINKER_ARCH     := aarch64
QEMU_SYSTEM     := qemu-system-aarch64
GDB_ARCH        := aarch64
