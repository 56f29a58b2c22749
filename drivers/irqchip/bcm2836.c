// SPDX-License-Identifier: GPL-2.0
/* BCM2836/7 per-core local interrupt controller (Raspberry Pi 2/3): core 0 timers. */
#include <ferret/irq.h>
#include <asm/io.h>

#define CORE0_TIMER_IRQCNTL	0x40
#define CORE0_IRQ_SOURCE	0x60
#define CNTVIRQ			(1u << 3)

static unsigned long base;

static int bcm2836_init(unsigned long b, unsigned long unused)
{
	base = b;
	return 0;
}

static void bcm2836_enable_timer(void)
{
	writel(CNTVIRQ, base + CORE0_TIMER_IRQCNTL);
}

static int bcm2836_ack(void)
{
	return (readl(base + CORE0_IRQ_SOURCE) & CNTVIRQ) ? 0 : -1;
}

static void bcm2836_eoi(int src)
{
}

const struct irqchip bcm2836_irqchip = {
	.name = "bcm2836-local",
	.init = bcm2836_init,
	.enable_timer = bcm2836_enable_timer,
	.ack = bcm2836_ack,
	.eoi = bcm2836_eoi,
};
