// SPDX-License-Identifier: GPL-2.0
/*
 * Console commands for contiguous allocations and page references:
 *
 *   contig alloc <nr>              alloc_contig_pages(nr)
 *   contig alloc <start> <end>     alloc_contig_range(start, end), end exclusive
 *   contig free <pfn> <nr>         free_contig_range(pfn, nr)
 *   get <pfn>                      get_page() on the block holding pfn
 *   put <pfn>                      put_page() on the block holding pfn
 *
 * A failed contig alloc prints the report of mm/page_isolation.c: each block
 * in the way, its page_owner record and, with `trace on`, its page_ref
 * history. get/put act on the head of the block holding the pfn, where the
 * block's refcount lives; put behaves exactly as put_page(): dropping the
 * last reference frees the block, whoever took it.
 */
#include <ferret/console.h>
#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/page-isolation.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

#define CONTIG_FREE_CHUNK 256	/* pages between two polls for Ctrl-C */

/* contig free: the range checked against RAM first, Ctrl-C between chunks. */
static int contig_free(unsigned long pfn, unsigned long nr)
{
	struct contig_free_counts c = { 0 };
	unsigned long done = 0;

	if (!nr || pfn < min_low_pfn || pfn >= max_pfn || nr > max_pfn - pfn) {
		printk("contig: free 0x%lx %lu: not a range of RAM pages (pfn 0x%lx-0x%lx)\n", pfn,
		       nr, min_low_pfn, max_pfn - 1);
		return -1;
	}
	while (done < nr && !(done && console_interrupted())) {
		unsigned long k = min(nr - done, (unsigned long)CONTIG_FREE_CHUNK);

		free_contig_range_counts(pfn + done, k, &c);
		done += k;
	}
	printk("contig: freed %lu of %lu pages at pfn=0x%lx", c.freed, nr, pfn);
	if (c.held)
		printk("; %lu still referenced (freed by their last put)", c.held);
	if (c.refused)
		printk("; %lu refused: not allocated order-0 pages", c.refused);
	if (done < nr)
		printk("; stopped after %lu pages", done);
	printk("\n");
	return c.refused || done < nr ? -1 : 0;
}

static int cmd_contig(int argc, char **argv)
{
	unsigned long a, b;
	struct seq_file m;

	if (argc < 3 || argc > 4 || parse_ulong(argv[2], &a) ||
	    (argc == 4 && parse_ulong(argv[3], &b)))
		return console_usage(argv[0]);
	seq_init_console(&m);
	if (!strcmp(argv[1], "alloc") && argc == 3) {
		struct page *page = __alloc_contig_pages(a, GFP_KERNEL, &m);

		if (!page) {
			printk("contig: no %lu contiguous free pages\n", a);
			return -1;
		}
		printk("contig: allocated %lu pages at pfn=0x%lx\n", a, page_to_pfn(page));
		return 0;
	}
	if (!strcmp(argv[1], "alloc")) {
		int ret = __alloc_contig_range(a, b, GFP_KERNEL, &m);

		if (ret) {
			printk("contig: alloc_contig_range(0x%lx, 0x%lx) failed: %d\n", a, b, ret);
			return -1;
		}
		printk("contig: allocated %lu pages at pfn=0x%lx\n", b - a, a);
		return 0;
	}
	if (!strcmp(argv[1], "free") && argc == 4)
		return contig_free(a, b);
	return console_usage(argv[0]);
}
CONSOLE_CMD("contig", "alloc <nr> | alloc <start_pfn> <end_pfn> | free <pfn> <nr>",
	    "contiguous allocations; a failure names the pages in the way", cmd_contig,
	.args = "alloc <nr>\t<nr> contiguous pages anywhere (alloc_contig_pages)\n"
		"alloc <start_pfn> <end_pfn>\tpfns start..end-1 exactly (alloc_contig_range)\n"
		"free <pfn> <nr>\tgive back <nr> pages from <pfn> (free_contig_range); each page\n"
		"\tmust be an allocated order-0 page, others are refused; Ctrl-C stops",
	.example = "contig alloc 512\ncontig alloc 0x48000 0x48200\ncontig free 0x48000 512");

/* The allocated block holding @argv[1]'s pfn, or NULL (message printed). */
static struct page *ref_target(char **argv, unsigned long *pfn)
{
	unsigned long head;
	unsigned int order;
	enum page_block_state st;

	if (parse_ulong(argv[1], pfn))
		return NULL;
	st = page_block(*pfn, &head, &order);
	if (st != PAGE_BLOCK_ALLOCATED) {
		printk("%s: pfn 0x%lx is %s: no reference to %s\n", argv[0], *pfn,
		       st == PAGE_BLOCK_NONE ? "not a page" :
		       st == PAGE_BLOCK_RESERVED ? "reserved" : "free",
		       argv[0][0] == 'g' ? "take" : "drop");
		return NULL;
	}
	if (head != *pfn)
		printk("%s: pfn 0x%lx is in the order-%u block at pfn 0x%lx\n", argv[0], *pfn,
		       order, head);
	*pfn = head;
	return pfn_to_page(head);
}

static int cmd_get(int argc, char **argv)
{
	struct page *page;
	unsigned long pfn;

	if (argc != 2)
		return console_usage(argv[0]);
	page = ref_target(argv, &pfn);
	if (!page)
		return -1;
	get_page(page);
	printk("get: pfn 0x%lx refcount %d\n", pfn, page_ref_count(page));
	return 0;
}
CONSOLE_CMD("get", "<pfn>", "take a reference on the block holding pfn (get_page)", cmd_get,
	.args = "<pfn>\tany page of an allocated block; the reference is the head's",
	.example = "alloc 0\nget 0x48000");

static int cmd_put(int argc, char **argv)
{
	struct page *page;
	unsigned long pfn;
	int count;

	if (argc != 2)
		return console_usage(argv[0]);
	page = ref_target(argv, &pfn);
	if (!page)
		return -1;
	count = page_ref_count(page);
	put_page(page);
	if (count > 1)
		printk("put: pfn 0x%lx refcount %d\n", pfn, page_ref_count(page));
	else
		printk("put: pfn 0x%lx refcount 0: freed\n", pfn);
	return 0;
}
CONSOLE_CMD("put", "<pfn>", "drop a reference (put_page); the last one frees the block",
	    cmd_put,
	.args = "<pfn>\tany page of an allocated block; dropping the last reference frees it",
	.example = "put 0x48000");
