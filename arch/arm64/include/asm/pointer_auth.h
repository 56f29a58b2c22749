/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pointer authentication codes in return addresses: the bits above the
 * 48-bit virtual address hold a PAC (or a tag). Bit 55 says which half the
 * address belongs to: the PAC bits are cleared for low (TTBR0) addresses and
 * set for high (TTBR1) ones. Plain u64 arithmetic, so the host tests check it
 * at any word size.
 */
#ifndef ASM_POINTER_AUTH_H
#define ASM_POINTER_AUTH_H

#include <ferret/types.h>

#define PTRAUTH_VA_BITS	48

/* True if @lr carries bits above the address. */
static inline bool ptrauth_tagged(u64 lr)
{
	return (lr >> PTRAUTH_VA_BITS) != 0;
}

/* @lr without its pointer-authentication bits. */
static inline u64 ptrauth_strip(u64 lr)
{
	const u64 mask = (1ULL << PTRAUTH_VA_BITS) - 1;

	return (lr & (1ULL << 55)) ? (lr | ~mask) : (lr & mask);
}

#endif
