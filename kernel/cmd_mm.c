// SPDX-License-Identifier: GPL-2.0
/*
 * Console commands over the page allocator: allocate and free by hand or by
 * script, print Linux's /proc statistics, check every invariant, and stress
 * the allocator from an interrupt handler.
 */
#include <ferret/console.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/mm.h>
#include <ferret/gfp.h>
#include <ferret/mmzone.h>
#include <ferret/memblock.h>
#include <ferret/vmstat.h>
#include <ferret/irq.h>
#include <ferret/time.h>

static int parse_order(const char *s, unsigned int *order)
{
	unsigned long v;

	if (parse_ulong(s, &v))
		return -1;
	if (v > MAX_PAGE_ORDER) {
		printk("order %lu is out of range 0..%d\n", v, MAX_PAGE_ORDER);
		return -1;
	}
	*order = (unsigned int)v;
	return 0;
}

static int cmd_alloc(int argc, char **argv)
{
	unsigned long count = 1, done;
	unsigned int order;
	gfp_t gfp = GFP_KERNEL;
	char names[128];

	if (argc < 2 || argc > 4 || parse_order(argv[1], &order))
		return console_usage(argv[0]);
	if (argc > 2 && parse_ulong(argv[2], &count))
		return console_usage(argv[0]);
	if (!count || count > (max_pfn - min_low_pfn) >> order) {
		printk("alloc: count must be 1..%lu (the order-%u blocks RAM could hold)\n",
		       (max_pfn - min_low_pfn) >> order, order);
		return -1;
	}
	if (argc > 3 && gfp_parse(argv[3], &gfp)) {
		printk("alloc: bad gfp '%s' (names like GFP_KERNEL|__GFP_ZERO, or a number)\n",
		       argv[3]);
		return console_usage(argv[0]);
	}
	gfp_format(names, sizeof(names), gfp);
	for (done = 0; done < count; done++) {
		struct page *page;

		if ((done & 63) == 63 && console_interrupted())
			break;
		page = alloc_pages(gfp, order);
		if (!page) {
			printk("alloc: order %u failed after %lu of %lu blocks\n", order, done, count);
			return -1;
		}
		printk("pfn=0x%lx order=%u gfp=%#x(%s)\n", page_to_pfn(page), order, gfp, names);
	}
	return 0;
}
CONSOLE_CMD("alloc", "<order> [count] [gfp]", "allocate blocks, print pfn=0x.. for each",
	    cmd_alloc,
	.args = "<order>\tblock size: 2^order pages, 0 to 10\n"
		"<count>\thow many blocks (default 1), at most what RAM holds; Ctrl-C stops\n"
		"<gfp>\tflags by Linux's names joined by '|', or a number\n"
		"\t(default GFP_KERNEL): GFP_KERNEL|__GFP_ZERO, GFP_ATOMIC, __GFP_COMP...",
	.example = "alloc 0\nalloc 3 4 GFP_KERNEL|__GFP_COMP");

static int cmd_free(int argc, char **argv)
{
	unsigned long pfn;
	unsigned int order = 0;

	if (argc < 2 || argc > 3 || parse_ulong(argv[1], &pfn) ||
	    (argc == 3 && parse_order(argv[2], &order)))
		return console_usage(argv[0]);
	switch (free_pages_pfn(pfn, order)) {
	case 0:
		return 0;
	case 1:	/* someone else holds a reference (`get`): the last put frees it */
		printk("free: pfn 0x%lx order %u still has %d reference(s): not freed yet\n", pfn,
		       order, page_ref_count(pfn_to_page(pfn)));
		return 0;
	default:
		printk("free: refused pfn 0x%lx order %u\n", pfn, order);
		return -1;
	}
}
CONSOLE_CMD("free", "<pfn> [order]", "free a block allocated with `alloc`", cmd_free,
	.args = "<pfn>\tthe block's first page frame number, as alloc printed it\n"
		"<order>\tthe order it was allocated with (default 0); a wrong one is refused",
	.example = "alloc 2\nfree 0x48000 2");

#define SEQ_CMD(cname, fn, helptext)                                    \
	static int cmd_##fn(int argc, char **argv)                      \
	{                                                               \
		struct seq_file m;                                      \
		if (argc != 1)                                          \
			return console_usage(argv[0]);                  \
		seq_init_console(&m);                                   \
		fn(&m);                                                 \
		return 0;                                               \
	}                                                               \
	CONSOLE_CMD_PANIC(cname, "", helptext, cmd_##fn,                \
			  .args = "(none)\ttakes no arguments", .example = cname)

SEQ_CMD("meminfo", meminfo_show, "memory usage as /proc/meminfo");
SEQ_CMD("buddyinfo", buddyinfo_show, "free blocks per order as /proc/buddyinfo");
static int cmd_vmstat(int argc, char **argv)
{
	struct seq_file m;

	if (argc == 2 && !strcmp(argv[1], "reset")) {
		zone_lock_stats_reset();
		printk("vmstat: zone lock statistics reset\n");
		return 0;
	}
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "locks")))
		return console_usage(argv[0]);
	seq_init_console(&m);
	if (argc == 2)
		zone_lock_stats_show(&m);
	else
		vmstat_show(&m);
	return 0;
}
CONSOLE_CMD_PANIC("vmstat", "[locks|reset]", "allocation, free and failure counters per order; zone lock statistics",
		  cmd_vmstat,
		  .args = "locks\tthe zone lock's statistics: acquisitions, contended ones, spins waiting\n"
			  "reset\tzero them",
		  .example = "vmstat\nvmstat reset\nvmstat locks");
SEQ_CMD("memblock", memblock_dump, "boot memory ranges and named reservations");

void pagetypeinfo_mixed_show(struct seq_file *m);

