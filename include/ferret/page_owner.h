/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_owner: who allocated each page. The allocator calls set_page_owner()
 * after a successful allocation and reset_page_owner() before a free; with
 * page_owner off each is a single predictable branch.
 *
 * Off unless the command line says "page_owner=on". On, each allocated
 * block's head page has a record in page_ext (16 bytes, 12 on 32-bit targets:
 * include/ferret/page_owner_record.h and docs/PAGE_OWNER.md): allocation stack, order, gfp
 * mask, context and time; after a free also the free stack, context and time.
 */
#ifndef FERRET_PAGE_OWNER_H
#define FERRET_PAGE_OWNER_H

/* compiler.h first: glibc (host builds) defines __always_inline too. */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/jump_label.h>

struct page;
struct seq_file;
struct page_ext_operations;
typedef unsigned int gfp_t;

/*
 * Build switch: CONFIG_PAGE_OWNER=0 compiles page_owner out (the allocator's
 * hooks become constant false and vanish; the code still compiles, it is
 * just never enabled). Default: compiled in, off unless page_owner=on.
 */
#ifndef CONFIG_PAGE_OWNER
#define CONFIG_PAGE_OWNER	1
#endif

/*
 * On once page_owner=on and page_ext is set up. A static key: while it is
 * off, each test of page_owner_inited on the allocator's fast paths is a
 * single NOP (include/ferret/jump_label.h); page_owner's init patches them
 * into branches to the hooks.
 */
DECLARE_STATIC_KEY_FALSE(page_owner_inited_key);
#define page_owner_inited \
	(IS_ENABLED(CONFIG_PAGE_OWNER) && static_branch_unlikely(&page_owner_inited_key))
extern struct page_ext_operations page_owner_ops;

/* Frames kept per stack, as Linux's PAGE_OWNER_STACK_DEPTH. */
#define PAGE_OWNER_STACK_DEPTH	16

/**
 * __set_page_owner() - record an allocation: stack, order, gfp, context, time.
 * @page: head of the allocated block.
 * @order: its order.
 * @gfp: the allocation's flags.
 *
 * The stack is walked from this function's own frame, so the caller must
 * call it directly from the allocator (the frames up to the allocator's
 * caller are dropped by the skip range). A walk seen before from here is
 * recognised by its walk memo (docs/PAGE_OWNER.md).
 *
 * Context: any, including interrupt handlers, and with the zone lock held
 * and interrupts masked: it never takes the zone lock and never allocates
 * (the depot's and the gfp table's own locks are taken with interrupts
 * masked).
 */
void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp);

/**
 * __reset_page_owner() - record a free: stack, context, time.
 * @page: head of the block being freed.
 * @order: its order.
 *
 * Call before the block can be allocated again. Context: as
 * __set_page_owner().
 */
void __reset_page_owner(struct page *page, unsigned int order);
void __dump_page_owner(const struct page *page);

static inline void set_page_owner(struct page *page, unsigned int order, gfp_t gfp)
{
	if (unlikely(page_owner_inited))
		__set_page_owner(page, order, gfp);
}

static inline void reset_page_owner(struct page *page, unsigned int order)
{
	if (unlikely(page_owner_inited))
		__reset_page_owner(page, order);
}

/* Print the page's last allocation and free (bad-page reports, crash reports). */
static inline void dump_page_owner(const struct page *page)
{
	if (page_owner_inited)
		__dump_page_owner(page);
}

/**
 * page_owner_param() - read "page_owner=on" from the kernel command line.
 * @cmdline: the whole command line (words separated by spaces).
 *
 * Linux's early_param("page_owner"): only "on" enables. Also reads
 * "page_owner_memo=off" (never reuse a walk: every stack is walked and
 * looked up, for measurements). Must run before page_ext_init_flatmem(),
 * which asks page_owner whether it needs memory.
 *
 * Context: boot.
 * Return: true if page_owner will be enabled.
 */
bool page_owner_param(const char *cmdline);

/**
 * page_owner_dump() - the `page_owner` dump: one record per allocated block,
 * in Linux's /sys/kernel/debug/page_owner format.
 * @m: output; seq_check_abort(@m) is polled between records.
 *
 * The zone lock is taken (interrupts masked) only while a small batch of
 * records is copied, never while printing.
 *
 * Context: process.
 * Return: the number of records printed.
 */
