// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI SYSTEM_OFF / SYSTEM_RESET (the 32-bit function IDs, which both
 * architectures take). The conduit (HVC or SMC) comes from the
 * DTB's /psci node; without one (QEMU virt with secure=on, raspi3b) there is
 * no PSCI and callers say so.
 */
#include <asm/cpu.h>
#include <asm/psci.h>

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
	if (conduit == PSCI_CONDUIT_NONE)
		return -1;
	return arch_psci_call(conduit == PSCI_CONDUIT_SMC, fn);
}

int psci_system_off(void)
{
	return (int)psci_call(PSCI_0_2_FN_SYSTEM_OFF);
}

int psci_system_reset(void)
{
	return (int)psci_call(PSCI_0_2_FN_SYSTEM_RESET);
}
