// SPDX-License-Identifier: GPL-2.0
/* The console UART, chosen from the board's facts (board.mk: UART_KIND, UART_BASE). */
#include <ferret/uart.h>

static struct uart_port console_port = {
	.ops = &BOARD_UART_OPS,
	.base = BOARD_UART_BASE,
	.clock = BOARD_UART_CLOCK,
};

void uart_console_init(void)
{
	console_port.ops->init(&console_port, 115200);
}

void uart_console_putc(char c)
{
	console_port.ops->putc(&console_port, c);
}

int uart_console_getc(void)
{
	return console_port.ops->getc(&console_port);
}

void uart_console_flush(void)
{
	console_port.ops->flush(&console_port);
}
