/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts: an irqchip driver per board (GICv2 on virt, the BCM2836 local
 * controller on raspi3b) and the per-CPU virtual timer as the one source
 * ferret uses today (periodic ticks for interrupt-context tests and work).
 */
#ifndef FERRET_IRQ_H
#define FERRET_IRQ_H

#include <ferret/types.h>

struct irqchip {
	const char *name;
	int (*init)(unsigned long base, unsigned long base2);	/* 0 or -errno */
	void (*enable_timer)(void);	/* route the virtual timer PPI to this CPU */
	int (*ack)(void);		/* pending source: 0 timer, -1 none/spurious */
	void (*eoi)(int src);
};

extern const struct irqchip gicv2_irqchip;
extern const struct irqchip gicv3_irqchip;
extern const struct irqchip bcm2836_irqchip;

/* Set up the board's controller. Return: 0, or negative if interrupts are unusable. */
int irq_init(void);
bool irq_available(void);

/*
 * timer_tick_start - call @fn from the timer interrupt every @period_us.
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
