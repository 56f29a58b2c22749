/* SPDX-License-Identifier: GPL-2.0 */
/* Host build: no code patching, a static branch reads its key. */
#ifndef ASM_JUMP_LABEL_H
#define ASM_JUMP_LABEL_H

static inline bool arch_static_branch(struct static_key *key)
{
	return __builtin_expect(READ_ONCE(key->enabled) != 0, 0);
}

#endif
