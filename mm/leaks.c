// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoints and leak reports over both owner trackers: the blocks of
 * pages page_owner records (mm/page_owner.c) and the objects the object
 * owners record (mm/slab_owner.c), on one clock (mm/owner_track.h).
 *
 * A checkpoint is a name and a time; nothing is copied. A leak report sums,
 * per (allocation stack, context), what was allocated after a checkpoint and
 * is still held, in a static table (so the panic console can run it), and
 * prints it in three forms:
 *
 *   text     a section per kind: "N pages in M blocks from <comm>" per page
 *            stack, then "N bytes in M objects from <comm>" per object stack,
 *            each with its frames, most first, and a summary line per section;
 *   pprof    one legacy heap profile (google-pprof): objects and bytes, where
 *            a block of pages counts as one object of its size in bytes;
 *   folded   "outer;...;inner <n>" per stack (flame graphs): n in pages while
 *            objects are not tracked, in bytes (pages * PAGE_SIZE) when they
 *            are, so that one file has one unit.
 *
 * Where objects are tracked, their slab pages are not counted as pages (their
 * objects are), and a large kmalloc() block counts as one object of the
 * bytes asked for.
 */
#include <ferret/kallsyms.h>
#include <ferret/kmemleak.h>
#include <ferret/mm.h>
#include <ferret/page_owner.h>
#include <ferret/page_owner_record.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>

#include "owner_track.h"

/* ---- checkpoints ---- */

struct owner_checkpoint {
	char name[PAGE_OWNER_CHECKPOINT_NAME];
	u64 ts_us;	/* the records' clock and unit */
};

/* Oldest first; the console is the only writer. */
static struct owner_checkpoint checkpoints[PAGE_OWNER_CHECKPOINTS];
static unsigned int nr_checkpoints;

static int find_checkpoint(const char *name)
{
	for (unsigned int i = 0; i < nr_checkpoints; i++)
		if (!strcmp(checkpoints[i].name, name))
			return (int)i;
	return -1;
}

static void drop_checkpoint(unsigned int i)
{
	for (; i + 1 < nr_checkpoints; i++)
		checkpoints[i] = checkpoints[i + 1];
	nr_checkpoints--;
}

int page_owner_checkpoint(const char *name, u64 *ts_ns)
{
	size_t len = strlen(name);
	unsigned int spins = 0;
	int i;
	u64 t;

	if (!len || len >= PAGE_OWNER_CHECKPOINT_NAME)
		return -1;
	for (size_t k = 0; k < len; k++)
		if (name[k] <= ' ' || name[k] > '~')
			return -1;
	i = find_checkpoint(name);
	if (i >= 0)
		drop_checkpoint((unsigned int)i);
	else if (nr_checkpoints == PAGE_OWNER_CHECKPOINTS)
		drop_checkpoint(0);
	/*
	 * Records stamped t or earlier are "before". Wait for the clock to reach
	 * the first time whose page records read back later than t (t + 1, or
	 * the next step of a 32-bit record's rounded time: po_time_next()), so
	 * that anything allocated after this returns is stamped later; the
	 * checkpoint is the time just before it. Bounded: a host test may freeze
	 * its clock (spins count only while it stands still).
	 */
	t = now_us();
	for (u64 next = po_time_next(t), last = t, n; (n = now_us()) < next;) {
		if (n != last)
			spins = 0;
		else if (++spins >= (1U << 16))
			break;
		last = n;
		barrier();
	}
	t = po_time_next(t) - 1;
	memcpy(checkpoints[nr_checkpoints].name, name, len + 1);
	checkpoints[nr_checkpoints].ts_us = t;
	nr_checkpoints++;
	if (ts_ns)
		*ts_ns = t * NSEC_PER_USEC;
	return 0;
}

int page_owner_checkpoint_get(unsigned int i, char *name, size_t size, u64 *ts_us)
{
	if (i >= nr_checkpoints)
		return -1;
	strlcpy(name, checkpoints[i].name, size);
	*ts_us = checkpoints[i].ts_us;
	return 0;
}

