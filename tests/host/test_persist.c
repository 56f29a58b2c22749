// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of keeping owner data across a warm reset (mm/persist.c,
 * mm/prev_boot.c): a "boot" runs mm over a RAM buffer, allocates, seals;
 * the next "boot" over the same buffer finds it, and its leak report of the
 * previous boot has the exact counts. A cold boot (garbage RAM) finds
 * nothing. Every kept structure, corrupted with several seeds, is refused
 * and dropped; corrupted and re-checksummed (so only the record checks can
 * catch it), it is refused or, when what is left is still consistent, read
 * without going out of bounds (ASan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferret/gfp.h>
#include <ferret/kallsyms.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/page_owner_record.h>
#include <ferret/persist.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/stackdepot.h>

#include "host_kernel.h"
#include "htest.h"

#define RAM_PHYS	0x40000000UL
#define RAM_SIZE	(64UL << 20)
#define ANCHOR		(RAM_PHYS + RAM_SIZE - PAGE_SIZE)
#define BUILD_ID	0x1234abcdULL

extern char *host_kept_log;
extern size_t host_kept_log_size;
extern u64 host_kept_log_head;

static char *ram;
static char out[1 << 20];

static struct persist_anchor *anchor_va(void)
{
	return (struct persist_anchor *)(ram + (ANCHOR - RAM_PHYS));
}

/* One boot over the RAM buffer as the kernel's mm_boot_init() does it. */
static int boot(const char *cmdline)
{
	int err;

	host_quiet = true;
	host_log_clear();
	memblock_reset();
	page_ext_reset();
	stack_depot_reset();
	mm_set_virt_offset((unsigned long)ram - RAM_PHYS);
	memblock_add(RAM_PHYS, RAM_SIZE);
	memblock_reserve(RAM_PHYS, 1UL << 20, "image");
	persist_early(cmdline, ANCHOR, BUILD_ID, "test");
	err = mm_init(cmdline);
	host_quiet = false;
	return err;
}

static __noinline struct page *leak_site(void)
{
	return alloc_pages(GFP_KERNEL, 0);
}

static __noinline void *obj_site(size_t n)
{
	return kmalloc(n, GFP_KERNEL);
}

static const char *report(const struct owner_source *src, const char *since)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, out, sizeof(out));
	if (page_owner_leaks_from(src, &m, since, 0, PAGE_OWNER_FMT_TEXT) < 0)
		return NULL;
	return out;
}

/* Boot 1: 7 leaked pages and 5 leaked 40-byte objects after checkpoint "c", sealed. */
static void first_boot(const char *cmdline, enum persist_reason why)
{
	struct page *keep[4];

	CHECK_EQ(boot(cmdline), 0);
	CHECK(persist_enabled());
	for (int i = 0; i < 4; i++)
		keep[i] = alloc_pages(GFP_KERNEL, 1);
	CHECK_EQ(page_owner_checkpoint("c", NULL), 0);
	for (int i = 0; i < 7; i++)
		CHECK(leak_site() != NULL);
	for (int i = 0; i < 5; i++)
		CHECK(obj_site(40) != NULL);
	__free_pages(keep[0], 1);
	memcpy(host_kept_log, "boot one says hello\n", 20);
	host_kept_log_head = 20;
	persist_seal(why);
}

static void test_cold_boot_finds_nothing(void)
{
	srand(1);
	for (size_t i = 0; i < RAM_SIZE; i++)
		ram[i] = (char)rand();
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(!prev_boot.found);
	CHECK(!prev_boot.owners_ok && !prev_boot.log_ok);
	CHECK(strstr(host_log, "cold boot") != NULL);
	CHECK_EQ(anchor_va()->boot_count, 1);
}

