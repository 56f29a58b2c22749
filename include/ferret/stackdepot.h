/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack depot: stores each distinct stack trace once and names it by a 32-bit
 * handle, so page_owner keeps 4 bytes per page instead of a whole trace.
 *
 * Unlike Linux's depot this one never allocates: records live in a static
 * pool sized at build time (STACK_DEPOT_POOL_SIZE), so saving a stack from
 * inside the page allocator cannot recurse into it. When the pool is full,
 * saving returns STACK_DEPOT_HANDLE_FULL, whose fetched stack is the single
 * pseudo frame stack_depot_full() so printed dumps say what happened.
 *
 * Record layout (little-endian words in the pool; handle = word index of the
 * record, so a handle is never 0):
 *
 *	u32 next	handle of the next record in the hash chain, 0 = end
 *	u32 info	bits 31..8: hash >> 8, bit 7: wide, bits 5..0: frames
 *	u32 frame[nr]	pc - kallsyms_text_base(), or, if "wide",
 *	u64 frame[nr]	full pcs as two u32 words (lo, hi) each
 *
 * A record of n frames inside the kernel text costs 8 + 4n bytes; the hash
 * table costs 4 bytes per bucket. (page_owner's per-stack page counts are
 * summed from mem_map when shown, not kept here.)
 */
#ifndef FERRET_STACKDEPOT_H
#define FERRET_STACKDEPOT_H

#include <ferret/types.h>
#include <ferret/spinlock.h>

struct seq_file;

typedef u32 depot_stack_handle_t;

#ifndef STACK_DEPOT_POOL_SIZE
#define STACK_DEPOT_POOL_SIZE	(256 * 1024)	/* bytes; ~5,400 stacks of 10 frames */
#endif
#ifndef STACK_DEPOT_HASH_BITS
#define STACK_DEPOT_HASH_BITS	12		/* 4,096 buckets, 16 KiB */
#endif
#define STACK_DEPOT_MAX_FRAMES	63		/* frames per record (6-bit count) */

/*
 * Pool words addressable by a handle (page_owner packs handles in 22 bits on
 * 64-bit targets, 16 on 32-bit ones: its 12-byte record): a pool of 16 MiB,
 * or 256 KiB. A pool given more is used up to there; once that is full,
 * saving returns STACK_DEPOT_HANDLE_FULL.
 */
#define STACK_DEPOT_HANDLE_BITS	(BITS_PER_LONG == 64 ? 22 : 16)

/* Reserved handle: "the pool was full, the stack was not stored". */
#define STACK_DEPOT_HANDLE_FULL	1

struct stack_depot_stats {
	unsigned long nr_stacks;	/* distinct stacks stored */
	unsigned long bytes_used;	/* pool bytes used by records */
	unsigned long bytes_total;	/* pool size */
	unsigned long hash_bytes;	/* hash table size */
	unsigned long nr_wide;		/* records with full 64-bit pcs */
	unsigned long nr_frames;	/* frames stored in all records */
	unsigned long lookups;		/* stack_depot_save() calls */
	unsigned long hits;		/* ... that found the stack already stored */
	unsigned long failures;		/* ... that found the pool full */
};

/*
 * One depot: a pool of u32 words and a hash table of chain heads. The kernel
 * uses the static default depot through the stack_depot_*() calls; tests may
 * build a small scratch depot with stack_depot_init() and the __ variants.
 */
struct stack_depot {
	u32 *pool;
	u32 pool_words;
	u32 *buckets;
	u32 hash_mask;
	u32 used;		/* words handed out; records below are complete */
	unsigned long text_base;	/* kallsyms_text_base() at first save */
	bool text_base_set;
	spinlock_t lock;	/* serialises inserts */
	unsigned long nr_stacks, nr_wide, nr_frames;
	unsigned long lookups, hits, failures;
};

/**
 * stack_depot_init() - set up a scratch depot on caller-provided memory.
 * @d: the depot.
 * @pool: record storage, @pool_bytes long (at most 2^STACK_DEPOT_HANDLE_BITS words).
 * @buckets: hash table of 2^@hash_bits words, zeroed by this call.
 *
 * Context: before any other use of @d.
 */
