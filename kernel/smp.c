// SPDX-License-Identifier: GPL-2.0
/*
 * Cores online and calls across them. One core today: calls run on the
 * caller's core, with interrupts masked as a cross-core call would run.
 */
#include <ferret/smp.h>
#include <ferret/errno.h>
#include <asm/irqflags.h>

volatile unsigned long cpu_online_bits = 1;	/* the boot core */

unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcountl(cpu_online_bits);
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait)
{
	unsigned long flags;

	if (!cpu_online(cpu))
		return -EINVAL;
	if (cpu != smp_processor_id())
		return -EINVAL;		/* no other core runs yet */
	flags = arch_local_irq_save();
	fn(info);
	arch_local_irq_restore(flags);
	return 0;
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, fn, info, wait);
}
