/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

/* Cores ferret can run (<ferret/smp.h>'s NR_CPUS; the stacks are laid out for this many). */
#define ARCH_NR_CPUS	8
/* MPIDR affinity bits that name a core (Aff3, Aff2..0). */
#define ARCH_HWID_MASK	0xff00ffffff

#ifndef __ASSEMBLY__
/*
 * TPIDR_EL1 holds the core's number (head.S sets it before any C runs). Not
 * volatile: code never changes core while it runs, so one read may serve a
 * whole function.
 */
static inline unsigned int arch_smp_processor_id(void)
{
	unsigned long id;

	__asm__("mrs %0, tpidr_el1" : "=r"(id));
	return (unsigned int)id;
}

/* Where a secondary core starts (head.S), at any EL, MMU off; 0: no secondary bring-up. */
extern char secondary_entry[];
#define ARCH_SECONDARY_ENTRY	((unsigned long)secondary_entry)


static inline unsigned long arch_cpu_hwid(void)
{
	unsigned long m;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(m));
	return m & ARCH_HWID_MASK;
}

/* Wake cores sleeping in WFE (the spin table's waiters). */
static inline void arch_send_event(void)
{
	__asm__ __volatile__("dsb sy\n\tsev" ::: "memory");
}
#endif

#endif
