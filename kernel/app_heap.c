// SPDX-License-Identifier: GPL-2.0
/*
 * The applications' heap: what malloc() and its kin (lib/libc/malloc.c) and
 * ferret_alloc_pages() get their memory from, with statistics per
 * application and ESP-IDF's heap trace (docs/APPS.md).
 *
 * A malloc block is a kmalloc object (or, above the kmalloc caches, a block
 * of pages from kmalloc's large path) with a 16-byte header in front of the
 * pointer the application sees:
 *
 *	base (kmalloc) ... [struct heap_hdr] [size bytes for the application]
 *	                                     ^ 16-byte aligned (or more)
 *
 * The header names the application that allocated the block, so its
 * statistics stay exact whichever application frees it, and lets free()
 * refuse a pointer malloc() never gave. kmalloc's classes of 16-byte
 * multiples are 16-byte aligned (24, 40, 56... are only 8-aligned), so a
 * request is rounded up to 16 bytes; when kmalloc gives less alignment than
 * that (slab_debug= red zones shift objects) the block is retried larger and
 * the pointer moved up, which works for any alignment.
 *
 * This file is linked inside the tracking-code range (linker.ld), as are the
 * C library's malloc entry points, so page_owner and slab_owner stacks start
 * at whoever called malloc(): the application, or the C library function
 * (strdup, fopen, asprintf...) it called.
 *
 * Context: applications run one at a time from the console, never from an
 * interrupt handler, so nothing here takes a lock.
 */
#include <ferret/app_internal.h>
#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/mmzone.h>
#include <ferret/printk.h>
#include <ferret/slab.h>
#include <ferret/stacktrace.h>
#include <ferret/string.h>
#include <ferret/time.h>

#define HEAP_MAGIC_LIVE	0x6b6f6c6cu	/* a live block */
#define HEAP_MAGIC_FREE	0x66726565u	/* freed: a second free is refused */

/*
 * The magic is last: a freed kmalloc object's first word becomes its free
 * pointer, so a magic there would be gone by the time a second free() of
 * the block comes to look for HEAP_MAGIC_FREE.
 */
struct heap_hdr {
	u32 app : 8;		/* index of the allocating application + 1; 0: none */
	u32 offset8 : 24;	/* (pointer - kmalloc base) / 8: kmalloc aligns to 8 at least */
	u32 size;		/* bytes asked for */
	u32 footprint;		/* bytes asked of kmalloc */
	u32 magic;
};
BUILD_BUG_ON(sizeof(struct heap_hdr) != FERRET_HEAP_HDR_SIZE);

/*
 * Slot 0: every application together (its peak is the real high-water mark
 * of the sum); slot 1: allocations made outside any application; slot
 * i + 2: application i. A header's app field is the slot's index - 1.
 */
static struct ferret_heap_stats heap_stats[FERRET_MAX_APPS + 2];

static size_t pow2_roundup(size_t n)
{
	return n <= 1 ? 1 : (size_t)1 << (64 - __builtin_clzl(n - 1));
}

static struct ferret_heap_stats *stats_slot(int app)
{
	return &heap_stats[app == FERRET_HEAP_ALL ? 0 : app + 2];
}

/* ---- heap trace (ESP-IDF's heap_trace_*) ---- */

static struct {
	heap_trace_record_t *buf;
	size_t size, count;
	heap_trace_mode_t mode;
	bool running;
	u64 t0;
	unsigned long allocs, frees;	/* traced since start */
	unsigned long overflow;		/* allocations not recorded: buffer full */
} trace;

static void trace_alloc(void *p, size_t size)
{
	heap_trace_record_t *r;
	unsigned long st[HEAP_TRACE_STACK_DEPTH];
	unsigned int n;

	if (!trace.running)
		return;
	trace.allocs++;
	if (trace.count == trace.size) {
		trace.overflow++;
		return;
	}
	r = &trace.buf[trace.count++];
	memset(r, 0, sizeof(*r));
	r->ts_ns = ktime_get_ns() - trace.t0;
	r->address = p;
	r->size = size;
	r->pid = current_pid();
	n = stack_trace_save(st, HEAP_TRACE_STACK_DEPTH, 0);
	for (unsigned int i = 0; i < n; i++)
		r->alloced_by[i] = (void *)st[i];
}

