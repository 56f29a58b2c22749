// SPDX-License-Identifier: GPL-2.0
/*
 * A serial line's settings as Linux writes them after a console name or in
 * a device tree's /chosen/stdout-path: "<baud>[<parity>[<bits>[<flow>]]]",
 * e.g. "921600n8" (console=ttyAMA0,921600n8, stdout-path = "serial0:921600n8").
 * ferret's console runs 8N1 without flow control (the stream and the host
 * tools assume it), so anything else is refused with the reason.
 */
#include <ferret/uart.h>
#include <ferret/string.h>

int uart_parse_options(const char *s, size_t n, unsigned int *baud, const char **why)
{
	unsigned long v = 0;
	size_t i = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9' && v <= 100000000)
		v = v * 10 + (unsigned long)(s[i++] - '0');
	if (!i || v == 0 || v > 100000000) {
		*why = "the baud rate must be a number from 1 to 100000000";
		return -1;
	}
	if (i < n && s[i] != 'n') {
		*why = s[i] == 'o' || s[i] == 'e' ? "only no parity ('n') is supported" :
						    "after the baud rate come parity n and 8 bits";
		return -1;
	}
	if (i < n && ++i < n && s[i] != '8') {
		*why = s[i] >= '5' && s[i] <= '7' ? "only 8 data bits are supported" :
						    "after the baud rate come parity n and 8 bits";
		return -1;
	}
	if (i < n && ++i < n) {
		*why = s[i] == 'r' ? "flow control ('r') is not supported" :
				     "after the baud rate come parity n and 8 bits";
		return -1;
	}
	*baud = (unsigned int)v;
	return 0;
}
