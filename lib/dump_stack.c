// SPDX-License-Identifier: GPL-2.0
/*
 * dump_stack: print the current call chain, as Linux's does after a bad page
 * report. Portable: the frame-record walker runs on the host too. Leading
 * frames inside the allocator and tracking code are skipped (the unwinder's
 * skip range), so the trace starts at the code that called the allocator.
 */
#include <ferret/printk.h>
#include <ferret/stacktrace.h>

void dump_stack(void)
{
	unsigned long entries[32];
	unsigned int n = stack_trace_save(entries, 32, 0);

	printk(KERN_WARNING "Call trace:\n");
	for (unsigned int i = 0; i < n; i++)
		printk(KERN_WARNING " %pB\n", (void *)entries[i]);
}
