/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

/* Cores ferret can run (<ferret/smp.h>'s NR_CPUS; the stacks are laid out for this many). */
#define ARCH_NR_CPUS	8
/* MPIDR affinity bits that name a core (Aff2..0). */
#define ARCH_HWID_MASK	0xffffff

#ifndef __ASSEMBLY__
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

/* Where a secondary core starts (head.S), in HYP or SVC mode, MMU off. */
extern char secondary_entry[];
#define ARCH_SECONDARY_ENTRY	((unsigned long)secondary_entry)

/* MPIDR affinity (Aff2..0): names this core to the interrupt controller. */
static inline unsigned long arch_cpu_hwid(void)
{
	unsigned long m;

	__asm__ __volatile__("mrc p15, 0, %0, c0, c0, 5" : "=r"(m));
	return m & ARCH_HWID_MASK;
}

/* Wake cores sleeping in WFE (the holding pen, a firmware's waiters). */
static inline void arch_send_event(void)
{
	__asm__ __volatile__("dsb sy\n\tsev" ::: "memory");
}
#endif

#endif
