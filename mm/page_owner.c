// SPDX-License-Identifier: GPL-2.0
/*
 * page_owner: track who allocated (and last freed) each block of pages, and
 * print it in Linux's formats (REFERENCE sections 1, 3 and 4).
 *
 * One record per page in page_ext (16 bytes on 64-bit targets, 12 on
 * 32-bit ones: include/ferret/page_owner_record.h has both layouts), written
 * only in the HEAD page of each block (Linux writes every page of the block;
 * ferret's allocator marks every allocated head with PG_head and its order,
 * so the head is enough and a tail page finds its block by looking at the
 * heads aligned below it). Times are printed in nanoseconds, as Linux, so
 * they end in "000".
 *
 * Distinct (gfp, pid) pairs are interned in a 255-entry table (a firmware
 * uses a handful of gfp masks and contexts); once it is full a new pair is
 * recorded as "unknown" (mask 0x0, pid -1), reported by `depot`.
 *
 * Neither this file nor the stack depot allocate memory, so tracking cannot
 * recurse into the page allocator (Linux needs a recursion guard for that).
 *
 * The hooks are kept short (docs/PAGE_OWNER.md, docs/PERFORMANCE.md): a walk
 * that repeats one seen before is recognised by its walk memo without being
 * validated, stored, hashed or looked up; the clock is one multiply-high of
 * the counter; the record sits at a constant distance from its struct page;
 * the last (gfp, pid) pair is checked with one compare.
 *
 * Checkpoints and leak reports are mm/leaks.c's: they read the records
 * through page_owner_for_each_block().
 */
#include <ferret/bootopt.h>
#include <ferret/kallsyms.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/page_owner_record.h>
#include <ferret/printk.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/slab_owner.h>
#include <ferret/spinlock.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>
#include <ferret/string.h>
#include <ferret/time.h>

#include "owner_track.h"

BUILD_BUG_ON(STACK_DEPOT_HANDLE_BITS > PO_HANDLE_BITS);
BUILD_BUG_ON(MAX_PAGE_ORDER > 15);

#define FREE_PID_NONE	PO_FREE_PID_NONE
BUILD_BUG_ON(PAGE_OWNER_STACK_DEPTH != OWNER_STACK_DEPTH);

DEFINE_STATIC_KEY_FALSE(page_owner_inited_key);
static bool page_owner_enabled;
static depot_stack_handle_t early_handle, failure_handle;
static unsigned long early_pages;

static bool need_page_owner(void)
{
	return IS_ENABLED(CONFIG_PAGE_OWNER) && page_owner_enabled;
}

static void init_page_owner(void);

struct page_ext_operations page_owner_ops = {
	.size = sizeof(struct page_owner),
	.need = need_page_owner,
	.init = init_page_owner,
	.boot_bytes = OWNER_MEMO_BYTES,
	.name = "page_owner memos",
};

/* ---- interned (gfp, pid) pairs ---- */

#define ACTX_MAX	255	/* index 255 means "table was full" */
union alloc_ctx {
	struct {
		gfp_t gfp;
		int pid;
	};
	u64 key;	/* both at once: actx_key() */
};

static __always_inline u64 actx_key(gfp_t gfp, int pid)
{
	union alloc_ctx c = { .gfp = gfp, .pid = pid };

	return c.key;
}

/* Entry 0 is the early placeholder's: no mask, the boot context. */
static union alloc_ctx actx_table[ACTX_MAX] = { { { 0, CTX_PID_BOOT } } };
static unsigned int nr_actx = 1;
static unsigned int last_actx;
static unsigned long actx_overflows;
static DEFINE_SPINLOCK(actx_lock);

static __noinline unsigned int actx_intern_slow(gfp_t gfp, int pid)
{
	unsigned int i, n;
	unsigned long flags;

	n = __atomic_load_n(&nr_actx, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++)
		if (actx_table[i].gfp == gfp && actx_table[i].pid == pid)
			goto found;

	spin_lock_irqsave(&actx_lock, flags);
	for (; i < nr_actx; i++)
		if (actx_table[i].gfp == gfp && actx_table[i].pid == pid)
			goto found_locked;
	if (nr_actx == ACTX_MAX) {
		actx_overflows++;
		spin_unlock_irqrestore(&actx_lock, flags);
		return ACTX_MAX;
	}
	actx_table[i].gfp = gfp;
	actx_table[i].pid = pid;
	__atomic_store_n(&nr_actx, i + 1, __ATOMIC_RELEASE);
found_locked:
	spin_unlock_irqrestore(&actx_lock, flags);
found:
	/* A hint every core reads and writes, published after its entry (acquire on the read). */
	__atomic_store_n(&last_actx, i, __ATOMIC_RELEASE);
	return i;
}