int page_owner_checkpoint_time(const char *name, u64 *ts_us)
{
	int i = find_checkpoint(name);

	if (i < 0)
		return -1;
	*ts_us = checkpoints[i].ts_us;
	return 0;
}

void page_owner_list_checkpoints(struct seq_file *m)
{
	if (!nr_checkpoints)
		seq_puts(m, "no checkpoints\n");
	for (unsigned int i = 0; i < nr_checkpoints; i++)
		seq_printf(m, "%-15s ts %llu ns\n", checkpoints[i].name,
			   (unsigned long long)checkpoints[i].ts_us * NSEC_PER_USEC);
}

/* ---- the table ---- */

enum leak_kind { LEAK_PAGES, LEAK_OBJECTS, NR_LEAK_KINDS };

/*
 * One (stack, context, kind) triple: blocks or objects, and base pages or
 * bytes. @total is the stack's amount over all its contexts, filled in
 * before the final sort.
 */
struct leak_ent {
	u32 handle;
	u32 count;
	u64 amount;
	u64 total;
	u16 pid;	/* LEAK_PID_NONE: unknown context */
	u8 kind;
	u8 pad;
};

#define LEAK_PID_NONE	0xffff
/* The "stack" of what has no owner record (the leak scan finds those too). */
#define LEAK_NO_OWNER	0xffffffffU
#define LEAK_HASH_BITS	11
BUILD_BUG_ON(PAGE_OWNER_LEAK_SLOTS != 1 << LEAK_HASH_BITS);

/* Static so the panic console can use it; only the console runs reports. */
static struct leak_ent leak_tab[PAGE_OWNER_LEAK_SLOTS];

struct leak_totals {
	unsigned long count[NR_LEAK_KINDS], amount[NR_LEAK_KINDS];		/* aggregated */
	unsigned long lost_count[NR_LEAK_KINDS], lost_amount[NR_LEAK_KINDS];	/* did not fit */
};

struct leak_walk {
	const struct owner_source *src;
	struct leak_totals *t;
	unsigned int used;
	bool since_set;
	u64 since_us;
	bool objects;		/* objects tracked: slab pages count as objects */
	bool pages_only;	/* show_stacks: pages as page_owner sees them */
};

static void leak_add(struct leak_walk *w, enum leak_kind kind, u32 handle, int pid, u64 amount)
{
	u16 p = pid >= 0 && pid < LEAK_PID_NONE ? (u16)pid : LEAK_PID_NONE;
	u32 i = ((handle * 0x9e3779b1U) ^ (p * 0x85ebca6bU) ^ (kind * 0xc2b2ae35U)) >>
		(32 - LEAK_HASH_BITS);
	struct leak_totals *t = w->t;

	t->count[kind]++;
	t->amount[kind] += amount;
	for (unsigned int probes = 0; probes < PAGE_OWNER_LEAK_SLOTS; probes++) {
		struct leak_ent *e = &leak_tab[i];

		if (!e->handle) {
			if (w->used == PAGE_OWNER_LEAK_SLOTS - 1)
				break;	/* keep one slot free: probing always ends */
			e->handle = handle;
			e->pid = p;
			e->kind = (u8)kind;
			w->used++;
		}
		if (e->handle == handle && e->pid == p && e->kind == kind) {
			e->count++;
			e->amount += amount;
			return;
		}
		i = (i + 1) & (PAGE_OWNER_LEAK_SLOTS - 1);
	}
	t->lost_count[kind]++;
	t->lost_amount[kind] += amount;
}

static void add_block(void *arg, const struct po_block *b)
{
	struct leak_walk *w = arg;

	if (w->since_set && b->ts_us <= w->since_us)
		return;
	if (!w->pages_only && w->objects) {
		if (b->page_flags & (1U << PG_slab)) {
			if (w->src->page_has_owners(b->page_flags))
				return;	/* its objects are counted */
		} else if (b->page_flags & (1U << PG_large_kmalloc)) {
			leak_add(w, LEAK_OBJECTS, b->handle, b->pid, b->private);
			return;
		}
	}
	leak_add(w, LEAK_PAGES, b->handle, b->pid, 1UL << b->order);
}

