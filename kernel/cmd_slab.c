// SPDX-License-Identifier: GPL-2.0
/*
 * Console commands of the object allocator:
 *   slabinfo                          Linux's /proc/slabinfo (version 2.1)
 *   slab alloc_traces <cache>         Linux's debugfs alloc_traces (owners on)
 *   slab free_traces <cache>          ... free_traces
 *   slab owner <addr>                 the owner record of the object at <addr>
 *   slab validate [cache]             check every slab (and debug red zones/poison)
 *   slab shrink [cache]               give empty slabs back to the buddy allocator
 *   slab bug <kind>                   provoke one kind of bug on purpose
 *   kmalloc <size> [count] [gfp]      allocate (kept until kfree)
 *   kfree <addr>                      free what kmalloc returned
 */
#include <ferret/console.h>
#include <ferret/mm.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>

/* kmalloc(BUG_SIZE) lands in a bigger object: room for a kmalloc red zone. */
#define BUG_SIZE	44

static int cmd_slabinfo(int argc, char **argv)
{
	struct seq_file m;

	if (argc != 1)
		return console_usage(argv[0]);
	seq_init_console(&m);
	slabinfo_show(&m);
	return 0;
}
CONSOLE_CMD("slabinfo", "", "object caches, as Linux's /proc/slabinfo (version 2.1)",
	    cmd_slabinfo,
	.args = "(none)\tone row per cache: active and total objects, object size\n"
		"\t(with debug metadata), objects per slab, pages per slab,\n"
		"\tactive and total slabs",
	.example = "slabinfo");

static struct kmem_cache *cache_arg(struct seq_file *m, const char *name)
{
	struct kmem_cache *s = kmem_cache_find(name);

	if (!s)
		seq_printf(m, "slab: no cache called '%s' (slabinfo lists them)\n", name);
	return s;
}

/*
 * The cache `slab bug` uses: kmalloc's own when slab_debug= checks it, else
 * a scratch kmalloc-style cache of 64-byte objects with every check on.
 */
static struct kmem_cache *bug_cache(struct seq_file *m)
{
	static struct kmem_cache *scratch;
	struct kmem_cache *k = kmalloc_cache(BUG_SIZE);

	if ((kmem_cache_flags(k) & SLAB_DEBUG_FLAGS) == SLAB_DEBUG_FLAGS) {
		seq_printf(m, "slab bug: in %s (slab_debug checks it)\n", kmem_cache_name(k));
		return k;
	}
	if (!scratch)
		scratch = kmem_cache_create("bug_demo-64", 64, 0,
					    SLAB_DEBUG_FLAGS | SLAB_STORE_USER | SLAB_KMALLOC,
					    NULL);
	if (scratch)
		seq_puts(m, "slab bug: in bug_demo-64, a cache with every check on (boot with "
			    "slab_debug=FZPU to check the kmalloc caches)\n");
	return scratch;
}

/* Each kind of bug the allocator must catch, made on purpose. */
static __noinline int slab_bug(struct seq_file *m, const char *kind)
{
	struct kmem_cache *s;
	u8 *p;

	if (!strcmp(kind, "non-slab")) {
		static u32 not_from_kmalloc;

		seq_puts(m, "slab bug: kfree() of a static variable\n");
		kfree(&not_from_kmalloc);
		return 0;
	}
	if (!strcmp(kind, "wrong-cache")) {
		void *x = kmalloc(64, GFP_KERNEL);
		struct kmem_cache *other = kmalloc_cache(128);

		seq_printf(m, "slab bug: kmem_cache_free(%s) of a %s object\n",
			   kmem_cache_name(other), kmem_cache_name(virt_to_cache(x)));
		kmem_cache_free(other, x);
		kfree(x);
		return 0;
	}
	s = bug_cache(m);
	if (!s)
		return -1;
	p = kmalloc_from(s, BUG_SIZE, GFP_KERNEL);
	if (!p) {
		seq_puts(m, "slab bug: out of memory\n");
		return -1;
	}
	if (!strcmp(kind, "redzone")) {
		seq_printf(m, "slab bug: writing 1 byte past the end of a %zu-byte object\n",
			   ksize(p));
		p[ksize(p)] = 0x12;
		kfree(p);
	} else if (!strcmp(kind, "kmalloc-redzone")) {
		seq_printf(m, "slab bug: writing past kmalloc(%d)'s bytes, inside its %zu-byte object\n",
			   BUG_SIZE, ksize(p));
		p[BUG_SIZE] = 0x12;
		kfree(p);
	} else if (!strcmp(kind, "use-after-free")) {
		seq_puts(m, "slab bug: writing into a freed object; the next allocation finds it\n");
		kfree(p);
		p[16] = 0x42;
		p = kmalloc_from(s, BUG_SIZE, GFP_KERNEL);
		kfree(p);
	} else if (!strcmp(kind, "double-free")) {
		seq_puts(m, "slab bug: freeing an object twice\n");
		kfree(p);
		kfree(p);
	} else if (!strcmp(kind, "invalid-free")) {
		seq_puts(m, "slab bug: freeing a pointer into the middle of an object\n");
		kfree(p + 8);
		kfree(p);
	} else {
		kfree(p);
		seq_printf(m, "slab bug: unknown kind '%s'\n", kind);
		return -1;
	}
	return 0;
}

