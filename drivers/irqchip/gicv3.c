// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 (QEMU virt with gic-version=3 or max): distributor and the boot
 * CPU's redistributor by MMIO, the CPU interface by system registers. Only
 * the virtual timer (PPI 27) is used. As with GICv2, a GIC left in its secure
 * configuration (entry at EL3) cannot be driven from non-secure EL1.
 */
#include <ferret/irq.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>
#include <asm/arch_gicv3.h>
#include <asm/io.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		(1u << 31)
#define GICR_WAKER		0x0014
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_IPRIORITYR		0x0400

#define VTIMER_PPI		27

static unsigned long gicd, gicr;

static inline u32 rd(unsigned long a)
{
	return readl(a);
}

static inline void wr(unsigned long a, u32 v)
{
	writel(v, a);
}

static int gicv3_init(unsigned long dist, unsigned long redist)
{
	u32 sre;
	int spins = 1000000;

	gicd = dist;
	gicr = redist;
	if (boot_entry_el == 3 || !redist)
		return -1;
	/* Affinity routing, group 1 (and 0, harmless with security disabled). */
	wr(gicd + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0));
	while ((rd(gicd + GICD_CTLR) & GICD_CTLR_RWP) && --spins)
		;
	/* Wake the boot CPU's redistributor. */
	wr(gicr + GICR_WAKER, rd(gicr + GICR_WAKER) & ~(1u << 1));
	spins = 1000000;
	while ((rd(gicr + GICR_WAKER) & (1u << 2)) && --spins)
		;
	if (!spins)
		return -1;
	gic_write_sre(gic_read_sre() | 1);	/* ICC_SRE: the system-register interface */
	isb();
	sre = gic_read_sre();
	if (!(sre & 1))
		return -1;	/* a higher EL kept the system-register interface from us */
	gic_write_pmr(0xf0);
	gic_write_grpen1(1);
	isb();
	return 0;
}

static void gicv3_enable_timer(void)
{
	unsigned long sgi = gicr + GICR_SGI_BASE;

	wr(sgi + GICR_IGROUPR0, rd(sgi + GICR_IGROUPR0) | (1u << VTIMER_PPI));
	((volatile u8 *)(sgi + GICR_IPRIORITYR))[VTIMER_PPI] = 0xa0;
	wr(sgi + GICR_ISENABLER0, 1u << VTIMER_PPI);
}

static int gicv3_ack(void)
{
	u32 iar = gic_read_iar() & 0xffffff;
	if (iar == VTIMER_PPI)
		return 0;
	if (iar < 1020)
		gic_write_eoir(iar);
	return -1;
}

static void gicv3_eoi(int src)
{
	if (src == 0)
		gic_write_eoir(VTIMER_PPI);
}

const struct irqchip gicv3_irqchip = {
	.name = "gicv3",
	.init = gicv3_init,
	.enable_timer = gicv3_enable_timer,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
};
