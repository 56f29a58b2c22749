/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static branches by code patching (kernel/jump_label.c), as both Arm
 * architectures do it: a NOP at the branch site, and a __jump_table entry
 * { site, target, key } that static_key_enable() uses to turn the NOP into
 * "b target"; a diverted function's first instruction becomes "b target".
 * Needs a non-PIC kernel (the entries hold absolute addresses). The arch's
 * asm/jump_label.h emits the site (arch_static_branch()), asm/patching.h the
 * instructions.
 */
#ifndef ASM_GENERIC_JUMP_LABEL_H
#define ASM_GENERIC_JUMP_LABEL_H

struct jump_entry {
	unsigned long code;
	unsigned long target;
	unsigned long key;
};

/* A function whose first instruction becomes "b target" while @key is on. */
struct divert_entry {
	unsigned long func;
	unsigned long target;
	unsigned long key;
	unsigned int saved;	/* the instruction the branch replaced */
};

#define ARCH_DEFINE_STATIC_DIVERT(key, fn, target)                                  \
	static struct divert_entry __divert_##fn __attribute__((used))               \
		__attribute__((section("__divert_table"), aligned(8))) = {            \
			(unsigned long)(fn), (unsigned long)(target), (unsigned long)&(key), 0 \
		}

/* Patched at the entry instead: nothing in the function body. */
#define arch_static_divert(key, call)	do { } while (0)

#endif
