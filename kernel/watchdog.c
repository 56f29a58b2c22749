// SPDX-License-Identifier: GPL-2.0
/*
 * The watchdog: with watchdog=N on the command line, a core that goes N
 * seconds without coming back to its idle loop or a stop poll (the
 * console's Ctrl-C poll every long command makes, smp_stop_requested() in
 * work placed on another core) is hung. A check in each core's timer
 * interrupt, once a second, sees its own core hang, prints Linux's soft lockup report with the
 * interrupted code's registers and backtrace, and panics: the owner data is
 * sealed and, with panic=M, the machine resets M seconds later, so the next
 * boot's `previous` shows what the hung kernel held.
 *
 * A hang with interrupts masked is not seen: the check is an interrupt.
 */
#include <ferret/boot.h>
#include <ferret/irq.h>
#include <ferret/printk.h>
#include <ferret/reboot.h>
#include <ferret/sched.h>
#include <ferret/smp.h>
#include <ferret/string.h>
#include <asm/cpu.h>

static u64 watchdog_thresh_ticks;
static u64 last_touch[NR_CPUS];	/* each core's, written by that core */
static unsigned long watchdog_secs;

void touch_softlockup_watchdog(void)
{
	if (watchdog_thresh_ticks)	/* off: not even a counter read */
		WRITE_ONCE(this_cpu(last_touch), arch_counter_read());
}

static void watchdog_check(struct pt_regs *regs)
{
	u64 now = arch_counter_read(), then = READ_ONCE(this_cpu(last_touch));
	char msg[96];

	if (now - then < watchdog_thresh_ticks)
		return;
	pr_emerg("watchdog: BUG: soft lockup - CPU#%u stuck for %llus! [%s:%d]\n",
		 smp_processor_id(), (unsigned long long)((now - then) / arch_timer_freq()),
		 task_ctx_get(task_ctx_current) ? task_ctx_get(task_ctx_current)->comm : "?",
		 task_ctx_current);
	snprintf(msg, sizeof(msg), "softlockup: hung for more than %lus", watchdog_secs);
	panic_regs(regs, PERSIST_WATCHDOG, msg);
}

void watchdog_init(void)
{
	char buf[24];
	unsigned long v;

	if (!cmdline_get("watchdog", buf, sizeof(buf)))
		return;
	if (kstrtoul(buf, 0, &v) || v > 3600) {
		pr_err("cmdline: 'watchdog=%s': expected seconds from 0 to 3600, ignored\n", buf);
		return;
	}
	if (!v)
		return;
	watchdog_secs = v;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		last_touch[cpu] = arch_counter_read();
	watchdog_thresh_ticks = arch_timer_freq() * v;
	if (timer_background_start(1000, watchdog_check)) {
		pr_err("watchdog: no timer interrupts on this machine: not started\n");
		return;
	}
	pr_info("watchdog: a hang of %lu s is reported and panics\n", v);
}
