/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The owner records' compact times (page_owner, the object owners): a time
 * difference in 20 bits (dt_encode()), and a floating time code of any width
 * for the 12-byte page_owner record of 32-bit targets (time_code_pack()).
 */
#ifndef FERRET_OWNER_TIME_H
#define FERRET_OWNER_TIME_H

#include <ferret/compiler.h>
#include <ferret/types.h>

/* Record times are 44-bit microsecond counts (2^44 us = 203 days). */
#define OWNER_TS_MAX_US		((1ULL << 44) - 1)
/* dt_encode(): a 15-bit mantissa and a 5-bit exponent (20 bits). */
#define DT_MANT_BITS		15

/* A time difference in 20 bits: exact below 32.768 ms, then within 61 ppm. */
static inline u32 dt_encode(u64 d)
{
	/* e: how far d must shift to fit the mantissa (0 below 2^15). */
	int e = 64 - __builtin_clzll(d | 1) - DT_MANT_BITS;

	e = e < 0 ? 0 : e;
	return ((u32)e << DT_MANT_BITS) | (u32)(d >> e);
}

static inline u64 dt_decode(u32 v)
{
	return (u64)(v & ((1U << DT_MANT_BITS) - 1)) << (v >> DT_MANT_BITS);
}

/*
 * Time codes: a value in @mant + exponent bits, as a float with a hidden bit
 * and subnormals. Below 2^(@mant + 1) the code is the value itself (exact);
 * above, the value keeps its @mant + 1 leading bits (rounded down, so within
 * 2^-@mant of it) and the exponent field counts the bits dropped, plus one:
 *
 *	code = (s << @mant) + (v >> s),  s = max(bit length of v - (@mant + 1), 0)
 *	v'   = (code - (s << @mant)) << s,  s = max((code >> @mant) - 1, 0)
 *
 * (for s > 0, v >> s has its top bit at @mant, which lands in the exponent
 * field as its +1). No branch either way: the same instructions at any value.
 * Codes compare as the values they stand for. The caller keeps v below
 * time_code_limit(@mant, exponent bits).
 */
static __always_inline u32 time_code_pack(u64 v, unsigned int mant)
{
	int s = 64 - __builtin_clzll(v | 1) - (int)(mant + 1);

	s = s < 0 ? 0 : s;
	return ((u32)s << mant) + (u32)(v >> s);
}

static __always_inline u64 time_code_unpack(u32 code, unsigned int mant)
{
	int s = (int)(code >> mant) - 1;

	s = s < 0 ? 0 : s;
	return (u64)(code - ((u32)s << mant)) << s;
}

/* Values time_code_pack() takes with @exp exponent bits: below this (an all-ones code). */
#define time_code_limit(mant, exp)	(1ULL << ((mant) + (1U << (exp)) - 1))

#endif