unsigned long page_owner_dump(struct seq_file *m);

/*
 * `page_owner --since`: the blocks allocated after @since_us (as the dump
 * prints them) and, in pfn order among them, those freed after it whose pages
 * are free now ("Page freed via order N, pid P, tgid T (comm), free_ts N ns",
 * "PFN 0x..", the free stack). 0: the whole dump.
 */
void page_owner_dump_since(struct seq_file *m, u64 since_us);

/**
 * page_owner_dump_pfn() - `page_owner pfn <pfn>`: the block holding @pfn
 * (which may be a tail page), its last allocation and last free with stacks
 * and times, in the form of Linux's __dump_page_owner().
 * Context: process.
 * Return: 0, or -1 if @pfn has no struct page or page_owner is off.
 */
int page_owner_dump_pfn(struct seq_file *m, unsigned long pfn);

/**
 * page_owner_show_stacks() - `page_owner_stacks`: every allocation stack with
 * outstanding pages, in Linux's show_stacks format ("nr_base_pages: %d"),
 * in depot order. The counts are summed from mem_map when called (in the
 * leak report's table, see page_owner_leaks()), not kept per stack.
 * @threshold: hide stacks with fewer outstanding base pages (Linux's
 *             count_threshold).
 * Context: process, or the panic console with page_owner_set_lockless().
 * Return: the number of stacks printed.
 */
unsigned long page_owner_show_stacks(struct seq_file *m, unsigned long threshold);

/**
 * pagetypeinfo_mixed_show() - Linux's pagetypeinfo_showmixedcount(): the
 * "Number of mixed blocks" table of
 * /proc/pagetypeinfo: per pageblock migratetype, the pageblocks holding an
 * allocated block whose gfp migratetype differs. Prints nothing when
 * page_owner is off (as Linux). Call after the "Number of blocks type" table.
 * Context: process (takes the zone lock per pageblock).
 */
void pagetypeinfo_mixed_show(struct seq_file *m);

/**
 * page_owner_print_addr() - crash reports: the owner of the page holding
 * physical address @phys, in __dump_page_owner() form.
 * Context: any, including the crash handler: takes no lock, never allocates.
 */
void page_owner_print_addr(unsigned long phys);

/* `depot`: page_owner's share (bytes per page, interned pairs, early pages). */
void page_owner_show_stats(struct seq_file *m);

/* ---- blocks for leak reports ---- */

/* An allocated, tracked block, as page_owner_for_each_block() hands it out. */
struct po_block {
	unsigned long pfn;
	u32 handle;		/* allocation stack */
	int pid;		/* allocating context (-1: unknown) */
	unsigned int order;
	u64 ts_us;		/* allocation time */
	u32 page_flags;		/* the head page's flags (PG_slab, PG_large_kmalloc) */
	u64 private;		/* the head page's private (a large kmalloc's size) */
};

/*
 * page_owner_for_each_block() - call @fn for every allocated block with a
 * record, in pfn order. Records are copied a batch at a time under the zone
 * lock (not in lock-free mode) and @fn runs without it.
 * Context: process, or the panic console with page_owner_set_lockless().
 */
void page_owner_for_each_block(void (*fn)(void *arg, const struct po_block *b), void *arg);

/*
 * page_owner_get_block() - the record of the allocated block headed by
 * @pfn, read under the zone lock (not in lock-free mode).
 * Return: 0, or -1 if no allocated block with a record starts there.
 */
int page_owner_get_block(unsigned long pfn, struct po_block *b);

/* ---- checkpoints, leak reports and profiles (mm/leaks.c, docs/PAGE_OWNER.md) ---- */

/* Checkpoints kept; taking one more forgets the oldest. */
#define PAGE_OWNER_CHECKPOINTS		16
#define PAGE_OWNER_CHECKPOINT_NAME	16	/* bytes, with the NUL */

/* Output formats of page_owner_leaks() and page_owner_stacks_profile(). */
enum page_owner_format {
	PAGE_OWNER_FMT_TEXT,	/* per stack: counts and contexts, then the frames */
	PAGE_OWNER_FMT_PPROF,	/* legacy heap profile (google-pprof), innermost first */
	PAGE_OWNER_FMT_FOLDED,	/* "outer;...;inner pages" (flame graphs) */
};

