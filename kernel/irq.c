// SPDX-License-Identifier: GPL-2.0
/*
 * The timer tick: the generic timer's virtual timer (asm/timex.h),
 * reprogrammed from its own interrupt. Every core has its own virtual timer,
 * so ticks are per core (state indexed by smp_processor_id()); the
 * background check (the watchdog) runs on every core's, for that core.
 * Inter-processor
 * interrupts arrive here too and go to kernel/smp.c.
 * Handlers run with interrupts masked (no nesting) on the exception stack.
 */
#include <generated/board.h>
#include <ferret/irq.h>
#include <ferret/printk.h>
#include <ferret/boot.h>
#include <ferret/fdt.h>
#include <ferret/smp.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>
#include <asm/timex.h>
#include <asm/irqflags.h>

static const struct irqchip *chip = &BOARD_IRQCHIP;
static unsigned long chip_base = BOARD_IRQCHIP_BASE, chip_base2 = BOARD_IRQCHIP_BASE2;
static bool irq_ok;
static u64 tick_period[NR_CPUS];
static void (*tick_fn[NR_CPUS])(void);
u64 cpu_irqs[NR_CPUS], cpu_ticks[NR_CPUS], cpu_ipis[NR_CPUS];
/* A slow check that shares each core's timer with its ticks (the watchdog). */
static void (*bg_fn)(struct pt_regs *regs);
static u64 bg_period, bg_next[NR_CPUS];

/* This core, with no ticks wanted: wake for the background check, or not at all. */
static void program_idle(void)
{
	if (bg_fn) {
		arch_timer_set_cval(this_cpu(bg_next));
		arch_timer_set_ctl(ARCH_TIMER_CTL_ENABLE);
	} else {
		arch_timer_set_ctl(ARCH_TIMER_CTL_IMASK);	/* nobody wants ticks */
	}
}

/* This core's first background check, a period from now. Context: interrupts masked. */
static void arm_background(void *unused)
{
	this_cpu(bg_next) = arch_counter_read() + bg_period;
	if (!this_cpu(tick_fn))
		program_idle();
	isb();
}

static void handle_irq(struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	int src = chip->ack();
	bool run_bg = false;

	if (src < 0)
		return;
	cpu_irqs[cpu]++;
	if (src >= IRQ_SRC_IPI) {
		chip->eoi(src);		/* first: IPI_STOP never returns */
		smp_handle_ipi((unsigned int)(src - IRQ_SRC_IPI), regs);
		return;
	}
	if (bg_fn && arch_counter_read() >= bg_next[cpu]) {
		bg_next[cpu] = arch_counter_read() + bg_period;
		run_bg = true;
	}
	if (tick_fn[cpu]) {
		arch_timer_set_tval((u32)tick_period[cpu]);
		cpu_ticks[cpu]++;
		tick_fn[cpu]();
	} else {
		program_idle();
	}
	chip->eoi(src);
	if (run_bg)
		bg_fn(regs);	/* last: it may never return (a panic) */
}

int timer_background_start(unsigned int period_ms, void (*fn)(struct pt_regs *regs))
{
	unsigned long flags = arch_local_irq_save();
	unsigned int cpu;

	if (!irq_ok) {
		arch_local_irq_restore(flags);
		return -1;
	}
	bg_period = arch_timer_freq() * period_ms / 1000;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		bg_next[cpu] = arch_counter_read() + bg_period;
	bg_fn = fn;
	arm_background(NULL);
	arch_local_irq_restore(flags);
	/* Every other core arms its own timer (a core started later: irq_init_cpu()). */
	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			smp_call_function_single(cpu, arm_background, NULL, true);
	return 0;
}

/* The DTB names the GIC and its frames; the board's facts are the fallback. */
static void irq_probe_fdt(void)
{
	static const struct {
		const char *compat;
		const struct irqchip *chip;
	} gics[] = {
		{ "arm,gic-v3", &gicv3_irqchip },
		{ "arm,gic-400", &gicv2_irqchip },
		{ "arm,cortex-a15-gic", &gicv2_irqchip },
		{ "arm,cortex-a9-gic", &gicv2_irqchip },
	};
	const void *fdt = (const void *)boot_params.dtb;
	u64 b0, s0, b1, s1;

	if (!fdt)
		return;
	for (unsigned int i = 0; i < sizeof(gics) / sizeof(gics[0]); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, gics[i].compat);

		if (node < 0)
			continue;
		if (fdt_get_reg(fdt, node, 0, &b0, &s0) || fdt_get_reg(fdt, node, 1, &b1, &s1))
			continue;
		chip = gics[i].chip;
		chip_base = b0;
		chip_base2 = b1;
		return;
	}
}

int irq_init(void)
{
	set_irq_handler(handle_irq);
	cpu_hwid[0] = arch_cpu_hwid();	/* the boot core, before smp_init() names the others */
	irq_probe_fdt();
	if (chip->init(chip_base, chip_base2)) {
		pr_info("irq: %s unusable from where ferret runs (entered %s): no interrupts\n",
			chip->name, arch_entry_mode());
		return -1;
	}
	chip->enable_timer();
	irq_ok = true;
	arch_local_irq_enable();
	pr_info("irq: %s, virtual timer interrupts on\n", chip->name);
	return 0;
}

bool irq_available(void)
{
	return irq_ok;
}

int irq_init_cpu(void)
{
	if (!irq_ok || !chip->init_cpu || chip->init_cpu())
		return -1;
	chip->enable_timer();
	arch_timer_set_ctl(ARCH_TIMER_CTL_IMASK);	/* no ticks until asked */
	if (bg_fn)
		arm_background(NULL);
	arch_local_irq_enable();
	return 0;
}

void irq_send_ipi(unsigned int cpu, unsigned int ipi)
{
	if (irq_ok && chip->send_ipi)
		chip->send_ipi(cpu, ipi);
}

int timer_tick_start(unsigned int period_us, void (*fn)(void))
{
	unsigned int cpu = smp_processor_id();

	if (!irq_ok)
		return -1;
	tick_period[cpu] = arch_timer_freq() * period_us / 1000000;
	if (!tick_period[cpu])
		tick_period[cpu] = 1;
	tick_fn[cpu] = fn;
	arch_timer_set_tval((u32)tick_period[cpu]);
	arch_timer_set_ctl(ARCH_TIMER_CTL_ENABLE);	/* unmasked */
	isb();
	return 0;
}

void timer_tick_stop(void)
{
	unsigned long flags = arch_local_irq_save();

	arch_timer_set_ctl(0);
	this_cpu(tick_fn) = NULL;
	program_idle();
	isb();
	arch_local_irq_restore(flags);
}

u64 timer_tick_count(void)
{
	return this_cpu(cpu_ticks);
}
