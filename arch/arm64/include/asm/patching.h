/* SPDX-License-Identifier: GPL-2.0 */
/* The instructions code patching writes (kernel/jump_label.c), AArch64. */
#ifndef ASM_PATCHING_H
#define ASM_PATCHING_H

#include <ferret/types.h>

#define INSN_NOP	0xd503201fu

/* "b @to" at @from: reaches +-128 MiB, the whole image by far. */
static inline u32 insn_branch(unsigned long from, unsigned long to)
{
	long off = (long)(to - from);

	return 0x14000000u | ((u32)(off >> 2) & 0x03ffffffu);
}

/* The instruction at @addr was just written through @alias: make it visible. */
static inline void patch_text_sync(unsigned long alias, unsigned long addr)
{
	__asm__ __volatile__("dc cvau, %0\n\t"
			     "dsb ish\n\t"
			     "ic ivau, %1\n\t"
			     "dsb ish\n\t"
			     "isb" : : "r"(alias), "r"(addr) : "memory");
}

#endif
