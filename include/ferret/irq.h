/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts: an irqchip driver per board (GICv2 on virt, the BCM2836 local
 * controller on raspi3b) and the per-CPU virtual timer as the one source
 * ferret uses today (periodic ticks for interrupt-context tests and work).
 */
#ifndef FERRET_IRQ_H
#define FERRET_IRQ_H

#include <ferret/types.h>

/* What ack() found: the timer, an IPI (IRQ_SRC_IPI + n), or nothing (-1). */
#define IRQ_SRC_TIMER	0
#define IRQ_SRC_IPI	1

struct irqchip {
	const char *name;
	int (*init)(unsigned long base, unsigned long base2);	/* 0 or -errno */
	int (*init_cpu)(void);		/* another core's interface (after init on core 0) */
	void (*enable_timer)(void);	/* route the virtual timer PPI to this CPU */
	int (*ack)(void);		/* pending source: IRQ_SRC_*, -1 none/spurious */
	void (*eoi)(int src);
	void (*send_ipi)(unsigned int cpu, unsigned int ipi);	/* to a logical core */
};

extern const struct irqchip gicv2_irqchip;
extern const struct irqchip gicv3_irqchip;
extern const struct irqchip bcm2836_irqchip;

/* Set up the board's controller. Return: 0, or negative if interrupts are unusable. */
int irq_init(void);
bool irq_available(void);
/* A secondary core: its interface, timer and IPIs; interrupts on. Return: 0 or negative. */
int irq_init_cpu(void);
/* Send IPI @ipi (enum ipi_msg, <ferret/smp.h>) to logical core @cpu. */
void irq_send_ipi(unsigned int cpu, unsigned int ipi);

/*
 * timer_tick_start - call @fn from this core's timer interrupt every @period_us
 * (each core has its own timer and its own ticks).
 * Return: 0, or negative when interrupts are unusable on this machine.
 */
int timer_tick_start(unsigned int period_us, void (*fn)(void));
void timer_tick_stop(void);

/*
 * timer_background_start - also call @fn from the timer interrupt every
 * @period_ms (after the interrupt is acknowledged, with the interrupted
 * registers; @fn may not return). Shares the timer with the ticks.
 * Return: 0, or negative when interrupts are unusable.
 */
struct pt_regs;
int timer_background_start(unsigned int period_ms, void (*fn)(struct pt_regs *regs));
u64 timer_tick_count(void);

#endif
