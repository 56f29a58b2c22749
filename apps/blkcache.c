// SPDX-License-Identifier: GPL-2.0
/*
 * blkcache: a block cache in front of a (simulated) flash device. Each
 * iteration reads 1..4 blocks; 3 reads in 4 go to a hot set of 24 blocks,
 * the rest anywhere in 512. A miss allocates an entry (malloc), its name
 * (asprintf) and a 16 KiB buffer, one erase block (ferret_alloc_pages(),
 * order 2), and fills it. The cache is capped, and the cap follows a
 * memory-pressure cycle: 48 blocks for 40 iterations, then 12 for 20 (a
 * shrinker runs), then back: above the cap the least recently used blocks
 * are evicted. So the footprint grows and shrinks, and never leaks.
 */
#include "demo.h"

#define BLK_ORDER	2
#define BLK_MAX		48	/* cap without memory pressure */
#define BLK_MIN		12	/* cap under memory pressure */
#define BLK_DEVICE	512	/* blocks on the device */
#define BLK_HOT		24	/* blocks that take most reads */
#define BLK_CYCLE	60	/* iterations per pressure cycle */
#define BLK_CALM	40	/* of which without pressure */
#define BLK_SEED	0x626c6b63u

struct blk_entry {
	void *buf;
	char *name;		/* "flash0:<blkno>" */
	unsigned int blkno;
	unsigned long last_use;	/* LRU clock */
};

static struct blk_entry *cache[BLK_MAX];	/* NULL: slot free */
static unsigned int nr_cached;
static unsigned long lru_clock, iterations;
static uint32_t seed = BLK_SEED;
static unsigned long hits, misses, evictions;

/* An entry and its fill buffer for one erase block. */
static __app_site struct blk_entry *blkcache_alloc_block(unsigned int blkno)
{
	struct blk_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->buf = ferret_alloc_pages(BLK_ORDER);
	if (!e->buf || asprintf(&e->name, "flash0:%u", blkno) < 0) {
		ferret_free_pages(e->buf, BLK_ORDER);
		free(e);
		return NULL;
	}
	e->blkno = blkno;
	return e;
}

static void blkcache_drop(unsigned int i)
{
	ferret_free_pages(cache[i]->buf, BLK_ORDER);
	free(cache[i]->name);
	free(cache[i]);
	cache[i] = NULL;
	nr_cached--;
}

/* Evict least recently used blocks until at most @cap remain. */
static __app_site void blkcache_shrink(unsigned int cap)
{
	while (nr_cached > cap) {
		int lru = -1;

		for (unsigned int i = 0; i < BLK_MAX; i++)
			if (cache[i] && (lru < 0 || cache[i]->last_use < cache[lru]->last_use))
				lru = (int)i;
		blkcache_drop((unsigned int)lru);
		evictions++;
	}
}

static __app_site void blkcache_read(unsigned int blkno, unsigned int cap)
{
	int slot = -1;

	for (unsigned int i = 0; i < BLK_MAX; i++) {
		if (cache[i] && cache[i]->blkno == blkno) {
			cache[i]->last_use = ++lru_clock;
			hits++;
			return;
		}
	}
	misses++;
	blkcache_shrink(cap - 1);
	for (unsigned int i = 0; i < BLK_MAX && slot < 0; i++)
		if (!cache[i])
			slot = (int)i;
	cache[slot] = blkcache_alloc_block(blkno);
	if (!cache[slot])
		return;
	/* "Read" the block: stamp its number at the start of each page. */
	for (unsigned int p = 0; p < (1u << BLK_ORDER); p++)
		*(uint32_t *)((char *)cache[slot]->buf + p * DEMO_PAGE_SIZE) = blkno;
	cache[slot]->last_use = ++lru_clock;
	nr_cached++;
}

static void blkcache_iterate(void)
{
	unsigned long phase = iterations++ % BLK_CYCLE;
	unsigned int cap = phase < BLK_CALM ? BLK_MAX : BLK_MIN;
	uint32_t r = demo_rand(&seed);
	unsigned int nreads = 1 + r % 4;

	blkcache_shrink(cap);
	for (unsigned int i = 0; i < nreads; i++) {
		r = demo_rand(&seed);
		blkcache_read((r & 3) ? (r >> 2) % BLK_HOT : (r >> 2) % BLK_DEVICE, cap);
	}
}

static void blkcache_stop(void)
{
	blkcache_shrink(0);
	lru_clock = iterations = 0;
	seed = BLK_SEED;
	hits = misses = evictions = 0;
}

static void blkcache_summary(char *buf, unsigned long size)
{
	snprintf(buf, size, "%u blocks cached, %lu hits, %lu misses, %lu evictions", nr_cached,
		 hits, misses, evictions);
}

FERRET_APP(blkcache, .what = "block cache: order-2 blocks, LRU, cap 48 or 12 under pressure",
	   .iterate = blkcache_iterate, .stop = blkcache_stop, .summary = blkcache_summary);
