// SPDX-License-Identifier: GPL-2.0
/*
 * GICv2 (QEMU virt). ferret only needs the virtual timer (PPI 27). When
 * ferret was entered at EL3 the GIC is in its secure configuration and the
 * non-secure EL1 we run in cannot claim group-0 interrupts: init says so.
 */
#include <ferret/irq.h>
#include <asm/cpu.h>
#include <asm/io.h>

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IGROUPR		0x080
#define GICD_ISENABLER		0x100
#define GICD_IPRIORITYR		0x400
#define GICC_CTLR		0x000
#define GICC_PMR		0x004
#define GICC_IAR		0x00c
#define GICC_EOIR		0x010

#define VTIMER_PPI		27

static unsigned long gicd, gicc;

static inline u32 rd(unsigned long a)
{
	return readl(a);
}

static inline void wr(unsigned long a, u32 v)
{
	writel(v, a);
}

static int gicv2_init(unsigned long dist, unsigned long cpu)
{
	gicd = dist;
	gicc = cpu;
	if (boot_entry_el == 3)
		return -1;	/* secure GIC: group 0 belongs to a firmware we don't have */
	wr(gicd + GICD_CTLR, 1);
	wr(gicc + GICC_PMR, 0xf0);
	wr(gicc + GICC_CTLR, 1);
	return 0;
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
		return 0;
	if (id < 1020)
		wr(gicc + GICC_EOIR, iar);
	return -1;
}

static void gicv2_eoi(int src)
{
	if (src == 0)
		wr(gicc + GICC_EOIR, VTIMER_PPI);
}

const struct irqchip gicv2_irqchip = {
	.name = "gicv2",
	.init = gicv2_init,
	.enable_timer = gicv2_enable_timer,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
};
