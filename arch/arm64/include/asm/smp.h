/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

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

#endif
