// SPDX-License-Identifier: GPL-2.0
/*
 * Exception handling. Interrupts go to the registered handler; any other
 * exception is unexpected: print a crash report (exception class, ESR, FAR,
 * ELR, SPSR, registers, backtrace with symbols, the owner of the faulting
 * page) and enter the panic console on a fresh stack. The report itself must
 * not fault: it reads memory only after checking it is mapped.
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


static const char *const kind_names[] = {
	"Synchronous", "IRQ", "FIQ", "SError",
};

static const char *esr_class_str(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "Unknown/Uncategorized";
	case 0x01: return "WFI/WFE";
	case 0x07: return "SVE/ASIMD/FP";
	case 0x0e: return "Illegal Execution State";
	case 0x15: return "SVC (AArch64)";
	case 0x16: return "HVC (AArch64)";
	case 0x17: return "SMC (AArch64)";
	case 0x18: return "MSR/MRS (AArch64)";
	case 0x20: return "IABT (lower EL)";
	case 0x21: return "IABT (current EL)";
	case 0x22: return "PC Alignment";
	case 0x24: return "DABT (lower EL)";
	case 0x25: return "DABT (current EL)";
	case 0x26: return "SP Alignment";
	case 0x2f: return "SError";
	case 0x30: return "Breakpoint (lower EL)";
	case 0x31: return "Breakpoint (current EL)";
	case 0x32: return "Software Step (lower EL)";
	case 0x33: return "Software Step (current EL)";
	case 0x34: return "Watchpoint (lower EL)";
	case 0x35: return "Watchpoint (current EL)";
	case 0x3c: return "BRK (AArch64)";
	default: return "UNRECOGNIZED EC";
	}
}

const char *arch_entry_mode(void)
{
	static const char *const els[] = { "at EL0", "at EL1", "at EL2", "at EL3" };

	return els[boot_entry_el & 3];
}

void show_regs(const struct pt_regs *regs)
{
	printk("pc : %pS\n", (void *)regs->pc);
	printk("lr : %pB\n", (void *)regs->regs[30]);
	printk("sp : %016lx pstate : %08lx\n", regs->sp, regs->pstate);
	for (int i = 29; i >= 0; i--) {
		printk("x%-2d: %016lx%s", i, regs->regs[i], (i % 2 == 0) ? "\n" : " ");
	}
}

void dump_backtrace(const struct pt_regs *regs)
{
	unsigned long entries[32];
	unsigned int n;

	printk("Call trace:\n");
	printk(" %pS\n", (void *)regs->pc);
	n = unwind_from(regs->regs[29], entries, ARRAY_SIZE(entries), 0, NULL);
	for (unsigned int i = 0; i < n; i++)
		printk(" %pB\n", (void *)entries[i]);
}


void __noreturn arch_enter_panic_console(void)
{
	__asm__ __volatile__("mov sp, %0\n\tmov x29, xzr\n\tmov x30, xzr\n\tb panic_console_run"
			     : : "r"(panic_stack_top) : "memory");
	__builtin_unreachable();
}

void __noreturn arch_crash(struct pt_regs *regs, unsigned int kind)
{
	unsigned int ec = (regs->esr >> 26) & 0x3f;

	crash_begin();
	printk(KERN_EMERG "\nInternal error: %s exception%s%s\n", kind_names[kind & 3],
	       (kind & 4) ? " in an exception handler" : "",
	       (kind & 8) ? " from a lower exception level" : "");
	printk(KERN_EMERG "ESR: 0x%08lx, EC: 0x%02x (%s), IL: %lu, ISS: 0x%07lx\n",
	       regs->esr, ec, esr_class_str(ec), (regs->esr >> 25) & 1, regs->esr & 0x1ffffff);
	printk(KERN_EMERG "FAR: 0x%016lx\n", regs->far);
	printk(KERN_EMERG "ELR: 0x%016lx\n", regs->pc);
	printk(KERN_EMERG "SPSR: 0x%08lx\n", regs->pstate);
	if (ec == 0x3c && (regs->esr & 0xffff) == BRK_SPINLOCK_LOCKUP) {
		const arch_spinlock_t *l = (const arch_spinlock_t *)regs->regs[16];

		printk(KERN_EMERG "BUG: spinlock lockup suspected on CPU#%u, lock %p (owner %u, "
		       "next %u): not released for 32 s, or taken twice on this core "
		       "(the backtrace shows the taker)\n", smp_processor_id(), (void *)l,
		       l->val & 0xffff, l->val >> 16);
	}
	/* Fault status codes 0x0c..0x0f: a permission fault (W^X, arch/arm64/mm/mmu.c). */
	if (ec == 0x24 || ec == 0x25) {
		const char *what = (regs->esr & (1 << 6)) ? "write to" : "read from";
		bool perm = (regs->esr & 0x3c) == 0x0c;

		const char *stack = stack_guard_hit(regs->far);

		if (stack)
			printk(KERN_EMERG "Kernel stack overflow on CPU %u: the %s stack ran into its "
			       "guard page\n", smp_processor_id(), stack);
		printk(KERN_EMERG "Unable to handle kernel %s%s address %016lx\n", what,
		       perm ? " read-only" : "", regs->far);
		if (!stack)
			page_owner_print_addr(regs->far);
	} else if ((ec == 0x20 || ec == 0x21) && (regs->esr & 0x3c) == 0x0c) {
		printk(KERN_EMERG "Unable to handle kernel execute from non-executable memory at "
		       "virtual address %016lx\n", regs->far);
	}
	crash_end(regs);
}
