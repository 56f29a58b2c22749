// SPDX-License-Identifier: GPL-2.0
/*
 * The memory manager under true concurrency: threads play cores
 * (host_smp_run(), tests/host/shim/host_smp.c), each allocating and freeing
 * pages and objects on its own per-cpu lists at once, handing blocks to each other so
 * that frees land on other cores than the allocation, racing double frees
 * of one block, contending for the zone lock. Afterwards, on one core:
 * memtest's invariants (every core's lists checked and drained), exact free
 * counts and event counters, the zone lock statistics.
 *
 * Built under ASan+UBSan like every host test, and once more under TSan
 * (test_smp_mm_tsan, Makefile) where the host has it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ferret/page_owner.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>
#include <ferret/stackdepot.h>
#include <ferret/trace.h>

#include "test_buddy_harness.h"
#include "../../mm/owner_track.h"
#include "htest.h"

#ifdef __SANITIZE_THREAD__
/*
 * Races TSan reports that are meant (docs/LOCKING.md): a refused free's
 * report reads the block as the winning core changes it (the report says
 * what it saw), and cpu_online() reads the shim's online bits plainly.
 */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
	return "race:free_bad_reason\n"
	       "race:find_block_head\n"
	       "race:dump_page_seq\n"
	       "race:cpu_online\n";
}
#endif

#define NCORES		4
#define RAM_BASE	0x40000000UL

static unsigned long initial_free;

static void setup(unsigned long mib)
{
	host_quiet = true;
	CHECK_EQ(h_mm_init_simple(RAM_BASE, mib * MiB), 0);
	initial_free = h_free_pages();
	CHECK(initial_free > 0);
}

/* memtest, pages and slabs, quietly; its report when it fails. */
static int check_all_quiet(void)
{
	return h_check();
}

/* A cheap per-thread random number generator (xorshift64). */
static u64 rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Blocks handed from one core to another: slot i holds a block's page and order. */
#define NSLOTS	64
static struct handoff {
	struct page *page;
	unsigned int order;
	unsigned int busy;
} slots[NSLOTS];

struct churn {
	unsigned long iters;
	unsigned long allocs[NCORES], frees[NCORES], fails[NCORES], remote[NCORES];
};

