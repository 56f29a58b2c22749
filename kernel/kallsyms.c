// SPDX-License-Identifier: GPL-2.0
/*
 * The embedded symbol table. tools/kallsyms turns `nm -n -S` of the first
 * link into .kallsyms (sorted 32-bit offsets from _text, sizes, names); the
 * second link embeds it. Lookup is a binary search: no allocation, safe in
 * the crash path.
 */
#include <ferret/kallsyms.h>
#include <ferret/printk.h>

extern const u32 kallsyms_num;
extern const u32 kallsyms_offsets[];	/* from _text, ascending */
extern const u32 kallsyms_sizes[];
extern const u32 kallsyms_name_offsets[];
extern const char kallsyms_names[];
extern char _text[], _etext[];

unsigned long kallsyms_text_base(void)
{
	return (unsigned long)_text;
}

unsigned long kallsyms_text_size(void)
{
	return (unsigned long)(_etext - _text);
}

const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset)
{
	unsigned long base = (unsigned long)_text;
	u32 lo = 0, hi = kallsyms_num, off;

	if (addr < base || addr >= (unsigned long)_etext || !kallsyms_num)
		return NULL;
	off = (u32)(addr - base);
	/* Last symbol whose start is <= off. */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (kallsyms_offsets[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (kallsyms_offsets[lo] > off || off - kallsyms_offsets[lo] >= kallsyms_sizes[lo])
		return NULL;
	*size = kallsyms_sizes[lo];
	*offset = off - kallsyms_offsets[lo];
	return kallsyms_names + kallsyms_name_offsets[lo];
}
