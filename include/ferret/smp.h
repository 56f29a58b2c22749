/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cores. Every core runs ferret's code on its own stacks; there is no
 * scheduler, so code never moves between cores while it runs and
 * smp_processor_id() is stable for as long as a function runs.
 *
 * Per-cpu data is a plain array of NR_CPUS entries indexed by
 * smp_processor_id(); this_cpu(arr) names the running core's entry. Data a
 * core only touches from itself, with its interrupts masked, needs no lock.
 */
#ifndef FERRET_SMP_H
#define FERRET_SMP_H

#include <ferret/types.h>
#include <asm/smp.h>		/* arch_smp_processor_id() */

#define NR_CPUS 8	/* asm/smp.h's ARCH_NR_CPUS, where the arch lays out stacks */

/* The running core: 0 .. NR_CPUS - 1 (one register read). */
static inline unsigned int smp_processor_id(void)
{
	return arch_smp_processor_id();
}

#define this_cpu(arr)	((arr)[smp_processor_id()])

/* Bit n set: core n runs ferret's code and takes calls (kernel/smp.c, the host shim). */
extern volatile unsigned long cpu_online_bits;

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && ((cpu_online_bits >> cpu) & 1);
}

unsigned int num_online_cpus(void);

#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)
#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++) if (!cpu_online(cpu)) {} else

typedef void (*smp_call_func_t)(void *info);

/*
 * smp_call_function_single - run @fn(@info) on @cpu, in interrupt context
 * there (interrupts masked), or directly when @cpu is the caller's core.
 * With @wait, return once it has run. Return: 0, or -EINVAL for a core
 * that is not online.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait);

/* on_each_cpu - run @fn(@info) on every online core, the caller's included. */
void on_each_cpu(smp_call_func_t fn, void *info, bool wait);

/*
 * Work in task context on another core (kernel/smp.c): the core's idle loop
 * runs @fn(@arg) with interrupts enabled, as the console core runs a
 * command; @what names it in `cpus` (kept by pointer: a string that lives).
 * smp_work_start() returns at once: 0, -EINVAL (not online), -EBUSY (the
 * core already runs something). smp_work_wait() waits for it to finish,
 * passing Ctrl-C on as a stop request (smp_stop_requested() on that core);
 * smp_work_busy() says whether it runs yet.
 */
int smp_work_start(unsigned int cpu, void (*fn)(void *arg), void *arg, const char *what);
void smp_work_wait(unsigned int cpu);
bool smp_work_busy(unsigned int cpu);
void smp_work_request_stop(unsigned int cpu);
bool smp_stop_requested(void);

/*
 * Console commands on a core (`on`, `app run --cpu`): run @argv there, waiting
 * for it or not (smp_wait_command() joins). Return: the command's result (or
 * 0 when started in the background), -1 with a message.
 */
int smp_run_command(unsigned int cpu, int argc, char **argv, bool wait);
int smp_wait_command(unsigned int cpu);

/* Boot: find the cores (DTB /cpus, else the board's) and start them (start_kernel). */
void smp_init(void);
/* A secondary core's first C (head.S), at EL1 with its stacks, MMU off. */
void secondary_start_kernel(unsigned int cpu, unsigned long entry_el);

/* MPIDR affinity of each logical core; ~0UL where there is none. Read by head.S. */
#define INVALID_HWID	(~0UL)
extern unsigned long cpu_hwid[NR_CPUS];

/* Inter-processor interrupts (the irqchip sends them, kernel/irq.c hands them to smp.c). */
enum ipi_msg { IPI_CALL, IPI_STOP, IPI_WAKE, NR_IPI };
struct pt_regs;
void smp_handle_ipi(unsigned int ipi, struct pt_regs *regs);
/*
 * smp_call_regs() - in a function smp_call_function_single() runs on another
 * core: the registers its interrupt stopped there (sp: how deep that core's
 * stack was). NULL when the function runs otherwise (on the caller's core,
 * or served from a core's own wait for a call).
 */
struct pt_regs *smp_call_regs(void);
void smp_send_ipi(unsigned int cpu, enum ipi_msg ipi);

/*
 * smp_stop_others - after a crash: stop every other online core (an IPI; each
 * saves its registers and parks with interrupts masked), waiting at most
 * @timeout_ms, then print each one's registers and backtrace, or that it did
 * not answer. Return: how many did not stop.
 */
int smp_stop_others(unsigned int timeout_ms);
void smp_print_stopped_cpus(void);
/* A core that crashed while another reports: park as stopped, @regs kept for the report. */
void smp_park_this_cpu(struct pt_regs *regs) __attribute__((noreturn));

/*
 * smp_rendezvous - run @fn(@arg) on this core while every other online core
 * waits in an interrupt handler with interrupts masked (code patching); then
 * every core invalidates its instruction cache and synchronizes its context
 * before it goes on. Return: how many cores did not come in time (they
 * were not held out; the patch still went in).
 */
int smp_rendezvous(void (*fn)(void *arg), void *arg);

/* Each core's stacks (arch code: asm/sections.h); false for a core that has none. */
struct cpu_stack_area {
	unsigned long boot, boot_top, exc, exc_top;
};
bool arch_cpu_stacks(unsigned int cpu, struct cpu_stack_area *a);
/* "boot", "boot/1", "exception/2"...: the names stacks go by in reports. */
const char *cpu_stack_name(unsigned int cpu, bool exception);

/* Arch hooks (weak defaults in kernel/smp.c for an arch without secondaries). */
struct fdt_cpu;
int arch_cpu_boot(unsigned int cpu, const struct fdt_cpu *c, const char **how);
void arch_cpu_setup(void);
void arch_clean_dcache(const void *p, size_t len);
void arch_sync_icache(void);
void mmu_enable_secondary(void);

/* Per-core interrupt counts for `cpus` (kernel/irq.c). */
extern u64 cpu_irqs[NR_CPUS], cpu_ticks[NR_CPUS], cpu_ipis[NR_CPUS];

#endif
