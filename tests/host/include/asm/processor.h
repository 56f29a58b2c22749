/* SPDX-License-Identifier: GPL-2.0 */
/* Host build: a thread waiting for a lock lets the others run. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

int sched_yield(void);

static inline void cpu_relax(void)
{
	sched_yield();
}

#endif
