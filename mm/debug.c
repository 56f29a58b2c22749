// SPDX-License-Identifier: GPL-2.0
/*
 * dump_page(): print a struct page the way Linux's mm/debug.c does, so bad
 * page reports read like Linux's; dump_page_seq() prints the same lines
 * into a seq_file (the contiguous allocator's failure report). ferret's
 * struct page has no mapping, index or mapcount: those print as zero.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/page_owner.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/string.h>

#include "page_alloc.h"

#define F(pg)	(1U << (pg))

/*
 * Names of page->flags combinations, in the order they print. Linux's names
 * come first, where ferret has a flag that means what Linux's does:
 * PG_reserved is "reserved", and PG_head means a compound head only with
 * PG_compound (a block allocated with __GFP_COMP), as in Linux. The rest are
 * ferret's own: "block" heads an allocated block that is not compound (Linux
 * marks nothing there), "tail" (Linux keeps that in compound_head), "buddy"
 * (a page type in Linux, not a flag), "pcp", "memtest". The gdb script
 * (tools/gdb/ferret_gdb.py) reads this table from the target.
 */
const struct page_flag_name page_flag_names[] = {
	{ F(PG_reserved), F(PG_reserved), "reserved" },
	{ F(PG_head) | F(PG_compound), F(PG_head) | F(PG_compound), "head" },
	{ F(PG_head) | F(PG_compound), F(PG_head), "block" },
	{ F(PG_tail), F(PG_tail), "tail" },
	{ F(PG_buddy), F(PG_buddy), "buddy" },
	{ F(PG_pcp), F(PG_pcp), "pcp" },
	{ F(PG_memtest), F(PG_memtest), "memtest" },
	{ F(PG_slab), F(PG_slab), "slab" },
	{ F(PG_large_kmalloc), F(PG_large_kmalloc), "large_kmalloc" },
	{ 0, 0, NULL }
};

int page_flags_format(char *buf, size_t size, u32 flags)
{
	u32 known = 0;
	size_t len = 0;

	buf[0] = '\0';
	for (const struct page_flag_name *f = page_flag_names; f->name; f++) {
		known |= f->mask;
		if ((flags & f->mask) == f->value)
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
						len ? "|" : "", f->name);
	}
	/* Fields after the names, as Linux's node= and zone=: the order of a block head. */
	if (flags & (F(PG_head) | F(PG_buddy) | F(PG_pcp))) {
		known |= PAGE_ORDER_MASK;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%sorder=%u",
					len ? "|" : "",
					(flags & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT);
	}
	/* A slab page names its cache (the id bits of mm/slab.h). */
	if (flags & F(PG_slab)) {
		known |= PAGE_FLAGS_USER_MASK;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%scache=%s",
					len ? "|" : "", slab_cache_name_by_id(flags >> 20));
	}
	if (flags & ~known)
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%#x",
					len ? "|" : "", flags & ~known);
	return (int)(len < size ? len : size - 1);
}

void dump_page_seq(struct seq_file *m, const struct page *page, const char *reason)
{
	const u32 *raw = (const u32 *)page;
	u32 flags = READ_ONCE(page->flags);
	char names[96];

	BUILD_BUG_ON(sizeof(struct page) != 16);
	seq_printf(m, "page: refcount:%d mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x%lx\n",
		   page_ref_count(page), page_to_pfn(page));
	if ((flags & (1U << PG_head)) && page_order(page))
		seq_printf(m, "head: order:%u mapcount:0 entire_mapcount:0 nr_pages_mapped:0 "
			   "pincount:0\n", page_order(page));
	page_flags_format(names, sizeof(names), flags);
	seq_printf(m, "flags: 0x%x(%s)\n", flags, names);
	if (flags & (1U << PG_buddy))
		seq_puts(m, "page_type: f0(buddy)\n");
	seq_printf(m, "raw: %08x %08x %08x %08x\n", raw[0], raw[1], raw[2], raw[3]);
	if (reason)
		seq_printf(m, "page dumped because: %s\n", reason);
}

/* printk sink at KERN_WARNING: each seq_printf() above writes whole lines. */
static void warn_write(struct seq_file *m, const char *s, size_t len)
{
	printk(KERN_WARNING "%.*s", (int)len, s);
}

void dump_page(const struct page *page, const char *reason)
{
	struct seq_file m;

	memset(&m, 0, sizeof(m));
	m.write = warn_write;
	dump_page_seq(&m, page, reason);
	dump_page_owner(page);
	dump_stack();
}
