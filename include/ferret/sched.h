/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Execution contexts. ferret has no processes; instead each piece of code
 * that allocates runs in a named context (boot, console, irq, or one an
 * application subsystem sets) and page_owner prints it as pid/tgid/comm.
 */
#ifndef FERRET_SCHED_H
#define FERRET_SCHED_H

#include <ferret/types.h>

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
extern int task_ctx_current;	/* pid of the context that runs (outside interrupts) */
extern int irq_nesting;		/* > 0 inside an interrupt handler (arch code counts) */

/*
 * current_task - the context the CPU runs in now: the irq context inside an
 * interrupt handler. Inline: page_owner asks on every allocation.
 */
static inline const struct task_ctx *current_task(void)
{
	return &task_ctx_table[__builtin_expect(irq_nesting != 0, 0) ? CTX_PID_IRQ
								     : task_ctx_current];
}

/*
 * current_pid - current_task()->pid without the table: a context's pid is
 * its index in task_ctx_table[].
 */
static inline int current_pid(void)
{
	return __builtin_expect(irq_nesting != 0, 0) ? CTX_PID_IRQ : task_ctx_current;
}

/*
 * task_ctx_register - find or create the context called @name (truncated to
 * 15 characters). Return: its pid, or -1 when the table is full.
 */
int task_ctx_register(const char *name);
const struct task_ctx *task_ctx_get(int pid);
/* Make @pid current; return the previous current pid (to switch back). */
int task_ctx_switch(int pid);

#endif
