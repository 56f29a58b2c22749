// SPDX-License-Identifier: GPL-2.0
/*
 * The console UART, chosen from the board's facts (<generated/board.h>:
 * UART_KIND, UART_BASE, UART_CLOCK), first at 115200 baud; then set as the DTB and the
 * command line say (uart_console_setup()).
 */
#include <generated/board.h>
#include <ferret/boot.h>
#include <ferret/fdt.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/uart.h>

#define CONSOLE_DEFAULT_BAUD	115200
/* Linux's name for a PL011 port; console=<name>,<options> (Documentation: serial-console). */
#define CONSOLE_TTY		"ttyAMA0"

static struct uart_port console_port = {
	.ops = &BOARD_UART_OPS,
	.base = BOARD_UART_BASE,
	.clock = BOARD_UART_CLOCK,
};

void uart_console_init(void)
{
	console_port.ops->init(&console_port, CONSOLE_DEFAULT_BAUD);
}

const struct uart_port *uart_console_port(void)
{
	return &console_port;
}

/* The stdout-path node if it is a PL011; *@opts: its options after ':' (NULL: none). */
static int stdout_node(const void *fdt, const char **opts)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), node;
	const char *path = chosen >= 0 ? fdt_getprop_string(fdt, chosen, "stdout-path") : NULL;
	const char *colon;
	char buf[128];
	size_t n;

	*opts = NULL;
	if (!path)
		return -1;
	colon = strchr(path, ':');
	n = colon ? (size_t)(colon - path) : strlen(path);
	if (n >= sizeof(buf)) {
		pr_err("uart: /chosen/stdout-path is longer than %zu bytes: ignored\n",
		       sizeof(buf) - 1);
		return -1;
	}
	memcpy(buf, path, n);
	buf[n] = '\0';
	node = fdt_path_offset(fdt, buf);
	if (node < 0) {
		pr_err("uart: /chosen/stdout-path '%s' names no node: ignored\n", buf);
		return -1;
	}
	if (!fdt_node_is_compatible(fdt, node, "arm,pl011")) {
		pr_warn("uart: /chosen/stdout-path '%s' is not a PL011 (the console is the "
			"board's): its settings are ignored\n", buf);
		return -1;
	}
	if (path[n] == ':')
		*opts = path + n + 1;
	return node;
}

/* The node's UARTCLK: its first clocks entry's clock-frequency (0: not in the DTB). */
static unsigned int node_clock(const void *fdt, int node)
{
	int len, clk;
	const u8 *clocks = fdt_getprop(fdt, node, "clocks", &len);
	u32 hz;

	if (!clocks || len < 4)
		return 0;
	clk = fdt_node_offset_by_phandle(fdt, fdt32_ld(clocks));
	if (clk < 0 || fdt_getprop_u32(fdt, clk, "clock-frequency", &hz) || !hz)
		return 0;
	return hz;
}

void uart_console_setup(const void *fdt)
{
	unsigned int baud = CONSOLE_DEFAULT_BAUD, clock, hz = 0, old = console_port.baud;
	const char *from = "the default", *opts = NULL, *why;
	int node = fdt ? stdout_node(fdt, &opts) : -1;
	char arg[64];
	u32 speed, ibrd, fbrd;

	if (node >= 0) {
		hz = node_clock(fdt, node);
		if (opts && *opts) {
			if (uart_parse_options(opts, strlen(opts), &baud, &why)) {
				pr_err("uart: stdout-path options '%s': %s: ignored\n", opts, why);
				baud = CONSOLE_DEFAULT_BAUD;
			} else {
				from = "/chosen/stdout-path";
			}
		} else if (!fdt_getprop_u32(fdt, node, "current-speed", &speed)) {
			if (speed) {
				baud = speed;
				from = "current-speed";
			} else {
				pr_err("uart: current-speed 0: ignored\n");
			}
		}
	}
	if (cmdline_get("console", arg, sizeof(arg))) {
		size_t n = strlen(CONSOLE_TTY);

		if (strncmp(arg, CONSOLE_TTY, n) || (arg[n] && arg[n] != ',')) {
			pr_err("cmdline: 'console=%s': the console is %s: ignored\n", arg,
			       CONSOLE_TTY);
		} else if (arg[n] == ',' &&
			   uart_parse_options(arg + n + 1, strlen(arg + n + 1), &baud, &why)) {
			pr_err("cmdline: 'console=%s': %s: ignored\n", arg, why);
		} else if (arg[n] == ',') {
			from = "the command line";
		}
	}
	clock = hz ? hz : console_port.clock;
	if (pl011_divisor(clock, baud, &ibrd, &fbrd)) {
		pr_err("uart: %u baud cannot be made from the %u Hz UART clock (at most %u): "
		       "staying at %u\n", baud, clock, clock / 16, old);
		return;
	}
	if (baud != old || clock != console_port.clock) {
		/* Said at the old speed, then the switch once it is all out. */
		pr_info("uart: switching to %u baud\n", baud);
		console_port.ops->flush(&console_port);
		console_port.clock = clock;
		console_port.ops->init(&console_port, baud);
	}
	pr_info("uart: %s at 0x%lx, %u baud 8N1 (from %s), UARTCLK %u Hz (from %s), "
		"IBRD %u FBRD %u\n", console_port.ops->name, console_port.base, baud, from, clock,
		hz ? "the DTB" : "the board", ibrd, fbrd);
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
