// SPDX-License-Identifier: GPL-2.0
/*
 * BCM2836/7 per-core local interrupt controller (Raspberry Pi 2/3): each
 * core's virtual timer interrupt, and its four mailboxes. Mailbox 0 carries
 * inter-processor interrupts: a sender sets bit n (IPI n) in the target's
 * write-set register; the target reads its read/clear register, takes the
 * lowest bit and clears it. A core's number here is MPIDR.Aff0.
 */
#include <ferret/irq.h>
#include <ferret/smp.h>
#include <asm/io.h>
#include <asm-generic/barrier.h>

#define TIMER_IRQCNTL(c)	(0x40 + 4 * (c))
#define MAILBOX_IRQCNTL(c)	(0x50 + 4 * (c))
#define IRQ_SOURCE(c)		(0x60 + 4 * (c))
#define MAILBOX0_SET(c)		(0x80 + 16 * (c))
#define MAILBOX0_CLR(c)		(0xc0 + 16 * (c))
#define CNTVIRQ			(1u << 3)
#define MAILBOX0_IRQ		(1u << 4)

static unsigned long base;

static unsigned int core(void)
{
	return (unsigned int)(cpu_hwid[smp_processor_id()] & 3);
}

static int bcm2836_init_cpu(void)
{
	writel(1u, base + MAILBOX_IRQCNTL(core()));	/* mailbox 0: IRQ */
	return 0;
}

static int bcm2836_init(unsigned long b, unsigned long unused)
{
	base = b;
	return bcm2836_init_cpu();
}

static void bcm2836_enable_timer(void)
{
	writel(CNTVIRQ, base + TIMER_IRQCNTL(core()));
}

static int bcm2836_ack(void)
{
	unsigned int c = core();
	u32 src = readl(base + IRQ_SOURCE(c)), mb;

	if (src & CNTVIRQ)
		return IRQ_SRC_TIMER;
	if (src & MAILBOX0_IRQ) {
		mb = readl(base + MAILBOX0_CLR(c));
		if (mb) {
			unsigned int n = (unsigned int)__builtin_ctz(mb);

			writel(1u << n, base + MAILBOX0_CLR(c));
			return IRQ_SRC_IPI + (int)n;
		}
	}
	return -1;
}

static void bcm2836_eoi(int src)
{
}

static void bcm2836_send_ipi(unsigned int cpu, unsigned int ipi)
{
	dsb(sy);	/* what the IPI announces is visible first */
	writel(1u << ipi, base + MAILBOX0_SET(cpu_hwid[cpu] & 3));
}

const struct irqchip bcm2836_irqchip = {
	.name = "bcm2836-local",
	.init = bcm2836_init,
	.init_cpu = bcm2836_init_cpu,
	.enable_timer = bcm2836_enable_timer,
	.ack = bcm2836_ack,
	.eoi = bcm2836_eoi,
	.send_ipi = bcm2836_send_ipi,
};
