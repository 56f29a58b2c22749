// SPDX-License-Identifier: GPL-2.0
/*
 * Time since boot from the generic timer's virtual counter (asm/timex.h
 * reads it: a system register on AArch64, CP15 on AArch32).
 */
#include <ferret/time.h>
#include <asm/timex.h>
#include <asm/sysreg.h>

static u64 counter_freq;
static u64 counter_at_boot;

void timer_init(void)
{
	counter_freq = arch_timer_get_cntfrq();
	if (!counter_freq)
		counter_freq = 62500000;	/* QEMU's default: firmware did not set CNTFRQ */
	counter_at_boot = arch_counter_read_fast();
}

u64 arch_counter_read(void)
{
	isb();
	return arch_counter_read_fast();
}

u64 arch_timer_freq(void)
{
	return counter_freq;
}

/* Nanoseconds since timer_init(); 0 before it. Splits the division to avoid overflow. */
u64 ktime_get_ns(void)
{
	u64 ticks, sec, rem;

	if (!counter_freq)
		return 0;
	ticks = arch_counter_read() - counter_at_boot;
	sec = ticks / counter_freq;
	rem = ticks % counter_freq;
	return sec * 1000000000ULL + rem * 1000000000ULL / counter_freq;
}
