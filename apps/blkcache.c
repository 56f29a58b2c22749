// SPDX-License-Identifier: GPL-2.0
/*
 * blkcache: a block cache in front of a (simulated) flash device. Each
 * iteration reads 1..4 blocks; 3 reads in 4 go to a hot set of 24 blocks,
 * the rest anywhere in 512. A miss allocates an order-2 buffer (16 KiB, one
 * erase block) and fills it. The cache is capped, and the cap follows a
 * memory-pressure cycle: 48 blocks for 40 iterations, then 12 for 20 (a
 * shrinker runs), then back: above the cap the least recently used blocks
 * are evicted. So the app's footprint grows and shrinks, and never leaks.
 */
#include <ferret/app.h>
#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/printk.h>
#include <ferret/string.h>

#define BLK_ORDER	2
#define BLK_MAX		48	/* cap without memory pressure */
#define BLK_MIN		12	/* cap under memory pressure */
#define BLK_DEVICE	512	/* blocks on the device */
#define BLK_HOT		24	/* blocks that take most reads */
#define BLK_CYCLE	60	/* iterations per pressure cycle */
#define BLK_CALM	40	/* of which without pressure */
#define BLK_SEED	0x626c6b63u

struct blk_entry {
	struct page *buf;	/* NULL: slot free */
	unsigned int blkno;
	unsigned long last_use;	/* LRU clock */
};

static struct blk_entry cache[BLK_MAX];
static unsigned int nr_cached;
static unsigned long lru_clock;
static u32 seed = BLK_SEED;
static unsigned long hits, misses, evictions;

/* Fill buffer for one erase block. */
static __app_site struct page *blkcache_alloc_block(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_MOVABLE | __GFP_NOWARN, BLK_ORDER);

	app_note_alloc(&blkcache_app, page, BLK_ORDER);
	return page;
}

static void blkcache_drop(struct blk_entry *e)
{
	__free_pages(e->buf, BLK_ORDER);
	app_note_free(&blkcache_app, BLK_ORDER);
	e->buf = NULL;
	nr_cached--;
}

/* Evict least recently used blocks until at most @cap remain. */
static __app_site void blkcache_shrink(unsigned int cap)
{
	while (nr_cached > cap) {
		struct blk_entry *lru = NULL;

		for (unsigned int i = 0; i < BLK_MAX; i++)
			if (cache[i].buf && (!lru || cache[i].last_use < lru->last_use))
				lru = &cache[i];
		blkcache_drop(lru);
		evictions++;
	}
}

static __app_site void blkcache_read(unsigned int blkno, unsigned int cap)
{
	struct blk_entry *slot = NULL;

	for (unsigned int i = 0; i < BLK_MAX; i++) {
		if (cache[i].buf && cache[i].blkno == blkno) {
			cache[i].last_use = ++lru_clock;
			hits++;
			return;
		}
	}
	misses++;
	blkcache_shrink(cap - 1);
	for (unsigned int i = 0; i < BLK_MAX && !slot; i++)
		if (!cache[i].buf)
			slot = &cache[i];
	slot->buf = blkcache_alloc_block();
	if (!slot->buf)
		return;
	/* "Read" the block: stamp its number at the start of each page. */
	for (unsigned int p = 0; p < (1u << BLK_ORDER); p++)
		*(u32 *)((char *)page_address(slot->buf) + p * PAGE_SIZE) = blkno;
	slot->blkno = blkno;
	slot->last_use = ++lru_clock;
	nr_cached++;
}

static void blkcache_iterate(struct app *app)
{
	unsigned long phase = app->stats.iterations % BLK_CYCLE;
	unsigned int cap = phase < BLK_CALM ? BLK_MAX : BLK_MIN;
	u32 r = app_rand(&seed);
	unsigned int nreads = 1 + r % 4;

	blkcache_shrink(cap);
	for (unsigned int i = 0; i < nreads; i++) {
		r = app_rand(&seed);
		blkcache_read((r & 3) ? (r >> 2) % BLK_HOT : (r >> 2) % BLK_DEVICE, cap);
	}
}

static void blkcache_stop(struct app *app)
{
	blkcache_shrink(0);
	lru_clock = 0;
	seed = BLK_SEED;
	hits = misses = evictions = 0;
}

static void blkcache_summary(struct app *app, char *buf, size_t size)
{
	snprintf(buf, size, "%u blocks cached, %lu hits, %lu misses, %lu evictions", nr_cached,
		 hits, misses, evictions);
}

struct app blkcache_app = {
	.name = "blkcache",
	.what = "block cache: order-2 blocks, LRU, cap 48 or 12 under pressure",
	.iterate = blkcache_iterate,
	.stop = blkcache_stop,
	.summary = blkcache_summary,
	.pid = -1,
};
