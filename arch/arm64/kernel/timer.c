// SPDX-License-Identifier: GPL-2.0
/* Generic timer: the virtual counter as the time since boot. */
#include <ferret/time.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>

static u64 counter_freq;
static u64 counter_at_boot;

void timer_init(void)
{
	counter_freq = read_sysreg(cntfrq_el0);
	if (!counter_freq)
		counter_freq = 62500000;	/* QEMU's default: firmware did not set CNTFRQ */
	counter_at_boot = read_sysreg(cntvct_el0);
}

u64 arch_counter_read(void)
{
	isb();
	return read_sysreg(cntvct_el0);
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
