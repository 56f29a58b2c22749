// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI SYSTEM_OFF / SYSTEM_RESET. The conduit (HVC or SMC) comes from the
 * DTB's /psci node; without one (QEMU virt with secure=on, raspi3b) there is
 * no PSCI and callers say so.
 */
#include <asm/cpu.h>

#define PSCI_0_2_FN_SYSTEM_OFF   0x84000008UL
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009UL

static enum psci_conduit conduit;

void psci_init(enum psci_conduit c)
{
	conduit = c;
}

enum psci_conduit psci_conduit(void)
{
	return conduit;
}

static long psci_call(unsigned long fn)
{
	register unsigned long x0 __asm__("x0") = fn;

	if (conduit == PSCI_CONDUIT_HVC)
		__asm__ __volatile__("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else if (conduit == PSCI_CONDUIT_SMC)
		__asm__ __volatile__("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else
		return -1;
	return (long)x0;
}

int psci_system_off(void)
{
	return (int)psci_call(PSCI_0_2_FN_SYSTEM_OFF);
}

int psci_system_reset(void)
{
	return (int)psci_call(PSCI_0_2_FN_SYSTEM_RESET);
}