/**
 * page_owner_checkpoint() - remember this moment under @name.
 * @name: 1 to 15 printable characters; an existing checkpoint of that name
 *        is moved to now.
 * @ts_ns: if not NULL, receives the checkpoint's time (ns since boot, in the
 *         resolution of the records' allocation times).
 *
 * Costs one table slot (PAGE_OWNER_CHECKPOINT_NAME + 8 bytes, static): no
 * per-page data is copied. A block belongs to "after the checkpoint" when
 * its allocation time is later than the checkpoint's; the call returns only
 * once the clock has moved past that time, so nothing allocated after it can
 * share its timestamp.
 *
 * Context: process (waits at most one clock step, under a microsecond).
 * Return: 0, or -1 if @name is empty, too long or not printable.
 */
int page_owner_checkpoint(const char *name, u64 *ts_ns);

/* The time of checkpoint @name, in the records' microseconds. Return: 0, or -1 if none. */
int page_owner_checkpoint_time(const char *name, u64 *ts_us);

/* `checkpoint` without a name: the table, oldest first. Context: any. */
void page_owner_list_checkpoints(struct seq_file *m);

/**
 * page_owner_leaks() - per allocation stack, the blocks allocated after a
 * checkpoint and still held, sorted by pages (most first).
 * @m: output.
 * @since: checkpoint name; NULL means the most recent checkpoint (or boot
 *         when none was taken).
 * @threshold: hide stacks holding fewer base pages.
 * @fmt: text (with context names), pprof or folded.
 *
 * Scans mem_map like page_owner_dump() and aggregates into a static table
 * (PAGE_OWNER_LEAK_SLOTS (stack, context) pairs); pairs that do not fit are
 * counted and reported, never dropped silently.
 *
 * Context: process, or the panic console with page_owner_set_lockless().
 * Return: the number of stacks printed, or -1 if @since names no checkpoint.
 */
long page_owner_leaks(struct seq_file *m, const char *since, unsigned long threshold,
		      enum page_owner_format fmt);

struct kmemleak_scan;
/*
 * page_owner_leaks_unreferenced() - `leaks --unreferenced`: run the leak
 * scan (@sc: its roots; the report callback is this function's) and print
 * what it found unreferenced, aggregated per (stack, context) as
 * page_owner_leaks() prints. Blocks and objects with no owner record are
 * summed under one "no owner record" entry.
 * Return: stacks printed, or kmemleak_scan()'s negative error.
 */
long page_owner_leaks_unreferenced(struct seq_file *m, struct kmemleak_scan *sc,
				   unsigned long threshold, enum page_owner_format fmt);

/**
 * page_owner_stacks_profile() - every allocation stack holding pages, as
 * `page_owner_stacks` but with block counts, in @fmt (page_owner_leaks()
 * since boot).
 * Context: as page_owner_leaks().
 * Return: the number of stacks printed.
 */
long page_owner_stacks_profile(struct seq_file *m, unsigned long threshold,
			       enum page_owner_format fmt);

/* (stack, context) pairs a leak report can aggregate (static table, 20 bytes each). */
#define PAGE_OWNER_LEAK_SLOTS	2048

/**
 * page_owner_set_lockless() - read without taking the zone lock.
 * @on: true in the panic console: the crash may have happened with the zone
 *      lock held, and nothing else runs any more. Reads are then racy but
 *      bounded (every pfn step advances, every handle is checked).
 * Context: any.
 */
void page_owner_set_lockless(bool on);

/* ---- the stream dump's walk (mm/page_owner_stream.c) ---- */

/* An allocated, tracked block with what its text record prints. */
struct po_record {
	unsigned long pfn;
	u32 handle;		/* allocation stack */
	unsigned int actx;	/* interned (gfp, pid) pair: page_owner_actx() */
	gfp_t gfp;
	int pid;
	unsigned int order;
	u64 ts_us;
	u32 page_flags;
	int pageblock_mt;
	bool freed;		/* a block freed since (page_owner_walk() with @since_us) */
	u32 free_handle;	/* its free stack, context and time */
	int free_pid;
	u64 free_ts_us;
};

/*
 * page_owner_walk() - hand the allocated blocks whose heads lie in
 * [@start, @end) to @fn, a batch at a time in pfn order (copied under the
 * zone lock as page_owner_dump() does; @fn runs without it, interrupts on).
 * With @since_us, only the blocks page_owner_dump_since() shows.
 * @fn returns false to stop. Return: the pfn the walk reached.
 * Context: process, or the panic console with page_owner_set_lockless().
 */
