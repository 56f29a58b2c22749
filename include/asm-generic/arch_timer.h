/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic timer as both Arm architectures have it: the counter with an
 * isb and its frequency (kernel/time.c), and the virtual timer's control
 * bits. asm/timex.h supplies the register accesses.
 */
#ifndef ASM_GENERIC_ARCH_TIMER_H
#define ASM_GENERIC_ARCH_TIMER_H

#include <ferret/types.h>

u64 arch_counter_read(void);
u64 arch_timer_freq(void);

/* CNTV_CTL */
#define ARCH_TIMER_CTL_ENABLE	1
#define ARCH_TIMER_CTL_IMASK	2

#endif