static void slot_lock(struct handoff *h)
{
	while (__atomic_exchange_n(&h->busy, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void slot_unlock(struct handoff *h)
{
	__atomic_store_n(&h->busy, 0, __ATOMIC_RELEASE);
}

/* A page's first word: who allocated it (core + 1), checked when freed. */
static void stamp(struct page *p, unsigned int cpu)
{
	*(unsigned long *)page_address(p) = cpu + 1;
}

static void churn_core(unsigned int cpu, void *arg)
{
	struct churn *c = arg;
	struct { struct page *page; unsigned int order; } live[32];
	unsigned int nlive = 0;
	u64 seed = 0x9e3779b97f4a7c15ULL * (cpu + 1);

	for (unsigned long i = 0; i < c->iters; i++) {
		u64 r = rnd(&seed);

		if (nlive < 32 && (r & 3) != 0) {
			/* Mostly the per-cpu orders, now and then a larger block. */
			unsigned int order = (r >> 8) % 16 == 0 ? 4 + (r >> 12) % 3 : (r >> 8) % 4;
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

			if (!p) {
				c->fails[cpu]++;
				continue;
			}
			stamp(p, cpu);
			c->allocs[cpu] += 1UL << order;
			live[nlive].page = p;
			live[nlive++].order = order;
		} else if (nlive) {
			unsigned int k = (unsigned int)(r >> 16) % nlive;
			struct handoff *h = &slots[(r >> 24) % NSLOTS];
			struct page *p = live[k].page;
			unsigned int order = live[k].order;

			live[k] = live[--nlive];
			/* Swap with a block another core parked: free that one instead. */
			slot_lock(h);
			if (h->page) {
				struct page *q = h->page;
				unsigned int qo = h->order;

				h->page = p;
				h->order = order;
				slot_unlock(h);
				if (*(unsigned long *)page_address(q) != cpu + 1)
					c->remote[cpu]++;
				__free_pages(q, qo);
				c->frees[cpu] += 1UL << qo;
			} else {
				h->page = p;
				h->order = order;
				slot_unlock(h);
			}
		}
	}
	while (nlive) {
		nlive--;
		__free_pages(live[nlive].page, live[nlive].order);
		c->frees[cpu] += 1UL << live[nlive].order;
	}
}

static unsigned long sum(const unsigned long *v)
{
	unsigned long n = 0;

	for (int i = 0; i < NCORES; i++)
		n += v[i];
	return n;
}

/* Pages allocated and freed on 4 cores at once: every count exact afterwards. */
static void test_pages_churn(void)
{
	static struct churn c = { .iters = 40000 };
	struct vm_event_state ev;
	unsigned long alloc_pages_ev = 0, free_pages_ev = 0, parked = 0;

	setup(64);
	memset(slots, 0, sizeof(slots));
	host_smp_run(NCORES, churn_core, &c);
	/* What is still parked in the hand-off slots is freed here, on core 0. */
	for (int i = 0; i < NSLOTS; i++) {
		if (slots[i].page) {
			__free_pages(slots[i].page, slots[i].order);
			parked += 1UL << slots[i].order;
			slots[i].page = NULL;
		}
	}
	CHECK(sum(c.allocs) > 10000);
	CHECK(sum(c.remote) > 0);	/* frees did land on other cores than the allocation */
	CHECK_EQ(sum(c.fails), 0);
	CHECK_EQ(sum(c.allocs), sum(c.frees) + parked);
	/* Each core counted its own events; the sum is exact. */
	ev = vm_events;
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		alloc_pages_ev += ev.pgalloc[o] << o;
		free_pages_ev += ev.pgfree[o] << o;
	}
	CHECK_EQ(alloc_pages_ev, sum(c.allocs));
	CHECK_EQ(free_pages_ev, sum(c.allocs));
	CHECK_EQ(ev.bad_page, 0);
	/* Cores 1-3 left pages on their lists: counted, then memtest drains them. */
	CHECK_EQ(h_free_pages(), initial_free);
	CHECK_EQ(h_check(), 0);
	CHECK_EQ(pcp_count(&normal_zone), 0);
	CHECK_EQ(normal_zone.nr_free_pages, initial_free);
	CHECK_EQ(h_meminfo_field("MemFree:"), initial_free);
	CHECK_EQ(h_buddyinfo_pages(), initial_free);
	CHECK_EQ(host_irq_disable_depth, 0);
}

/* Every core frees the same blocks at once: each block is freed exactly once. */
#define RACE_BLOCKS	256
static struct page *race_pages[RACE_BLOCKS];

static void double_free_core(unsigned int cpu, void *arg)
{
	unsigned long *freed = arg;

	for (int i = 0; i < RACE_BLOCKS; i++) {
		/* Cores walk in different directions, so they meet in the middle. */
		int k = cpu & 1 ? RACE_BLOCKS - 1 - i : i;

		__free_pages(race_pages[k], 0);
	}
	freed[cpu] = 1;
}

static void test_double_free_race(void)
{
	unsigned long done[NCORES] = { 0 };

	/* 1 GiB: high 378 per core, so the winners' blocks stay on their lists meanwhile. */
	setup(1024);
	CHECK_EQ(normal_zone.pcp.high, 378);
	for (int i = 0; i < RACE_BLOCKS; i++) {
		race_pages[i] = alloc_pages(GFP_KERNEL, 0);
		CHECK(race_pages[i] != NULL);
	}
	host_smp_run(NCORES, double_free_core, done);
	CHECK_EQ(sum(done), NCORES);
	/* One free won each block; every other was refused and reported. */
	CHECK_EQ(vm_events.bad_page, (NCORES - 1) * RACE_BLOCKS);
	CHECK_EQ(vm_events.pgfree[0], RACE_BLOCKS);
	CHECK_EQ(h_free_pages(), initial_free);
	CHECK_EQ(h_check(), 0);
	CHECK(h_log_has("BUG: Bad page state"));
}

/* A drain of every core while they run: each drains its own lists, none is lost. */
static void drain_core(unsigned int cpu, void *arg)
{
	unsigned long *drains = arg;

	for (int round = 0; round < 200; round++) {
		struct page *p[8];

		for (int i = 0; i < 8; i++)
			p[i] = alloc_pages(GFP_KERNEL, i & 1);
		for (int i = 0; i < 8; i++)
			__free_pages(p[i], i & 1);
		if (cpu == 0 && round % 20 == 0) {
			drain_all_pages();
			drains[0]++;
		}
	}
}

static void test_drain_all_while_running(void)
{
	unsigned long drains[NCORES] = { 0 };

	setup(32);
	host_smp_run(NCORES, drain_core, drains);
	CHECK_EQ(drains[0], 10);
	CHECK(vm_events.pcp_drain >= 10);
	CHECK_EQ(h_free_pages(), initial_free);
	CHECK_EQ(h_check(), 0);
	drain_all_pages();
	CHECK_EQ(pcp_count(&normal_zone), 0);
}

/* The zone lock's statistics: one take that had to wait is counted as contended. */
static unsigned int lock_step;

static void contend_core(unsigned int cpu, void *arg)
{
	unsigned long flags;

	if (cpu == 0) {
		spin_lock_irqsave(&normal_zone.lock, flags);
		__atomic_store_n(&lock_step, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&lock_step, __ATOMIC_ACQUIRE) != 2)
			sched_yield();
		usleep(20000);	/* core 1 is spinning by now */
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	} else if (cpu == 1) {
		while (__atomic_load_n(&lock_step, __ATOMIC_ACQUIRE) != 1)
			sched_yield();
		__atomic_store_n(&lock_step, 2, __ATOMIC_RELEASE);
		spin_lock_irqsave(&normal_zone.lock, flags);
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	}
}

static void test_zone_lock_stats(void)
{
	struct spin_stats st;

	setup(32);
	zone_lock_stats_reset();
	st = zone_lock_stats();
	CHECK_EQ(st.acquired, 0);
	CHECK_EQ(st.contended, 0);
	CHECK_EQ(st.spins, 0);
	lock_step = 0;
	host_smp_run(2, contend_core, NULL);
	st = zone_lock_stats();
	CHECK_EQ(st.acquired, 2);
	CHECK_EQ(st.contended, 1);
	CHECK(st.spins >= 1);
	/* `vmstat locks` shows them, without counting itself. */
	zone_lock_stats_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "zone_lock_acquired 2\nzone_lock_contended 1\nzone_lock_spins ") == h_seq_buf);
	vmstat_show(h_seq_begin());
	CHECK(strstr(h_seq_buf, "zone_lock") == NULL);
	/* An uncontended take counts once, and not as contended. */
	zone_lock_stats_reset();
	{
		unsigned long flags;

		spin_lock_irqsave(&normal_zone.lock, flags);
		spin_unlock_irqrestore(&normal_zone.lock, flags);
	}
	st = zone_lock_stats();
	CHECK_EQ(st.acquired, 1);
	CHECK_EQ(st.contended, 0);
	CHECK_EQ(st.spins, 0);
}


