/* SPDX-License-Identifier: GPL-2.0 */
/* The instructions code patching writes (kernel/jump_label.c), AArch32 ARM state. */
#ifndef ASM_PATCHING_H
#define ASM_PATCHING_H

#include <ferret/types.h>

#define INSN_NOP	0xe320f000u

/* "b @to" at @from (the pc reads 8 bytes ahead): +-32 MiB. */
static inline u32 insn_branch(unsigned long from, unsigned long to)
{
	long off = (long)(to - from - 8);

	return 0xea000000u | ((u32)(off >> 2) & 0x00ffffffu);
}

/*
 * The instruction at @addr was just written through @alias: clean the data
 * cache to the point of unification, invalidate the instruction cache and
 * the branch predictor for it.
 */
static inline void patch_text_sync(unsigned long alias, unsigned long addr)
{
	__asm__ __volatile__("mcr p15, 0, %0, c7, c11, 1\n\t"	/* DCCMVAU */
			     "dsb ish\n\t"
			     "mcr p15, 0, %1, c7, c5, 1\n\t"	/* ICIMVAU */
			     "mcr p15, 0, %1, c7, c5, 6\n\t"	/* BPIALL */
			     "dsb ish\n\t"
			     "isb" : : "r"(alias), "r"(addr) : "memory");
}

#endif
