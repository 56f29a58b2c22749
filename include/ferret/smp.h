/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cores. Every core runs ferret's code on its own stacks; there is no
 * scheduler, so code never moves between cores while it runs and
 * smp_processor_id() is stable for as long as a function runs.
 *
 * Per-cpu data is a plain array of NR_CPUS entries indexed by
 * smp_processor_id(); this_cpu(arr) names the running core's entry. Data a
 * core only touches from itself, with its interrupts masked, needs no lock.
 */
#ifndef FERRET_SMP_H
#define FERRET_SMP_H

#include <ferret/types.h>
#include <asm/smp.h>		/* arch_smp_processor_id() */

#define NR_CPUS 8

/* The running core: 0 .. NR_CPUS - 1 (one register read). */
static inline unsigned int smp_processor_id(void)
{
	return arch_smp_processor_id();
}

#define this_cpu(arr)	((arr)[smp_processor_id()])

/* Bit n set: core n runs ferret's code and takes calls (kernel/smp.c, the host shim). */
extern volatile unsigned long cpu_online_bits;

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && ((cpu_online_bits >> cpu) & 1);
}

unsigned int num_online_cpus(void);

#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)
#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++) if (!cpu_online(cpu)) {} else

typedef void (*smp_call_func_t)(void *info);

/*
 * smp_call_function_single - run @fn(@info) on @cpu, in interrupt context
 * there (interrupts masked), or directly when @cpu is the caller's core.
 * With @wait, return once it has run. Return: 0, or -EINVAL for a core
 * that is not online.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait);

/* on_each_cpu - run @fn(@info) on every online core, the caller's included. */
void on_each_cpu(smp_call_func_t fn, void *info, bool wait);

#endif