/* ---- objects ---- */

#define OBJ_RAM		(64UL << 20)
static char *obj_ram;

static void obj_setup(const char *cmdline)
{
	host_quiet = true;
	if (!obj_ram)
		obj_ram = host_slab_ram(OBJ_RAM);
	CHECK(obj_ram != NULL);
	CHECK_EQ(host_mm_init(obj_ram, RAM_BASE, OBJ_RAM, cmdline), 0);
	host_log_clear();
}

/* Every cache's lists back to their slabs and every empty slab back to the buddy lists. */
static unsigned long obj_quiet_free_pages(void)
{
	kmem_cache_flush_all();
	for (struct kmem_cache *s = kmem_cache_next(NULL); s; s = kmem_cache_next(s))
		kmem_cache_shrink(s);
	drain_all_pages();
	return normal_zone.nr_free_pages;
}

/* Objects handed between cores, as blocks are above. */
static struct obj_slot {
	void *x;
	size_t size;
	unsigned int busy;
} oslots[NSLOTS];

struct obj_churn {
	unsigned long iters;
	unsigned long allocs[NCORES], frees[NCORES], remote[NCORES], bad[NCORES];
};

/* An object's bytes: its size and the allocating core, so a shared object shows. */
static void obj_fill(void *x, size_t size, unsigned int cpu)
{
	memset(x, (int)(0x40 + cpu), size);
}

