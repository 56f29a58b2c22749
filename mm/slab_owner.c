// SPDX-License-Identifier: GPL-2.0
/*
 * Object owners: who allocated (and last freed) each slab object, kept
 * outside the object so its layout does not change (mm/slab.h: the owner
 * records follow the objects in each slab). On with slab_owner=on or
 * slab_debug=U (and for every debug cache).
 *
 * One 16-byte record per object, as page_owner's for pages:
 *
 *	word 0	bits  0..16  handle       allocation stack (depot handle)
 *		bits 17..33  free_handle  last free stack, 0 = never freed
 *		bits 34..39  pid          allocating context
 *		bits 40..45  free_pid     context of the last free
 *		bit  46      live         allocated now
 *		bits 47..49  cpu          the core that allocated it
 *		bits 50..52  free_cpu     the core that last freed it
 *		bits 53..62  waste        object_size - bytes asked for (kmalloc)
 *	word 1	bits  0..43  ts_us        allocation time, us since boot
 *		bits 44..63  free_dt      as page_owner's: while live, the time
 *					  since the previous free; once freed, the
 *					  time from allocation to free
 *
 * Records are written with interrupts masked, marked for owner_read() (a
 * dump on another core copies each as one write left it).
 *
 * The stacks are walked from the hooks' own frames; the allocator's frames
 * (mm/ is the skip range) are dropped, so a stack starts at the caller of
 * kmalloc()/kfree(). Walks seen before are recognised by their walk memos.
 */
#include <ferret/kallsyms.h>
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/slab_owner.h>
#include <ferret/string.h>

#include "owner_track.h"
#include "slab.h"
#include "slab_owner.h"

bool slab_owner_on;

struct unwind_memo_set so_alloc_memo[NR_CPUS], so_free_memo[NR_CPUS];	/* each core its own */
struct unwind_memo_set *so_alloc_memo_of[NR_CPUS], *so_free_memo_of[NR_CPUS];
depot_stack_handle_t so_failure_handle;

/* A record as one write left it (another core may be rewriting it), decoded. */
static void so_decode(const u64 *rec, struct slab_owner_info *o)
{
	u64 w[2], w0, w1, dt;

	owner_read(w, rec, sizeof(w));
	w0 = w[0];
	w1 = w[1];
	dt = dt_decode((u32)(w1 >> SO_FREE_DT_SHIFT));

	o->handle = (u32)(w0 & SO_HANDLE_MASK);
	o->free_handle = (u32)((w0 & SO_FREE_HANDLE_MASK) >> SO_FREE_HANDLE_SHIFT);
	o->pid = (int)((w0 & SO_PID_MASK) >> SO_PID_SHIFT);
	o->free_pid = (int)((w0 & SO_FREE_PID_MASK) >> SO_FREE_PID_SHIFT);
	o->cpu = (unsigned int)((w0 & SO_CPU_MASK) >> SO_CPU_SHIFT);
	o->free_cpu = (unsigned int)((w0 & SO_FREE_CPU_MASK) >> SO_FREE_CPU_SHIFT);
	o->live = w0 & SO_LIVE;
	o->waste = (unsigned int)(w0 >> SO_WASTE_SHIFT) & SO_WASTE_MAX;
	o->ts_us = w1 & SO_TS_MASK;
	o->free_ts_us = 0;
	if (o->free_handle)
		o->free_ts_us = o->live ? (o->ts_us > dt ? o->ts_us - dt : 0) : o->ts_us + dt;
}

__noinline depot_stack_handle_t so_save_slow(struct unwind_memo_set *memo, unsigned long fp)
{
	return owner_save_stack(memo, fp, so_failure_handle);
}

void slab_owner_alloc(struct kmem_cache *s, unsigned long base, void *x, size_t orig_size)
{
	unsigned long flags = arch_local_irq_save();	/* the write's context */

	slab_owner_record_alloc(s, base, x, orig_size);
	arch_local_irq_restore(flags);
}

bool slab_owner_free(struct kmem_cache *s, unsigned long base, const void *x)
{
	return slab_owner_record_free(s, base, x);
}

size_t slab_owner_orig_size(const struct kmem_cache *s, unsigned long base, const void *x)
{
	struct slab_owner_info o;

	if (!slab_has_owners(s))
		return 0;
	so_decode(owner_rec(s, base, x), &o);
	return o.live ? s->object_size - o.waste : 0;
}

bool slab_owner_is_live(const struct kmem_cache *s, unsigned long base, const void *x)
{
	return READ_ONCE(owner_rec(s, base, x)[0]) & SO_LIVE;
}

bool slab_cache_tracked(const struct kmem_cache *s)
{
	return s && slab_has_owners(s);
}

bool slab_objects_tracked(void)
{
	return READ_ONCE(slab_map.caches[0]) == &kmalloc_caches[0] &&
	       slab_has_owners(&kmalloc_caches[0]);
}