static void add_object(void *arg, const struct slab_owner_info *o)
{
	struct leak_walk *w = arg;

	if (w->since_set && o->ts_us <= w->since_us)
		return;
	leak_add(w, LEAK_OBJECTS, o->handle, o->pid, o->size);
}

/* By kind, then stack, then context. */
static bool before_handle(const struct leak_ent *a, const struct leak_ent *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return a->handle != b->handle ? a->handle < b->handle : a->pid < b->pid;
}

/* By kind, then the stacks with most first, then the oldest stack, then its biggest context. */
static bool before_amount(const struct leak_ent *a, const struct leak_ent *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind;
	if (a->total != b->total)
		return a->total > b->total;
	if (a->handle != b->handle)
		return a->handle < b->handle;
	if (a->amount != b->amount)
		return a->amount > b->amount;
	return a->pid < b->pid;
}

/* In-place heapsort: no recursion, no allocation (panic console). */
static void leak_sort(struct leak_ent *a, unsigned int n,
		      bool (*before)(const struct leak_ent *, const struct leak_ent *))
{
	unsigned int start = n / 2, end = n;

	while (end > 1) {
		unsigned int root, child;
		struct leak_ent tmp;

		if (start) {
			start--;
		} else {
			end--;
			tmp = a[0];
			a[0] = a[end];
			a[end] = tmp;
		}
		/* Sift a[start] down a max-heap ordered by "comes later". */
		for (root = start; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && before(&a[child], &a[child + 1]))
				child++;
			if (!before(&a[root], &a[child]))
				break;
			tmp = a[root];
			a[root] = a[child];
			a[child] = tmp;
		}
	}
}

static void leak_begin(struct leak_walk *w)
{
	memset(leak_tab, 0, sizeof(leak_tab));
	memset(w->t, 0, sizeof(*w->t));
	w->used = 0;
}

/* Compact leak_tab, give each entry its stack's total, then order. Return: entries. */
static unsigned int leak_finish(bool (*order)(const struct leak_ent *, const struct leak_ent *))
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < PAGE_OWNER_LEAK_SLOTS; i++)
		if (leak_tab[i].handle)
			leak_tab[n++] = leak_tab[i];
	leak_sort(leak_tab, n, before_handle);
	for (unsigned int i = 0, j; i < n; i = j) {
		u64 total = 0;

		for (j = i; j < n && leak_tab[j].handle == leak_tab[i].handle &&
			    leak_tab[j].kind == leak_tab[i].kind; j++)
			total += leak_tab[j].amount;
		for (unsigned int k = i; k < j; k++)
			leak_tab[k].total = total;
	}
	if (order != before_handle)
		leak_sort(leak_tab, n, order);
	return n;
}

/*
 * Aggregate blocks (and objects, unless @w->pages_only) stamped after the
 * walk's checkpoint into leak_tab[0, return value), in @order.
 */
static unsigned int leak_collect(struct leak_walk *w,
				 bool (*order)(const struct leak_ent *, const struct leak_ent *))
{
	leak_begin(w);
	w->objects = !w->pages_only && w->src->objects_tracked();
	w->src->for_each_block(add_block, w);
	if (!w->pages_only)
		w->src->for_each_object(add_object, w);
	return leak_finish(order);
}

/* ---- printing ---- */

static const char *live_comm(int pid)
{
	const struct task_ctx *t = pid >= 0 ? task_ctx_get(pid) : NULL;

	return t ? t->comm : "unknown";
}

static int live_checkpoint(const char *name, const char **out, u64 *ts_us)
{
	int i = name ? find_checkpoint(name) : (int)nr_checkpoints - 1;

	if (i < 0)
		return -1;
	*out = checkpoints[i].name;
	*ts_us = checkpoints[i].ts_us;
	return 0;
}

