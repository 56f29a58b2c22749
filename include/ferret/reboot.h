/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Resetting the machine (kernel/reboot.c), the panic timeout
 * (kernel/panic.c) and the watchdog (kernel/watchdog.c). Every reset path
 * seals the owner data first (include/ferret/persist.h).
 */
#ifndef FERRET_REBOOT_H
#define FERRET_REBOOT_H

#include <ferret/types.h>
#include <ferret/persist.h>

/* PSCI SYSTEM_RESET or the board's reset: is there one? */
bool machine_can_restart(void);

/*
 * machine_restart() - seal for @reason, flush the console, reset. Returns
 * only if the reset failed (or there is none).
 */
void machine_restart(enum persist_reason reason);

/* panic=N from the command line (boot). */
void panic_param(void);
/* From the panic console's idle loop: reset once panic=N seconds have passed. */
void panic_poll(void);

/* watchdog=N from the command line: start the hang detector (after irq_init()). */
void watchdog_init(void);
/* "The kernel is alive": the console's idle loop and its Ctrl-C polls call it. */
void touch_softlockup_watchdog(void);

#endif
