// SPDX-License-Identifier: GPL-2.0
/*
 * Exception handling on AArch32. Interrupts go to the registered handler;
 * any other exception is unexpected: print a crash report (the vector, the
 * fault status and address, PC, CPSR, registers, backtrace with symbols, the
 * owner of the faulting page) and enter the panic console on a fresh stack.
 * The report itself must not fault: it reads memory only after checking it
 * is mapped.
 */
#include <ferret/printk.h>
#include <ferret/console.h>
#include <ferret/compiler.h>
#include <ferret/stacktrace.h>
#include <ferret/page_owner.h>
#include <ferret/sched.h>
#include <ferret/smp.h>
#include <asm/cpu.h>
#include <asm/spinlock.h>
#include <asm/sysreg.h>
#include <asm/sections.h>


/* pt_regs.kind, as entry.S sets it. */
static const char *const kind_names[] = {
	"Synchronous", "IRQ", "FIQ", "Unknown", "Undefined instruction", "Prefetch abort",
	"Data abort", "Supervisor call", "Unexpected",
};

/* Long-descriptor fault status (LPAE: DFSR/IFSR.STATUS, bits 5..0). */
static const char *fsr_str(unsigned long fsr)
{
	unsigned int st = fsr & 0x3f;

	switch (st >> 2) {
	case 0x1: return "translation fault";
	case 0x2: return "access flag fault";
	case 0x3: return "permission fault";
	default: break;
	}
	switch (st) {
	case 0x10: return "synchronous external abort";
	case 0x11: return "asynchronous external abort";
	case 0x21: return "alignment fault";
	case 0x22: return "debug event";
	default: return "unknown";
	}
}

const char *arch_entry_mode(void)
{
	return boot_entry_el == 2 ? "in HYP mode" : "in SVC mode";
}

void show_regs(const struct pt_regs *regs)
{
	printk("pc : %pS\n", (void *)regs->pc);
	printk("lr : %pB\n", (void *)regs->lr);
	printk("sp : %08lx  cpsr : %08lx\n", regs->sp, regs->cpsr);
	printk("r12: %08lx  r11: %08lx  r10: %08lx\n", regs->regs[12], regs->regs[11],
	       regs->regs[10]);
	for (int i = 9; i >= 0; i--)
		printk("r%-2d: %08lx%s", i, regs->regs[i], (i % 2 == 0) ? "\n" : "  ");
}

/*
 * GCC saves only fp in a leaf function (it calls nobody, so lr stays in its
 * register) and points fp at it: the word at fp is then the caller's fp, a
 * stack address above fp, where a function that calls keeps its return
 * address (text). A crash in a leaf takes its return address from the saved
 * lr and walks on from the caller's fp.
 */
static unsigned long leaf_caller_fp(const struct pt_regs *regs)
{
	unsigned long fp = regs->regs[11], w;

	if (!fp || (fp & 3) || !mmu_addr_mapped(fp, 4))
		return 0;
	w = *(const unsigned long *)fp;
	if (w - (unsigned long)_text < (unsigned long)(_etext - _text) || w <= fp ||
	    w - fp > 0x10000)
		return 0;
	return w;
}

void dump_backtrace(const struct pt_regs *regs)
{
	unsigned long entries[32], fp = regs->regs[11], caller = leaf_caller_fp(regs);
	unsigned int n;

	printk("Call trace:\n");
	printk(" %pS\n", (void *)regs->pc);
	if (caller) {
		printk(" %pB\n", (void *)regs->lr);
		fp = caller;
	}
	n = unwind_from(fp, entries, ARRAY_SIZE(entries), 0, NULL);
	for (unsigned int i = 0; i < n; i++)
		printk(" %pB\n", (void *)entries[i]);
}

void __noreturn arch_enter_panic_console(void)
{
	__asm__ __volatile__("mov sp, %0\n\tmov fp, #0\n\tmov lr, #0\n\tb panic_console_run"
			     : : "r"(panic_stack_top) : "memory");
	__builtin_unreachable();
}

/* A core's sp of a handler that ran off its exception stack (entry.S, svc_stack_check). */
extern unsigned long svc_overflow_sp[NR_CPUS];

/* `udf #BRK_SPINLOCK_LOCKUP` (ARM state): a ticket lock waited 32 s (asm/spinlock.h). */
static bool spinlock_lockup(const struct pt_regs *regs)
{
	const u32 udf = 0xe7f000f0u | ((BRK_SPINLOCK_LOCKUP & 0xfff0u) << 4) |
			(BRK_SPINLOCK_LOCKUP & 0xfu);

	return mmu_addr_mapped(regs->pc, 4) && *(const u32 *)regs->pc == udf;
}

void __noreturn arch_crash(struct pt_regs *regs, unsigned int kind)
{
	/* Its registers were saved on the panic stack: report the sp that ran out. */
	unsigned long *overflow_sp = &this_cpu(svc_overflow_sp);

	if (*overflow_sp && regs->sp == (unsigned long)panic_stack_top) {
		regs->sp = *overflow_sp;
		*overflow_sp = 0;
	}
	crash_begin();
	printk(KERN_EMERG "\nInternal error: %s exception%s\n",
	       kind_names[kind < ARRAY_SIZE(kind_names) ? kind : ARRAY_SIZE(kind_names) - 1],
	       (regs->cpsr & 0x1f) == MODE_SVC ? " in an exception handler" : "");
	if (kind == 4 && spinlock_lockup(regs)) {
		const arch_spinlock_t *l = (const arch_spinlock_t *)regs->regs[12];

		printk(KERN_EMERG "BUG: spinlock lockup suspected on CPU#%u, lock %p (owner %u, "
		       "next %u): not released for 32 s, or taken twice on this core "
		       "(the backtrace shows the taker)\n", smp_processor_id(), (void *)l,
		       l->val & 0xffff, l->val >> 16);
	}
	if (kind == 5 || kind == 6) {
		bool perm = ((regs->fsr & 0x3f) >> 2) == 0x3;

		printk(KERN_EMERG "FSR: 0x%08lx (%s), FAR: 0x%08lx\n", regs->fsr,
		       fsr_str(regs->fsr), regs->far);
	if (kind == 6) {
		const char *what = (regs->fsr & (1 << 11)) ? "write to" : "read from";
		const char *stack = stack_guard_hit(regs->far);

		if (stack)
			printk(KERN_EMERG "Kernel stack overflow on CPU %u: the %s stack ran into "
			       "its guard page\n", smp_processor_id(), stack);
		printk(KERN_EMERG "Unable to handle kernel %s%s address %08lx\n", what,
		       perm ? " read-only" : "", regs->far);
		if (!stack)
			page_owner_print_addr(regs->far);
	} else if (perm) {
		printk(KERN_EMERG "Unable to handle kernel execute from non-executable memory at "
		       "virtual address %08lx\n", regs->far);
	}
	}
	printk(KERN_EMERG "PC: 0x%08lx\n", regs->pc);
	printk(KERN_EMERG "CPSR: 0x%08lx\n", regs->cpsr);
	crash_end(regs);
}
