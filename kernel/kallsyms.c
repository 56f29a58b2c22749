// SPDX-License-Identifier: GPL-2.0
/*
 * The embedded symbol table. tools/kallsyms turns `nm -n -S` of the first
 * link into .kallsyms (sorted 32-bit offsets from _text, sizes, names); the
 * second link embeds it. Lookup is a binary search: no allocation, safe in
 * the crash path.
 */
#include <ferret/kallsyms.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <asm/sections.h>

extern const u32 kallsyms_num;
extern const u32 kallsyms_offsets[];	/* from _text, ascending */
extern const u32 kallsyms_sizes[];
extern const u32 kallsyms_name_offsets[];
extern const char kallsyms_names[];

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
	long i;

	if (addr < base || addr >= (unsigned long)_etext)
		return NULL;
	i = ksym_search(kallsyms_num, kallsyms_offsets, kallsyms_sizes, (u32)(addr - base));
	if (i < 0)
		return NULL;
	*size = kallsyms_sizes[i];
	*offset = (u32)(addr - base) - kallsyms_offsets[i];
	return kallsyms_names + kallsyms_name_offsets[i];
}

/* The names are last: their size is the last name's end. */
static size_t names_bytes(void)
{
	size_t end = 0;

	for (u32 i = 0; i < kallsyms_num; i++) {
		size_t e = kallsyms_name_offsets[i] + strlen(kallsyms_names + kallsyms_name_offsets[i]) + 1;

		if (e > end)
			end = e;
	}
	return end;
}

size_t kallsyms_export_size(void)
{
	return kallsyms_num ? sizeof(struct ksym_table) + 12UL * kallsyms_num + names_bytes() : 0;
}

int kallsyms_export(void *buf, size_t size)
{
	struct ksym_table *t = buf;
	u32 *w = (u32 *)(t + 1);
	size_t n = names_bytes();

	if (!kallsyms_num || size < kallsyms_export_size())
		return -1;
	t->num = kallsyms_num;
	t->names_bytes = (u32)n;
	t->text_base = (unsigned long)_text;
	t->text_size = (unsigned long)(_etext - _text);
	memcpy(w, kallsyms_offsets, 4UL * kallsyms_num);
	memcpy(w + kallsyms_num, kallsyms_sizes, 4UL * kallsyms_num);
	memcpy(w + 2 * kallsyms_num, kallsyms_name_offsets, 4UL * kallsyms_num);
	memcpy(w + 3 * kallsyms_num, kallsyms_names, n);
	return 0;
}