static void test_leaks_survive(void)
{
	const char *r;

	first_boot("slab_owner=on", PERSIST_CRASH);
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(prev_boot.owners_ok);
	CHECK(prev_boot.log_ok);
	CHECK(prev_boot.objects_ok);
	CHECK(prev_boot.same_image);
	CHECK_EQ(prev_boot.anchor.reason, PERSIST_CRASH);
	CHECK_EQ(anchor_va()->boot_count, prev_boot.anchor.boot_count + 1);
	CHECK(strstr(host_log, "ended by crash") != NULL);
	r = report(&owner_source_prev, NULL);
	CHECK(r && strstr(r, "leaks since checkpoint 'c'"));
	CHECK(r && strstr(r, "7 pages in 7 blocks from"));
	CHECK(r && strstr(r, "200 bytes in 5 objects from"));
	CHECK(r && strstr(r, "leak_site+"));
	CHECK(r && strstr(r, "obj_site+"));
	CHECK(report(&owner_source_prev, "nope") == NULL);
	/* This boot's own report knows nothing of it. */
	r = report(&owner_source_live, NULL);
	CHECK(r && !strstr(r, "leak_site+"));
	{
		struct seq_buf_ctx ctx;
		struct seq_file m;

		seq_init_buf(&m, &ctx, out, sizeof(out));
		CHECK_EQ(prev_boot_dmesg(&m), 0);
		CHECK(strstr(out, "boot one says hello") != NULL);
		seq_init_buf(&m, &ctx, out, sizeof(out));
		CHECK(prev_boot_page_owner(&m) > 7);
		CHECK(strstr(out, "Page allocated via order 0") && strstr(out, "leak_site+"));
	}
	/* The kept areas are reserved: nothing this boot allocates overlaps them. */
	for (int i = 0; i < NR_PERSIST_AREAS; i++)
		if (prev_boot.anchor.area[i].size)
			CHECK(memblock_is_reserved(prev_boot.anchor.area[i].phys));
	{
		unsigned long before = normal_zone.managed_pages, kept = prev_boot.kept_bytes;

		CHECK(kept > (4UL << 20) / 16);
		CHECK_EQ(prev_boot_clear(), kept);
		CHECK_EQ(normal_zone.managed_pages - before, kept >> PAGE_SHIFT);
		for (int i = 0; i < NR_PERSIST_AREAS; i++)
			if (prev_boot.anchor.area[i].size)
				CHECK(!memblock_is_reserved(prev_boot.anchor.area[i].phys));
		CHECK_EQ(prev_boot_clear(), 0);		/* twice: nothing more */
		{
			struct seq_buf_ctx ctx;
			struct seq_file m;

			seq_init_buf(&m, &ctx, out, sizeof(out));
			CHECK_EQ(mm_check_invariants(&m), 0);
		}
	}
	CHECK(report(&owner_source_prev, NULL) != NULL);	/* empty, but no crash */
	CHECK(!prev_boot.owners_ok);
}