/* slab_owner_traces()'s arguments, for page_owner_text_stream(). */
struct traces_args {
	struct kmem_cache *s;
	bool alloc;
	long ret;
};

static void traces_text(struct seq_file *m, void *arg)
{
	struct traces_args *a = arg;

	a->ret = slab_owner_traces(m, a->s, a->alloc);
}

static int cmd_slab(int argc, char **argv)
{
	struct kmem_cache *s = NULL;
	struct seq_file m;

	if (argc < 2)
		return console_usage(argv[0]);
	seq_init_console(&m);
	if ((!strcmp(argv[1], "alloc_traces") || !strcmp(argv[1], "free_traces")) &&
	    (argc == 3 || (argc == 4 && !strcmp(argv[3], "--format=stream")))) {
		struct traces_args a = { .alloc = argv[1][0] == 'a' };

		if (!(a.s = cache_arg(&m, argv[2])))
			return -1;
		if (!slab_cache_tracked(a.s)) {
			seq_printf(&m, "slab: %s has no object owners: boot with slab_owner=on "
				       "(or slab_debug=U,%s)\n", argv[2], argv[2]);
			return -1;
		}
		if (argc == 4)		/* the same text, compact and checked */
			page_owner_text_stream(&m, argv[1], traces_text, &a);
		else
			traces_text(&m, &a);
		return a.ret < 0 ? -1 : 0;	/* Ctrl-C */
	}
	if (!strcmp(argv[1], "owner") && argc == 3) {
		struct slab_owner_info o;
		unsigned long addr;

		if (parse_ulong(argv[2], &addr))
			return -1;
		if (slab_owner_get((void *)addr, &o)) {
			seq_printf(&m, "slab: 0x%lx is not in an object of a cache with owners\n",
				   addr);
			return -1;
		}
		seq_printf(&m, "object 0x%lx of %s: %s", (unsigned long)o.object,
			   kmem_cache_name(o.cache), o.live ? "allocated" : "free");
		if (o.live)
			seq_printf(&m, ", %zu bytes asked for", o.size);
		seq_printf(&m, ", pid %d, cpu %u, ts %llu ns\n", o.pid, o.cpu,
			   (unsigned long long)o.ts_us * 1000);
		if (o.handle)
			stack_depot_print_seq(&m, o.handle);
		if (o.free_handle) {
			seq_printf(&m, "last free: pid %d, cpu %u, ts %llu ns\n", o.free_pid, o.free_cpu,
				   (unsigned long long)o.free_ts_us * 1000);
			stack_depot_print_seq(&m, o.free_handle);
		}
		return 0;
	}
	if ((!strcmp(argv[1], "validate") || !strcmp(argv[1], "shrink")) && argc <= 3) {
		if (argc == 3 && !(s = cache_arg(&m, argv[2])))
			return -1;
		if (argv[1][0] == 's') {
			for (struct kmem_cache *c = s ? s : kmem_cache_next(NULL); c;
			     c = s ? NULL : kmem_cache_next(c))
				kmem_cache_shrink(c);
			seq_puts(&m, "slab: empty slabs given back\n");
			return 0;
		}
		return slab_validate(&m, s) ? -1 : 0;
	}
	if (!strcmp(argv[1], "bug") && argc == 3)
		return slab_bug(&m, argv[2]);
	return console_usage(argv[0]);
}
CONSOLE_CMD("slab", "alloc_traces|free_traces <cache> [--format=stream] | owner <addr> | "
	    "validate [cache] | "
	    "shrink [cache] | bug <kind>",
	    "object owners per stack (Linux's alloc_traces/free_traces), checks, bugs on purpose",
	    cmd_slab,
	.args = "alloc_traces <cache>\tlive objects per allocation stack: count, caller,\n"
		"\twaste=total/each, age=min/avg/max ms, pid (needs slab_owner=on)\n"
		"free_traces <cache>\tlive objects per last free stack of their memory\n"
		"--format=stream\tafter either: the same text, compact and checked for slow\n"
		"\tserial lines (tools/po_decode, capture --stream)\n"
		"owner <addr>\tthe owner record of the object holding <addr>\n"
		"validate [cache]\tcheck every slab's freelist and counters, and debug\n"
		"\tcaches' red zones and poison\n"
		"shrink [cache]\tgive empty slabs back to the page allocator\n"
		"bug redzone|kmalloc-redzone|use-after-free|double-free|invalid-free|wrong-cache|non-slab\n"
		"\tmake that bug on purpose and show the report",
	.example = "slab alloc_traces kmalloc-64\nslab alloc_traces kmalloc-64 --format=stream\n"
		   "slab bug double-free");

