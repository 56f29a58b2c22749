/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counter page_owner's clock reads (mm/owner_track.h): the generic
 * timer's virtual count, one instruction, always there. No isb: the order
 * against nearby instructions does not matter for a record's time.
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

	__asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(c));
	return c;
}

/* The counter's frequency, as firmware set it (0: not set). */
static inline u64 arch_timer_get_cntfrq(void)
{
	u64 f;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

/* The virtual timer (CNTV_TVAL_EL0, CNTV_CTL_EL0): the tick's interrupt source. */
static inline void arch_timer_set_tval(u32 ticks)
{
	__asm__ __volatile__("msr cntv_tval_el0, %0" : : "r"((unsigned long)ticks));
}

static inline void arch_timer_set_cval(u64 cval)
{
	__asm__ __volatile__("msr cntv_cval_el0, %0" : : "r"(cval));
}

static inline void arch_timer_set_ctl(u32 ctl)
{
	__asm__ __volatile__("msr cntv_ctl_el0, %0\n\tisb" : : "r"((unsigned long)ctl) : "memory");
}

#endif