unsigned long page_owner_walk(unsigned long start, unsigned long end, u64 since_us,
			      bool (*fn)(void *arg, const struct po_record *r, unsigned int n),
			      void *arg);

/* The (gfp, pid) pair of interned index @actx ((0, -1) if none). */
void page_owner_actx(unsigned int actx, gfp_t *gfp, int *pid);

/**
 * page_owner_stream() - `page_owner --format=stream`: the dump of the
 * allocated blocks with heads in [@start, @end) as the compact, checked
 * stream of include/ferret/owner_stream.h (docs/PAGE_OWNER.md).
 * @since_us: only blocks allocated after this time (0: all).
 * @host_symbols: frames as pcs for the host to resolve from the ELF (the
 * header names the image's build id), not as text.
 * Context: process, or the panic console. Never allocates; Ctrl-C
 * (seq_check_abort(@m)) stops it between batches.
 * Return: the number of blocks sent.
 */
unsigned long page_owner_stream(struct seq_file *m, unsigned long start, unsigned long end,
				u64 since_us, bool host_symbols);

/*
 * page_owner_text_stream() - what @fn prints into the seq_file it is given,
 * sent on @out as a text stream of kind @kind (`leaks --format=stream`,
 * `page_owner_stacks --format=stream`): each distinct line once, then by id.
 */
void page_owner_text_stream(struct seq_file *out, const char *kind,
			    void (*fn)(struct seq_file *m, void *arg), void *arg);

/*
 * The previous boot's records (mm/persist.c, mm/prev_boot.c), in an array
 * @ext of @nr records (struct page_owner) kept across a warm reset:
 * page_owner_check_records() - every record sane (order, alignment, stack
 * handles by @handle_ok, gfp/context index below @nr_actx); 0, or -1 with
 * the first bad record in @why. page_owner_for_each_kept() - @fn for every
 * allocated head, in order, until @fn returns false (@r's pfn, gfp, pid,
 * flags and block type are the caller's to fill). page_owner_print_block() - one block in the dump's
 * format, its stack printed by @print_stack.
 */
unsigned int page_owner_nr_actx(void);
int page_owner_check_records(const u8 *ext, unsigned long nr,
			     bool (*handle_ok)(void *arg, u32 handle), void *arg,
			     unsigned int nr_actx, char *why, size_t n);
void page_owner_for_each_kept(const u8 *ext, unsigned long nr,
			      bool (*fn)(void *arg, unsigned long idx, struct po_record *r),
			      void *arg);
void page_owner_print_block(struct seq_file *m, const struct po_record *r, int tgid,
			    const char *comm, void (*print_stack)(struct seq_file *m, u32 handle));

/*
 * Where a leak report, a stack profile or show_stacks reads from: this boot
 * (owner_source_live) or the previous one (mm/prev_boot.c). @checkpoint
 * finds @name (NULL: the last) and returns 0, or -1 when there is none.
 */
struct slab_owner_info;
struct owner_source {
	void (*for_each_block)(void (*fn)(void *arg, const struct po_block *b), void *arg);
	unsigned long (*for_each_object)(void (*fn)(void *arg, const struct slab_owner_info *o),
					 void *arg);
	unsigned int (*fetch)(u32 handle, unsigned long *entries, unsigned int max);
	const char *(*lookup_return)(unsigned long addr, unsigned long *size,
				     unsigned long *offset);
	const char *(*comm)(int pid);
	int (*checkpoint)(const char *name, const char **out, u64 *ts_us);
	bool (*objects_tracked)(void);
	bool (*page_has_owners)(u32 page_flags);
};
extern const struct owner_source owner_source_live;

long page_owner_leaks_from(const struct owner_source *src, struct seq_file *m,
			   const char *since, unsigned long threshold, enum page_owner_format fmt);
long page_owner_stacks_profile_from(const struct owner_source *src, struct seq_file *m,
				    unsigned long threshold, enum page_owner_format fmt);
unsigned long page_owner_show_stacks_from(const struct owner_source *src, struct seq_file *m,
					  unsigned long threshold);
/* Checkpoint @i (oldest first) into @name, @ts_us. Return: 0, or -1 past the last. */
int page_owner_checkpoint_get(unsigned int i, char *name, size_t size, u64 *ts_us);

#endif
