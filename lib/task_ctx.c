// SPDX-License-Identifier: GPL-2.0
/*
 * Execution contexts (see include/ferret/sched.h), portable: the kernel and
 * the host tests share this table. A fixed table: pid 0 is
 * "boot", 1 "console", 2 "irq"; applications register their own names.
 * Inside an interrupt handler current_task() is the irq context whatever ran
 * before, so page_owner tells interrupt allocations apart. The current
 * context and the nesting are per core (struct cpu_ctx).
 */
#include <ferret/sched.h>
#include <ferret/string.h>
#include <ferret/spinlock.h>

struct task_ctx task_ctx_table[MAX_TASK_CTX] = {
	[CTX_PID_BOOT] = { CTX_PID_BOOT, CTX_PID_BOOT, "boot" },
	[CTX_PID_CONSOLE] = { CTX_PID_CONSOLE, CTX_PID_CONSOLE, "console" },
	[CTX_PID_IRQ] = { CTX_PID_IRQ, CTX_PID_IRQ, "irq" },
};
static int nr_tasks = 3;
struct cpu_ctx cpu_ctx[NR_CPUS];	/* every core starts in "boot" (pid 0) */
static DEFINE_SPINLOCK(task_lock);

int task_ctx_register(const char *name)
{
	unsigned long flags;
	int pid = -1;

	spin_lock_irqsave(&task_lock, flags);
	for (int i = 0; i < nr_tasks; i++) {
		if (!strncmp(task_ctx_table[i].comm, name, TASK_COMM_LEN - 1)) {
			pid = i;
			goto out;
		}
	}
	if (nr_tasks < MAX_TASK_CTX) {
		pid = nr_tasks++;
		task_ctx_table[pid].pid = pid;
		task_ctx_table[pid].tgid = pid;
		strlcpy(task_ctx_table[pid].comm, name, TASK_COMM_LEN);
	}
out:
	spin_unlock_irqrestore(&task_lock, flags);
	return pid;
}

const struct task_ctx *task_ctx_get(int pid)
{
	return pid >= 0 && pid < nr_tasks ? &task_ctx_table[pid] : NULL;
}

void task_ctx_set_current(int pid)
{
	task_ctx_current = pid;
	irq_nesting = 0;
}

int task_ctx_switch(int pid)
{
	int old = task_ctx_current;

	if (pid >= 0 && pid < nr_tasks)
		task_ctx_current = pid;
	return old;
}
