/* SPDX-License-Identifier: GPL-2.0 */
/* CPU-level services of arch/arm64 used by the rest of the kernel. */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <asm-generic/cpu.h>
#include <asm/ptrace.h>
#include <asm/timex.h>

/*
 * The text's writable alias (asm-generic/cpu.h) at 256 GiB, in the 39-bit
 * space; RAM at or above it is not used (kernel/main.c says so at boot).
 */
#define TEXT_ALIAS_BASE		(1UL << 38)
#define ARCH_RAM_TOP		(1ULL << 38)

/* Never mapped on any board, RAM or not, so NULL and small offsets from it fault. */
#define NULL_GUARD_SIZE	0x10000UL
/* An address never mapped (`crash unmapped`): above every RAM and device window of every board. */
#define NEVER_MAPPED_ADDR	0x7f00000000UL

#endif