bool slab_page_has_owners(u32 page_flags)
{
	unsigned int id = page_flags >> PAGE_SLAB_ID_SHIFT;
	const struct kmem_cache *s = id < SLAB_MAX_CACHES ? READ_ONCE(slab_map.caches[id]) : NULL;

	return s && slab_has_owners(s);
}

int slab_owner_get(const void *x, struct slab_owner_info *o)
{
	struct kmem_cache *s = virt_to_cache(x);
	unsigned long base, off;

	if (!s || !slab_has_owners(s))
		return -1;
	base = slab_base_of_page(virt_to_page(x));
	off = (unsigned long)x - base;
	if (off >= s->span + s->red_left_pad || off < s->red_left_pad)
		return -1;
	so_decode(owner_rec(s, base, x), o);
	o->cache = s;
	o->object = obj_at(s, base, obj_index(s, base, x));
	o->size = o->live ? s->object_size - o->waste : 0;
	return 0;
}

static bool owner_ready;

void slab_owner_reset(void)
{
	owner_ready = false;
}

void slab_owner_init(void)
{
	struct page *page;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		so_alloc_memo_of[cpu] = &so_alloc_memo[cpu];
		so_free_memo_of[cpu] = &so_free_memo[cpu];
	}
	/* Every tracked cache calls this; only the first sets up (and allocates). */
	if (owner_ready)
		return;
	owner_ready = true;
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, get_order(OWNER_MEMO_BYTES));
	owner_clock_init();
	so_failure_handle = owner_failure_stack();
	if (!page)
		pr_warn("slab_owner: no memory for walk memos: every stack is walked\n");
	owner_memo_init(so_alloc_memo, so_free_memo, page ? page_address(page) : NULL);
}

/* ---- printing ---- */

/* Milliseconds: ferret's jiffies for the age= fields (HZ=1000). */
static unsigned long age_ms(u64 now, u64 then)
{
	return now > then ? (unsigned long)((now - then) / 1000) : 0;
}

/* Linux's print_track(): "<what> in <caller> age=.. cpu=.. pid=.." then the frames. */
static void print_track(struct seq_file *m, const char *what, depot_stack_handle_t handle,
			u64 when, unsigned int cpu, int pid, u64 now)
{
	unsigned long entries[OWNER_STACK_DEPTH];
	unsigned int nr;

	if (!handle)
		return;
	nr = stack_depot_fetch(handle, entries, ARRAY_SIZE(entries));
	seq_printf(m, "%s in ", what);
	if (nr)
		seq_printf(m, "%pS", (void *)entries[0]);
	else
		seq_puts(m, "<not-available>");
	seq_printf(m, " age=%lu cpu=%u pid=%d\n", age_ms(now, when), cpu, pid);
	for (unsigned int i = 0; i < nr; i++)
		seq_printf(m, " %pB\n", (void *)entries[i]);
}

void slab_owner_print_object(struct seq_file *m, struct kmem_cache *s, unsigned long base,
			     const void *x)
{
	struct slab_owner_info o;
	u64 now = now_us();

	if (!slab_has_owners(s))
		return;
	so_decode(owner_rec(s, base, x), &o);
	print_track(m, "Allocated", o.handle, o.ts_us, o.cpu, o.pid, now);
	print_track(m, "Freed", o.free_handle, o.free_ts_us, o.free_cpu, o.free_pid, now);
}

/* ---- alloc_traces / free_traces ---- */

struct location {
	u32 handle;
	u32 waste;		/* per object */
	unsigned long count;
	u64 sum_age, min_age, max_age;
	int min_pid, max_pid;
	unsigned long cpus;	/* bit n: an object from core n */
};

#define MAX_LOCATIONS	512
static struct location locations[MAX_LOCATIONS];

static void add_location(unsigned int *n, unsigned long *lost, u32 handle, u32 waste, u64 age,
			 int pid, unsigned int cpu)
{
	struct location *l;

	for (unsigned int i = 0; i < *n; i++) {
		l = &locations[i];
		if (l->handle != handle || l->waste != waste)
			continue;
		l->count++;
		l->sum_age += age;
		l->min_age = min(l->min_age, age);
		l->max_age = max(l->max_age, age);
		l->min_pid = min(l->min_pid, pid);
		l->max_pid = max(l->max_pid, pid);
		l->cpus |= 1UL << cpu;
		return;
	}
	if (*n == MAX_LOCATIONS) {
		(*lost)++;
		return;
	}
	l = &locations[(*n)++];
	l->handle = handle;
	l->waste = waste;
	l->count = 1;
	l->sum_age = l->min_age = l->max_age = age;
	l->min_pid = l->max_pid = pid;
	l->cpus = 1UL << cpu;
}

/* Linux's "%*pbl": the set bits of @bits as ranges, "0-2,5". */
static void seq_bitmap_list(struct seq_file *m, unsigned long bits)
{
	const char *sep = "";

	for (unsigned int b = 0; b < BITS_PER_LONG; b++) {
		unsigned int e = b;

		if (!(bits >> b & 1))
			continue;
		while (e + 1 < BITS_PER_LONG && (bits >> (e + 1) & 1))
			e++;
		if (e == b)
			seq_printf(m, "%s%u", sep, b);
		else
			seq_printf(m, "%s%u-%u", sep, b, e);
		sep = ",";
		b = e;
	}
}