static bool obj_intact(const void *x, size_t size, unsigned int *owner)
{
	const unsigned char *b = x;

	*owner = b[0] - 0x40u;
	for (size_t i = 1; i < size; i++)
		if (b[i] != b[0])
			return false;
	return *owner < NCORES;
}

static void obj_core(unsigned int cpu, void *arg)
{
	struct obj_churn *c = arg;
	struct { void *x; size_t size; } live[64];
	unsigned int nlive = 0, owner;
	u64 seed = 0x2545f4914f6cdd1dULL * (cpu + 3);

	for (unsigned long i = 0; i < c->iters; i++) {
		u64 r = rnd(&seed);

		if (nlive < 64 && (r & 3) != 0) {
			/* 8..1024 bytes, and now and then a constant-size kmalloc (the inline path). */
			size_t size = (r >> 8) % 8 == 0 ? 64 : 8 + (r >> 12) % 1017;
			void *x = size == 64 ? kmalloc(64, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);

			if (!x) {
				c->bad[cpu]++;
				continue;
			}
			obj_fill(x, size, cpu);
			c->allocs[cpu]++;
			live[nlive].x = x;
			live[nlive++].size = size;
		} else if (nlive) {
			unsigned int k = (unsigned int)(r >> 16) % nlive;
			struct obj_slot *h = &oslots[(r >> 24) % NSLOTS];
			void *x = live[k].x;
			size_t size = live[k].size;

			if (!obj_intact(x, size, &owner) || owner != cpu)
				c->bad[cpu]++;	/* another core wrote into an object of ours */
			live[k] = live[--nlive];
			while (__atomic_exchange_n(&h->busy, 1, __ATOMIC_ACQUIRE))
				sched_yield();
			if (h->x) {
				void *y = h->x;
				size_t ysize = h->size;

				h->x = x;
				h->size = size;
				__atomic_store_n(&h->busy, 0, __ATOMIC_RELEASE);
				if (!obj_intact(y, ysize, &owner))
					c->bad[cpu]++;
				c->remote[cpu] += owner != cpu;
				kfree(y);
				c->frees[cpu]++;
			} else {
				h->x = x;
				h->size = size;
				__atomic_store_n(&h->busy, 0, __ATOMIC_RELEASE);
			}
		}
	}
	while (nlive) {
		nlive--;
		if (!obj_intact(live[nlive].x, live[nlive].size, &owner) || owner != cpu)
			c->bad[cpu]++;
		kfree(live[nlive].x);
		c->frees[cpu]++;
	}
}

/* Objects on 4 cores at once, freed on other cores than they came from. */
static void test_objects_churn(void)
{
	static struct obj_churn c = { .iters = 40000 };
	struct slab_stats st;
	unsigned long before, parked = 0;
	unsigned long long active = 0, off_slab = 0, desc = ~0ULL;

	obj_setup("");
	before = obj_quiet_free_pages();
	memset(oslots, 0, sizeof(oslots));
	host_smp_run(NCORES, obj_core, &c);
	for (int i = 0; i < NSLOTS; i++) {
		if (oslots[i].x) {
			kfree(oslots[i].x);
			oslots[i].x = NULL;
			parked++;
		}
	}
	CHECK(sum(c.allocs) > 50000);
	/*
	 * Hand-offs cross cores: at least the slots' worth even where the host
	 * ran the threads one after another (qemu-i386 on a loaded machine).
	 */
	CHECK(sum(c.remote) >= NSLOTS);
	CHECK_EQ(sum(c.bad), 0);	/* no object was handed out twice at once */
	CHECK_EQ(sum(c.allocs), sum(c.frees) + parked);
	/* Before any flush: every core's lists and frozen slabs counted, nothing live. */
	for (struct kmem_cache *s = kmem_cache_next(NULL); s; s = kmem_cache_next(s)) {
		CHECK_EQ(kmem_cache_stats(s, &st), 0);
		if (!strcmp(s->name, "slab_desc")) {
			desc = st.active_objs;
			continue;
		}
		active += st.active_objs;
		if (!s->meta_offset)	/* its struct slab is a slab_desc object */
			off_slab += st.num_slabs;
	}
	CHECK_EQ(active, 0);
	CHECK_EQ(desc, off_slab);
	CHECK_EQ(check_all_quiet(), 0);
	/* Flushed and shrunk, the slabs' pages are all back. */
	CHECK_EQ(obj_quiet_free_pages(), before);
	CHECK_EQ(check_all_quiet(), 0);
	CHECK_EQ(host_irq_disable_depth, 0);
}

