// SPDX-License-Identifier: GPL-2.0
/* Arm PL011 (QEMU virt's UART, raspi3b's UART0). Polled, 8N1, FIFOs on, any baud the clock allows. */
#include <ferret/uart.h>
#include <ferret/compiler.h>
#include <asm/io.h>

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTIBRD	0x24
#define UARTFBRD	0x28
#define UARTLCR_H	0x2c
#define UARTCR		0x30
#define UARTIMSC	0x38
#define UARTICR		0x44

#define FR_BUSY		(1 << 3)
#define FR_RXFE		(1 << 4)
#define FR_TXFF		(1 << 5)
#define LCRH_FEN	(1 << 4)
#define LCRH_WLEN_8	(3 << 5)
#define CR_UARTEN	(1 << 0)
#define CR_TXE		(1 << 8)
#define CR_RXE		(1 << 9)

static inline u32 rd(struct uart_port *p, unsigned int off)
{
	return readl(p->base + off);
}

static inline void wr(struct uart_port *p, unsigned int off, u32 v)
{
	writel(v, p->base + off);
}

int pl011_divisor(unsigned int clock, unsigned int baud, u32 *ibrd, u32 *fbrd)
{
	u64 div64;

	/* The receiver samples 16 times a bit: at most clock / 16. */
	if (!baud || (u64)baud * 16 > clock)
		return -1;
	/* clock / (16 * baud) with 6 fraction bits, rounded. */
	div64 = ((u64)clock * 4 + baud / 2) / baud;
	if (div64 >> 6 > 0xffff)
		return -1;
	*ibrd = (u32)(div64 >> 6);
	*fbrd = (u32)(div64 & 0x3f);
	return 0;
}

static int pl011_init(struct uart_port *p, unsigned int baud)
{
	u32 ibrd, fbrd;

	if (pl011_divisor(p->clock, baud, &ibrd, &fbrd))
		return -1;
	while (rd(p, UARTFR) & FR_BUSY)
		;
	wr(p, UARTCR, 0);
	wr(p, UARTIMSC, 0);
	wr(p, UARTICR, 0x7ff);
	wr(p, UARTIBRD, ibrd);
	wr(p, UARTFBRD, fbrd);
	/* The divisor is latched by this write (PL011 TRM: LCR_H after IBRD/FBRD). */
	wr(p, UARTLCR_H, LCRH_WLEN_8 | LCRH_FEN);
	wr(p, UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
	p->baud = baud;
	return 0;
}

static void pl011_putc(struct uart_port *p, char c)
{
	while (rd(p, UARTFR) & FR_TXFF)
		;
	wr(p, UARTDR, (u8)c);
}

static int pl011_getc(struct uart_port *p)
{
	if (rd(p, UARTFR) & FR_RXFE)
		return -1;
	return rd(p, UARTDR) & 0xff;
}

static void pl011_flush(struct uart_port *p)
{
	while (rd(p, UARTFR) & FR_BUSY)
		;
}

const struct uart_ops pl011_uart_ops = {
	.name = "pl011",
	.init = pl011_init,
	.putc = pl011_putc,
	.getc = pl011_getc,
	.flush = pl011_flush,
};
