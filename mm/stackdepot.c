// SPDX-License-Identifier: GPL-2.0
/*
 * Stack depot with a fixed static pool (layout in include/ferret/stackdepot.h).
 *
 * This depot NEVER allocates memory: its pool and hash table are static
 * arrays sized at build time. page_owner saves stacks from inside the page
 * allocator, so a depot that asked the page allocator for more room would
 * recurse into it (Linux needs a recursion guard and pre-allocation for
 * that); here a full pool just returns STACK_DEPOT_HANDLE_FULL.
 *
 * Concurrency: records are immutable once published. An insert writes the
 * whole record (including its chain link), advances d->used and only then
 * links the record into its bucket with a release store; a lookup reads the
 * bucket head with an acquire load, so every record it can reach is
 * complete, and it never takes the lock. Inserts are serialised by d->lock,
 * taken with interrupts masked so an interrupt handler that allocates pages
 * cannot deadlock against the code it interrupted.
 *
 * Statistics are plain counters, updated without the lock: on one CPU an
 * interrupt landing between a load and a store can lose an increment, which
 * is acceptable for numbers that are only ever displayed.
 */
#include <ferret/compiler.h>
#include <ferret/kallsyms.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/spinlock.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>

/* Record header words. */
#define REC_NEXT	0
#define REC_INFO	1
#define REC_HDR_WORDS	2

#define INFO_NR_MASK	0x3fU
#define INFO_WIDE	0x80U
#define INFO_HASH_MASK	0xffffff00U


/* Handles 0 (none) and 1 (full) are reserved: records start at word 2. */
#define FIRST_RECORD	2

BUILD_BUG_ON(STACK_DEPOT_MAX_FRAMES > INFO_NR_MASK);
BUILD_BUG_ON(STACK_DEPOT_POOL_SIZE / 4 > (1UL << STACK_DEPOT_HANDLE_BITS));
BUILD_BUG_ON(STACK_DEPOT_POOL_SIZE % 4);

static u32 depot_pool[STACK_DEPOT_POOL_SIZE / 4] __aligned(8);
static u32 depot_buckets[1U << STACK_DEPOT_HASH_BITS];

static struct stack_depot default_depot = {
	.pool = depot_pool,
	.pool_words = STACK_DEPOT_POOL_SIZE / 4,
	.buckets = depot_buckets,
	.hash_mask = (1U << STACK_DEPOT_HASH_BITS) - 1,
	.used = FIRST_RECORD,
	.lock = SPIN_LOCK_UNLOCKED,
};

/*
 * The pseudo frame of STACK_DEPOT_HANDLE_FULL. A real (noinline, never
 * folded) function so that the dump prints "stack_depot_full+0x4/...": its
 * NOPs keep it longer than 4 bytes on every build (a bare return is one byte
 * on x86-64 hosts, and the pc 4 bytes in would name the next function).
 */
__noinline void stack_depot_full(void)
{
	__asm__ __volatile__("nop; nop; nop; nop; nop; nop; nop; nop" ::: "memory");
}

void stack_depot_init(struct stack_depot *d, u32 *pool, size_t pool_bytes, u32 *buckets,
		      unsigned int hash_bits)
{
	memset(d, 0, sizeof(*d));
	d->pool = pool;
	d->pool_words = (u32)min(pool_bytes / 4, 1UL << STACK_DEPOT_HANDLE_BITS);
	d->buckets = buckets;
	d->hash_mask = (1U << hash_bits) - 1;
	d->used = FIRST_RECORD;
	spin_lock_init(&d->lock);
	memset(buckets, 0, sizeof(u32) << hash_bits);
}

void stack_depot_reset(void)
{
	stack_depot_init(&default_depot, depot_pool, sizeof(depot_pool), depot_buckets,
			 STACK_DEPOT_HASH_BITS);
}

static inline unsigned int rec_words(u32 info)
{
	unsigned int nr = info & INFO_NR_MASK;

	return REC_HDR_WORDS + ((info & INFO_WIDE) ? 2 * nr : nr);
}

/*
 * A stack as the depot stores it: offsets from the text base, and their
 * hash (one multiply-add per frame, then a mix; over the full 64-bit
 * offsets, so compact and wide stacks hash alike).
 */
struct depot_key {
	u32 off[STACK_DEPOT_MAX_FRAMES];	/* low halves: compact records */
	u32 info;				/* hash, wide flag, frames */
	u32 hash;
	bool wide;
};