/* kmem_cache_flush_all() empties every core's lists; memtest agrees. */
static void flush_core(unsigned int cpu, void *arg)
{
	void **keep = arg;

	/* Free on this core an object another core allocated: onto this core's remote list. */
	kfree(keep[(cpu + 1) % NCORES]);
}

static void alloc_core(unsigned int cpu, void *arg)
{
	void **keep = arg;

	keep[cpu] = kmalloc(96, GFP_KERNEL);
}

static void test_objects_flush_all(void)
{
	void *keep[NCORES];
	struct kmem_cache *s;

	obj_setup("");
	host_smp_run(NCORES, alloc_core, keep);
	for (int i = 0; i < NCORES; i++)
		CHECK(keep[i] != NULL);
	s = virt_to_cache(keep[0]);
	CHECK(s != NULL && s == kmalloc_cache(96) && !strcmp(s->name, "kmalloc-96"));
	/* Each core's cpu slab of kmalloc-96 is a different one, frozen by that core. */
	for (int i = 0; i < NCORES; i++)
		CHECK(s->cpu[i].slab != NULL && s->cpu[i].slab->frozen == i + 1);
	host_smp_run(NCORES, flush_core, keep);
	for (int i = 0; i < NCORES; i++)
		CHECK(s->cpu[i].remote != NULL);
	CHECK_EQ(check_all_quiet(), 0);
	kmem_cache_flush_all();
	for (int i = 0; i < NR_CPUS; i++)
		CHECK(!s->cpu[i].freelist && !s->cpu[i].remote && !s->cpu[i].slab);
	CHECK_EQ(check_all_quiet(), 0);
}

/* ---- tracking on: page_owner and object owners ---- */

struct po_total {
	unsigned long pages, blocks, bad_handles;
};

static void po_count(void *arg, const struct po_block *b)
{
	struct po_total *t = arg;
	unsigned long entries[16];

	t->pages += 1UL << b->order;
	t->blocks++;
	if (!stack_depot_fetch(b->handle, entries, 16))
		t->bad_handles++;
}

/* Pages and objects churned with tracking on while core 0 dumps page_owner. */
static struct obj_churn tracked = { .iters = 6000 };
static struct churn tracked_pages = { .iters = 6000 };
static unsigned long dumps, dump_records;
static char dump_buf[1 << 22] __attribute__((unused));

static void tracked_core(unsigned int cpu, void *arg)
{
	if (cpu == 0) {
#ifndef __SANITIZE_THREAD__
		/*
		 * Dumps while the others allocate: no crash, every handle a
		 * stored stack. (Not under TSan: a record is read as the core
		 * that owns its block rewrites it, docs/LOCKING.md.)
		 */
		for (int i = 0; i < 3; i++) {
			struct seq_buf_ctx ctx;
			struct seq_file m;

			seq_init_buf(&m, &ctx, dump_buf, sizeof(dump_buf));
			dump_records += page_owner_dump(&m);
			dumps++;
		}
#else
		dumps = 3;
		dump_records = 1;
#endif
		return;
	}
	if (cpu & 1)
		obj_core(cpu, &tracked);
	else
		churn_core(cpu, &tracked_pages);
}

