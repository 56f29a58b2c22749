// SPDX-License-Identifier: GPL-2.0
/* %pS and %pB: "sym+0x1c/0x80" as Linux prints them, or "0x<addr>" when unresolvable. */
#include <ferret/kallsyms.h>
#include <ferret/printk.h>
#include <ferret/string.h>

long ksym_search(u32 num, const u32 *offsets, const u32 *sizes, u32 off)
{
	u32 lo = 0, hi = num;

	if (!num)
		return -1;
	/* Last symbol whose start is <= off. */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (offsets[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (offsets[lo] > off || off - offsets[lo] >= sizes[lo])
		return -1;
	return lo;
}

int ksym_table_check(const struct ksym_table *t, size_t bytes)
{
	const u32 *w = (const u32 *)(t + 1);
	const char *names;

	if (bytes < sizeof(*t) || t->num > (bytes - sizeof(*t)) / 12 ||
	    t->names_bytes > bytes - sizeof(*t) - 12UL * t->num || !t->names_bytes)
		return -1;
	names = (const char *)(w + 3 * t->num);
	if (names[t->names_bytes - 1])
		return -1;	/* the last name ends inside */
	for (u32 i = 0; i < t->num; i++) {
		if ((i && w[i] < w[i - 1]) || w[2 * t->num + i] >= t->names_bytes ||
		    w[i] >= t->text_size || w[t->num + i] > t->text_size - w[i])
			return -1;
	}
	return 0;
}

const char *ksym_table_lookup(const struct ksym_table *t, unsigned long addr,
			      unsigned long *size, unsigned long *offset)
{
	const u32 *w = (const u32 *)(t + 1);
	long i;

	if (addr < t->text_base || addr - t->text_base >= t->text_size)
		return NULL;
	i = ksym_search(t->num, w, w + t->num, (u32)(addr - t->text_base));
	if (i < 0)
		return NULL;
	*size = w[t->num + i];
	*offset = (u32)(addr - t->text_base) - w[i];
	return (const char *)(w + 3 * t->num) + w[2 * t->num + i];
}

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