/* `previous`: every line, exactly; persistence off says so first. */
static void test_previous_show(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	host_fake_time_ns = 1234567891000ULL;		/* sealed at 1234.567891 s */
	first_boot("slab_owner=on", PERSIST_CRASH);
	host_fake_time_ns = 0;
	CHECK_EQ(boot("page_owner=on"), 0);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	prev_boot_show(&m);
	CHECK(prev_boot.owners_ok && prev_boot.meta);
	if (!prev_boot.owners_ok || !prev_boot.meta)
		return;
	/* What the first boot left: its own stacks and contexts, 5 objects. */
	CHECK(prev_boot.depot.nr_stacks >= 3);
	CHECK(prev_boot.meta->nr_actx >= 2);
	CHECK(prev_boot.kept_bytes >= (4UL << 20) / 16);
	{
		char want[1024];

		snprintf(want, sizeof(want),
			 "previous boot: 1, test, ended by crash at 1234.567891 s\n"
			 "image:         this one (build id 000000001234abcd)\n"
			 "owner data:    kept, checked\n"
			 "records:       16384 pages from pfn 0x40000, %lu stacks, %u gfp/context "
			 "pairs, 1 checkpoints\n"
			 "objects:       5 live\n"
			 "log:           kept, checked\n"
			 "memory:        %llu KiB reserved for it (memblock: 'prev ...')\n",
			 prev_boot.depot.nr_stacks, prev_boot.meta->nr_actx,
			 (unsigned long long)prev_boot.kept_bytes >> 10);
		CHECK(!strcmp(out, want));
		if (htest_case_failed)
			printf("# got:\n%s# want:\n%s", out, want);
	}
	/* Off: said first, and nothing read. */
	CHECK_EQ(boot("page_owner=on persist=off"), 0);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	prev_boot_show(&m);
	CHECK(!strcmp(out, "persist: off (persist=off): this boot keeps nothing for the next\n"
			   "previous boot: none kept: none found\n"));
	/* The reasons' names, and past the last one. */
	CHECK(!strcmp(persist_reason_name(PERSIST_RUNNING), "not sealed"));
	CHECK(!strcmp(persist_reason_name(PERSIST_CRASH), "crash"));
	CHECK(!strcmp(persist_reason_name(NR_PERSIST_REASONS - 1), "panic=N's reset"));
	CHECK(!strcmp(persist_reason_name(NR_PERSIST_REASONS), "unknown"));
	CHECK(!strcmp(persist_reason_name(~0U), "unknown"));
}

static void test_unsealed_and_off(void)
{
	CHECK_EQ(boot("page_owner=on"), 0);
	/* No seal: the next boot must not trust it. */
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(prev_boot.found && !prev_boot.owners_ok && !prev_boot.log_ok);
	CHECK(strstr(prev_boot.why, "not sealed") != NULL);
	first_boot("page_owner=on", PERSIST_REBOOT);
	CHECK_EQ(boot("page_owner=on persist=off"), 0);
	CHECK(!persist_enabled());
	CHECK(!prev_boot.owners_ok);
	CHECK(!persist_enabled());
	/* The boot after an off one finds nothing, not the boot before it. */
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(!prev_boot.found);
}

/* Flip bytes of area @id (or the anchor, id < 0) from @seed; re-checksum if @reseal. */
static void corrupt(int id, unsigned int seed, bool reseal)
{
	struct persist_anchor *a = anchor_va();
	u8 *base = id < 0 ? (u8 *)a : (u8 *)(ram + (a->area[id].phys - RAM_PHYS));
	size_t size = id < 0 ? offsetof(struct persist_anchor, csum) : a->area[id].size;
	size_t used = size;

	srand(seed);
	/* Hit what is used: the meta's head and the depot's records, not their slack. */
	if (id == PA_META)
		used = sizeof(struct persist_meta) + 5 * sizeof(struct persist_obj);
	if (id == PA_DEPOT)
		used = 4096;
	for (unsigned int k = 0; k < 1 + seed % 4; k++)
		base[(size_t)rand() % used] ^= (u8)(1 + rand() % 255);
	if (!reseal)
		return;
	for (int i = 0; i < NR_PERSIST_AREAS; i++)
		if (a->area[i].size)
			a->area[i].csum = persist_csum(ram + (a->area[i].phys - RAM_PHYS),
						       a->area[i].size);
	a->csum = persist_csum(a, offsetof(struct persist_anchor, csum));
}

static void test_corruption_refused(void)
{
	for (int id = -1; id < (int)NR_PERSIST_AREAS; id++) {
		for (unsigned int seed = 1; seed <= 6; seed++) {
			first_boot("slab_owner=on", PERSIST_REBOOT);
			corrupt(id, seed * 7919 + (unsigned int)id, false);
			CHECK_EQ(boot("page_owner=on"), 0);
			if (id == PA_LOG) {
				CHECK(!prev_boot.log_ok && prev_boot.owners_ok);
			} else {
				CHECK(!prev_boot.owners_ok);
				if (prev_boot.owners_ok)
					printf("# area %d seed %u was not refused\n", id, seed);
			}
			CHECK(prev_boot.why[0] != '\0');
			CHECK(report(&owner_source_prev, NULL) != NULL);
		}
	}
}