static void test_tracking_concurrent(void)
{
	struct po_total t = { 0 };
	unsigned long parked = 0, used;
	struct stack_depot_stats ds;

	host_track_stacks();
	obj_setup("page_owner=on slab_owner=on");
	CHECK(page_owner_inited);
	memset(slots, 0, sizeof(slots));
	memset(oslots, 0, sizeof(oslots));
	host_smp_run(NCORES, tracked_core, NULL);
	for (int i = 0; i < NSLOTS; i++) {
		if (slots[i].page) {
			__free_pages(slots[i].page, slots[i].order);
			slots[i].page = NULL;
			parked++;
		}
		if (oslots[i].x) {
			kfree(oslots[i].x);
			oslots[i].x = NULL;
		}
	}
	CHECK_EQ(dumps, 3);
	CHECK(dump_records > 0);
	CHECK_EQ(sum(tracked.bad), 0);
	CHECK(sum(tracked.allocs) > 1000 && sum(tracked_pages.allocs) > 1000);
	/* Exact afterwards: one record per allocated block, every handle a stored stack. */
	CHECK_EQ(check_all_quiet(), 0);	/* drains every core's page lists */
	page_owner_for_each_block(po_count, &t);
	used = normal_zone.managed_pages - normal_zone.nr_free_pages;
	CHECK_EQ(t.pages, used);
	CHECK_EQ(t.bad_handles, 0);
	/* The depot kept each distinct stack once, whichever cores saved it at once. */
	stack_depot_get_stats(&ds);
#ifndef __SANITIZE_THREAD__	/* TSan's own frames lack frame records: walks wander */
	CHECK(ds.nr_stacks > 0 && ds.nr_stacks < 200);
	CHECK_EQ(ds.failures, 0);
#endif
	CHECK(ds.lookups >= ds.hits && ds.lookups - ds.hits >= ds.nr_stacks);
}

/* ---- records read whole while their owners rewrite them ---- */

/*
 * Each writer core rewrites its own records (as only the core holding a
 * block writes its record) with pairs whose second word is a function of
 * the first, a pause between the two stores; core 0 reads them with
 * owner_read() and must never get a pair from two writes.
 */
#define REC_PER_CORE	2
#define NRECS		((NCORES - 1) * REC_PER_CORE)
#define REC_READS	50000
static u64 recs[NRECS][2] __attribute__((aligned(16)));
static unsigned long rec_whole_torn, rec_raw_torn, rec_gaveup;
static int rec_stop;

static u64 rec_pair(u64 w0)
{
	return w0 * 0x9e3779b97f4a7c15ULL ^ 0x5555aaaa5555aaaaULL;
}

static void rec_core(unsigned int cpu, void *arg)
{
	u64 seed = 0x2545f4914f6cdd1dULL * (cpu + 1);

	if (cpu == 0) {
		for (int i = 0; i < REC_READS; i++) {
			const u64 *r = recs[i % NRECS];
			u64 c[2];

			if (!owner_read(c, r, sizeof(c)))
				rec_gaveup++;
			else if (c[1] != rec_pair(c[0]))
				rec_whole_torn++;
			c[0] = __atomic_load_n(&r[0], __ATOMIC_RELAXED);	/* a plain copy */
			c[1] = __atomic_load_n(&r[1], __ATOMIC_RELAXED);
			rec_raw_torn += c[1] != rec_pair(c[0]);
		}
		__atomic_store_n(&rec_stop, 1, __ATOMIC_RELEASE);
		return;
	}
	while (!__atomic_load_n(&rec_stop, __ATOMIC_ACQUIRE)) {
		u64 *r = recs[(cpu - 1) * REC_PER_CORE + rnd(&seed) % REC_PER_CORE];
		u64 v = rnd(&seed);
		unsigned long flags = arch_local_irq_save();
		struct owner_write_slot *slot = owner_write_begin(r);

		r[0] = v;	/* plain stores, as the hooks make them */
		for (volatile int d = 0; d < 50; d++)
			;
		r[1] = rec_pair(v);
		owner_write_end(slot);
		arch_local_irq_restore(flags);
	}
}

