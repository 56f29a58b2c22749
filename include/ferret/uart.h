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
	void (*init)(struct uart_port *port, unsigned int baud);
	void (*putc)(struct uart_port *port, char c);	/* waits for FIFO room */
	int (*getc)(struct uart_port *port);		/* -1 when nothing is waiting */
	void (*flush)(struct uart_port *port);		/* waits until all is sent */
};

struct uart_port {
	const struct uart_ops *ops;
	unsigned long base;
	unsigned int clock;
};

extern const struct uart_ops pl011_uart_ops;

/* The console UART, set up by uart_console_init() from the board's facts. */
void uart_console_init(void);
void uart_console_putc(char c);
int uart_console_getc(void);
void uart_console_flush(void);

#endif
