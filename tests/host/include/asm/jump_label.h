/* SPDX-License-Identifier: GPL-2.0 */
/* Host build: no code patching, a static branch reads its key. */
#ifndef ASM_JUMP_LABEL_H
#define ASM_JUMP_LABEL_H

static inline bool arch_static_branch(struct static_key *key)
{
	return __builtin_expect(READ_ONCE(key->enabled) != 0, 0);
}

/* No patching on the host: the diverted function tests the key itself. */
#define ARCH_DEFINE_STATIC_DIVERT(key, fn, target)
#define arch_static_divert(key, call)                          \
	do {                                                   \
		if (arch_static_branch(&(key)))                \
			return call;                           \
	} while (0)

#endif