/* Objects the console allocated, so kfree can be typed. */
static int cmd_kmalloc(int argc, char **argv)
{
	unsigned long size, count = 1;
	gfp_t gfp = GFP_KERNEL;
	struct seq_file m;

	if (argc < 2 || argc > 4 || parse_ulong(argv[1], &size) ||
	    (argc > 2 && parse_ulong(argv[2], &count)))
		return console_usage(argv[0]);
	if (argc > 3 && gfp_parse(argv[3], &gfp)) {
		printk("kmalloc: bad gfp mask '%s'\n", argv[3]);
		return console_usage(argv[0]);
	}
	if (count > 100000) {
		printk("kmalloc: at most 100000 at a time\n");
		return -1;
	}
	seq_init_console(&m);
	for (unsigned long i = 0; i < count; i++) {
		void *p = kmalloc(size, gfp);

		if (!p) {
			seq_printf(&m, "kmalloc(%lu) failed after %lu\n", size, i);
			return -1;
		}
		if (count <= 16)
			seq_printf(&m, "kmalloc(%lu) = 0x%lx (ksize %zu)\n", size, (unsigned long)p,
				   ksize(p));
		if (console_interrupted()) {
			seq_printf(&m, "kmalloc: interrupted after %lu\n", i + 1);
			return -1;
		}
	}
	if (count > 16)
		seq_printf(&m, "kmalloc(%lu): %lu objects allocated\n", size, count);
	return 0;
}
CONSOLE_CMD("kmalloc", "<size> [count] [gfp]", "allocate objects (kept until kfree)",
	    cmd_kmalloc,
	.args = "<size>\tbytes (0 gives ZERO_SIZE_PTR; above 8 KiB: pages)\n"
		"<count>\thow many (addresses printed for up to 16)\n"
		"<gfp>\tflags as printed by page_owner, e.g. GFP_KERNEL|__GFP_ZERO",
	.example = "kmalloc 48\nkmalloc 200 1000");

static int cmd_kfree(int argc, char **argv)
{
	unsigned long addr;

	if (argc != 2 || parse_ulong(argv[1], &addr))
		return console_usage(argv[0]);
	kfree((void *)addr);
	return 0;
}
CONSOLE_CMD("kfree", "<addr>", "free an object kmalloc returned (bad pointers are refused)",
	    cmd_kfree,
	.args = "<addr>\twhat kmalloc printed",
	.example = "kfree 0x41234560");