/* Re-checksummed damage: only the record checks stand between it and the readers. */
static void test_resealed_damage(void)
{
	static const int ids[] = { PA_META, PA_MEM_MAP, PA_PAGEBLOCK, PA_PAGE_EXT, PA_DEPOT,
				   PA_KSYMS };
	unsigned int refused = 0, runs = 0;

	for (unsigned int k = 0; k < ARRAY_SIZE(ids); k++) {
		for (unsigned int seed = 1; seed <= 8; seed++) {
			struct seq_buf_ctx ctx;
			struct seq_file m;

			first_boot("slab_owner=on", PERSIST_REBOOT);
			corrupt(ids[k], seed * 104729 + k, true);
			CHECK_EQ(boot("page_owner=on"), 0);
			runs++;
			refused += !prev_boot.owners_ok;
			/* Whatever was kept is read within bounds. */
			CHECK(report(&owner_source_prev, NULL) != NULL);
			seq_init_buf(&m, &ctx, out, sizeof(out));
			prev_boot_page_owner(&m);
			seq_init_buf(&m, &ctx, out, sizeof(out));
			page_owner_show_stacks_from(&owner_source_prev, &m, 0);
		}
	}
	printf("# re-checksummed damage: %u of %u refused by the record checks\n", refused, runs);
	CHECK(refused > 0);
}

/* Targeted damage each record check must catch. */
static void test_record_checks(void)
{
	struct persist_anchor *a;
	struct page_owner *rec;
	u32 *pool;

	first_boot("page_owner=on", PERSIST_REBOOT);
	a = anchor_va();
	rec = (struct page_owner *)(ram + (a->area[PA_PAGE_EXT].phys - RAM_PHYS));
	/* A block of order 3 at an odd index. */
	for (unsigned long i = 1; i < 1000; i += 2)
		if (!rec[i].allocated) {
			rec[i].order = 3;
			rec[i].allocated = 1;
			rec[i].handle |= 2;
			break;
		}
	corrupt(PA_LOG, 1, true);
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(!prev_boot.owners_ok);
	CHECK(strstr(prev_boot.why, "page_owner: record") != NULL);

	first_boot("page_owner=on", PERSIST_REBOOT);
	a = anchor_va();
	pool = (u32 *)(ram + (a->area[PA_DEPOT].phys - RAM_PHYS));
	pool[2] = 5;	/* the first record's chain link points forward */
	corrupt(PA_LOG, 1, true);
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(!prev_boot.owners_ok);
	CHECK(strstr(prev_boot.why, "depot: record") != NULL);

	first_boot("page_owner=on", PERSIST_REBOOT);
	a = anchor_va();
	a->area[PA_DEPOT].phys = a->area[PA_PAGE_EXT].phys;	/* overlapping areas */
	corrupt(PA_LOG, 1, true);
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(!prev_boot.owners_ok);
	CHECK(strstr(prev_boot.why, "overlap") != NULL);

	first_boot("page_owner=on", PERSIST_REBOOT);
	a = anchor_va();
	a->area[PA_META].phys = RAM_PHYS;	/* on the image */
	corrupt(PA_LOG, 1, true);
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(!prev_boot.owners_ok);
	CHECK(strstr(prev_boot.why, "not free RAM") != NULL);
}