static __always_inline void make_key(struct depot_key *k, const unsigned long *entries,
				     unsigned int nr, unsigned long base)
{
	u64 h = 0x27d4eb2f165667c5ULL ^ nr, any = 0;

	for (unsigned int i = 0; i < nr; i++) {
		u64 o = (u64)(entries[i] - base);

		k->off[i] = (u32)o;
		any |= o;
		h = (h + o) * 0x9e3779b97f4a7c15ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	k->hash = (u32)h;
	k->wide = any >> 32;
	k->info = ((u32)h & INFO_HASH_MASK) | (k->wide ? INFO_WIDE : 0) | nr;
}

static bool rec_matches(const struct stack_depot *d, const u32 *rec, const struct depot_key *k,
			const unsigned long *entries)
{
	unsigned int nr = k->info & INFO_NR_MASK;
	const u32 *f = rec + REC_HDR_WORDS;

	if (rec[REC_INFO] != k->info)
		return false;
	if (unlikely(k->wide)) {
		for (unsigned int i = 0; i < nr; i++) {
			u64 pc = (u64)f[2 * i] | ((u64)f[2 * i + 1] << 32);

			if (pc != (u64)entries[i])
				return false;
		}
		return true;
	}
	for (unsigned int i = 0; i < nr; i++)
		if (f[i] != k->off[i])
			return false;
	return true;
}

/* Walk one chain; lock-free (see the top of this file). */
static depot_stack_handle_t find_in_chain(const struct stack_depot *d, u32 head,
					  const struct depot_key *k, const unsigned long *entries)
{
	while (head) {
		const u32 *rec = d->pool + head;

		if (rec_matches(d, rec, k, entries))
			return head;
		head = READ_ONCE(rec[REC_NEXT]);
	}
	return 0;
}

depot_stack_handle_t __stack_depot_save(struct stack_depot *d, const unsigned long *entries,
					unsigned int nr)
{
	u32 *bucket, head, words, h;
	unsigned long flags, base;
	struct depot_key k;
	u32 *rec;

	if (!nr)
		return 0;
	if (nr > STACK_DEPOT_MAX_FRAMES)
		nr = STACK_DEPOT_MAX_FRAMES;
	/* Statistics every core adds to outside the lock. */
	__atomic_fetch_add(&d->lookups, 1, __ATOMIC_RELAXED);

	if (unlikely(!d->text_base_set)) {
		d->text_base = kallsyms_text_base();
		__atomic_store_n(&d->text_base_set, true, __ATOMIC_RELEASE);
	}
	base = d->text_base;
	make_key(&k, entries, nr, base);
	bucket = &d->buckets[k.hash & d->hash_mask];

	/* Fast path: already stored. */
	head = __atomic_load_n(bucket, __ATOMIC_ACQUIRE);
	h = find_in_chain(d, head, &k, entries);
	if (h) {
		__atomic_fetch_add(&d->hits, 1, __ATOMIC_RELAXED);
		return h;
	}

	spin_lock_irqsave(&d->lock, flags);
	/* An interrupt (or another CPU) may have stored it meanwhile. */
	head = *bucket;
	h = find_in_chain(d, head, &k, entries);
	if (h) {
		__atomic_fetch_add(&d->hits, 1, __ATOMIC_RELAXED);
		goto out;
	}
	words = REC_HDR_WORDS + (k.wide ? 2 * nr : nr);
	if (d->used + words > d->pool_words) {
		d->failures++;
		h = STACK_DEPOT_HANDLE_FULL;
		goto out;
	}
	h = d->used;
	rec = d->pool + h;
	rec[REC_NEXT] = head;
	rec[REC_INFO] = k.info;
	for (unsigned int i = 0; i < nr; i++) {
		if (k.wide) {
			rec[REC_HDR_WORDS + 2 * i] = (u32)(u64)entries[i];
			rec[REC_HDR_WORDS + 2 * i + 1] = (u32)((u64)entries[i] >> 32);
		} else {
			rec[REC_HDR_WORDS + i] = k.off[i];
		}
	}
	d->nr_stacks++;
	d->nr_frames += nr;
	d->nr_wide += k.wide;
	/* Publish: the record is complete before iterators or lookups see it. */
	__atomic_store_n(&d->used, h + words, __ATOMIC_RELEASE);
	__atomic_store_n(bucket, h, __ATOMIC_RELEASE);
out:
	spin_unlock_irqrestore(&d->lock, flags);
	return h;
}

/* A handle is valid if it names a published record start (checked cheaply). */
static const u32 *handle_to_rec(const struct stack_depot *d, depot_stack_handle_t h)
{
	u32 used = __atomic_load_n(&d->used, __ATOMIC_ACQUIRE);
	const u32 *rec;
	u32 nr;

	/* Differences, not sums: a handle near 2^32 must not wrap into range. */
	if (h < FIRST_RECORD || h >= used || used - h < REC_HDR_WORDS)
		return NULL;
	rec = d->pool + h;
	nr = rec[REC_INFO] & INFO_NR_MASK;
	if (!nr || rec_words(rec[REC_INFO]) > used - h)
		return NULL;
	return rec;
}

unsigned int __stack_depot_fetch(struct stack_depot *d, depot_stack_handle_t h,
				 unsigned long *entries, unsigned int max)
{
	const u32 *rec;
	unsigned int nr;
	u32 info;

	if (h == STACK_DEPOT_HANDLE_FULL) {
		if (!max)
			return 0;
		entries[0] = (unsigned long)stack_depot_full + 4;	/* a pc inside it, for %pB */
		return 1;
	}
	rec = handle_to_rec(d, h);
	if (!rec)
		return 0;
	info = rec[REC_INFO];
	nr = min(info & INFO_NR_MASK, max);
	for (unsigned int i = 0; i < nr; i++) {
		if (info & INFO_WIDE)
			entries[i] = (unsigned long)((u64)rec[REC_HDR_WORDS + 2 * i] |
						     ((u64)rec[REC_HDR_WORDS + 2 * i + 1] << 32));
		else
			entries[i] = d->text_base + rec[REC_HDR_WORDS + i];
	}
	return nr;
}

depot_stack_handle_t __stack_depot_next(struct stack_depot *d, depot_stack_handle_t h)
{
	u32 used = __atomic_load_n(&d->used, __ATOMIC_ACQUIRE);

	if (!h)
		h = FIRST_RECORD;
	else if (h < FIRST_RECORD || h >= used)
		return 0;
	else
		h += rec_words(d->pool[h + REC_INFO]);
	return h < used ? h : 0;
}

void __stack_depot_get_stats(struct stack_depot *d, struct stack_depot_stats *st)
{
	st->nr_stacks = d->nr_stacks;
	st->bytes_used = (unsigned long)(d->used - FIRST_RECORD) * 4;
	st->bytes_total = (unsigned long)d->pool_words * 4;
	st->hash_bytes = (unsigned long)(d->hash_mask + 1) * 4;
	st->nr_wide = d->nr_wide;
	st->nr_frames = d->nr_frames;
	st->lookups = d->lookups;
	st->hits = d->hits;
	st->failures = d->failures;
}

depot_stack_handle_t stack_depot_save(const unsigned long *entries, unsigned int nr_entries)
{
	return __stack_depot_save(&default_depot, entries, nr_entries);
}

unsigned int stack_depot_fetch(depot_stack_handle_t handle, unsigned long *entries,
			       unsigned int max)
{
	return __stack_depot_fetch(&default_depot, handle, entries, max);
}

depot_stack_handle_t stack_depot_next(depot_stack_handle_t handle)
{
	return __stack_depot_next(&default_depot, handle);
}

void stack_depot_get_stats(struct stack_depot_stats *st)
{
	__stack_depot_get_stats(&default_depot, st);
}

void stack_depot_print_seq(struct seq_file *m, depot_stack_handle_t handle)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
	unsigned int nr = stack_depot_fetch(handle, entries, ARRAY_SIZE(entries));

	for (unsigned int i = 0; i < nr; i++)
		seq_printf(m, " %pB\n", (void *)entries[i]);
}

