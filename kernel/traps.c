// SPDX-License-Identifier: GPL-2.0
/*
 * What exception handling shares across architectures: the interrupt
 * handler, interrupt nesting, and the frame of a crash report (the arch's
 * traps.c prints what the exception says, then crash_end() prints the
 * registers and backtrace and enters the panic console on a fresh stack).
 */
#include <ferret/printk.h>
#include <ferret/compiler.h>
#include <ferret/persist.h>
#include <ferret/sched.h>
#include <ferret/smp.h>
#include <asm/cpu.h>
#include <asm/processor.h>

static irq_handler_t irq_handler;
static int crash_depth;
static int crash_owner = -1;		/* the core that reports; the others are stopped */
static struct pt_regs *crash_regs[NR_CPUS];	/* each core's last crash, for its parking */

void panic_bust_locks(void);
void panic_report_done(int reason);

void set_irq_handler(irq_handler_t fn)
{
	irq_handler = fn;
}

bool in_interrupt(void)
{
	return irq_nesting > 0;
}

void do_irq(struct pt_regs *regs, unsigned int kind)
{
	irq_nesting++;
	if (irq_handler)
		irq_handler(regs);
	else
		printk(KERN_WARNING "unexpected IRQ with no handler\n");
	irq_nesting--;
}

/* Linux's first line of the registers: the core that crashed and what it ran. */
static void print_cpu_header(void)
{
	const struct task_ctx *t = current_task();

	printk(KERN_EMERG "CPU: %u PID: %d Comm: %.15s (MPIDR 0x%lx, %u core%s online)\n",
	       smp_processor_id(), t->pid, t->comm, cpu_hwid[smp_processor_id()],
	       num_online_cpus(), num_online_cpus() == 1 ? "" : "s");
}

/*
 * A panic that is not an exception (the watchdog's): the message, the
 * interrupted registers and their backtrace, then as a crash.
 */
void __noreturn panic_regs(const struct pt_regs *regs, int reason, const char *msg)
{
	this_cpu(crash_regs) = (struct pt_regs *)regs;
	crash_begin();
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	print_cpu_header();
	show_regs(regs);
	dump_backtrace(regs);
	smp_print_stopped_cpus();
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	panic_report_done(reason);
	crash_depth = 0;
	irq_nesting = 0;
	arch_enter_panic_console();
}

/* The vectors: an exception other than an interrupt is a crash. */
void do_sync(struct pt_regs *regs, unsigned int kind)
{
	this_cpu(crash_regs) = regs;
	arch_crash(regs, kind);
}

void do_bad_exception(struct pt_regs *regs, unsigned int kind)
{
	this_cpu(crash_regs) = regs;
	arch_crash(regs, kind);
}

/* mm/page_owner.c's, when page_owner is compiled in. */
__weak void page_owner_print_addr(unsigned long phys)
{
}

/*
 * One core reports. A core that crashes while another reports parks as if
 * stopped (its registers kept for the report); the reporting core stops
 * every other core first (IPI_STOP, 1 s at most), then releases the locks.
 */
void crash_begin(void)
{
	int me = (int)smp_processor_id(), owner = -1;

	if (!__atomic_compare_exchange_n(&crash_owner, &owner, me, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST) && owner != me)
		smp_park_this_cpu(this_cpu(crash_regs));
	if (++crash_depth > 3) {
		/* Crashing while reporting crashes: stop talking, stay alive for a debugger. */
		for (;;)
			wait_for_interrupt();
	}
	if (crash_depth == 1)
		smp_stop_others(1000);
	panic_bust_locks();
}

void __noreturn crash_end(const struct pt_regs *regs)
{
	print_cpu_header();
	show_regs(regs);
	dump_backtrace(regs);
	smp_print_stopped_cpus();
	printk(KERN_EMERG "---[ end trace ]---\n");
	panic_report_done(PERSIST_CRASH);
	crash_depth = 0;
	irq_nesting = 0;	/* the panic console is not in interrupt context */
	arch_enter_panic_console();
}