/* The pair's index; the last one used is checked first. */
static __always_inline unsigned int actx_intern(gfp_t gfp, int pid)
{
	unsigned int i = __atomic_load_n(&last_actx, __ATOMIC_ACQUIRE);

	/* Entries never change once published, so any i < nr_actx is valid. */
	if (likely(actx_table[i].key == actx_key(gfp, pid)))
		return i;
	return actx_intern_slow(gfp, pid);
}

static void actx_get(unsigned int i, gfp_t *gfp, int *pid)
{
	if (i < ACTX_MAX && i < __atomic_load_n(&nr_actx, __ATOMIC_ACQUIRE)) {
		*gfp = actx_table[i].gfp;
		*pid = actx_table[i].pid;
	} else {
		*gfp = 0;
		*pid = -1;
	}
}

/* ---- records ---- */

static inline struct page_owner *get_page_owner(const struct page *page)
{
	struct page_ext *ext = page_ext_get(page);

	return ext ? page_ext_data(ext, &page_owner_ops) : NULL;
}

/*
 * A copy of @page's record as one write left it, though another core may
 * be rewriting it (owner_read()). Return: false without page_ext.
 */
static bool read_owner(const struct page *page, struct page_owner *out)
{
	const struct page_owner *p = get_page_owner(page);

	if (!p)
		return false;
	owner_read(out, p, sizeof(*out));
	return true;
}

/*
 * The record of an allocated block's head. page_owner is page_ext's only
 * client (offset 0, checked at init), so a record's address is a linear
 * function of its struct page's: 16-byte records are a constant distance
 * from their 16-byte struct pages (one add); 12-byte ones are at 3/4 of the
 * struct page's address plus a constant (a - a / 4: exact, struct pages are
 * word aligned), one instruction more.
 */
static unsigned long owner_delta;
BUILD_BUG_ON(sizeof(struct page_owner) != sizeof(struct page) &&
	     4 * sizeof(struct page_owner) != 3 * sizeof(struct page));

static __always_inline unsigned long owner_scale(unsigned long addr)
{
	return sizeof(struct page_owner) == sizeof(struct page) ? addr : addr - addr / 4;
}

static __always_inline struct page_owner *owner_of(const struct page *page)
{
	return (struct page_owner *)(owner_scale((unsigned long)page) + owner_delta);
}

/*
 * Walk memo sets of the two call sites (unwind_memo_match()); their tables
 * (64 and 32 memos of 256 bytes: 24 KiB) come from memblock with page_ext.
 */
static struct unwind_memo_set alloc_memo[NR_CPUS], free_memo[NR_CPUS];	/* each core its own */
/* The running core's sets, by pointer (one load: a set is not a power of two in size). */
static struct unwind_memo_set *alloc_memo_of[NR_CPUS], *free_memo_of[NR_CPUS];

/* A memo miss: walk, store the stack in the depot, remember the walk. */
static __noinline depot_stack_handle_t save_stack_slow(struct unwind_memo_set *memo,
						       unsigned long fp)
{
	return owner_save_stack(memo, fp, failure_handle);
}

/*
 * Fill in an allocation. always_inline into the fast path and the slow path,
 * so that neither keeps values alive across a call it does not make.
 */
static __always_inline void set_owner(struct page *page, unsigned int order,
				      depot_stack_handle_t handle, unsigned int actx, u64 now)
{
	struct page_owner *p = owner_of(page);
	/* The allocation hook runs with interrupts on: masked for the write. */
	unsigned long flags = arch_local_irq_save();
	struct owner_write_slot *slot = owner_write_begin(p);

	po_set_alloc(p, order, handle, actx, now);
	owner_write_end(slot);
	arch_local_irq_restore(flags);
}

/* The path through a memo miss or a new (gfp, context) pair. */
static __noinline void set_page_owner_slow(struct page *page, unsigned int order, gfp_t gfp,
					   unsigned long fp, depot_stack_handle_t handle, int pid,
					   u64 now)
{
	if (!handle)
		handle = save_stack_slow(alloc_memo_of[smp_processor_id()], fp);
	set_owner(page, order, handle, actx_intern(gfp, pid), now);
}

/*
 * The allocation stack is walked from this function's frame: when the walk
 * is the one last seen from here, the memo gives the depot handle with no
 * validation, hash or depot lookup (unwind_memo_match()).
 */
void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned long fp = (unsigned long)__builtin_frame_address(0);
	depot_stack_handle_t handle = unwind_memo_match(alloc_memo_of[smp_processor_id()], fp);
	/* Read after the match: fewer values live across its comparisons. */
	int pid = current_pid();
	u64 now = now_us_max(PO_TIME_MAX_US);
	unsigned int i = __atomic_load_n(&last_actx, __ATOMIC_ACQUIRE);

	/* The last (gfp, pid) pair interned is checked inline. */
	if (unlikely(!handle || actx_table[i].key != actx_key(gfp, pid))) {
		set_page_owner_slow(page, order, gfp, fp, handle, pid, now);
		return;
	}
	set_owner(page, order, handle, i, now);
}