/*
 * Call @fn for each live object of @s with the cache's lock held, one slab
 * at a time. Return: false if @m was interrupted (Ctrl-C).
 */
static bool for_each_live(struct kmem_cache *s, struct seq_file *m,
			  void (*fn)(void *arg, const struct slab_owner_info *o), void *arg,
			  unsigned long *seen)
{
	unsigned long pfn = mem_map_pfn_base, end = mem_map_pfn_base + max_mapnr, base;

	/* The panic console reads without locks: the crash may hold one. */
	bool locked = !READ_ONCE(owner_lockless);

	while ((pfn = slab_next(s, pfn, &base)) < end) {
		struct slab *slab = slab_of_base(base, s);
		unsigned long flags = 0;

		if (locked)
			spin_lock_irqsave(&s->lock, flags);
		for (unsigned int i = 0; slab && i < s->objects && slab->magic == SLAB_MAGIC; i++) {
			struct slab_owner_info o;
			void *x = obj_at(s, base, i);

			so_decode(owner_rec(s, base, x), &o);
			if (!o.live)
				continue;
			o.cache = s;
			o.object = x;
			o.size = s->object_size - o.waste;
			fn(arg, &o);
			(*seen)++;
		}
		if (locked)
			spin_unlock_irqrestore(&s->lock, flags);
		pfn++;
		if (m && seq_check_abort(m))
			return false;
	}
	return true;
}

struct trace_walk {
	unsigned int n;
	unsigned long lost;
	bool alloc;
	u64 now;
};

static void trace_one(void *arg, const struct slab_owner_info *o)
{
	struct trace_walk *w = arg;

	if (w->alloc)
		add_location(&w->n, &w->lost, o->handle, o->waste, age_ms(w->now, o->ts_us),
			     o->pid, o->cpu);
	else
		add_location(&w->n, &w->lost, o->free_handle, 0,
			     age_ms(w->now, o->free_handle ? o->free_ts_us : 0),
			     o->free_handle ? o->free_pid : 0, o->free_handle ? o->free_cpu : 0);
}

long slab_owner_traces(struct seq_file *m, struct kmem_cache *s, bool alloc)
{
	struct trace_walk w = { .alloc = alloc, .now = now_us() };
	unsigned long seen = 0, lost;
	unsigned int n;

	if (!s || !slab_has_owners(s))
		return -1;
	if (!for_each_live(s, m, trace_one, &w, &seen))
		return -1;
	n = w.n;
	lost = w.lost;
/* Most objects first (insertion sort: at most MAX_LOCATIONS entries). */
	for (unsigned int i = 1; i < n; i++) {
		struct location t = locations[i];
		unsigned int j = i;

		for (; j > 0 && locations[j - 1].count < t.count; j--)
			locations[j] = locations[j - 1];
		locations[j] = t;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct location *l = &locations[i];
		unsigned long entries[OWNER_STACK_DEPTH];
		unsigned int nr = l->handle ? stack_depot_fetch(l->handle, entries,
							       ARRAY_SIZE(entries)) : 0;

		seq_printf(m, "%7ld ", (long)l->count);
		if (nr)
			seq_printf(m, "%pS", (void *)entries[0]);
		else
			seq_puts(m, "<not-available>");
		if (l->waste)
			seq_printf(m, " waste=%lu/%lu", (unsigned long)l->waste * l->count,
				   (unsigned long)l->waste);
		if (l->min_age == l->max_age)
			seq_printf(m, " age=%llu", (unsigned long long)l->min_age);
		else
			seq_printf(m, " age=%llu/%llu/%llu", (unsigned long long)l->min_age,
				   (unsigned long long)(l->sum_age / l->count),
				   (unsigned long long)l->max_age);
		if (l->min_pid != l->max_pid)
			seq_printf(m, " pid=%d-%d", l->min_pid, l->max_pid);
		else
			seq_printf(m, " pid=%d", l->min_pid);
		if (num_online_cpus() > 1) {	/* as Linux: only with more than one */
			seq_puts(m, " cpus=");
			seq_bitmap_list(m, l->cpus);
		}
		seq_putc(m, '\n');
		for (unsigned int k = 0; k < nr; k++)
			seq_printf(m, "        %pB\n", (void *)entries[k]);
		seq_putc(m, '\n');
	}
	if (lost)
		seq_printf(m, "# %lu objects not counted: more than %d locations\n", lost,
			   MAX_LOCATIONS);
	return n;
}

/* ---- objects for leak reports ---- */

unsigned long slab_owner_for_each_live(void (*fn)(void *arg, const struct slab_owner_info *o),
				       void *arg)
{
	unsigned long seen = 0;

	for (struct kmem_cache *s = slab_cache_list; s; s = s->next_cache)
		if (slab_has_owners(s))
			for_each_live(s, NULL, fn, arg, &seen);
	return seen;
}
