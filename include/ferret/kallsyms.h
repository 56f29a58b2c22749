/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address to symbol lookup. The kernel embeds a sorted symbol table built by
 * a second link pass (tools/kallsyms); the host build resolves with a table
 * the test registers, or not at all.
 */
#ifndef FERRET_KALLSYMS_H
#define FERRET_KALLSYMS_H

#include <ferret/types.h>

#define KSYM_NAME_LEN 128
#define KSYM_SYMBOL_LEN (KSYM_NAME_LEN + 48)

/*
 * kallsyms_lookup - find the function containing @addr.
 * Return: the symbol name and sets *@size and *@offset, or NULL when @addr is
 * not inside any known function.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset);

/* Text base for compact (32-bit) return addresses, see stackdepot. */
unsigned long kallsyms_text_base(void);
/* Bytes of text from the base (a depot frame's offset is below it). */
unsigned long kallsyms_text_size(void);

/*
 * A symbol table as one self-contained block, so a later boot can name this
 * boot's stacks (mm/persist.c keeps it across a warm reset): the header,
 * then u32 offsets[num] (ascending, from text_base), u32 sizes[num],
 * u32 name_offsets[num], then names_bytes of NUL-terminated names.
 */
struct ksym_table {
	u32 num;
	u32 names_bytes;
	u64 text_base;
	u64 text_size;
};

/* Bytes kallsyms_export() needs (0: no table); copy the table into @buf (0, or -1). */
size_t kallsyms_export_size(void);
int kallsyms_export(void *buf, size_t size);
/* The table in @t (@bytes long) is whole and sorted: 0, or -1. */
int ksym_table_check(const struct ksym_table *t, size_t bytes);
/* kallsyms_lookup() in a checked table. */
const char *ksym_table_lookup(const struct ksym_table *t, unsigned long addr,
			      unsigned long *size, unsigned long *offset);
/*
 * The search both share: the symbol of @num sorted ones holding offset @off,
 * or -1.
 */
long ksym_search(u32 num, const u32 *offsets, const u32 *sizes, u32 off);

/* "sym+0x1c/0x80" like Linux %pS, or "0x<addr>" when unresolvable. */
int sprint_symbol(char *buf, size_t size, unsigned long addr);
/*
 * kallsyms_lookup() for a return address, as %pB does it: looked up at
 * addr - 1, so the return address after a call to a noreturn function still
 * names its caller; *@offset is addr's own offset.
 */
const char *kallsyms_lookup_return(unsigned long addr, unsigned long *size,
				   unsigned long *offset);
/* The same for a return address (Linux %pB): looked up at addr - 1. */
int sprint_backtrace(char *buf, size_t size, unsigned long addr);

#endif
