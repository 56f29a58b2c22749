// SPDX-License-Identifier: GPL-2.0
/* %pS: "sym+0x1c/0x80" as Linux prints it, or "0x<addr>" when unresolvable. */
#include <ferret/kallsyms.h>
#include <ferret/printk.h>

int sprint_symbol(char *buf, size_t size, unsigned long addr)
{
	unsigned long sz, off;
	const char *name = kallsyms_lookup(addr, &sz, &off);

	if (!name)
		return snprintf(buf, size, "0x%lx", addr);
	return snprintf(buf, size, "%s+0x%lx/0x%lx", name, off, sz);
}
