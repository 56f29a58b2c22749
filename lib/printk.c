// SPDX-License-Identifier: GPL-2.0
/* printk(): the variadic front of vprintk(), shared by the kernel and the host shim. */
#include <ferret/printk.h>

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
