/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ferret's firmware API: what an application (docs/APPS.md) can ask of
 * ferret beyond the C library. One header:
 *
 *   leak hunting     ferret_checkpoint(), ferret_leaks_dump()
 *   leak scan        ferret_kmemleak_scan(), kmemleak_not_leak(),
 *                    kmemleak_ignore_range() and the other marks
 *   heap trace       heap_trace_init_standalone(), heap_trace_start(),
 *                    heap_trace_stop(), heap_trace_resume(), heap_trace_dump(),
 *                    heap_trace_get_count(), heap_trace_get() (ESP-IDF's API)
 *   heap statistics  ferret_heap_get_stats(), ferret_heap_reset_peak()
 *   pages            ferret_alloc_pages(), ferret_free_pages()
 *   registration     FERRET_APP() (<ferret/app.h>, included here)
 *
 * The C library (picolibc) gives the rest: malloc and its kin are ferret's
 * heap, so every block has an owner with the caller's stack (with
 * `slab_owner=on`), stdio is the console, time() and clock_gettime() the
 * system timer.
 *
 * Applications run one at a time, never from an interrupt handler; none of
 * these calls may be made from one.
 */
#ifndef FERRET_FIRMWARE_H
#define FERRET_FIRMWARE_H

#include <stddef.h>
#include <ferret/app.h>

/* ---- leak hunting (page_owner=on or slab_owner=on on the command line) ---- */

/*
 * ferret_checkpoint() - the console's `checkpoint <name>`: remember this
 * moment; ferret_leaks_dump() then reports what was allocated after it and
 * is still held. @name: 1 to 15 printable characters (an existing
 * checkpoint of that name moves). Return: 0, or -1 for a bad name.
 */
int ferret_checkpoint(const char *name);

/*
 * ferret_leaks_dump() - the console's `leaks` report (text, since the most
 * recent checkpoint) on the console: per allocation stack, the pages and
 * objects allocated after the checkpoint and still held.
 * Return: the number of stacks printed, or -1 when owners are not tracked
 * (boot with page_owner=on, or slab_owner=on for objects) or @since names
 * no checkpoint.
 */
long ferret_leaks_dump(void);
long ferret_leaks_dump_since(const char *checkpoint);

/* ---- the leak scan (docs/KMEMLEAK.md): no owner tracking needed ---- */

/*
 * ferret_kmemleak_scan() - the console's `kmemleak`, run from here: what
 * nothing points to, Linux's kmemleak report on the console. The roots
 * include the caller's own stack frames and registers, so what the calling
 * code still holds in a local variable is not reported.
 * Return: the number of unreferenced blocks and objects reported, or -1
 * (the reason printed: no memory for the scan's state, Ctrl-C).
 */
long ferret_kmemleak_scan(void);

/*
 * Exceptions (include/ferret/kmemleak.h has them all): the object at @ptr
 * is never reported and what it points to is in use (not_leak); neither
 * reported nor scanned (ignore); not scanned (no_scan). A range that holds
 * pointers outside the heap (add_root); a range of blocks and objects a
 * device owns, by physical address (ignore_range: DMA buffers). The
 * range calls return 0, or a negative error (a full table of 64 marks).
 */
void kmemleak_not_leak(const void *ptr);
void kmemleak_ignore(const void *ptr);
void kmemleak_no_scan(const void *ptr);
int kmemleak_add_root(const void *start, size_t size);
int kmemleak_ignore_range(const void *start, size_t size);

/* ---- heap trace: ESP-IDF's API, on ferret's heap ---- */

typedef int esp_err_t;
#define ESP_OK			0
#define ESP_ERR_NO_MEM		0x101
#define ESP_ERR_INVALID_ARG	0x102
#define ESP_ERR_INVALID_STATE	0x103

typedef enum {
	HEAP_TRACE_ALL,		/* record every allocation, and its free */
	HEAP_TRACE_LEAKS,	/* a free removes its allocation's record */
} heap_trace_mode_t;

#define HEAP_TRACE_STACK_DEPTH	8

typedef struct {
	unsigned long long ts_ns;		/* after heap_trace_start() */
	void *address;
	size_t size;
	void *alloced_by[HEAP_TRACE_STACK_DEPTH];	/* callers, innermost first */
	void *freed_by[HEAP_TRACE_STACK_DEPTH];		/* HEAP_TRACE_ALL only */
	int pid;				/* the allocating context */
	int freed;
} heap_trace_record_t;

/*
 * heap_trace_init_standalone() - the buffer records go into (the caller's
 * memory: a static array, say). Return: ESP_OK, or ESP_ERR_INVALID_STATE
 * while tracing.
 */
esp_err_t heap_trace_init_standalone(heap_trace_record_t *record_buffer, size_t num_records);
/* Empty the buffer and record every malloc (and free) from now on. */
esp_err_t heap_trace_start(heap_trace_mode_t mode);
/* Stop recording; the records stay for heap_trace_dump(). */
esp_err_t heap_trace_stop(void);
/* Record again without emptying the buffer. */
esp_err_t heap_trace_resume(void);
size_t heap_trace_get_count(void);
esp_err_t heap_trace_get(size_t index, heap_trace_record_t *record);
/*
 * heap_trace_dump() - every record on the console (size, address, context,
 * time, the stack), then the bytes and allocations still held. With
 * HEAP_TRACE_LEAKS, what was allocated between start and stop and not freed.
 */
void heap_trace_dump(void);

/* ---- heap statistics ---- */

struct ferret_heap_stats {
	/* malloc and its kin, for one application (or all) */
	unsigned long current_bytes;	/* bytes asked for, of the blocks held now */
	unsigned long peak_bytes;	/* the most current_bytes has been since boot or reset */
	unsigned long current_blocks;
	unsigned long peak_blocks;
	unsigned long footprint_bytes;	/* heap memory those blocks take (header, rounding) */
	unsigned long allocs, frees;	/* since boot */
	unsigned long failed;		/* allocations refused (no memory, bad alignment) */
	unsigned long bad_frees;	/* free() of what malloc() never gave: refused */
	/* pages from ferret_alloc_pages() */
	unsigned long pages_held;
	unsigned long peak_pages;	/* the most pages_held has been since boot or reset */
	unsigned long page_allocs, page_frees, page_failed;
	/* the system, whatever the application */
	unsigned long largest_free_block;	/* the largest malloc() that can succeed now */
	unsigned long free_bytes;		/* free memory */
};

/*
 * ferret_heap_get_stats() - statistics of application @app (its name;
 * NULL: the calling application; "*": all applications together).
 * A block counts against the application that allocated it, whoever frees
 * it; pages count against the application that allocates or frees them.
 * Return: 0, or -1 if no application has that name.
 */
int ferret_heap_get_stats(const char *app, struct ferret_heap_stats *st);

/* Make the peaks of @app (as above) its current values. Return: 0 or -1. */
int ferret_heap_reset_peak(const char *app);

/* ---- pages: DMA buffers and other page-sized memory ---- */

/*
 * ferret_alloc_pages() - 2^@order contiguous pages (4 KiB each), aligned to
 * their size, owned (page_owner) by the caller's stack.
 * Return: their address, or NULL.
 */
void *ferret_alloc_pages(unsigned int order);
/* Give back a block from ferret_alloc_pages() (@order as allocated). */
void ferret_free_pages(void *addr, unsigned int order);

#endif