static void __attribute__((unused)) test_records_read_whole(void)	/* not under TSan */
{
	unsigned long retries;
	u64 c[2];

	for (int i = 0; i < NRECS; i++) {
		recs[i][0] = i;
		recs[i][1] = rec_pair(i);
	}
	rec_stop = 0;
	host_smp_run(NCORES, rec_core, NULL);
	CHECK_EQ(rec_whole_torn, 0);
	/*
	 * A writer's thread the host deschedules in the middle of a write
	 * holds its mark for a time slice: a read can give up then (and says
	 * so), rarely.
	 */
	CHECK(rec_gaveup < REC_READS / 2);
	printf("# %lu of %d plain copies were torn; owner_read(): %lu copies taken again, "
	       "%lu gave up\n", rec_raw_torn, REC_READS, owner_read_retries, rec_gaveup);

	/* A write that never ends (a core stopped in it): bounded, and said. */
	host_smp_cpu = 2;
	{
		struct owner_write_slot *slot = owner_write_begin(recs[0]);

		host_smp_cpu = 0;
		retries = owner_read_retries;
		CHECK(!owner_read(c, recs[0], sizeof(c)));
		CHECK_EQ(owner_read_retries - retries, OWNER_READ_TRIES);
		CHECK(c[0] == recs[0][0] && c[1] == recs[0][1]);	/* the last copy */
		owner_write_end(slot);
	}
	retries = owner_read_retries;
	CHECK(owner_read(c, recs[1], sizeof(c)));
	CHECK_EQ(owner_read_retries, retries);
	CHECK(c[0] == recs[1][0] && c[1] == recs[1][1]);
}

/* ---- object records name their cores; alloc_traces lists them ---- */

static void *cpu_objs[NCORES][3];
static char traces_buf[8192];
static int traces_ready;

static __noinline void *site_even(void)
{
	return kmalloc(72, GFP_KERNEL);
}

static __noinline void *site_odd(void)
{
	return kmalloc(72, GFP_KERNEL);
}

static void cpus_core(unsigned int cpu, void *arg)
{
	for (int i = 0; i < 3; i++)
		cpu_objs[cpu][i] = cpu & 1 ? site_odd() : site_even();
	/* Every core's objects in, then core 0 reads alloc_traces while all are online. */
	__atomic_fetch_add(&traces_ready, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&traces_ready, __ATOMIC_ACQUIRE) < NCORES)
		sched_yield();
	if (cpu == 0) {
		struct seq_buf_ctx ctx;
		struct seq_file m;

		seq_init_buf(&m, &ctx, traces_buf, sizeof(traces_buf));
		slab_owner_traces(&m, kmalloc_cache(72), true);
		__atomic_fetch_add(&traces_ready, 1, __ATOMIC_ACQ_REL);
	}
	while (__atomic_load_n(&traces_ready, __ATOMIC_ACQUIRE) <= NCORES)
		sched_yield();
	/* Each core frees the first object of the next core. */
	kfree(cpu_objs[(cpu + 1) % NCORES][0]);
}

static __attribute__((unused)) const char *trace_line(const char *site)
{
	static char line[256];
	const char *p = strstr(traces_buf, site), *e;

	if (!p)
		return "";
	while (p > traces_buf && p[-1] != '\n')
		p--;
	e = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
	return line;
}

