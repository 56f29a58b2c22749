// SPDX-License-Identifier: GPL-2.0
/*
 * Cores on the host: a thread plays a core (host_smp_cpu, asm/smp.h) and
 * cross-core calls are delivered as a core takes an interrupt: a call for
 * core n waits in n's mailbox until n's thread unmasks its interrupts
 * (arch_local_irq_restore() to depth 0 polls, asm/irqflags.h), runs it
 * there with interrupts masked, and the caller waits for it, taking calls
 * for its own core meanwhile (two cores calling each other do not
 * deadlock). A core whose thread is not running (not online: parked,
 * finished, or the main thread while it waits for the others) touches
 * nothing, so a call for it runs in the caller's thread as that core.
 *
 * host_smp_run() runs a function on n threads, cores 0..n-1, and brings the
 * main thread back as core 0 alone afterwards.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include <ferret/smp.h>
#include <ferret/errno.h>
#include <ferret/stacktrace.h>
#include <asm/irqflags.h>
#include "host_kernel.h"

__thread unsigned int host_smp_cpu;
volatile unsigned long cpu_online_bits = 1;
unsigned long host_ipi_pending;

enum { MB_FREE, MB_POSTED, MB_RUNNING, MB_DONE };

static struct mailbox {
	unsigned int lock;		/* one caller at a time */
	unsigned int state;		/* MB_* */
	smp_call_func_t fn;
	void *info;
} mailbox[NR_CPUS];

unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcountl(__atomic_load_n(&cpu_online_bits, __ATOMIC_ACQUIRE));
}

/*
 * Whether @cpu's thread runs, read with acquire: a core found gone has
 * finished touching its data (its thread cleared the bit with release), so
 * the caller may run its call as that core.
 */
static bool core_running(unsigned int cpu)
{
	return __atomic_load_n(&cpu_online_bits, __ATOMIC_ACQUIRE) >> cpu & 1;
}

/* Run @fn as core @cpu with interrupts masked (the caller's thread, any core). */
static void run_as(unsigned int cpu, smp_call_func_t fn, void *info)
{
	unsigned int self = host_smp_cpu;
	unsigned long flags;

	host_smp_cpu = cpu;
	flags = arch_local_irq_save();
	fn(info);
	host_irq_disable_depth = (int)flags;	/* no poll as another core */
	host_smp_cpu = self;
}

/* Take the posted call of @mb (any thread may try: one wins) and run it as @cpu. */
static bool mailbox_take(unsigned int cpu, struct mailbox *mb)
{
	unsigned int posted = MB_POSTED;

	if (!__atomic_compare_exchange_n(&mb->state, &posted, MB_RUNNING, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	__atomic_fetch_and(&host_ipi_pending, ~(1UL << cpu), __ATOMIC_RELAXED);
	run_as(cpu, mb->fn, mb->info);
	__atomic_store_n(&mb->state, MB_DONE, __ATOMIC_RELEASE);
	return true;
}

void host_ipi_poll(void)
{
	unsigned int cpu = host_smp_cpu;

	if (host_irq_disable_depth || cpu >= NR_CPUS ||
	    !(__atomic_load_n(&host_ipi_pending, __ATOMIC_ACQUIRE) & (1UL << cpu)))
		return;
	mailbox_take(cpu, &mailbox[cpu]);
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait)
{
	struct mailbox *mb;
	int depth = host_irq_disable_depth;

	if (cpu >= NR_CPUS)
		return -EINVAL;
	if (cpu == smp_processor_id()) {
		run_as(cpu, fn, info);
		return 0;
	}
	if (!core_running(cpu)) {
		run_as(cpu, fn, info);	/* its thread is not running: its data rest */
		return 0;
	}
	mb = &mailbox[cpu];
	/* Waiting counts as interrupts on: this core's own calls get through. */
	host_irq_disable_depth = 0;
	while (__atomic_exchange_n(&mb->lock, 1, __ATOMIC_ACQUIRE)) {
		host_ipi_poll();
		sched_yield();
	}
	mb->fn = fn;
	mb->info = info;
	__atomic_store_n(&mb->state, MB_POSTED, __ATOMIC_RELEASE);
	__atomic_fetch_or(&host_ipi_pending, 1UL << cpu, __ATOMIC_RELEASE);
	while (__atomic_load_n(&mb->state, __ATOMIC_ACQUIRE) != MB_DONE) {
		host_ipi_poll();
		/* Its thread went away before taking the call: run it as that core. */
		if (!core_running(cpu))
			mailbox_take(cpu, mb);
		sched_yield();
	}
	__atomic_store_n(&mb->state, MB_FREE, __ATOMIC_RELAXED);
	__atomic_store_n(&mb->lock, 0, __ATOMIC_RELEASE);
	host_irq_disable_depth = depth;
	return 0;
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	unsigned int cpu;

	/* Parked cores too: their lists may hold what a drain is after. */
	for_each_possible_cpu(cpu)
		smp_call_function_single(cpu, fn, info, wait);
}

struct host_core {
	pthread_t thread;
	unsigned int cpu;
	void (*fn)(unsigned int cpu, void *arg);
	void *arg;
};

static unsigned int start_gate;

/*
 * The cores' stacks: the same memory every run, registered with the
 * unwinder once, so the trackers walk the cores' real stacks (a thread's
 * own stack would be a new range each time).
 */
#define CORE_STACK_SIZE	(2 * 1024 * 1024)	/* TSan wants about 1 MiB of its own */
static char core_stacks[NR_CPUS][CORE_STACK_SIZE] __attribute__((aligned(4096)));
static bool core_stacks_registered;

static void *core_main(void *p)
{
	struct host_core *c = p;

	host_smp_cpu = c->cpu;
	host_irq_disable_depth = 0;
	__atomic_fetch_or(&cpu_online_bits, 1UL << c->cpu, __ATOMIC_RELEASE);
	/* Everyone online before anyone starts: each call finds its core there. */
	__atomic_fetch_sub(&start_gate, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&start_gate, __ATOMIC_ACQUIRE))
		sched_yield();
	c->fn(c->cpu, c->arg);
	__atomic_fetch_and(&cpu_online_bits, ~(1UL << c->cpu), __ATOMIC_RELEASE);
	host_ipi_poll();	/* a call posted just before: callers also take it back */
	return NULL;
}

void host_smp_run(unsigned int n, void (*fn)(unsigned int cpu, void *arg), void *arg)
{
	struct host_core cores[NR_CPUS];

	pthread_attr_t attr;

	if (n > NR_CPUS)
		n = NR_CPUS;
	if (!core_stacks_registered) {
		for (unsigned int i = 0; i < NR_CPUS; i++)
			stacktrace_register_stack((unsigned long)core_stacks[i],
						  (unsigned long)core_stacks[i] + CORE_STACK_SIZE,
						  "host core");
		core_stacks_registered = true;
	}
	/* The main thread waits meanwhile: not a core. */
	__atomic_store_n(&cpu_online_bits, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&start_gate, n, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < n; i++) {
		cores[i] = (struct host_core){ .cpu = i, .fn = fn, .arg = arg };
		pthread_attr_init(&attr);
		pthread_attr_setstack(&attr, core_stacks[i], CORE_STACK_SIZE);
		if (pthread_create(&cores[i].thread, &attr, core_main, &cores[i])) {
			perror("pthread_create");
			exit(2);
		}
		pthread_attr_destroy(&attr);
	}
	for (unsigned int i = 0; i < n; i++)
		pthread_join(cores[i].thread, NULL);
	host_smp_cpu = 0;
	__atomic_store_n(&cpu_online_bits, 1, __ATOMIC_RELEASE);
}
