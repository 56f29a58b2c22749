/* SPDX-License-Identifier: GPL-2.0 */
/* CPU-level services of arch/arm64 used by the rest of the kernel. */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <ferret/types.h>
#include <ferret/boot.h>
#include <asm/ptrace.h>
#include <asm/timex.h>

/* mmu.c: identity map RAM (normal WB) and device windows (nGnRE); caches on. */
void mmu_init(const struct mem_region *ram, int nr_ram,
	      const struct mem_region *dev, int nr_dev);
bool mmu_enabled(void);

/*
 * Code patching writes the text through a writable, non-executable alias
 * this far above it (the text itself is read-only: W^X). The alias exists
 * only between text_poke_begin(), which returns the offset to add to a text
 * address (0 before the MMU is on), and text_poke_end(). Interrupts masked.
 */
#define TEXT_ALIAS_OFFSET	(1UL << 38)
unsigned long text_poke_begin(void);
void text_poke_end(void);

/* The stack whose never-mapped guard page holds @addr ("boot", "panic"), or NULL. */
const char *stack_guard_hit(unsigned long addr);

/* Never mapped on any board, RAM or not, so NULL and small offsets from it fault. */
#define NULL_GUARD_SIZE	0x10000UL
/* True if [addr, addr+len) is mapped (used before touching a suspicious address). */
bool mmu_addr_mapped(unsigned long addr, unsigned long len);

/* timer.c (the counter itself: asm/timex.h) */
void timer_init(void);

/* psci.c */
enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };
void psci_init(enum psci_conduit conduit);
enum psci_conduit psci_conduit(void);
int psci_system_off(void);	/* returns only on failure */
int psci_system_reset(void);

/* traps.c */
typedef void (*irq_handler_t)(struct pt_regs *regs);
void set_irq_handler(irq_handler_t fn);
bool in_interrupt(void);
void show_regs(const struct pt_regs *regs);
void dump_backtrace(const struct pt_regs *regs);
/* Report a panic with @regs' backtrace, seal for @reason (enum persist_reason), panic console. */
void panic_regs(const struct pt_regs *regs, int reason, const char *msg) __attribute__((noreturn));

/* pmu.c: cycle and instruction counters (exact under QEMU -icount). */
void pmu_start(void);
u64 pmu_instructions(void);
u64 pmu_cycles(void);

extern int boot_entry_el;

/* How the kernel was entered, for the banner: "at EL2". */
const char *arch_entry_mode(void);

#endif