static void trace_free(void *p)
{
	if (!trace.running)
		return;
	trace.frees++;
	for (size_t i = trace.count; i-- > 0;) {
		heap_trace_record_t *r = &trace.buf[i];

		if (r->address != p || r->freed)
			continue;
		if (trace.mode == HEAP_TRACE_LEAKS) {
			memmove(r, r + 1, (trace.count - i - 1) * sizeof(*r));
			trace.count--;
		} else {
			unsigned long st[HEAP_TRACE_STACK_DEPTH];
			unsigned int n = stack_trace_save(st, HEAP_TRACE_STACK_DEPTH, 0);

			r->freed = 1;
			for (unsigned int j = 0; j < n; j++)
				r->freed_by[j] = (void *)st[j];
		}
		return;
	}
}

esp_err_t heap_trace_init_standalone(heap_trace_record_t *record_buffer, size_t num_records)
{
	if (trace.running)
		return ESP_ERR_INVALID_STATE;
	if (!record_buffer && num_records)
		return ESP_ERR_INVALID_ARG;
	trace.buf = record_buffer;
	trace.size = num_records;
	trace.count = 0;
	return ESP_OK;
}

esp_err_t heap_trace_start(heap_trace_mode_t mode)
{
	if (!trace.buf)
		return ESP_ERR_INVALID_STATE;
	if (mode != HEAP_TRACE_ALL && mode != HEAP_TRACE_LEAKS)
		return ESP_ERR_INVALID_ARG;
	trace.mode = mode;
	trace.count = 0;
	trace.allocs = trace.frees = trace.overflow = 0;
	trace.t0 = ktime_get_ns();
	trace.running = true;
	return ESP_OK;
}

esp_err_t heap_trace_stop(void)
{
	if (!trace.running)
		return ESP_ERR_INVALID_STATE;
	trace.running = false;
	return ESP_OK;
}

esp_err_t heap_trace_resume(void)
{
	if (!trace.buf)
		return ESP_ERR_INVALID_STATE;
	trace.running = true;
	return ESP_OK;
}

size_t heap_trace_get_count(void)
{
	return trace.count;
}

esp_err_t heap_trace_get(size_t index, heap_trace_record_t *record)
{
	if (!record || index >= trace.count)
		return ESP_ERR_INVALID_ARG;
	*record = trace.buf[index];
	return ESP_OK;
}

static void print_frames(void *const *frames)
{
	for (unsigned int i = 0; i < HEAP_TRACE_STACK_DEPTH && frames[i]; i++)
		printk(" %pB\n", frames[i]);
}

void heap_trace_dump(void)
{
	unsigned long bytes = 0, live = 0;

	printk("heap trace: %zu record%s of %zu (mode %s, %s)\n", trace.count,
	       trace.count == 1 ? "" : "s", trace.size,
	       trace.mode == HEAP_TRACE_LEAKS ? "leaks" : "all",
	       trace.running ? "running" : "stopped");
	for (size_t i = 0; i < trace.count; i++) {
		const heap_trace_record_t *r = &trace.buf[i];
		const struct task_ctx *t = task_ctx_get(r->pid);

		printk("%zu bytes at 0x%lx from %s, %llu.%06llu ms after start%s\n", r->size,
		       (unsigned long)r->address, t ? t->comm : "?",
		       (unsigned long long)(r->ts_ns / NSEC_PER_MSEC),
		       (unsigned long long)(r->ts_ns % NSEC_PER_MSEC),
		       r->freed ? ", freed" : "");
		print_frames(r->alloced_by);
		if (r->freed) {
			printk(" freed by:\n");
			print_frames(r->freed_by);
		} else {
			bytes += r->size;
			live++;
		}
	}
	printk("heap trace: %lu bytes in %lu allocation%s still held; %lu allocations and "
	       "%lu frees traced%s\n", bytes, live, live == 1 ? "" : "s", trace.allocs,
	       trace.frees, trace.overflow ? ", some not recorded (buffer full)" : "");
	if (trace.overflow)
		printk("heap trace: %lu allocations not recorded: the buffer was full\n",
		       trace.overflow);
}

/* ---- malloc's blocks ---- */