void stack_depot_print(depot_stack_handle_t handle)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
	unsigned int nr = stack_depot_fetch(handle, entries, ARRAY_SIZE(entries));

	for (unsigned int i = 0; i < nr; i++)
		printk(" %pB\n", (void *)entries[i]);
}

void stack_depot_show_stats(struct seq_file *m)
{
	struct stack_depot_stats st;
	unsigned long per = 0, frames = 0;

	stack_depot_get_stats(&st);
	if (st.nr_stacks) {
		per = st.bytes_used / st.nr_stacks;
		frames = st.nr_frames * 10 / st.nr_stacks;
	}
	seq_printf(m, "stacks:       %lu distinct (%lu with 64-bit pcs), %lu.%lu frames avg\n",
		   st.nr_stacks, st.nr_wide, frames / 10, frames % 10);
	seq_printf(m, "pool:         %lu / %lu bytes used, %lu bytes per stack\n",
		   st.bytes_used, st.bytes_total, per);
	seq_printf(m, "hash table:   %lu bytes (%lu buckets)\n", st.hash_bytes,
		   st.hash_bytes / 4);
	seq_printf(m, "lookups:      %lu\n", st.lookups);
	seq_printf(m, "hits:         %lu\n", st.hits);
	seq_printf(m, "failures:     %lu (pool full)\n", st.failures);
}

