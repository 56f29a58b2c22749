/* SPDX-License-Identifier: GPL-2.0 */
/* A PSCI call through HVC or SMC, AArch64 (kernel/psci.c). */
#ifndef ASM_PSCI_H
#define ASM_PSCI_H

static inline long arch_psci_call(bool smc, unsigned long fn)
{
	register unsigned long x0 __asm__("x0") = fn;

	if (smc)
		__asm__ __volatile__("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return (long)x0;
}

#endif