/* This boot's owners: the live walks, the depot, the kernel's symbols. */
const struct owner_source owner_source_live = {
	.for_each_block = page_owner_for_each_block,
	.for_each_object = slab_owner_for_each_live,
	.fetch = stack_depot_fetch,
	.lookup_return = kallsyms_lookup_return,
	.comm = live_comm,
	.checkpoint = live_checkpoint,
	.objects_tracked = slab_objects_tracked,
	.page_has_owners = slab_page_has_owners,
};

/* A return address as %pB prints it, with the source's symbols. */
static void print_frame(struct seq_file *m, const struct owner_source *src, unsigned long addr)
{
	unsigned long size, off;
	const char *name = src->lookup_return(addr, &size, &off);

	if (name)
		seq_printf(m, " %s+0x%lx/0x%lx\n", name, off, size);
	else
		seq_printf(m, " 0x%lx\n", addr);
}

static void print_frames_folded(struct seq_file *m, const struct owner_source *src,
				const unsigned long *e, unsigned int nr)
{
	for (unsigned int i = nr; i-- > 0;) {
		unsigned long size, off;
		/* Return addresses, named as the text format's %pB names them. */
		const char *name = src->lookup_return(e[i], &size, &off);

		if (name)
			seq_puts(m, name);
		else
			seq_printf(m, "0x%lx", e[i]);
		if (i)
			seq_putc(m, ';');
	}
}

static const struct {
	const char *amount, *counts;
} kind_words[NR_LEAK_KINDS] = {
	[LEAK_PAGES] = { "pages", "blocks" },
	[LEAK_OBJECTS] = { "bytes", "objects" },
};

/* What a stack passes the threshold on: base pages, or objects. */
static u64 thresh_value(const struct leak_ent *first, u64 count)
{
	return first->kind == LEAK_PAGES ? first->total : count;
}

/* Bytes, for pprof and a folded file that holds objects. */
static u64 to_bytes(enum leak_kind kind, u64 amount)
{
	return kind == LEAK_PAGES ? amount * PAGE_SIZE : amount;
}

struct leak_print {
	const struct owner_source *src;
	struct seq_file *m;
	const struct leak_totals *t;
	unsigned long threshold;
	enum page_owner_format fmt;
	bool folded_bytes;
	long printed;
};

/* One stack: entries [i, j) of leak_tab, all of one kind. */
static void print_stack(struct leak_print *p, unsigned int i, unsigned int j, u64 count)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
	const struct leak_ent *e = &leak_tab[i];
	enum leak_kind kind = (enum leak_kind)e->kind;
	struct seq_file *m = p->m;
	unsigned int nr = e->handle == LEAK_NO_OWNER ? 0 :
			  p->src->fetch(e->handle, entries, ARRAY_SIZE(entries));

	switch (p->fmt) {
	case PAGE_OWNER_FMT_PPROF:
		seq_printf(m, "%llu: %llu [%llu: %llu] @", (unsigned long long)count,
			   (unsigned long long)to_bytes(kind, e->total), (unsigned long long)count,
			   (unsigned long long)to_bytes(kind, e->total));
		/*
		 * pprof takes the first address for a pc and moves every other
		 * one back a byte onto its call instruction; all of ours are
		 * return addresses, so the first goes back here.
		 */
		for (unsigned int k = 0; k < nr; k++)
			seq_printf(m, " 0x%lx", entries[k] - (k == 0));
		seq_putc(m, '\n');
		break;
	case PAGE_OWNER_FMT_FOLDED:
		if (e->handle == LEAK_NO_OWNER)
			seq_puts(m, "[no owner record]");
		print_frames_folded(m, p->src, entries, nr);
		seq_printf(m, " %llu\n", (unsigned long long)(p->folded_bytes ?
					  to_bytes(kind, e->total) : e->total));
		break;
	default:
		/* Always plural: one line format for parsers ("1 blocks"). */
		seq_printf(m, "%llu %s in %llu %s from ", (unsigned long long)e->total,
			   kind_words[kind].amount, (unsigned long long)count,
			   kind_words[kind].counts);
		for (unsigned int k = i; k < j; k++) {
			const char *comm = p->src->comm(leak_tab[k].pid == LEAK_PID_NONE ? -1 :
							leak_tab[k].pid);

			if (j - i == 1)
				seq_puts(m, comm);
			else
				seq_printf(m, "%s%s (%llu %s)", k == i ? "" : ", ", comm,
					   (unsigned long long)leak_tab[k].amount,
					   kind_words[kind].amount);
		}
		seq_putc(m, '\n');
		if (e->handle == LEAK_NO_OWNER)
			seq_puts(m, " [no owner record: boot with page_owner=on slab_owner=on]\n");
		for (unsigned int k = 0; k < nr; k++)
			print_frame(m, p->src, entries[k]);
		seq_putc(m, '\n');
	}
	p->printed++;
}

