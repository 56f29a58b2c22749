/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Execution contexts. ferret has no processes; instead each piece of code
 * that allocates runs in a named context (boot, console, irq, or one an
 * application subsystem sets) and page_owner prints it as pid/tgid/comm.
 */
#ifndef FERRET_SCHED_H
#define FERRET_SCHED_H

#include <ferret/types.h>
#include <ferret/smp.h>

#define TASK_COMM_LEN 16	/* 15 characters and a NUL, as Linux */

struct task_ctx {
	int pid;
	int tgid;
	char comm[TASK_COMM_LEN];
};

#define MAX_TASK_CTX	64
#define CTX_PID_BOOT	0
#define CTX_PID_CONSOLE	1
#define CTX_PID_IRQ	2

extern struct task_ctx task_ctx_table[MAX_TASK_CTX];

/*
 * Per core, side by side so one index reaches both: the pid of the context
 * the core runs (outside interrupts), and its interrupt nesting (> 0 inside
 * an interrupt handler; arch code counts).
 */
struct cpu_ctx {
	int pid;
	int nesting;
};
extern struct cpu_ctx cpu_ctx[NR_CPUS];
#define task_ctx_current	(this_cpu(cpu_ctx).pid)
#define irq_nesting		(this_cpu(cpu_ctx).nesting)

/*
 * current_task - the context the CPU runs in now: the irq context inside an
 * interrupt handler. Inline: page_owner asks on every allocation.
 */
static inline const struct task_ctx *current_task(void)
{
	const struct cpu_ctx *c = &this_cpu(cpu_ctx);

	return &task_ctx_table[__builtin_expect(c->nesting != 0, 0) ? CTX_PID_IRQ
									: c->pid];
}

/*
 * current_pid - current_task()->pid without the table: a context's pid is
 * its index in task_ctx_table[].
 */
static inline int current_pid(void)
{
	const struct cpu_ctx *c = &this_cpu(cpu_ctx);

	return __builtin_expect(c->nesting != 0, 0) ? CTX_PID_IRQ : c->pid;
}

/*
 * task_ctx_register - find or create the context called @name (truncated to
 * 15 characters). Return: its pid, or -1 when the table is full.
 */
int task_ctx_register(const char *name);
const struct task_ctx *task_ctx_get(int pid);
/* Make @pid current on this core; return the previous current pid (to switch back). */
int task_ctx_switch(int pid);
/* A core starting: its context (boot), before anything else runs there. */
void task_ctx_set_current(int pid);

#endif
