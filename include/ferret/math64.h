/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 64-bit multiplications and divisions with a 128-bit intermediate, on any
 * word size (Linux's names). 64-bit compilers have unsigned __int128; 32-bit
 * ones (AArch32, i386 host tests) get the same results from 32-bit halves.
 */
#ifndef FERRET_MATH64_H
#define FERRET_MATH64_H

#include <ferret/compiler.h>
#include <ferret/types.h>

/* The high 64 bits of the 128-bit product @a * @b. */
static __always_inline u64 mul_u64_u64_hi(u64 a, u64 b)
{
#ifdef __SIZEOF_INT128__
	return (u64)(((unsigned __int128)a * b) >> 64);
#else
	u64 al = (u32)a, ah = a >> 32, bl = (u32)b, bh = b >> 32;
	u64 ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	u64 mid = (ll >> 32) + (u32)lh + (u32)hl;

	return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

/*
 * div_u128_u64() - the 128-bit @hi:@lo divided by @c, rounded down; the
 * quotient must fit in 64 bits (@hi < @c). Not for hot paths: a bit at a
 * time without __int128.
 */
static inline u64 div_u128_u64(u64 hi, u64 lo, u64 c)
{
#ifdef __SIZEOF_INT128__
	return (u64)((((unsigned __int128)hi << 64) | lo) / c);
#else
	u64 q = 0;

	/* Long division; hi < c keeps every step's remainder below c. */
	for (int i = 0; i < 64; i++) {
		bool carry = hi >> 63;

		hi = (hi << 1) | (lo >> 63);
		lo <<= 1;
		q <<= 1;
		if (carry || hi >= c) {
			hi -= c;
			q |= 1;
		}
	}
	return q;
#endif
}

/* (@a * @b) / @c with a 128-bit product, rounded down; the quotient must fit. */
static inline u64 mul_u64_u64_div_u64(u64 a, u64 b, u64 c)
{
	return div_u128_u64(mul_u64_u64_hi(a, b), a * b, c);
}

#endif
