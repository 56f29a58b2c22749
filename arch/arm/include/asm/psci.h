/* SPDX-License-Identifier: GPL-2.0 */
/* A PSCI call through HVC or SMC, AArch32 (kernel/psci.c). */
#ifndef ASM_PSCI_H
#define ASM_PSCI_H

static inline long arch_psci_call(bool smc, unsigned long fn)
{
	register unsigned long r0 __asm__("r0") = fn;

	if (smc)
		__asm__ __volatile__(".arch_extension sec\n\tsmc #0"
				     : "+r"(r0) : : "r1", "r2", "r3", "memory");
	else
		__asm__ __volatile__(".arch_extension virt\n\thvc #0"
				     : "+r"(r0) : : "r1", "r2", "r3", "memory");
	return (long)r0;
}

#endif
