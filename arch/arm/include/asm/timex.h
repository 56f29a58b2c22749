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
	u64 c;

	__asm__ __volatile__("mrrc p15, 1, %Q0, %R0, c14" : "=r"(c));	/* CNTVCT */
	return c;
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
