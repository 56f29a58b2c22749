// SPDX-License-Identifier: GPL-2.0
/*
 * Before the crash report and the panic console run, locks the crashed code
 * held would deadlock them (each lock is a uniprocessor lock: a second take
 * is caught as recursion). Nothing will ever resume the crashed code, so the
 * locks it held are released here, as Linux's bust_spinlocks() lets oops
 * output through; the console says so, because what they protected may be
 * half-updated.
 */
#include <ferret/printk.h>
#include <ferret/spinlock.h>
#include <ferret/mmzone.h>

void printk_bust_lock(void);

void panic_bust_locks(void)
{
	printk_bust_lock();
	if (spin_is_locked(&normal_zone.lock)) {
		spin_lock_init(&normal_zone.lock);
		pr_emerg("panic: the zone lock was held at the crash and is released for the "
			 "panic console: allocator state may be mid-update\n");
	}
}