static void count_alloc(struct ferret_heap_stats *s, const struct heap_hdr *h)
{
	s->current_bytes += h->size;
	s->current_blocks++;
	s->footprint_bytes += h->footprint;
	s->allocs++;
	if (s->current_bytes > s->peak_bytes)
		s->peak_bytes = s->current_bytes;
	if (s->current_blocks > s->peak_blocks)
		s->peak_blocks = s->current_blocks;
}

static void count_free(struct ferret_heap_stats *s, const struct heap_hdr *h)
{
	s->current_bytes -= h->size;
	s->current_blocks--;
	s->footprint_bytes -= h->footprint;
	s->frees++;
}

static void note_alloc(struct heap_hdr *h, int app)
{
	h->magic = HEAP_MAGIC_LIVE;
	h->app = (u8)(app + 1);
	count_alloc(stats_slot(app), h);
	count_alloc(stats_slot(FERRET_HEAP_ALL), h);
}

static void note_free(struct heap_hdr *h)
{
	h->magic = HEAP_MAGIC_FREE;
	count_free(stats_slot(h->app - 1), h);
	count_free(stats_slot(FERRET_HEAP_ALL), h);
}

static struct heap_hdr *hdr_of(const void *p)
{
	return (struct heap_hdr *)p - 1;
}

static void *base_of(const struct heap_hdr *h)
{
	return (char *)(h + 1) - (size_t)h->offset8 * 8;
}

/* The header of @p if malloc() gave @p and it is live; NULL (and a report) if not. */
static struct heap_hdr *heap_block(const void *p, const char *what)
{
	unsigned long a = (unsigned long)p;
	struct heap_hdr *h = hdr_of(p);
	const char *why = NULL;

	if (a < PAGE_SIZE || !IS_ALIGNED(a, FERRET_HEAP_MIN_ALIGN) ||
	    !pfn_valid(virt_to_pfn(h))) {
		why = "not a heap address";
	} else {
		struct page *page = compound_head(virt_to_page(h));

		if (!page_flag(page, PG_slab) && !page_flag(page, PG_large_kmalloc))
			why = "not a heap address";
		else if (h->magic == HEAP_MAGIC_FREE)
			why = "already freed";
		else if (h->magic != HEAP_MAGIC_LIVE || h->app > FERRET_MAX_APPS)
			why = "not a block malloc() gave (or its header was overwritten)";
	}
	if (!why)
		return h;
	printk(KERN_ERR "%s(0x%lx) in %s: %s; ignored\n", what, a, current_task()->comm, why);
	dump_stack();
	stats_slot(app_current_index())->bad_frees++;
	stats_slot(FERRET_HEAP_ALL)->bad_frees++;
	return NULL;
}

void *ferret_heap_alloc(size_t size, size_t align)
{
	struct ferret_heap_stats *s = stats_slot(app_current_index());
	size_t want;
	void *base = NULL;
	unsigned long user;
	struct heap_hdr *h;

	if (!align)
		align = FERRET_HEAP_MIN_ALIGN;
	if (align < FERRET_HEAP_MIN_ALIGN)
		align = FERRET_HEAP_MIN_ALIGN;
	if ((align & (align - 1)) || align > FERRET_HEAP_MAX_ALIGN || size > 0xffffffffUL)
		goto fail;
	/*
	 * As kmalloc aligns (classes of 16-byte multiples to 16, a power of two
	 * to itself, large blocks to their order), no slack is needed.
	 */
	want = ALIGN(size, FERRET_HEAP_MIN_ALIGN) + align;
	if (align > FERRET_HEAP_MIN_ALIGN)
		want = pow2_roundup(want);
	for (int tries = 0; tries < 2; tries++) {
		if (want > KMALLOC_MAX_SIZE || want > 0xffffffffUL)
			goto fail;
		base = kmalloc(want, GFP_KERNEL | __GFP_NOWARN);
		if (!base)
			goto fail;
		user = ALIGN((unsigned long)base + FERRET_HEAP_HDR_SIZE, align);
		if (user + size <= (unsigned long)base + want)
			break;
		/* Less aligned than asked (slab_debug= red zones): room for any shift. */
		kfree(base);
		base = NULL;
		want = ALIGN(size, FERRET_HEAP_MIN_ALIGN) + align + FERRET_HEAP_HDR_SIZE;
	}
	if (!base)
		goto fail;
	h = hdr_of((void *)user);
	h->offset8 = (u32)((user - (unsigned long)base) / 8);
	h->size = (u32)size;
	h->footprint = (u32)want;
	note_alloc(h, app_current_index());
	trace_alloc((void *)user, size);
	return (void *)user;
fail:
	s->failed++;
	stats_slot(FERRET_HEAP_ALL)->failed++;
	return NULL;
}