static void test_other_image(void)
{
	const char *r;

	first_boot("page_owner=on", PERSIST_WATCHDOG);
	anchor_va()->build_id ^= 1;
	anchor_va()->csum = persist_csum(anchor_va(), offsetof(struct persist_anchor, csum));
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(prev_boot.owners_ok && !prev_boot.same_image);
	CHECK(prev_boot.ksyms != NULL);
	/* Its frames are named with its own symbol table, kept with it. */
	r = report(&owner_source_prev, "c");
	CHECK(r && strstr(r, "7 pages in 7 blocks") && strstr(r, "leak_site+"));

	/* Without that table, another image's frames print as addresses. */
	first_boot("page_owner=on", PERSIST_WATCHDOG);
	anchor_va()->build_id ^= 1;
	anchor_va()->area[PA_KSYMS].size = 0;
	corrupt(PA_LOG, 1, true);
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(prev_boot.owners_ok && !prev_boot.ksyms);
	r = report(&owner_source_prev, "c");
	CHECK(r && strstr(r, "7 pages in 7 blocks") && !strstr(r, "leak_site+"));

	/* A table out of order is refused with the rest. */
	first_boot("page_owner=on", PERSIST_REBOOT);
	{
		struct persist_anchor *a = anchor_va();
		struct ksym_table *t = (void *)(ram + (a->area[PA_KSYMS].phys - RAM_PHYS));
		u32 *w = (u32 *)(t + 1);

		w[1] = w[0] + 0x7fffffff;
	}
	corrupt(PA_LOG, 1, true);
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(!prev_boot.owners_ok);
	CHECK(strstr(prev_boot.why, "symbol table") != NULL);
}

/*
 * The (gfp, context) table full in the previous boot: a block recorded as
 * "table was full" reads back as unknown (mask 0, pid -1), not as some
 * entry. Last: this boot's table stays full.
 */
static void test_contexts_full_kept(void)
{
	static const gfp_t extra[] = { 0, __GFP_NOWARN, __GFP_ZERO, __GFP_NORETRY,
				       __GFP_NOWARN | __GFP_ZERO, __GFP_NOWARN | __GFP_NORETRY,
				       __GFP_ZERO | __GFP_NORETRY, __GFP_COMP };
	int me = current_pid();
	struct seq_buf_ctx ctx;
	struct seq_file m;
	char name[16];
	const char *r;

	CHECK_EQ(boot("page_owner=on"), 0);
	for (int c = 0; c < 40; c++) {
		snprintf(name, sizeof(name), "ctx%d", c);
		task_ctx_switch(task_ctx_register(name));
		for (unsigned int k = 0; k < ARRAY_SIZE(extra); k++)
			__free_pages(alloc_pages(GFP_KERNEL | extra[k], 0), 0);
	}
	task_ctx_switch(task_ctx_register("latecomer"));
	CHECK(leak_site() != NULL);
	task_ctx_switch(me);
	persist_seal(PERSIST_REBOOT);
	CHECK_EQ(boot("page_owner=on"), 0);
	CHECK(prev_boot.owners_ok && prev_boot.meta);
	if (!prev_boot.owners_ok || !prev_boot.meta)
		return;
	CHECK_EQ(prev_boot.meta->nr_actx, 255);
	seq_init_buf(&m, &ctx, out, sizeof(out));
	CHECK(prev_boot_page_owner(&m) > 0);
	r = strstr(out, "Page allocated via order 0, mask 0x0(), pid -1, tgid -1 (unknown), ts ");
	CHECK(r != NULL);
	CHECK(r && strstr(r, "\n\n") > strstr(r, " leak_site+0x"));	/* that block's */
	CHECK(r && strstr(r, " leak_site+0x") != NULL);
	if (htest_case_failed)
		printf("# %.3000s", r ? r : out);
}

int main(void)
{
	ram = aligned_alloc(PAGE_SIZE, RAM_SIZE);
	host_kept_log_size = 16384;
	host_track_stacks();
	RUN(test_cold_boot_finds_nothing);
	RUN(test_leaks_survive);
	RUN(test_previous_show);
	RUN(test_unsealed_and_off);
	RUN(test_corruption_refused);
	RUN(test_resealed_damage);
	RUN(test_record_checks);
	RUN(test_other_image);
	RUN(test_contexts_full_kept);	/* last: the context table stays full */
	free(ram);
	return HTEST_DONE();
}