static void test_object_cpus(void)
{
	struct slab_owner_info o;
	struct seq_buf_ctx ctx;
	struct seq_file m;
	const char *l;

	host_track_stacks();
	obj_setup("slab_owner=on");
	traces_ready = 0;
	host_smp_run(NCORES, cpus_core, NULL);
#ifndef __SANITIZE_THREAD__	/* TSan's own frames lack frame records: walks wander */
	/* "      6 site_even+0x../0x.. age=.. pid=N cpus=0,2" */
	l = trace_line("site_even+");
	CHECK(!strncmp(l, "      6 site_even+0x", 20));
	CHECK(strlen(l) > 9 && !strcmp(l + strlen(l) - 9, " cpus=0,2"));
	l = trace_line("site_odd+");
	CHECK(!strncmp(l, "      6 site_odd+0x", 19));
	CHECK(strlen(l) > 9 && !strcmp(l + strlen(l) - 9, " cpus=1,3"));
#endif
	for (unsigned int cpu = 0; cpu < NCORES; cpu++) {
		CHECK_EQ(slab_owner_get(cpu_objs[cpu][1], &o), 0);
		CHECK(o.live);
		CHECK_EQ(o.cpu, cpu);
		CHECK_EQ(slab_owner_get(cpu_objs[cpu][0], &o), 0);	/* freed by the core before */
		CHECK(!o.live);
		CHECK_EQ(o.cpu, cpu);
		CHECK_EQ(o.free_cpu, (cpu + NCORES - 1) % NCORES);
	}
	/*
	 * A second free of core 2's first object: the report's tracks name the
	 * cores, "Allocated in site_even+0x.. age=.. cpu=2 pid=..", "Freed in
	 * ... cpu=1 pid=..".
	 */
	host_log_clear();
	kfree(cpu_objs[2][0]);
	CHECK(strstr(host_log, "Object already free") != NULL);
	l = strstr(host_log, "Allocated in ");
	CHECK(l && strstr(l, " cpu=2 pid=") && strstr(l, " cpu=2 pid=") < strchr(l, '\n'));
	l = strstr(host_log, "Freed in ");
	CHECK(l && strstr(l, " cpu=1 pid=") && strstr(l, " cpu=1 pid=") < strchr(l, '\n'));
	/* One core online: no cpus= (as Linux). */
	seq_init_buf(&m, &ctx, traces_buf, sizeof(traces_buf));
	slab_owner_traces(&m, kmalloc_cache(72), true);
	CHECK(strstr(traces_buf, "site_even+") && !strstr(traces_buf, "cpus="));
	for (unsigned int cpu = 0; cpu < NCORES; cpu++)
		for (int i = 1; i < 3; i++)
			kfree(cpu_objs[cpu][i]);
	CHECK_EQ(check_all_quiet(), 0);
}

/* ---- the trace ring: each event names its core ---- */

static void trace_core(unsigned int cpu, void *arg)
{
	/* Core n allocates and frees n + 1 pages: n + 1 events of each, from core n. */
	for (unsigned int i = 0; i <= cpu; i++)
		__free_pages(alloc_pages(GFP_KERNEL, 0), 0);
}

static void test_trace_cpu_column(void)
{
	unsigned int events[NCORES] = { 0 }, bad = 0;
	char *line;

	setup(32);
	trace_clear();
	trace_set_events(TEV_BIT(TEV_MM_PAGE_ALLOC) | TEV_BIT(TEV_MM_PAGE_FREE));
	host_smp_run(NCORES, trace_core, NULL);
	trace_set_events(0);
	CHECK_EQ(trace_show(h_seq_begin()), 2 * (1 + 2 + 3 + 4));
	/* "           <comm>-<pid>     [00N] ....: mm_page_alloc: ...": N is the core. */
	for (line = strstr(h_seq_buf, "] "); line; line = strstr(line + 2, "] ")) {
		unsigned int cpu;

		if (line < h_seq_buf + 4 || line[-4] != '[' ||
		    sscanf(line - 3, "%3u", &cpu) != 1 || cpu >= NCORES) {
			bad++;
			continue;
		}
		events[cpu]++;
	}
	CHECK_EQ(bad, 0);
	for (unsigned int cpu = 0; cpu < NCORES; cpu++)
		CHECK_EQ(events[cpu], 2 * (cpu + 1));
	trace_clear();
	CHECK_EQ(h_check(), 0);
}

int main(void)
{
	RUN(test_pages_churn);
	RUN(test_double_free_race);
	RUN(test_drain_all_while_running);
	RUN(test_zone_lock_stats);
	RUN(test_objects_churn);
	RUN(test_objects_flush_all);
	RUN(test_tracking_concurrent);
	RUN(test_trace_cpu_column);
#ifndef __SANITIZE_THREAD__	/* the writers' plain stores race core 0's copies by design */
	RUN(test_records_read_whole);
#endif
	RUN(test_object_cpus);
	return HTEST_DONE();
}