/* Context: interrupts masked (the free paths run with them masked). */
static __always_inline void reset_owner(struct page *page, unsigned int order,
					depot_stack_handle_t handle, unsigned int pid, u64 now)
{
	struct page_owner *p = owner_of(page);
	struct owner_write_slot *slot = owner_write_begin(p);

	po_set_free(p, order, handle, pid, now);
	owner_write_end(slot);
}

static __noinline void reset_page_owner_slow(struct page *page, unsigned int order,
					     unsigned long fp, unsigned int pid, u64 now)
{
	reset_owner(page, order, save_stack_slow(free_memo_of[smp_processor_id()], fp), pid, now);
}

void __reset_page_owner(struct page *page, unsigned int order)
{
	unsigned long fp = (unsigned long)__builtin_frame_address(0);
	depot_stack_handle_t handle = unwind_memo_match(free_memo_of[smp_processor_id()], fp);
	unsigned int pid = (unsigned int)current_pid();
	u64 now = now_us_max(PO_TIME_MAX_US);

	if (unlikely(!handle)) {
		reset_page_owner_slow(page, order, fp, pid, now);
		return;
	}
	reset_owner(page, order, handle, pid, now);
}

/* ---- init ---- */

/* "@key=on|off" on @cmdline into @out; a bad value is left alone (boot reports it). */
static void param_bool(const char *cmdline, const char *key, bool *out)
{
	const char *v;
	size_t n;

	if (cmdline && bootopt_find(cmdline, key, &v, &n))
		bootopt_parse_bool(v, n, out);
}

bool page_owner_param(const char *cmdline)
{
	param_bool(cmdline, "page_owner", &page_owner_enabled);
	/* Object owners need page owners for slab pages and large kmallocs. */
	if (slab_owners_wanted())
		page_owner_enabled = true;
	param_bool(cmdline, "page_owner_memo", &owner_memo_on);
	return IS_ENABLED(CONFIG_PAGE_OWNER) && page_owner_enabled;
}

/* The placeholder stack of pages allocated before tracking started. */
static __noinline depot_stack_handle_t register_early_stack(void)
{
	unsigned long entries[PAGE_OWNER_STACK_DEPTH];
	unsigned int nr = stack_trace_save_all(entries, ARRAY_SIZE(entries));

	if (!nr) {
		entries[0] = (unsigned long)register_early_stack;
		nr = 1;
	}
	return stack_depot_save(entries, nr);
}

/*
 * Mark every block allocated before tracking started with the early
 * placeholder (Linux's init_early_allocated_pages()). Tracking is already on,
 * so a block allocated meanwhile has a real record and is left alone; the
 * zone lock is held per pageblock.
 */
