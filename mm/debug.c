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
#include <ferret/string.h>

#include "page_alloc.h"

static const char * const pageflag_names[NR_PAGEFLAGS] = {
	[PG_reserved]	= "reserved",
	[PG_buddy]	= "buddy",
	[PG_pcp]	= "pcp",
	[PG_head]	= "head",
	[PG_compound]	= "compound",
	[PG_tail]	= "tail",
	[PG_memtest]	= "memtest",
};

/*
 * format_page_flags - "head|compound|order=3" (Linux's %pGp: names then
 * fields). Return: @buf.
 */
static char *format_page_flags(char *buf, size_t size, u32 flags)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < NR_PAGEFLAGS; i++) {
		if (!(flags & (1U << i)))
			continue;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
					len ? "|" : "", pageflag_names[i]);
		if (len >= size)
			return buf;
	}
	if (flags & PAGE_FLAGS_BLOCK)
		snprintf(buf + len, size - len, "%sorder=%u", len ? "|" : "",
			 (flags & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT);
	return buf;
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
	seq_printf(m, "flags: 0x%x(%s)\n", flags, format_page_flags(names, sizeof(names), flags));
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
