/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 static branches: a NOP at the branch site, and a __jump_table entry
 * { site, target, key } that static_key_enable() uses to turn the NOP into
 * "b target". Needs a non-PIC kernel (the entry holds absolute addresses).
 */
#ifndef ASM_JUMP_LABEL_H
#define ASM_JUMP_LABEL_H

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

static __always_inline bool arch_static_branch(struct static_key *key)
{
	__asm__ goto("1:	nop\n\t"
		     ".pushsection __jump_table, \"aw\"\n\t"
		     ".balign 8\n\t"
		     ".quad 1b, %l[l_yes], %c0\n\t"
		     ".popsection"
		     : : "i"(key) : : l_yes);
	return false;
l_yes:
	return true;
}

#endif