/* ---- keeping the pool across a warm reset (mm/persist.c) ---- */

int stack_depot_relocate(u32 *pool, size_t bytes)
{
	struct stack_depot *d = &default_depot;
	unsigned long flags;

	if (bytes / 4 < d->pool_words)
		return -1;
	spin_lock_irqsave(&d->lock, flags);
	memcpy(pool, d->pool, (size_t)d->used * 4);
	d->pool = pool;
	d->pool_words = (u32)min(bytes / 4, 1UL << STACK_DEPOT_HANDLE_BITS);
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

void stack_depot_default_state(u32 *used, u32 *words, unsigned long *text_base)
{
	const struct stack_depot *d = &default_depot;

	*used = __atomic_load_n(&d->used, __ATOMIC_ACQUIRE);
	*words = d->pool_words;
	*text_base = d->text_base_set ? d->text_base : kallsyms_text_base();
}

void stack_depot_init_kept(struct stack_depot *d, u32 *pool, u32 words, u32 used,
			   unsigned long text_base)
{
	memset(d, 0, sizeof(*d));
	d->pool = pool;
	d->pool_words = words;
	d->used = used < FIRST_RECORD ? FIRST_RECORD : used;
	d->text_base = text_base;
	d->text_base_set = true;
	spin_lock_init(&d->lock);
}

bool stack_depot_handle_valid(const struct stack_depot *d, depot_stack_handle_t h)
{
	return h == STACK_DEPOT_HANDLE_FULL || handle_to_rec(d, h) != NULL;
}

int stack_depot_check(struct stack_depot *d, unsigned long text_size, unsigned long *starts,
		      char *why, size_t n)
{
	u32 h = FIRST_RECORD;

	if (d->used > d->pool_words) {
		snprintf(why, n, "%u words used of %u", d->used, d->pool_words);
		return -1;
	}
	while (h < d->used) {
		const u32 *rec = d->pool + h;
		u32 info, nr;

		if (d->used - h < REC_HDR_WORDS) {
			snprintf(why, n, "record %#x cut short", h);
			return -1;
		}
		info = rec[REC_INFO];
		nr = info & INFO_NR_MASK;
		if (!nr || (info & ~(INFO_HASH_MASK | INFO_WIDE | INFO_NR_MASK)) ||
		    rec_words(info) > d->used - h) {
			snprintf(why, n, "record %#x: bad header %#x", h, info);
			return -1;
		}
		/* Chains link to older records only. */
		if (rec[REC_NEXT] && (rec[REC_NEXT] < FIRST_RECORD || rec[REC_NEXT] >= h)) {
			snprintf(why, n, "record %#x: chain link %#x", h, rec[REC_NEXT]);
			return -1;
		}
		/*
		 * A compact frame lies in the text. With 32-bit words every
		 * frame is compact (an offset modulo 2^32: nothing is wide),
		 * so one outside the text (a host test's C library) is legal.
		 */
		for (u32 i = 0; !(info & INFO_WIDE) && sizeof(long) == 8 && i < nr; i++)
			if (rec[REC_HDR_WORDS + i] >= text_size) {
				snprintf(why, n, "record %#x: frame %u outside the text", h, i);
				return -1;
			}
		if (starts)
			starts[h / BITS_PER_LONG] |= 1UL << (h % BITS_PER_LONG);
		d->nr_stacks++;
		d->nr_frames += nr;
		h += rec_words(info);
	}
	return 0;
}
