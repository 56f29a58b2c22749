/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UART ops: each driver (PL011 today; the Pi's mini-UART or a 16550 later)
 * fills a struct uart_ops; the board names the driver and its base address.
 * All ops poll: the console works with interrupts masked and in the panic path.
 */
#ifndef FERRET_UART_H
#define FERRET_UART_H

#include <ferret/types.h>

struct uart_port;

struct uart_ops {
	const char *name;
	/* Return: 0, or -1 when @baud cannot be made from the port's clock (nothing changed). */
	int (*init)(struct uart_port *port, unsigned int baud);
	void (*putc)(struct uart_port *port, char c);	/* waits for FIFO room */
	int (*getc)(struct uart_port *port);		/* -1 when nothing is waiting */
	void (*flush)(struct uart_port *port);		/* waits until all is sent */
};

struct uart_port {
	const struct uart_ops *ops;
	unsigned long base;
	unsigned int clock;	/* Hz: the board's, or the DTB's clock-frequency */
	unsigned int baud;	/* as set by init() */
};

extern const struct uart_ops pl011_uart_ops;

/*
 * PL011 divisor for @baud from a @clock Hz UARTCLK: IBRD, FBRD as Linux's
 * pl011_set_termios() computes them (clock * 4 / baud rounded, in 1/64ths).
 * Return: 0, or -1 when it is out of range (baud above clock / 16, or an
 * integer part above 0xffff).
 */
int pl011_divisor(unsigned int clock, unsigned int baud, u32 *ibrd, u32 *fbrd);

/*
 * "<baud>[n[8]]" (Linux's console options, lib/uart_options.c) of @n bytes.
 * Return: 0 with *@baud, or -1 with *@why saying what is wrong.
 */
int uart_parse_options(const char *s, size_t n, unsigned int *baud, const char **why);

/* The console UART, set up by uart_console_init() from the board's facts (115200). */
void uart_console_init(void);
/*
 * Then its speed and clock as the DTB and the command line say (console=ttyAMA0,<opts>
 * over /chosen/stdout-path's options over the node's current-speed; the clock from its
 * first clocks entry's clock-frequency): reported, bad values refused with the reason.
 * @fdt: the checked DTB, or NULL.
 */
void uart_console_setup(const void *fdt);
/* The console's port (its baud, clock, base). */
const struct uart_port *uart_console_port(void);
void uart_console_putc(char c);
int uart_console_getc(void);
void uart_console_flush(void);

#endif