static int cmd_pagetypeinfo(int argc, char **argv)
{
	struct seq_file m;

	if (argc != 1)
		return console_usage(argv[0]);
	seq_init_console(&m);
	pagetypeinfo_show(&m);
	pagetypeinfo_mixed_show(&m);
	return 0;
}
CONSOLE_CMD_PANIC("pagetypeinfo", "", "free blocks per migratetype as /proc/pagetypeinfo",
		  cmd_pagetypeinfo,
	.args = "(none)\tfree blocks per order and migratetype, pageblocks per type,\n"
		"\tthen the pageblocks holding pages of another type",
	.example = "pagetypeinfo");

static int cmd_memtest(int argc, char **argv)
{
	struct seq_file m;
	int bad;

	if (argc != 1)
		return console_usage(argv[0]);
	seq_init_console(&m);
	bad = mm_check_invariants(&m);
	printk("memtest: %s\n", bad ? "FAILED" : "passed");
	return bad ? -1 : 0;
}
CONSOLE_CMD_PANIC("memtest", "", "check every allocator invariant", cmd_memtest,
	.args = "(none)\tfree lists, flags, orders, counters and page_owner records;\n"
		"\tprints each violation, then passed or FAILED",
	.example = "memtest");

/*
 * irqstress: the timer interrupt allocates and frees while the console does
 * the same, so a missing interrupt mask around allocator state shows up as
 * a memtest violation. Both sides keep their own pool of live blocks.
 */
#define IRQ_POOL 64
static struct page *irq_pool[IRQ_POOL];
static unsigned int irq_pool_order[IRQ_POOL];
static u32 irq_rng = 1;
static unsigned long irq_ops, irq_fail;

static u32 xorshift(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Objects of random sizes (8 B to 2 KiB) in a pool: free if taken, else kmalloc. */
static unsigned long kmalloc_step(void **pool, unsigned int n, u32 r, gfp_t gfp)
{
	unsigned int i = r % n;

	if (pool[i]) {
		kfree(pool[i]);
		pool[i] = NULL;
		return 0;
	}
	pool[i] = kmalloc(8 + (r >> 8) % 2041, gfp | __GFP_NOWARN);
	return !pool[i];
}

static void *irq_objs[IRQ_POOL];

static void irqstress_tick(void)
{
	for (int k = 0; k < 4; k++) {
		u32 r = xorshift(&irq_rng);
		unsigned int i = r % IRQ_POOL;

		irq_fail += kmalloc_step(irq_objs, IRQ_POOL, xorshift(&irq_rng), GFP_ATOMIC);
		if (irq_pool[i]) {
			__free_pages(irq_pool[i], irq_pool_order[i]);
			irq_pool[i] = NULL;
		} else {
			irq_pool_order[i] = (r >> 8) % 4;
			irq_pool[i] = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, irq_pool_order[i]);
			irq_fail += !irq_pool[i];
		}
		irq_ops++;
	}
}

static int cmd_irqstress(int argc, char **argv)
{
	static struct page *pool[256];
	static unsigned int pool_order[256];
	static void *objs[256];
	unsigned long ms = 1000, ops = 0;
	u32 rng = 12345;
	static char quiet_buf[256];
	struct seq_buf_ctx quiet;
	struct seq_file m;
	u64 end;
	int bad;

	if (argc > 2 || (argc == 2 && parse_ulong(argv[1], &ms)) || ms == 0 || ms > 600000)
		return console_usage(argv[0]);
	irq_ops = irq_fail = 0;
	if (timer_tick_start(200, irqstress_tick)) {
		printk("irqstress: no timer interrupts on this machine\n");
		return -1;
	}
	end = ktime_get_ns() + ms * NSEC_PER_MSEC;
	while (ktime_get_ns() < end && !console_interrupted()) {
		for (int k = 0; k < 64; k++) {
			u32 r = xorshift(&rng);
			unsigned int i = r % 256;

			if (pool[i]) {
				__free_pages(pool[i], pool_order[i]);
				pool[i] = NULL;
			} else {
				pool_order[i] = (r >> 8) % 4;
				pool[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, pool_order[i]);
			}
			kmalloc_step(objs, 256, xorshift(&rng), GFP_KERNEL);
			ops++;
		}
	}
	timer_tick_stop();
	for (int i = 0; i < 256; i++)
		if (pool[i]) {
			__free_pages(pool[i], pool_order[i]);
			pool[i] = NULL;
		}
	for (int i = 0; i < IRQ_POOL; i++)
		if (irq_pool[i]) {
			__free_pages(irq_pool[i], irq_pool_order[i]);
			irq_pool[i] = NULL;
		}
	for (int i = 0; i < 256; i++) {
		kfree(objs[i]);
		objs[i] = NULL;
		if (i < IRQ_POOL) {
			kfree(irq_objs[i]);
			irq_objs[i] = NULL;
		}
	}
	printk("irqstress: %lu operations in process context, %lu in %llu interrupts (%lu failed)\n",
	       ops, irq_ops, (unsigned long long)timer_tick_count(), irq_fail);
	seq_init_buf(&m, &quiet, quiet_buf, sizeof(quiet_buf));	/* only the verdict */
	bad = mm_check_invariants(&m);
	printk("irqstress: memtest %s (%d violations)\n", bad ? "FAILED" : "passed", bad);
	return bad ? -1 : 0;
}
CONSOLE_CMD("irqstress", "[ms]", "allocate and free pages and kmalloc objects from the timer interrupt and the console",
	    cmd_irqstress,
	.args = "<ms>\thow long, 1 to 600000 (default 1000); Ctrl-C stops.\n"
		"\tEnds with memtest's verdict",
	.example = "irqstress 2000");
