// SPDX-License-Identifier: GPL-2.0
/*
 * BCM2836 and BCM2837 (Raspberry Pi 2 and 3): route GPIO 14/15 to UART0
 * (ALT0) with pulls off, as the real boards need (QEMU ignores it), and reset
 * through the PM watchdog. Both SoCs have their peripherals at 0x3f000000.
 */
#include <ferret/boot.h>
#include <asm/io.h>

#define PERIPH_BASE	0x3f000000UL
#define GPFSEL1		(PERIPH_BASE + 0x200004)
#define GPPUD		(PERIPH_BASE + 0x200094)
#define GPPUDCLK0	(PERIPH_BASE + 0x200098)
#define PM_RSTC		(PERIPH_BASE + 0x10001c)
#define PM_WDOG		(PERIPH_BASE + 0x100024)
#define PM_PASSWORD	0x5a000000
#define PM_RSTC_WRCFG_FULL_RESET 0x20

static inline void w32(unsigned long a, u32 v)
{
	writel(v, a);
}

static inline u32 r32(unsigned long a)
{
	return readl(a);
}

static void delay(int n)
{
	while (n--)
		__asm__ __volatile__("nop");
}

void board_early_init(void)
{
	u32 sel = r32(GPFSEL1);

	sel &= ~((7u << 12) | (7u << 15));	/* GPIO14, GPIO15 */
	sel |= (4u << 12) | (4u << 15);		/* ALT0: TXD0, RXD0 */
	w32(GPFSEL1, sel);
	w32(GPPUD, 0);
	delay(150);
	w32(GPPUDCLK0, (1u << 14) | (1u << 15));
	delay(150);
	w32(GPPUDCLK0, 0);
}

bool board_reset_supported(void)
{
	return true;
}

void board_reset(void)
{
	w32(PM_WDOG, PM_PASSWORD | 10);
	w32(PM_RSTC, PM_PASSWORD | PM_RSTC_WRCFG_FULL_RESET);
	for (int i = 0; i < 10000000; i++)
		__asm__ __volatile__("nop");
}
