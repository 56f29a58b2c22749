/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic timer through CP15: the counter page_owner's clock reads
 * (CNTVCT, one mrrc, always there on ARMv7 with the virtualization
 * extensions) and the virtual timer the tick uses.
 */
#ifndef ASM_TIMEX_H
#define ASM_TIMEX_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <asm-generic/arch_timer.h>

#define ARCH_HAS_FAST_COUNTER	1

static __always_inline u64 arch_counter_read_fast(void)
{
	u32 lo, hi;

	/* Two outputs, not one u64: GCC 12 sends a u64 asm output through the stack. */
	__asm__ __volatile__("mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));	/* CNTVCT */
	return (u64)hi << 32 | lo;
}

/*
 * The high 64 bits of @a * @b (page_owner's clock scales the counter with
 * it): four multiplies with UMLAL/UMAAL (ARMv6 and later) carrying the
 * middle column, where the generic 32-bit code takes four UMULLs and eight
 * adds. With a = a1:a0, b = b1:b0: c2:c1 = a1*b0 + hi(a0*b0), t:c1 =
 * a0*b1 + c1, and the result is a1*b1 + c2 + t (no step overflows 64 bits).
 */
#define arch_mul_u64_u64_hi arch_mul_u64_u64_hi
static __always_inline u64 arch_mul_u64_u64_hi(u64 a, u64 b)
{
	u32 lo, c1, c2, t;

	__asm__("umull	%[lo], %[c1], %Q[a], %Q[b]\n"
		"	mov	%[c2], #0\n"
		"	umlal	%[c1], %[c2], %R[a], %Q[b]\n"
		"	mov	%[t], #0\n"
		"	umlal	%[c1], %[t], %Q[a], %R[b]\n"
		"	umaal	%[c2], %[t], %R[a], %R[b]\n"
		: [lo] "=&r"(lo), [c1] "=&r"(c1), [c2] "=&r"(c2), [t] "=&r"(t)
		: [a] "r"(a), [b] "r"(b));
	(void)lo;
	return (u64)t << 32 | c2;
}

/* The counter's frequency, as firmware set it (0: not set). */
static inline u64 arch_timer_get_cntfrq(void)
{
	u32 f;

	__asm__ __volatile__("mrc p15, 0, %0, c14, c0, 0" : "=r"(f));	/* CNTFRQ */
	return f;
}

/* The virtual timer (CNTV_TVAL, CNTV_CTL): the tick's interrupt source. */
static inline void arch_timer_set_tval(u32 ticks)
{
	__asm__ __volatile__("mcr p15, 0, %0, c14, c3, 0" : : "r"(ticks));	/* CNTV_TVAL */
}

static inline void arch_timer_set_cval(u64 cval)
{
	__asm__ __volatile__("mcrr p15, 3, %Q0, %R0, c14" : : "r"(cval));	/* CNTV_CVAL */
}

static inline void arch_timer_set_ctl(u32 ctl)
{
	__asm__ __volatile__("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(ctl) : "memory"); /* CNTV_CTL */
}

#endif
