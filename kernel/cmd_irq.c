// SPDX-License-Identifier: GPL-2.0
/* `ticktest`: check that timer interrupts arrive at the expected rate. */
#include <ferret/console.h>
#include <ferret/irq.h>
#include <ferret/printk.h>
#include <ferret/time.h>
#include <asm/processor.h>

static volatile u64 seen;

static void count_tick(void)
{
	seen++;
}

static int cmd_ticktest(int argc, char **argv)
{
	unsigned long ms = 100, period = 1000;
	u64 end;

	if (argc > 3 || (argc > 1 && parse_ulong(argv[1], &ms)) ||
	    (argc > 2 && parse_ulong(argv[2], &period)))
		return console_usage(argv[0]);
	if (!ms || ms > 60000 || period < 50 || period > 1000000) {
		printk("ticktest: ms must be 1..60000 and period_us 50..1000000\n");
		return console_usage(argv[0]);
	}
	seen = 0;
	if (timer_tick_start((unsigned int)period, count_tick)) {
		printk("ticktest: no timer interrupts on this machine\n");
		return -1;
	}
	end = ktime_get_ns() + ms * NSEC_PER_MSEC;
	while (ktime_get_ns() < end && !console_interrupted())
		wait_for_interrupt();
	timer_tick_stop();
	printk("ticktest: %llu ticks in %lu ms at %lu us (expected about %lu)\n",
	       (unsigned long long)seen, ms, period, ms * 1000 / period);
	return 0;
}
CONSOLE_CMD("ticktest", "[ms] [period_us]", "count timer interrupts for a while", cmd_ticktest,
	.args = "<ms>\thow long to count (default 100)\n"
		"<period_us>\tthe timer period in microseconds (default 1000)",
	.example = "ticktest 500 100");