/* The text summary of one kind's section. */
static void print_summary(struct leak_print *p, enum leak_kind kind, long stacks, u64 amount,
			  u64 count, u64 hidden_stacks)
{
	const struct leak_totals *t = p->t;

	seq_printf(p->m, "%ld stack%s, %llu %s in %llu %s", stacks, stacks == 1 ? "" : "s",
		   (unsigned long long)amount, kind_words[kind].amount, (unsigned long long)count,
		   kind_words[kind].counts);
	if (hidden_stacks)
		seq_printf(p->m, "; %llu %s in %llu %s from %llu stack%s below the threshold",
			   (unsigned long long)(t->amount[kind] - t->lost_amount[kind] - amount),
			   kind_words[kind].amount,
			   (unsigned long long)(t->count[kind] - t->lost_count[kind] - count),
			   kind_words[kind].counts, (unsigned long long)hidden_stacks,
			   hidden_stacks == 1 ? "" : "s");
	seq_putc(p->m, '\n');
}

/* Print the aggregated stacks [0, n) of leak_tab. Return: stacks printed. */
static long leak_print(const struct owner_source *src, struct seq_file *m, unsigned int n,
		       const struct leak_totals *t, unsigned long threshold,
		       enum page_owner_format fmt, bool objects)
{
	struct leak_print p = { src, m, t, threshold, fmt, objects, 0 };
	u64 shown_amount[NR_LEAK_KINDS] = { 0 }, shown_count[NR_LEAK_KINDS] = { 0 };
	u64 hidden[NR_LEAK_KINDS] = { 0 }, bytes = 0, count = 0;
	long stacks[NR_LEAK_KINDS] = { 0 };

	threshold = max(threshold, 1UL);
	/* First pass: what is shown (pprof's header carries the totals). */
	for (unsigned int i = 0, j; i < n; i = j) {
		u64 c = 0;

		for (j = i; j < n && leak_tab[j].handle == leak_tab[i].handle &&
			    leak_tab[j].kind == leak_tab[i].kind; j++)
			c += leak_tab[j].count;
		if (thresh_value(&leak_tab[i], c) >= threshold) {
			shown_amount[leak_tab[i].kind] += leak_tab[i].total;
			shown_count[leak_tab[i].kind] += c;
		} else {
			hidden[leak_tab[i].kind]++;
		}
	}
	for (int k = 0; k < NR_LEAK_KINDS; k++) {
		bytes += to_bytes((enum leak_kind)k, shown_amount[k]);
		count += shown_count[k];
	}
	if (fmt == PAGE_OWNER_FMT_PPROF)
		seq_printf(m, "heap profile: %llu: %llu [%llu: %llu] @ heap_v2/1\n",
			   (unsigned long long)count, (unsigned long long)bytes,
			   (unsigned long long)count, (unsigned long long)bytes);

