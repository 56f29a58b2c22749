// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 (QEMU virt with gic-version=3 or max): the distributor and each
 * core's redistributor by MMIO, the CPU interface by system registers. The
 * virtual timer (PPI 27) on every core, and SGIs 0..15 as inter-processor
 * interrupts (SGI n is IPI n), sent through ICC_SGI1R by MPIDR affinity.
 * Each core finds its own redistributor frame in the region the DTB names by
 * the affinity in the frame's GICR_TYPER. As with GICv2, a GIC left in its
 * secure configuration (entry at EL3) cannot be driven from non-secure EL1.
 */
#include <ferret/irq.h>
#include <ferret/smp.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>
#include <asm/arch_gicv3.h>
#include <asm/io.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		(1u << 31)
#define GICR_WAKER		0x0014
#define GICR_TYPER		0x0008
#define GICR_TYPER_VLPIS	(1u << 1)
#define GICR_TYPER_LAST		(1u << 4)
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_IPRIORITYR		0x0400
#define GICR_MAX_FRAMES		64

#define VTIMER_PPI		27

static unsigned long gicd, gicr_region;
static unsigned long gicr[NR_CPUS];	/* each core's redistributor frame */

static inline u32 rd(unsigned long a)
{
	return readl(a);
}

static inline void wr(unsigned long a, u32 v)
{
	writel(v, a);
}

/* The frame whose GICR_TYPER affinity is this core's MPIDR, or 0. */
static unsigned long find_redist(void)
{
	unsigned long f = gicr_region, hwid = arch_cpu_hwid();
	u32 aff = (u32)((hwid & 0xffffff) | ((hwid >> 8) & 0xff000000));

	for (int i = 0; f && i < GICR_MAX_FRAMES; i++) {
		u32 typer = rd(f + GICR_TYPER), typer_aff = rd(f + GICR_TYPER + 4);

		if (typer_aff == aff)
			return f;
		if (typer & GICR_TYPER_LAST)
			break;
		f += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
	return 0;
}

static int gicv3_init_cpu(void)
{
	unsigned long r = find_redist(), sgi;
	int spins = 1000000;

	if (!r)
		return -1;
	gicr[smp_processor_id()] = r;
	/* Wake this core's redistributor. */
	wr(r + GICR_WAKER, rd(r + GICR_WAKER) & ~(1u << 1));
	while ((rd(r + GICR_WAKER) & (1u << 2)) && --spins)
		;
	if (!spins)
		return -1;
	gic_write_sre(gic_read_sre() | 1);	/* ICC_SRE: the system-register interface */
	isb();
	if (!(gic_read_sre() & 1))
		return -1;	/* a higher EL kept the system-register interface from us */
	sgi = r + GICR_SGI_BASE;
	wr(sgi + GICR_IGROUPR0, rd(sgi + GICR_IGROUPR0) | 0xffff);
	for (int i = 0; i < 16; i++)
		((volatile u8 *)(sgi + GICR_IPRIORITYR))[i] = 0x80;	/* above the timer's */
	wr(sgi + GICR_ISENABLER0, 0xffff);
	gic_write_pmr(0xf0);
	gic_write_grpen1(1);
	isb();
	return 0;
}

static int gicv3_init(unsigned long dist, unsigned long redist)
{
	int spins = 1000000;

	gicd = dist;
	gicr_region = redist;
	if (boot_entry_el == 3 || !redist)
		return -1;
	/* Affinity routing, group 1 (and 0, harmless with security disabled). */
	wr(gicd + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0));
	while ((rd(gicd + GICD_CTLR) & GICD_CTLR_RWP) && --spins)
		;
	return gicv3_init_cpu();
}

static void gicv3_enable_timer(void)
{
	unsigned long sgi = gicr[smp_processor_id()] + GICR_SGI_BASE;

	wr(sgi + GICR_IGROUPR0, rd(sgi + GICR_IGROUPR0) | (1u << VTIMER_PPI));
	((volatile u8 *)(sgi + GICR_IPRIORITYR))[VTIMER_PPI] = 0xa0;
	wr(sgi + GICR_ISENABLER0, 1u << VTIMER_PPI);
}

static int gicv3_ack(void)
{
	u32 iar = gic_read_iar() & 0xffffff;

	if (iar == VTIMER_PPI)
		return IRQ_SRC_TIMER;
	if (iar < 16)
		return IRQ_SRC_IPI + (int)iar;
	if (iar < 1020)
		gic_write_eoir(iar);
	return -1;
}

static void gicv3_eoi(int src)
{
	if (src == IRQ_SRC_TIMER)
		gic_write_eoir(VTIMER_PPI);
	else if (src >= IRQ_SRC_IPI)
		gic_write_eoir((u32)(src - IRQ_SRC_IPI));
}

static void gicv3_send_ipi(unsigned int cpu, unsigned int ipi)
{
	u64 hwid = cpu_hwid[cpu], aff0 = hwid & 0xff;
	u64 v = ((hwid >> 32) & 0xff) << 48 | ((hwid >> 16) & 0xff) << 32 |
		(aff0 >> 4) << 44 | ((u64)(ipi & 0xf) << 24) | ((hwid >> 8) & 0xff) << 16 |
		(1u << (aff0 & 0xf));

	dsb(ishst);	/* what the IPI announces is visible first */
	gic_write_sgi1r(v);
	isb();
}

const struct irqchip gicv3_irqchip = {
	.name = "gicv3",
	.init = gicv3_init,
	.init_cpu = gicv3_init_cpu,
	.enable_timer = gicv3_enable_timer,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.send_ipi = gicv3_send_ipi,
};