void stack_depot_init(struct stack_depot *d, u32 *pool, size_t pool_bytes, u32 *buckets,
		      unsigned int hash_bits);
depot_stack_handle_t __stack_depot_save(struct stack_depot *d, const unsigned long *entries,
					unsigned int nr_entries);
unsigned int __stack_depot_fetch(struct stack_depot *d, depot_stack_handle_t handle,
				 unsigned long *entries, unsigned int max);
depot_stack_handle_t __stack_depot_next(struct stack_depot *d, depot_stack_handle_t handle);
void __stack_depot_get_stats(struct stack_depot *d, struct stack_depot_stats *st);

/**
 * stack_depot_save() - store a stack (or find it already stored).
 * @entries: return addresses, innermost first.
 * @nr_entries: how many (at most STACK_DEPOT_MAX_FRAMES are kept).
 *
 * Lookups take no lock; a miss inserts under the depot's spinlock with
 * interrupts masked. Never allocates memory.
 *
 * Context: any, including interrupt handlers and the page allocator.
 * Return: a non-zero handle; STACK_DEPOT_HANDLE_FULL if the pool was full,
 * 0 only for an empty trace (@nr_entries == 0).
 */
depot_stack_handle_t stack_depot_save(const unsigned long *entries, unsigned int nr_entries);

/**
 * stack_depot_fetch() - copy a stored stack out.
 * @handle: from stack_depot_save().
 * @entries: receives the return addresses, innermost first.
 * @max: room in @entries.
 *
 * Records are compact (32-bit offsets), so unlike Linux this copies into the
 * caller's buffer instead of returning a pointer into the depot.
 *
 * Context: any; lock-free.
 * Return: the number of entries copied; 0 for an invalid handle.
 */
unsigned int stack_depot_fetch(depot_stack_handle_t handle, unsigned long *entries,
			       unsigned int max);

/* Print the stack as " %pS\n" lines into @m (Linux's stack_depot_snprint format). */
void stack_depot_print_seq(struct seq_file *m, depot_stack_handle_t handle);

/* Print the stack as " %pS\n" lines with printk (Linux's stack_depot_print). */
void stack_depot_print(depot_stack_handle_t handle);

/**
 * stack_depot_next() - iterate over stored records, oldest first.
 * @handle: 0 to start, else the previous return value.
 *
 * Context: any; lock-free (only fully published records are returned).
 * Return: the next record's handle, or 0 at the end.
 */
depot_stack_handle_t stack_depot_next(depot_stack_handle_t handle);

void stack_depot_get_stats(struct stack_depot_stats *st);

/* Print the statistics the `depot` command shows. */
void stack_depot_show_stats(struct seq_file *m);

/* The pseudo frame of STACK_DEPOT_HANDLE_FULL (a real function, so %pS names it). */
void stack_depot_full(void);

/* Empty the default depot (host tests only: handles held elsewhere go stale). */
void stack_depot_reset(void);

/*
 * Keeping the pool across a warm reset (mm/persist.c): move the default
 * depot's pool to @pool (copying what is stored; 0, or -1 if it is smaller);
 * read its state for the seal; set up a read-only depot over a kept pool and
 * check it record by record (0, or -1 with the reason in @why: a header, a
 * length, a chain link or a compact frame that cannot be), marking each
 * record's start in the bitmap @starts (or NULL); test a handle.
 */
int stack_depot_relocate(u32 *pool, size_t bytes);
void stack_depot_default_state(u32 *used, u32 *words, unsigned long *text_base);
void stack_depot_init_kept(struct stack_depot *d, u32 *pool, u32 words, u32 used,
			   unsigned long text_base);
int stack_depot_check(struct stack_depot *d, unsigned long text_size, unsigned long *starts,
		      char *why, size_t n);
bool stack_depot_handle_valid(const struct stack_depot *d, depot_stack_handle_t h);

#endif
