/* SPDX-License-Identifier: GPL-2.0 */
/* CPU-level services of arch/arm used by the rest of the kernel. */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <asm-generic/cpu.h>
#include <asm/ptrace.h>
#include <asm/timex.h>

/*
 * The text's writable alias (asm-generic/cpu.h): 2 GiB up, in the half of
 * the 32-bit address space no supported board uses next to its image.
 */
#define TEXT_ALIAS_OFFSET	0x80000000UL

/*
 * Never mapped on any board, RAM or not, so NULL and small offsets from it
 * fault: 32 KiB, as a Pi's firmware puts kernel7.img at 0x8000.
 */
#define NULL_GUARD_SIZE	0x8000UL
/* An address never mapped (`crash unmapped`): above every board's RAM and devices. */
#define NEVER_MAPPED_ADDR	0xf7000000UL

#endif
