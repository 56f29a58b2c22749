// SPDX-License-Identifier: GPL-2.0
/* Arm PL011 (QEMU virt's UART, raspi3b's UART0). Polled, 8N1, FIFOs on. */
#include <ferret/uart.h>
#include <ferret/compiler.h>

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
	return *(volatile u32 *)(p->base + off);
}

static inline void wr(struct uart_port *p, unsigned int off, u32 v)
{
	*(volatile u32 *)(p->base + off) = v;
}

static void pl011_init(struct uart_port *p, unsigned int baud)
{
	/* Divisor in 1/64ths: clock / (16 * baud) with 6 fraction bits, rounded. */
	u32 div64 = (u32)(((u64)p->clock * 4 + baud / 2) / baud);

	while (rd(p, UARTFR) & FR_BUSY)
		;
	wr(p, UARTCR, 0);
	wr(p, UARTIMSC, 0);
	wr(p, UARTICR, 0x7ff);
	wr(p, UARTIBRD, div64 >> 6);
	wr(p, UARTFBRD, div64 & 0x3f);
	wr(p, UARTLCR_H, LCRH_WLEN_8 | LCRH_FEN);
	wr(p, UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
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