void ferret_heap_free(void *p)
{
	struct heap_hdr *h;

	if (!p)
		return;
	h = heap_block(p, "free");
	if (!h)
		return;
	trace_free(p);
	note_free(h);
	kfree(base_of(h));
}

size_t ferret_heap_usable_size(const void *p)
{
	struct heap_hdr *h;

	if (!p)
		return 0;
	h = heap_block(p, "malloc_usable_size");
	if (!h)
		return 0;
	return (size_t)((char *)base_of(h) + h->footprint - (char *)p);
}

void *ferret_heap_realloc(void *p, size_t size)
{
	struct heap_hdr *h;
	void *q;

	if (!p)
		return ferret_heap_alloc(size, 0);
	h = heap_block(p, "realloc");
	if (!h)
		return NULL;
	q = ferret_heap_alloc(size, 0);
	if (!q)
		return NULL;
	memcpy(q, p, min((size_t)h->size, size));
	ferret_heap_free(p);
	return q;
}

/* ---- pages ---- */

/* Page counts of the running application and of the total: +1 allocated, -1 freed, 0 failed. */
static void count_pages(int delta, unsigned int order)
{
	struct ferret_heap_stats *slots[2] = { stats_slot(app_current_index()),
					       stats_slot(FERRET_HEAP_ALL) };

	for (int i = 0; i < 2; i++) {
		struct ferret_heap_stats *s = slots[i];

		if (!delta) {
			s->page_failed++;
		} else if (delta > 0) {
			s->page_allocs++;
			s->pages_held += 1UL << order;
			if (s->pages_held > s->peak_pages)
				s->peak_pages = s->pages_held;
		} else {
			s->page_frees++;
			s->pages_held -= 1UL << order;
		}
	}
}

void *ferret_alloc_pages(unsigned int order)
{
	struct page *page = NULL;

	if (order <= MAX_PAGE_ORDER)
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN | (order ? __GFP_COMP : 0), order);
	count_pages(page ? 1 : 0, order);
	return page ? page_address(page) : NULL;
}

void ferret_free_pages(void *addr, unsigned int order)
{
	if (!addr)
		return;
	if (!IS_ALIGNED((unsigned long)addr, PAGE_SIZE) || !pfn_valid(virt_to_pfn(addr)) ||
	    order > MAX_PAGE_ORDER) {
		printk(KERN_ERR "ferret_free_pages(0x%lx, %u) in %s: not a block of pages; ignored\n",
		       (unsigned long)addr, order, current_task()->comm);
		dump_stack();
		return;
	}
	__free_pages(virt_to_page(addr), order);
	count_pages(-1, order);
}

/* ---- statistics ---- */

/* The largest block the buddy allocator has free now, in bytes. */
static unsigned long largest_free_block(void)
{
	struct zone *z = &normal_zone;

	for (int o = NR_PAGE_ORDERS - 1; o >= 0; o--)
		if (free_area_nr_free(&z->free_area[o]))
			return PAGE_SIZE << o;
	return 0;
}

static void fill_global(struct ferret_heap_stats *st)
{
	unsigned long block = largest_free_block();

	st->largest_free_block = min(block, (unsigned long)KMALLOC_MAX_SIZE) -
				 FERRET_HEAP_HDR_SIZE;
	if (!block)
		st->largest_free_block = 0;
	st->free_bytes = normal_zone.nr_free_pages * PAGE_SIZE;
}

void app_heap_stats(int app, struct ferret_heap_stats *st)
{
	*st = *stats_slot(app);
	fill_global(st);
}

void app_heap_reset_peak(int app)
{
	for (int i = FERRET_HEAP_ALL; i < FERRET_MAX_APPS; i++) {
		struct ferret_heap_stats *s = stats_slot(i);

		if (app != FERRET_HEAP_ALL && app != i)
			continue;
		s->peak_bytes = s->current_bytes;
		s->peak_blocks = s->current_blocks;
		s->peak_pages = s->pages_held;
	}
}
