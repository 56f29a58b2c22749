/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

/*
 * TPIDRPRW (PL1-only thread ID register) holds the core's number; head.S
 * sets it before any C runs. Not volatile: code never changes core while it
 * runs.
 */
static inline unsigned int arch_smp_processor_id(void)
{
	unsigned long id;

	__asm__("mrc p15, 0, %0, c13, c0, 4" : "=r"(id));
	return (unsigned int)id;
}

/* MPIDR affinity (Aff2..0): names this core to the interrupt controller. No secondary bring-up yet. */
static inline unsigned long arch_cpu_hwid(void)
{
	unsigned long m;

	__asm__ __volatile__("mrc p15, 0, %0, c0, c0, 5" : "=r"(m));
	return m & 0xffffffUL;
}

#endif
