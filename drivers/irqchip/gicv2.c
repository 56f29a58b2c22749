// SPDX-License-Identifier: GPL-2.0
/*
 * GICv2 (QEMU virt): the virtual timer (PPI 27) on every core, and SGIs
 * 0..15 as inter-processor interrupts (SGI n is IPI n). The distributor is
 * set up once; each core enables its own CPU interface and its banked
 * SGI/PPI registers, and learns its CPU interface number (the target bit
 * GICD_SGIR wants) from the banked GICD_ITARGETSR0. When
 * ferret was entered at EL3 the GIC is in its secure configuration and the
 * non-secure EL1 we run in cannot claim group-0 interrupts: init says so.
 */
#include <ferret/irq.h>
#include <ferret/smp.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm-generic/barrier.h>

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IGROUPR		0x080
#define GICD_ISENABLER		0x100
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_SGIR		0xf00
#define GICC_CTLR		0x000
#define GICC_PMR		0x004
#define GICC_IAR		0x00c
#define GICC_EOIR		0x010

#define VTIMER_PPI		27

static unsigned long gicd, gicc;
static u8 cpu_if_mask[NR_CPUS];		/* each core's CPU interface bit */
static u32 last_iar[NR_CPUS];		/* an SGI's IAR names its sender: EOI it whole */

static inline u32 rd(unsigned long a)
{
	return readl(a);
}

static inline void wr(unsigned long a, u32 v)
{
	writel(v, a);
}

static int gicv2_init_cpu(void)
{
	volatile u8 *prio = (volatile u8 *)(gicd + GICD_IPRIORITYR);

	cpu_if_mask[smp_processor_id()] = *(volatile u8 *)(gicd + GICD_ITARGETSR);
	for (int i = 0; i < 16; i++)
		prio[i] = 0x80;			/* above the timer's */
	wr(gicd + GICD_ISENABLER, 0xffff);	/* SGIs (banked) */
	wr(gicc + GICC_PMR, 0xf0);
	wr(gicc + GICC_CTLR, 1);
	return 0;
}

static int gicv2_init(unsigned long dist, unsigned long cpu)
{
	gicd = dist;
	gicc = cpu;
	if (boot_entry_el == 3)
		return -1;	/* secure GIC: group 0 belongs to a firmware we don't have */
	wr(gicd + GICD_CTLR, 1);
	return gicv2_init_cpu();
}

static void gicv2_enable_timer(void)
{
	volatile u8 *prio = (volatile u8 *)(gicd + GICD_IPRIORITYR);

	prio[VTIMER_PPI] = 0xa0;
	wr(gicd + GICD_ISENABLER, 1u << VTIMER_PPI);
}

static int gicv2_ack(void)
{
	u32 iar = rd(gicc + GICC_IAR);
	u32 id = iar & 0x3ff;

	if (id == VTIMER_PPI)
		return IRQ_SRC_TIMER;
	if (id < 16) {
		last_iar[smp_processor_id()] = iar;
		return IRQ_SRC_IPI + (int)id;
	}
	if (id < 1020)
		wr(gicc + GICC_EOIR, iar);
	return -1;
}

static void gicv2_eoi(int src)
{
	if (src == IRQ_SRC_TIMER)
		wr(gicc + GICC_EOIR, VTIMER_PPI);
	else if (src >= IRQ_SRC_IPI)
		wr(gicc + GICC_EOIR, last_iar[smp_processor_id()]);
}

static void gicv2_send_ipi(unsigned int cpu, unsigned int ipi)
{
	dsb(ishst);	/* what the IPI announces is visible first */
	wr(gicd + GICD_SGIR, ((u32)cpu_if_mask[cpu] << 16) | (ipi & 0xf));
}

const struct irqchip gicv2_irqchip = {
	.name = "gicv2",
	.init = gicv2_init,
	.init_cpu = gicv2_init_cpu,
	.enable_timer = gicv2_enable_timer,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.send_ipi = gicv2_send_ipi,
};
