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
#include <asm/cpu.h>
#include <asm/processor.h>

static irq_handler_t irq_handler;
static int crash_depth;

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

/*
 * A panic that is not an exception (the watchdog's): the message, the
 * interrupted registers and their backtrace, then as a crash.
 */
void __noreturn panic_regs(const struct pt_regs *regs, int reason, const char *msg)
{
	crash_begin();
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	show_regs(regs);
	dump_backtrace(regs);
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	panic_report_done(reason);
	crash_depth = 0;
	irq_nesting = 0;
	arch_enter_panic_console();
}

/* The vectors: an exception other than an interrupt is a crash. */
void do_sync(struct pt_regs *regs, unsigned int kind)
{
	arch_crash(regs, kind);
}

void do_bad_exception(struct pt_regs *regs, unsigned int kind)
{
	arch_crash(regs, kind);
}

/* mm/page_owner.c's, when page_owner is compiled in. */
__weak void page_owner_print_addr(unsigned long phys)
{
}

void crash_begin(void)
{
	if (++crash_depth > 3) {
		/* Crashing while reporting crashes: stop talking, stay alive for a debugger. */
		for (;;)
			wait_for_interrupt();
	}
	panic_bust_locks();
}

void __noreturn crash_end(const struct pt_regs *regs)
{
	show_regs(regs);
	dump_backtrace(regs);
	printk(KERN_EMERG "---[ end trace ]---\n");
	panic_report_done(PERSIST_CRASH);
	crash_depth = 0;
	irq_nesting = 0;	/* the panic console is not in interrupt context */
	arch_enter_panic_console();
}
