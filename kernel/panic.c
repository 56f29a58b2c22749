// SPDX-License-Identifier: GPL-2.0
/*
 * After a crash report: release the locks the crashed code held, keep the
 * owner data for the next boot, and, with panic=N on the command line, reset
 * N seconds later (Linux's panic=: 0, the default, waits in the panic
 * console for ever; a negative N resets at once).
 *
 * Locks: each lock is a uniprocessor lock (a second take is caught as
 * recursion). Nothing will ever resume the crashed code, so the locks it
 * held are released here, as Linux's bust_spinlocks() lets oops output
 * through; the console says so, because what they protected may be
 * half-updated.
 */
#include <ferret/boot.h>
#include <ferret/persist.h>
#include <ferret/printk.h>
#include <ferret/reboot.h>
#include <ferret/spinlock.h>
#include <ferret/mmzone.h>
#include <ferret/string.h>
#include <ferret/time.h>

void printk_bust_lock(void);

static long panic_timeout;		/* seconds; 0: never reset */
static u64 panic_deadline_ns;		/* when the panic console resets, 0: never */

void panic_bust_locks(void)
{
	printk_bust_lock();
	if (spin_is_locked(&normal_zone.lock)) {
		spin_lock_init(&normal_zone.lock);
		pr_emerg("panic: the zone lock was held at the crash and is released for the "
			 "panic console: allocator state may be mid-update\n");
	}
}

void panic_param(void)
{
	char buf[24];
	long v;

	if (!cmdline_get("panic", buf, sizeof(buf)))
		return;
	if (kstrtol(buf, 0, &v) || v > 86400 || v < -86400) {
		pr_err("cmdline: 'panic=%s': expected seconds from -86400 to 86400, ignored\n", buf);
		return;
	}
	panic_timeout = v;
}

/* The crash report (or the watchdog's) is printed: seal, arm the reset. */
void panic_report_done(int reason)
{
	persist_seal((enum persist_reason)reason);
	if (panic_timeout < 0 || (panic_timeout > 0 && !machine_can_restart())) {
		if (machine_can_restart())
			machine_restart(PERSIST_PANIC_RESET);
		pr_emerg("panic=%ld: this machine cannot reset itself\n", panic_timeout);
		return;
	}
	if (panic_timeout > 0) {
		pr_emerg("Rebooting in %ld seconds..\n", panic_timeout);
		panic_deadline_ns = ktime_get_ns() + (u64)panic_timeout * NSEC_PER_SEC;
	}
}

void panic_poll(void)
{
	if (panic_deadline_ns && ktime_get_ns() >= panic_deadline_ns) {
		panic_deadline_ns = 0;
		machine_restart(PERSIST_PANIC_RESET);
	}
}
