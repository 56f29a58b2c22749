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

#endif