	for (unsigned int i = 0, j; i < n; i = j) {
		enum leak_kind kind = (enum leak_kind)leak_tab[i].kind;
		u64 c = 0;

		for (j = i; j < n && leak_tab[j].handle == leak_tab[i].handle &&
			    leak_tab[j].kind == kind; j++)
			c += leak_tab[j].count;
		if (fmt == PAGE_OWNER_FMT_TEXT && kind == LEAK_OBJECTS && i &&
		    leak_tab[i - 1].kind != LEAK_OBJECTS) {
			print_summary(&p, LEAK_PAGES, stacks[LEAK_PAGES], shown_amount[LEAK_PAGES],
				      shown_count[LEAK_PAGES], hidden[LEAK_PAGES]);
			seq_putc(m, '\n');
			stacks[LEAK_PAGES] = -1;	/* printed */
		}
		if (thresh_value(&leak_tab[i], c) < threshold)
			continue;
		print_stack(&p, i, j, c);
		stacks[kind]++;
		if (seq_check_abort(m))
			return p.printed;
	}
	if (fmt == PAGE_OWNER_FMT_TEXT) {
		if (stacks[LEAK_PAGES] >= 0)
			print_summary(&p, LEAK_PAGES, stacks[LEAK_PAGES], shown_amount[LEAK_PAGES],
				      shown_count[LEAK_PAGES], hidden[LEAK_PAGES]);
		if (objects) {
			if (stacks[LEAK_PAGES] >= 0)
				seq_putc(m, '\n');
			print_summary(&p, LEAK_OBJECTS, stacks[LEAK_OBJECTS],
				      shown_amount[LEAK_OBJECTS], shown_count[LEAK_OBJECTS],
				      hidden[LEAK_OBJECTS]);
		}
	}
	for (int k = 0; k < NR_LEAK_KINDS; k++)
		if (t->lost_count[k])
			seq_printf(m, "%s%lu %s in %lu %s not counted: more than %u (stack, context) pairs\n",
				   fmt == PAGE_OWNER_FMT_TEXT ? "" : "# ", t->lost_amount[k],
				   kind_words[k].amount, t->lost_count[k], kind_words[k].counts,
				   PAGE_OWNER_LEAK_SLOTS - 1);
	return p.printed;
}

long page_owner_leaks_from(const struct owner_source *src, struct seq_file *m,
			   const char *since, unsigned long threshold, enum page_owner_format fmt)
{
	struct leak_totals t;
	struct leak_walk w = { .src = src, .t = &t };
	const char *cname = NULL;
	unsigned int n;

	if (src->checkpoint(since, &cname, &w.since_us)) {
		if (since)
			return -1;
		cname = NULL;	/* no checkpoint: since boot */
		w.since_us = 0;
	}
	w.since_set = cname != NULL;
	n = leak_collect(&w, before_amount);
	if (fmt == PAGE_OWNER_FMT_TEXT) {
		if (cname)
			seq_printf(m, "leaks since checkpoint '%s' (ts %llu ns)", cname,
				   (unsigned long long)w.since_us * NSEC_PER_USEC);
		else
			seq_puts(m, "leaks since boot (no checkpoint)");
		seq_printf(m, ": stacks holding at least %lu page%s", max(threshold, 1UL),
			   threshold > 1 ? "s" : "");
		if (w.objects)
			seq_printf(m, " or %lu object%s", max(threshold, 1UL),
				   threshold > 1 ? "s" : "");
		seq_puts(m, "\n\n");
	}
	return leak_print(src, m, n, &t, threshold, fmt, w.objects);
}

long page_owner_leaks(struct seq_file *m, const char *since, unsigned long threshold,
		      enum page_owner_format fmt)
{
	if (!page_owner_inited)
		return 0;
	return page_owner_leaks_from(&owner_source_live, m, since, threshold, fmt);
}

long page_owner_stacks_profile_from(const struct owner_source *src, struct seq_file *m,
				    unsigned long threshold, enum page_owner_format fmt)
{
	struct leak_totals t;
	struct leak_walk w = { .src = src, .t = &t };
	unsigned int n;

	n = leak_collect(&w, before_amount);
	if (fmt == PAGE_OWNER_FMT_TEXT)
		seq_printf(m, "allocated blocks: stacks holding at least %lu page%s\n\n",
			   max(threshold, 1UL), threshold > 1 ? "s" : "");
	return leak_print(src, m, n, &t, threshold, fmt, w.objects);
}

