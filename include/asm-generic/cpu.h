/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU-level services every architecture provides to the rest of the kernel
 * (asm/cpu.h adds its own constants: TEXT_ALIAS_BASE, ARCH_RAM_TOP,
 * NULL_GUARD_SIZE, NEVER_MAPPED_ADDR).
 */
#ifndef ASM_GENERIC_CPU_H
#define ASM_GENERIC_CPU_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/boot.h>

struct pt_regs;

/* The MMU: identity map RAM (normal WB) and device windows (Device); caches on. */
void mmu_init(const struct mem_region *ram, int nr_ram,
	      const struct mem_region *dev, int nr_dev);
bool mmu_enabled(void);
/* Write @val at physical @pa, cleaned to memory (a spin table). Return: 0, or -1 if not RAM. */
int mmu_write_phys_u64(u64 pa, u64 val);

/*
 * Code patching writes the text through a writable, non-executable alias
 * (the text itself is read-only: W^X): the 2 MiB blocks holding the text,
 * mapped from TEXT_ALIAS_BASE, a window no RAM or device uses. The alias
 * exists only between text_poke_begin(), which returns the offset to add to
 * a text address (0 before the MMU is on), and text_poke_end(). Interrupts
 * masked.
 */
unsigned long text_poke_begin(void);
void text_poke_end(void);

/* The stack whose never-mapped guard page holds @addr ("boot", "panic"), or NULL. */
const char *stack_guard_hit(unsigned long addr);

/* True if [addr, addr+len) is mapped (used before touching a suspicious address). */
bool mmu_addr_mapped(unsigned long addr, unsigned long len);

/* kernel/time.c (the counter itself: asm/timex.h) */
void timer_init(void);

/* kernel/psci.c, with asm/psci.h for the call */
enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };
void psci_init(enum psci_conduit conduit);
enum psci_conduit psci_conduit(void);
int psci_system_off(void);	/* returns only on failure */
int psci_system_reset(void);

/* kernel/traps.c, with the arch's crash report */
typedef void (*irq_handler_t)(struct pt_regs *regs);
void set_irq_handler(irq_handler_t fn);
bool in_interrupt(void);
void show_regs(const struct pt_regs *regs);
void dump_backtrace(const struct pt_regs *regs);
/*
 * A crash report (arch_crash(): what the exception says, with @kind as the
 * vectors number it) is framed by crash_begin() (locks released) and
 * crash_end() (registers, backtrace, the panic console).
 */
void __noreturn arch_crash(struct pt_regs *regs, unsigned int kind);
void crash_begin(void);
void __noreturn crash_end(const struct pt_regs *regs);
/* Report a panic with @regs' backtrace, seal for @reason (enum persist_reason), panic console. */
void __noreturn panic_regs(const struct pt_regs *regs, int reason, const char *msg);
/* The panic console on its own fresh stack (the arch's traps.c). */
void __noreturn arch_enter_panic_console(void);
/* The page_owner record of the page holding @phys, if tracked (a crash's fault address). */
void page_owner_print_addr(unsigned long phys);

/* pmu.c: cycle and instruction counters (exact under QEMU -icount). */
void pmu_start(void);
u64 pmu_instructions(void);
u64 pmu_cycles(void);

/* How the kernel was entered: the exception level, or its AArch32 equivalent. */
extern int boot_entry_el;
/* The same for the banner: "at EL2", "in HYP mode". */
const char *arch_entry_mode(void);

#endif
