// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP suite "uart": the PL011 divisor for known clocks and rates, console
 * options as Linux writes them, and the console's live IBRD/FBRD registers
 * against the baud it was set to (QEMU ignores the divisor, but keeps what
 * was written).
 */
#include <ferret/ktest.h>
#include <ferret/string.h>
#include <ferret/uart.h>

static void divisor(struct ktest *t, unsigned int clock, unsigned int baud, int ok, u32 ibrd,
		    u32 fbrd)
{
	u32 i = 0xdead, f = 0xbeef;
	int r = pl011_divisor(clock, baud, &i, &f);

	KTEST_EXPECT_EQ(t, r, ok ? 0 : -1);
	if (ok) {
		KTEST_EXPECT_EQ(t, i, ibrd);
		KTEST_EXPECT_EQ(t, f, fbrd);
	} else {
		KTEST_EXPECT_EQ(t, i, 0xdead);	/* untouched */
	}
}

static void pl011_divisors(struct ktest *t)
{
	/* QEMU virt's 24 MHz apb-pclk. */
	divisor(t, 24000000, 115200, 1, 13, 1);		/* 833.33/64 */
	divisor(t, 24000000, 921600, 1, 1, 40);		/* 104.17/64 */
	divisor(t, 24000000, 1500000, 1, 1, 0);		/* clock / 16: the fastest */
	divisor(t, 24000000, 1500001, 0, 0, 0);
	divisor(t, 24000000, 3000000, 0, 0, 0);
	/* The Pi's 48 MHz UART clock. */
	divisor(t, 48000000, 115200, 1, 26, 3);		/* 1666.67/64 */
	divisor(t, 48000000, 921600, 1, 3, 16);		/* 208.33/64 */
	divisor(t, 48000000, 3000000, 1, 1, 0);
	divisor(t, 3000000, 9600, 1, 19, 34);		/* 1250/64: rounds 19.53 to 34/64 */
	/* Slow ends: the integer part has 16 bits. */
	divisor(t, 24000000, 23, 1, 65217, 25);
	divisor(t, 24000000, 22, 0, 0, 0);
	divisor(t, 24000000, 0, 0, 0, 0);
}

static void parses(struct ktest *t, const char *s, int ok, unsigned int want)
{
	unsigned int baud = 7;
	const char *why = NULL;

	KTEST_EXPECT_EQ(t, uart_parse_options(s, strlen(s), &baud, &why), ok ? 0 : -1);
	KTEST_EXPECT_EQ(t, baud, ok ? want : 7);
	KTEST_EXPECT_TRUE(t, ok ? why == NULL : why != NULL);
}

static void console_options(struct ktest *t)
{
	parses(t, "115200", 1, 115200);
	parses(t, "921600n8", 1, 921600);
	parses(t, "3000000n", 1, 3000000);
	parses(t, "100000000", 1, 100000000);
	parses(t, "100000001", 0, 0);
	parses(t, "9600e7", 0, 0);
	parses(t, "9600o8", 0, 0);
	parses(t, "9600n7", 0, 0);
	parses(t, "115200n8r", 0, 0);
	parses(t, "115200n8x", 0, 0);
	parses(t, "", 0, 0);
	parses(t, "0", 0, 0);
	parses(t, "n8", 0, 0);
	parses(t, "99999999999999999999", 0, 0);
	/* Only the bytes given are read. */
	KTEST_EXPECT_EQ(t, uart_parse_options("96001", 4, &(unsigned int){ 0 },
					      &(const char *){ NULL }), 0);
}

static void console_registers(struct ktest *t)
{
	const struct uart_port *p = uart_console_port();
	u32 ibrd, fbrd;

	KTEST_ASSERT_TRUE(t, p->ops == &pl011_uart_ops);
	KTEST_ASSERT_TRUE(t, pl011_divisor(p->clock, p->baud, &ibrd, &fbrd) == 0);
	KTEST_EXPECT_EQ(t, *(volatile u32 *)(p->base + 0x24), ibrd);	/* UARTIBRD */
	KTEST_EXPECT_EQ(t, *(volatile u32 *)(p->base + 0x28), fbrd);	/* UARTFBRD */
	printk(KERN_INFO "    # console: %u baud, UARTCLK %u Hz, IBRD %u FBRD %u\n", p->baud,
	       p->clock, ibrd, fbrd);
}

static const struct ktest_case uart_cases[] = {
	KTEST_CASE(pl011_divisors),
	KTEST_CASE(console_options),
	KTEST_CASE(console_registers),
};
KTEST_SUITE(uart, uart_cases);
