// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's reset: PSCI SYSTEM_RESET where the DTB names a conduit,
 * else the board's (the Pi's PM watchdog). The owner data is sealed first,
 * so the next boot can trust it (include/ferret/persist.h).
 */
#include <ferret/boot.h>
#include <ferret/printk.h>
#include <ferret/reboot.h>
#include <asm/cpu.h>

bool machine_can_restart(void)
{
	return psci_conduit() != PSCI_CONDUIT_NONE || board_reset_supported();
}

void machine_restart(enum persist_reason reason)
{
	if (!machine_can_restart())
		return;
	persist_seal(reason);
	uart_console_flush_safe();
	if (psci_conduit() != PSCI_CONDUIT_NONE)
		psci_system_reset();
	else
		board_reset();
}