long page_owner_stacks_profile(struct seq_file *m, unsigned long threshold,
			       enum page_owner_format fmt)
{
	if (!page_owner_inited)
		return 0;
	return page_owner_stacks_profile_from(&owner_source_live, m, threshold, fmt);
}

/*
 * Linux's show_stacks: stacks in depot order (the "depot full" pseudo stack,
 * handle 1, first), each with its outstanding base pages, as page_owner
 * sees them (slab pages included). The counts are summed from mem_map now
 * rather than kept per stack on every allocation and free.
 */
unsigned long page_owner_show_stacks_from(const struct owner_source *src, struct seq_file *m,
					  unsigned long threshold)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
	struct leak_totals t;
	struct leak_walk w = { .src = src, .t = &t, .pages_only = true };
	unsigned long printed = 0;
	unsigned int n;

	n = leak_collect(&w, before_handle);
	for (unsigned int i = 0, j, nr; i < n; i = j) {
		u64 pages = 0;

		for (j = i; j < n && leak_tab[j].handle == leak_tab[i].handle; j++)
			pages += leak_tab[j].amount;
		if (pages < max(threshold, 1UL) || pages > 0x7fffffffUL)
			continue;
		nr = src->fetch(leak_tab[i].handle, entries, ARRAY_SIZE(entries));
		for (unsigned int k = 0; k < nr; k++)
			print_frame(m, src, entries[k]);
		seq_printf(m, "nr_base_pages: %d\n\n", (int)pages);
		printed++;
		if (seq_check_abort(m))
			return printed;
	}
	if (t.lost_count[LEAK_PAGES])
		seq_printf(m, "# %lu pages in %lu blocks not counted: more than %u (stack, context) pairs\n",
			   t.lost_amount[LEAK_PAGES], t.lost_count[LEAK_PAGES],
			   PAGE_OWNER_LEAK_SLOTS - 1);
	return printed;
}

unsigned long page_owner_show_stacks(struct seq_file *m, unsigned long threshold)
{
	if (!page_owner_inited)
		return 0;
	return page_owner_show_stacks_from(&owner_source_live, m, threshold);
}

/* ---- what the leak scan found unreferenced (mm/kmemleak.c) ---- */

static void add_unreferenced(void *arg, const struct kmemleak_object *o)
{
	struct leak_walk *w = arg;
	u32 handle = o->owner && o->handle ? o->handle : LEAK_NO_OWNER;
	int pid = o->owner ? o->pid : -1;

	if (o->cache || o->large_kmalloc)
		leak_add(w, LEAK_OBJECTS, handle, pid, o->asked);
	else
		leak_add(w, LEAK_PAGES, handle, pid, 1UL << o->order);
}

long page_owner_leaks_unreferenced(struct seq_file *m, struct kmemleak_scan *sc,
				   unsigned long threshold, enum page_owner_format fmt)
{
	struct leak_totals t;
	struct leak_walk w = { .src = &owner_source_live, .t = &t, .objects = true };
	unsigned int n;
	int ret;

	leak_begin(&w);
	sc->report = add_unreferenced;
	sc->arg = &w;
	ret = kmemleak_scan(sc);
	if (ret)
		return ret;
	n = leak_finish(before_amount);
	if (fmt == PAGE_OWNER_FMT_TEXT)
		seq_printf(m, "unreferenced blocks and objects (leak scan, 2 passes): stacks "
			   "holding at least %lu page%s or %lu object%s\n\n", max(threshold, 1UL),
			   threshold > 1 ? "s" : "", max(threshold, 1UL), threshold > 1 ? "s" : "");
	return leak_print(&owner_source_live, m, n, &t, threshold, fmt, true);
}

