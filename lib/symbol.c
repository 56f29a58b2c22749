// SPDX-License-Identifier: GPL-2.0
/* %pS and %pB: "sym+0x1c/0x80" as Linux prints them, or "0x<addr>" when unresolvable. */
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

/*
 * A return address (Linux's %pB lookup): the address after a call to a
 * function that never returns is one past its caller's end, so look up
 * addr - 1 and give the offset of addr itself.
 */
const char *kallsyms_lookup_return(unsigned long addr, unsigned long *size,
				   unsigned long *offset)
{
	const char *name = addr ? kallsyms_lookup(addr - 1, size, offset) : NULL;

	if (name)
		(*offset)++;
	return name;
}

/* %pB, for return addresses in stack traces (Linux's sprint_backtrace). */
int sprint_backtrace(char *buf, size_t size, unsigned long addr)
{
	unsigned long sz, off;
	const char *name = kallsyms_lookup_return(addr, &sz, &off);

	if (!name)
		return snprintf(buf, size, "0x%lx", addr);
	return snprintf(buf, size, "%s+0x%lx/0x%lx", name, off, sz);
}