static void init_early_allocated_pages(void)
{
	struct zone *zone = &normal_zone;
	unsigned long pfn = mem_map_pfn_base, end = mem_map_pfn_base + max_mapnr;
	u64 now = now_us_max(PO_TIME_MAX_US);

	while (pfn < end) {
		unsigned long block_end = min(ALIGN(pfn + 1, pageblock_nr_pages), end);
		unsigned long flags;

		spin_lock_irqsave(&zone->lock, flags);
		while (pfn < block_end) {
			struct page *page = pfn_to_page(pfn);
			unsigned int order = page_order(page);
			struct owner_write_slot *slot;
			struct page_owner *p;

			if (PageBuddy(page) || PagePcp(page) || PageHead(page)) {
				if (PageHead(page) && (p = get_page_owner(page)) && !p->allocated) {
					slot = owner_write_begin(p);
					po_set_alloc(p, order, early_handle, 0, now);
					owner_write_end(slot);
					early_pages += 1UL << order;
				}
				if (IS_ALIGNED(pfn, 1UL << order)) {
					pfn += 1UL << order;
					continue;
				}
			}
			pfn++;	/* reserved, or a tail */
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	pr_info("Node 0, zone %8s: page owner found early allocated %lu pages\n", zone->name,
		early_pages);
}

/* The memo tables: memblock memory from page_ext (zeroed: empty memos). */
static void memo_init(void)
{
	owner_memo_init(alloc_memo, free_memo, page_owner_ops.boot_mem);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		alloc_memo_of[cpu] = &alloc_memo[cpu];
		free_memo_of[cpu] = &free_memo[cpu];
	}
	if (!page_owner_ops.boot_mem)
		pr_warn("page_owner: no memory for walk memos: every stack is walked\n");
}

static void init_page_owner(void)
{
	/* owner_of() relies on being page_ext's only client. */
	if (page_owner_ops.offset || page_ext_size != sizeof(struct page_owner) ||
	    !po_check_layout()) {
		pr_err("page_owner: page_ext entries of %lu bytes, expected %zu: not enabled\n",
		       page_ext_size, sizeof(struct page_owner));
		return;
	}
	owner_clock_init();
	owner_delta = (unsigned long)page_ext_base - owner_scale((unsigned long)mem_map);
	memo_init();
	early_handle = register_early_stack();
	failure_handle = owner_failure_stack();
	/* __free_pages()'s shortcut has no page_owner test: frees go the hooked way. */
	zone_pcp_set_free_hooked(true);
	static_key_enable(&page_owner_inited_key);	/* tracking starts here */
	init_early_allocated_pages();
}

/* ---- printing ---- */

static const char *mt_name(int mt)
{
	return mt >= 0 && mt < MIGRATE_TYPES ? migratetype_names[mt] : "Unknown";
}

static void task_of(int pid, int *tgid, const char **comm)
{
	const struct task_ctx *t = pid >= 0 ? task_ctx_get(pid) : NULL;

	*tgid = t ? t->tgid : -1;
	*comm = t ? t->comm : "unknown";
}

struct owner_snap {
	unsigned long pfn;
	struct page_owner po;
	u64 private;
	u32 page_flags;
	int pageblock_mt;
};

void page_owner_print_block(struct seq_file *m, const struct po_record *r, int tgid,
			    const char *comm, void (*print_stack)(struct seq_file *m, u32 handle))
{
	char gfp_names[192], flag_names[96];

	gfp_format(gfp_names, sizeof(gfp_names), r->gfp);
	page_flags_format(flag_names, sizeof(flag_names), r->page_flags);
	seq_printf(m, "Page allocated via order %u, mask 0x%x(%s), pid %d, tgid %d (%s), ts %llu ns\n",
		   r->order, r->gfp, gfp_names, r->pid, tgid, comm,
		   (unsigned long long)r->ts_us * NSEC_PER_USEC);
	seq_printf(m, "PFN 0x%lx type %s Block %lu type %s Flags 0x%lx(%s)\n", r->pfn,
		   mt_name(gfp_migratetype(r->gfp)), r->pfn >> pageblock_order,
		   mt_name(r->pageblock_mt), (unsigned long)r->page_flags, flag_names);
	print_stack(m, r->handle);
	seq_putc(m, '\n');
}

/* One record of the `page_owner` dump (Linux's print_page_owner()). */
static void print_page_owner(struct seq_file *m, const struct owner_snap *s)
{
	struct po_record r = {
		.pfn = s->pfn, .handle = s->po.handle, .order = s->po.order,
		.ts_us = po_ts_us(&s->po), .page_flags = s->page_flags, .pageblock_mt = s->pageblock_mt,
	};
	const char *comm;
	int tgid;

	actx_get(s->po.actx, &r.gfp, &r.pid);
	task_of(r.pid, &tgid, &comm);
	page_owner_print_block(m, &r, tgid, comm, stack_depot_print_seq);
}

#define DUMP_BATCH	8	/* records copied per zone lock hold */
#define DUMP_SCAN	1024	/* pfns looked at per zone lock hold, at most */

static bool po_lockless;

void page_owner_set_lockless(bool on)
{
	WRITE_ONCE(po_lockless, on);
	WRITE_ONCE(owner_lockless, on);	/* the object owners' walks too */
}

/* A walk over mem_map's allocated, tracked block heads, in batches. */
struct po_scan {
	unsigned long pfn, end;
};

static void po_scan_init(struct po_scan *s)
{
	s->pfn = mem_map_pfn_base;
	s->end = mem_map_pfn_base + max_mapnr;
}

/*
 * Copy the next (at most @max) records into @snap, looking at no more than
 * DUMP_SCAN pfns, with the zone lock held meanwhile (not in lockless mode:
 * then the reads are racy, but every step still moves the pfn forward).
 * Return: the records copied; the walk is over when s->pfn == s->end.
 */
static unsigned int po_scan_batch(struct po_scan *s, struct owner_snap *snap, unsigned int max)
{
	bool locked = !READ_ONCE(po_lockless);
	unsigned int n = 0, scanned = 0;
	unsigned long pfn = s->pfn, flags = 0;

	if (locked)
		spin_lock_irqsave(&normal_zone.lock, flags);
	while (pfn < s->end && n < max && scanned++ < DUMP_SCAN) {
		struct page *page = pfn_to_page(pfn);
		struct page_owner po;
		unsigned int order;

		if (PageBuddy(page) || PagePcp(page)) {
			order = page_order(page);
			pfn = IS_ALIGNED(pfn, 1UL << order) ? pfn + (1UL << order) : pfn + 1;
			continue;
		}
		if (read_owner(page, &po) && po.allocated && po.handle &&
		    IS_ALIGNED(pfn, 1UL << po.order)) {
			snap[n].pfn = pfn;
			snap[n].po = po;
			snap[n].page_flags = READ_ONCE(page->flags);
			snap[n].private = READ_ONCE(page->private);
			snap[n].pageblock_mt = get_pageblock_migratetype(page);
			n++;
			pfn += 1UL << snap[n - 1].po.order;
			continue;
		}
		pfn++;
	}
	if (locked)
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	s->pfn = min(pfn, s->end);
	return n;
}

unsigned long page_owner_dump(struct seq_file *m)
{
	struct owner_snap snap[DUMP_BATCH];
	unsigned long printed = 0;
	struct po_scan s;

	if (!page_owner_inited)
		return 0;
	po_scan_init(&s);
	while (s.pfn < s.end) {
		unsigned int n = po_scan_batch(&s, snap, DUMP_BATCH);

		for (unsigned int i = 0; i < n; i++) {
			print_page_owner(m, &snap[i]);
			printed++;
		}
		if (seq_check_abort(m))
			break;
	}
	return printed;
}

void pagetypeinfo_mixed_show(struct seq_file *m)
{
	unsigned long pfn = mem_map_pfn_base, end = mem_map_pfn_base + max_mapnr;
	unsigned long count[MIGRATE_TYPES] = { 0 };
	struct zone *zone = &normal_zone;

	if (!page_owner_inited)
		return;
	seq_printf(m, "\n%-23s", "Number of mixed blocks ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(m, "%12s ", migratetype_names[mt]);
	seq_putc(m, '\n');

	/* Linux's pagetypeinfo_showmixedcount_print(), one pageblock per lock hold. */
	while (pfn < end) {
		unsigned long block_end = min(ALIGN(pfn + 1, pageblock_nr_pages), end);
		unsigned long flags;
		int block_mt;

		spin_lock_irqsave(&zone->lock, flags);
		block_mt = get_pageblock_migratetype(pfn_to_page(pfn));
		while (pfn < block_end) {
			struct page *page = pfn_to_page(pfn);
			struct page_owner po;
			gfp_t gfp;
			int pid;

			if (PageBuddy(page) || PagePcp(page)) {
				unsigned int order = page_order(page);

				pfn = IS_ALIGNED(pfn, 1UL << order) ? pfn + (1UL << order) : pfn + 1;
				continue;
			}
			if (PageReserved(page)) {
				pfn++;
				continue;
			}
			if (!read_owner(page, &po) || !po.allocated ||
			    !IS_ALIGNED(pfn, 1UL << po.order)) {
				pfn++;
				continue;
			}
			actx_get(po.actx, &gfp, &pid);
			if (gfp_migratetype(gfp) != block_mt) {
				if (block_mt >= 0 && block_mt < MIGRATE_TYPES)
					count[block_mt]++;
				pfn = block_end;
				break;
			}
			pfn += 1UL << po.order;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		pfn = max(pfn, block_end);
	}
	seq_printf(m, "Node %d, zone %8s ", 0, zone->name);
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(m, "%12lu ", count[mt]);
	seq_putc(m, '\n');
}

/*
 * The block holding @pfn: the allocated block covering it, else the most
 * recently freed block that covered it. Heads are aligned to their order, so
 * only the MAX_PAGE_ORDER + 1 aligned pfns at or below @pfn can be its head.
 */
static bool find_block(unsigned long pfn, unsigned long *head, struct page_owner *out)
{
	u64 best_ts = 0;
	bool found = false;

	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);
		struct page_owner po;
		u64 t;

		if (!pfn_valid(h) || !read_owner(pfn_to_page(h), &po) || !po.handle ||
		    pfn - h >= (1UL << po.order))
			continue;
		if (po.allocated) {
			*head = h;
			*out = po;
			return true;
		}
		t = po_free_ts_us(&po);
		if (!found || t > best_ts) {
			best_ts = t;
			*head = h;
			*out = po;
			found = true;
		}
	}
	return found;
}

/* Linux's __dump_page_owner() lines for the block at @head. */
static void print_owner_report(struct seq_file *m, const struct page_owner *po)
{
	const char *comm;
	int pid, tgid;
	gfp_t gfp;
	char gfp_names[192];

	actx_get(po->actx, &gfp, &pid);
	task_of(pid, &tgid, &comm);
	gfp_format(gfp_names, sizeof(gfp_names), gfp);
	seq_printf(m, "page_owner tracks the page as %s\n", po->allocated ? "allocated" : "freed");
	seq_printf(m, "page last allocated via order %u, migratetype %s, gfp_mask 0x%x(%s), "
		   "pid %d, tgid %d (%s), ts %llu, free_ts %llu\n",
		   (unsigned int)po->order, mt_name(gfp_migratetype(gfp)), gfp, gfp_names, pid,
		   tgid, comm, (unsigned long long)po_ts_us(po) * NSEC_PER_USEC,
		   (unsigned long long)po_free_ts_us(po) * NSEC_PER_USEC);
	if (!po->handle)
		seq_puts(m, "page_owner allocation stack trace missing\n");
	else
		stack_depot_print_seq(m, po->handle);
	if (!po->free_handle) {
		seq_puts(m, "page_owner free stack trace missing\n");
	} else {
		int fpid = po->free_pid == FREE_PID_NONE ? -1 : (int)po->free_pid;
		const char *fcomm;
		int ftgid;

		task_of(fpid, &ftgid, &fcomm);
		seq_printf(m, "page last free pid %d tgid %d stack trace:\n", fpid, ftgid);
		stack_depot_print_seq(m, po->free_handle);
	}
}

/* Report the page at @pfn into @m; no lock taken (crash handler safe). */
static void report_pfn(struct seq_file *m, unsigned long pfn)
{
	struct page_owner po;
	unsigned long head;

	if (!page_ext_from_pfn(pfn)) {
		seq_puts(m, "There is not page extension available.\n");
		return;
	}
	if (!find_block(pfn, &head, &po)) {
		seq_puts(m, "page_owner info is not present (never set?)\n");
		return;
	}
	if (head != pfn)
		seq_printf(m, "PFN 0x%lx is page %lu of the order-%u block at PFN 0x%lx\n", pfn,
			   pfn - head, (unsigned int)po.order, head);
	print_owner_report(m, &po);
}

int page_owner_dump_pfn(struct seq_file *m, unsigned long pfn)
{
	if (!page_owner_inited || !pfn_valid(pfn))
		return -1;
	report_pfn(m, pfn);
	return 0;
}

/* printk sink: each seq_printf() above produces whole lines. */
static void alert_write(struct seq_file *m, const char *s, size_t len)
{
	printk(KERN_ALERT "%.*s", (int)len, s);
}

static void seq_init_alert(struct seq_file *m)
{
	memset(m, 0, sizeof(*m));
	m->write = alert_write;
}

void __dump_page_owner(const struct page *page)
{
	struct seq_file m;

	seq_init_alert(&m);
	report_pfn(&m, page_to_pfn(page));
}

void page_owner_print_addr(unsigned long phys)
{
	unsigned long pfn = PHYS_PFN(phys);
	struct seq_file m;

	if (!page_owner_inited)
		return;
	if (!pfn_valid(pfn)) {
		printk(KERN_ALERT "page_owner: 0x%lx is not in mem_map\n", phys);
		return;
	}
	printk(KERN_ALERT "page_owner: 0x%lx is in PFN 0x%lx:\n", phys, pfn);
	seq_init_alert(&m);
	report_pfn(&m, pfn);
}

/* Statistics for `depot`. */
void page_owner_show_stats(struct seq_file *m)
{
	seq_printf(m, "page_owner:   %s, %lu bytes per page in page_ext (%lu bytes)\n",
		   page_owner_inited ? "on" : "off", page_ext_size, page_ext_total_bytes);
	seq_printf(m, "gfp/ctx:      %u of %u pairs interned, %lu overflows\n",
		   __atomic_load_n(&nr_actx, __ATOMIC_ACQUIRE), ACTX_MAX, actx_overflows);
	seq_printf(m, "early pages:  %lu\n", early_pages);
	seq_printf(m, "full walks:   %lu (walk memo %s)\n", owner_walk_misses,
		   owner_memo_on ? "on" : "off");
	seq_printf(m, "torn copies:  %lu (records copied again: another core was writing)\n",
		   __atomic_load_n(&owner_read_retries, __ATOMIC_RELAXED));
}

/* ---- blocks for leak reports (mm/leaks.c) ---- */

void page_owner_for_each_block(void (*fn)(void *arg, const struct po_block *b), void *arg)
{
	struct owner_snap snap[4 * DUMP_BATCH];
	struct po_scan s;

	po_scan_init(&s);
	while (s.pfn < s.end) {
		unsigned int got = po_scan_batch(&s, snap, ARRAY_SIZE(snap));

		for (unsigned int i = 0; i < got; i++) {
			struct po_block b = {
				.pfn = snap[i].pfn, .handle = snap[i].po.handle,
				.order = snap[i].po.order, .ts_us = po_ts_us(&snap[i].po),
				.page_flags = snap[i].page_flags, .private = snap[i].private,
			};
			gfp_t gfp;

			actx_get(snap[i].po.actx, &gfp, &b.pid);
			fn(arg, &b);
		}
	}
}

int page_owner_get_block(unsigned long pfn, struct po_block *b)
{
	bool locked = !READ_ONCE(po_lockless);
	unsigned long flags = 0;
	struct owner_snap snap;
	bool ok = false;
	gfp_t gfp;

	if (!page_owner_inited || !pfn_valid(pfn))
		return -1;
	if (locked)
		spin_lock_irqsave(&normal_zone.lock, flags);
	{
		struct page *page = pfn_to_page(pfn);
		struct page_owner po;

		if (!PageBuddy(page) && !PagePcp(page) && read_owner(page, &po) && po.allocated &&
		    po.handle && IS_ALIGNED(pfn, 1UL << po.order)) {
			snap.po = po;
			snap.page_flags = READ_ONCE(page->flags);
			snap.private = READ_ONCE(page->private);
			ok = true;
		}
	}
	if (locked)
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	if (!ok)
		return -1;
	*b = (struct po_block){ .pfn = pfn, .handle = snap.po.handle, .order = snap.po.order,
				.ts_us = po_ts_us(&snap.po), .page_flags = snap.page_flags,
				.private = snap.private };
	actx_get(snap.po.actx, &gfp, &b->pid);
	return 0;
}

/* ---- the stream dump's walk (mm/page_owner_stream.c) ---- */

void page_owner_actx(unsigned int actx, gfp_t *gfp, int *pid)
{
	actx_get(actx, gfp, pid);
}

/*
 * The walk of `page_owner --since`: the allocated blocks stamped after
 * @since_us, and the blocks freed after it whose pages are free now (a page
 * of a free buddy block whose record was a head freed since). Blocks freed
 * since and allocated again are in the first kind. Copied into @out (at most
 * @max) under the zone lock as po_scan_batch() does; *free_until carries the
 * end of the free block being looked through from one batch to the next.
 */
static unsigned int po_since_batch(struct po_scan *s, unsigned long *free_until, u64 since_us,
				   struct owner_snap *out, bool *freed, unsigned int max)
{
	unsigned long pfn = s->pfn, flags = 0;
	unsigned int n = 0, scanned = 0;
	bool locked = !READ_ONCE(po_lockless);

	if (locked)	/* as po_scan_batch() */
		spin_lock_irqsave(&normal_zone.lock, flags);
	while (pfn < s->end && n < max && scanned++ < DUMP_SCAN) {
		struct page *page = pfn_to_page(pfn);
		struct page_owner po;
		const struct page_owner *p = read_owner(page, &po) ? &po : NULL;
		bool take;

		if (pfn >= *free_until && (PageBuddy(page) || PagePcp(page)) &&
		    IS_ALIGNED(pfn, 1UL << page_order(page)))
			*free_until = pfn + (1UL << page_order(page));
		if (pfn < *free_until)
			take = p && !p->allocated && p->free_handle &&
			       IS_ALIGNED(pfn, 1UL << p->order) && po_free_ts_us(p) > since_us;
		else
			take = p && p->allocated && p->handle && IS_ALIGNED(pfn, 1UL << p->order);
		if (take && (pfn < *free_until || po_ts_us(p) > since_us)) {
			out[n] = (struct owner_snap){
				.pfn = pfn, .po = *p, .page_flags = READ_ONCE(page->flags),
				.private = READ_ONCE(page->private),
				.pageblock_mt = get_pageblock_migratetype(page),
			};
			freed[n++] = pfn < *free_until;
		}
		pfn += take && pfn >= *free_until ? 1UL << p->order : 1;
	}
	if (locked)
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	s->pfn = min(pfn, s->end);
	return n;
}

/* A block freed since the checkpoint, in `page_owner --since`. */
static void print_page_freed(struct seq_file *m, const struct owner_snap *s)
{
	int pid = s->po.free_pid == FREE_PID_NONE ? -1 : (int)s->po.free_pid, tgid;
	const char *comm;

	task_of(pid, &tgid, &comm);
	seq_printf(m, "Page freed via order %u, pid %d, tgid %d (%s), free_ts %llu ns\n",
		   (unsigned int)s->po.order, pid, tgid, comm,
		   (unsigned long long)po_free_ts_us(&s->po) * NSEC_PER_USEC);
	seq_printf(m, "PFN 0x%lx\n", s->pfn);
	stack_depot_print_seq(m, s->po.free_handle);
	seq_putc(m, '\n');
}

/* Hand batches of `--since` blocks (@since_us > 0) or of all allocated ones to @fn. */
static unsigned long po_walk(unsigned long start, unsigned long end, u64 since_us,
			     bool (*fn)(void *arg, const struct owner_snap *s, const bool *freed,
					unsigned int n),
			     void *arg)
{
	struct owner_snap snap[4 * DUMP_BATCH];
	bool freed[4 * DUMP_BATCH] = { false };
	unsigned long free_until = 0;
	struct po_scan s;

	po_scan_init(&s);
	s.pfn = max(s.pfn, start);
	s.end = min(s.end, end);
	/* A start inside a free block (a range asked for again): that block's end. */
	for (unsigned int o = 0; since_us && o <= MAX_PAGE_ORDER && s.pfn < s.end; o++) {
		unsigned long h = s.pfn & ~((1UL << o) - 1);
		struct page *page;

		if (h < mem_map_pfn_base)
			break;
		page = pfn_to_page(h);
		if ((PageBuddy(page) || PagePcp(page)) && page_order(page) == o) {
			free_until = h + (1UL << o);
			break;
		}
	}
	while (s.pfn < s.end) {
		unsigned int got = since_us ?
			po_since_batch(&s, &free_until, since_us, snap, freed, ARRAY_SIZE(snap)) :
			po_scan_batch(&s, snap, ARRAY_SIZE(snap));

		if (!fn(arg, snap, freed, got))
			break;
	}
	return s.pfn;
}

static bool print_batch(void *arg, const struct owner_snap *s, const bool *freed, unsigned int n)
{
	struct seq_file *m = arg;

	for (unsigned int i = 0; i < n; i++) {
		if (freed[i])
			print_page_freed(m, &s[i]);
		else
			print_page_owner(m, &s[i]);
	}
	return !seq_check_abort(m);
}

void page_owner_dump_since(struct seq_file *m, u64 since_us)
{
	if (!since_us) {
		page_owner_dump(m);
		return;
	}
	if (page_owner_inited)
		po_walk(0, ~0UL, since_us, print_batch, m);
}

struct walk_arg {
	bool (*fn)(void *arg, const struct po_record *r, unsigned int n);
	void *arg;
};

static bool record_batch(void *arg, const struct owner_snap *s, const bool *freed, unsigned int n)
{
	struct po_record rec[4 * DUMP_BATCH];
	struct walk_arg *w = arg;

	for (unsigned int i = 0; i < n; i++) {
		rec[i] = (struct po_record){
			.pfn = s[i].pfn, .handle = s[i].po.handle, .actx = s[i].po.actx,
			.order = s[i].po.order, .ts_us = po_ts_us(&s[i].po),
			.page_flags = s[i].page_flags, .pageblock_mt = s[i].pageblock_mt,
			.freed = freed[i], .free_handle = s[i].po.free_handle,
			.free_pid = s[i].po.free_pid == FREE_PID_NONE ? -1 : (int)s[i].po.free_pid,
			.free_ts_us = po_free_ts_us(&s[i].po),
		};
		actx_get(s[i].po.actx, &rec[i].gfp, &rec[i].pid);
	}
	return w->fn(w->arg, rec, n);
}

unsigned long page_owner_walk(unsigned long start, unsigned long end, u64 since_us,
			      bool (*fn)(void *arg, const struct po_record *r, unsigned int n),
			      void *arg)
{
	struct walk_arg w = { fn, arg };

	return po_walk(start, end, since_us, record_batch, &w);
}

/* ---- records kept from the previous boot (mm/persist.c, mm/prev_boot.c) ---- */

unsigned int page_owner_nr_actx(void)
{
	return __atomic_load_n(&nr_actx, __ATOMIC_ACQUIRE);
}

int page_owner_check_records(const u8 *ext, unsigned long nr,
			     bool (*handle_ok)(void *arg, u32 handle), void *arg,
			     unsigned int nr_actx, char *why, size_t n)
{
	for (unsigned long i = 0; i < nr; i++) {
		const struct page_owner *p = (const struct page_owner *)(ext + i * sizeof(*p));
		const char *bad = NULL;

		if (!p->allocated && !p->handle && !p->free_handle)
			continue;	/* never used */
		if (p->order > MAX_PAGE_ORDER)
			bad = "order out of range";
		else if (p->allocated && (!IS_ALIGNED(i, 1UL << p->order) ||
					  nr - i < (1UL << p->order)))
			bad = "block not aligned to its order, or past the end";
		else if (p->allocated && !p->handle)
			bad = "allocated without a stack";
		else if ((p->handle && !handle_ok(arg, (u32)p->handle)) ||
			 (p->free_handle && !handle_ok(arg, (u32)p->free_handle)))
			bad = "stack handle not in the depot";
		else if (p->handle && p->actx >= nr_actx && p->actx != ACTX_MAX)
			bad = "gfp/context index not in the table";
		if (bad) {
			snprintf(why, n, "record %lu: %s", i, bad);
			return -1;
		}
	}
	return 0;
}

void page_owner_for_each_kept(const u8 *ext, unsigned long nr,
			      bool (*fn)(void *arg, unsigned long idx, struct po_record *r),
			      void *arg)
{
	for (unsigned long i = 0; i < nr;) {
		const struct page_owner *p = (const struct page_owner *)(ext + i * sizeof(*p));
		struct po_record r;

		if (!p->allocated || !p->handle || !IS_ALIGNED(i, 1UL << p->order) ||
		    nr - i < (1UL << p->order)) {
			i++;
			continue;
		}
		r = (struct po_record){
			.handle = p->handle, .actx = p->actx, .order = p->order, .ts_us = po_ts_us(p),
			.free_handle = p->free_handle,
			.free_pid = p->free_pid == FREE_PID_NONE ? -1 : (int)p->free_pid,
			.free_ts_us = po_free_ts_us(p),
		};
		if (!fn(arg, i, &r))
			return;
		i += 1UL << p->order;
	}
}
