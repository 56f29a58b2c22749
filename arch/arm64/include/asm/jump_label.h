/* SPDX-License-Identifier: GPL-2.0 */
/* arm64 static branch sites (asm-generic/jump_label.h has the scheme). */
#ifndef ASM_JUMP_LABEL_H
#define ASM_JUMP_LABEL_H

#include <asm-generic/jump_label.h>

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
