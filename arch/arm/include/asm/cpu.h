/* SPDX-License-Identifier: GPL-2.0 */
/* CPU-level services of arch/arm used by the rest of the kernel. */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <asm-generic/cpu.h>
#include <asm/ptrace.h>
#include <asm/timex.h>

/*
 * RAM at or above this is not used (kernel/main.c says so at boot): the top
 * 16 MiB of the 32-bit address space, which the identity map must leave for
 * the text's writable alias (asm-generic/cpu.h) at TEXT_ALIAS_BASE and a
 * never-mapped address, even where RAM reaches 4 GiB (qemu-virt32 -m 3G).
 */
#define ARCH_RAM_TOP		0xff000000ULL
#define TEXT_ALIAS_BASE		0xff000000UL

/*
 * Never mapped on any board, RAM or not, so NULL and small offsets from it
 * fault: 32 KiB, as a Pi's firmware puts kernel7.img at 0x8000.
 */
#define NULL_GUARD_SIZE	0x8000UL
/* An address never mapped (`crash unmapped`): above RAM, devices and the text alias. */
#define NEVER_MAPPED_ADDR	0xfff00000UL

#endif
