// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of mm/page_ext.c and mm/page_owner.c on the real allocator: a
 * malloc'd buffer is "RAM". Symbols come from `nm` of this very program, so
 * dumps carry real "func+0x1c/0x80" frames, and Linux's own
 * tools/mm/page_owner_sort (extracted from Debian's linux-source-6.12 into
 * build/, never copied into the repo) must sort a dump into exact counts.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ferret/gfp.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/page_owner_record.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>

#include "host_kernel.h"
#include "htest.h"

#define RAM_PHYS	0x40000000UL
#define RAM_SIZE	(64UL << 20)
#define SORT_DIR	"build/host/page_owner_sort"
#define SORT_BIN	SORT_DIR "/page_owner_sort"

int main(void);
static char *ram;
static char dump[4 << 20];

/* ---- symbols from nm ---- */

static unsigned long track_lo, track_hi;

static void load_symbols(void)
{
	host_load_symbols(&track_lo, &track_hi);
}

/*
 * The kernel's linker script gathers the allocator and tracking code between
 * __mm_track_text_start/end. Here mm/ and the unwinder are linked after this
 * test's own code (lib/ in between does no harm): nm -l says which function
 * comes from which file.
 */
static void set_skip_text(void)
{
	CHECK(track_lo < track_hi);
	if (track_lo < (unsigned long)&main)	/* this file links first */
		printf("# skip text 0x%lx-0x%lx below main at %p\n", track_lo, track_hi,
		       (void *)&main);
	stacktrace_set_skip_text(track_lo, track_hi);
}


/* ---- memory ---- */

static void mm_setup(const char *cmdline)
{
	host_quiet = true;
	host_log_clear();
	memblock_reset();
	page_ext_reset();
	mm_set_virt_offset((unsigned long)ram - RAM_PHYS);
	memblock_add(RAM_PHYS, RAM_SIZE);
	memblock_reserve(RAM_PHYS, 1UL << 20, "image");
	page_owner_param(cmdline);
	CHECK_EQ(free_area_init(), 0);
	CHECK_EQ(page_ext_init_flatmem(), 0);
	memblock_free_all();
	host_quiet = false;
}

static struct page *early_blocks[2];

static __noinline struct page *site_a(void)
{
	return alloc_pages(GFP_KERNEL, 0);
}

static __noinline struct page *site_b(unsigned int order)
{
	return alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
}

static __noinline struct page *site_movable(void)
{
	return alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
}

static __noinline void free_site(struct page *page, unsigned int order)
{
	__free_pages(page, order);
}

static size_t dump_all(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;

	seq_init_buf(&m, &ctx, dump, sizeof(dump));
	page_owner_dump(&m);
	return ctx.len;
}

/* The record (up to its blank line) whose first line mentions @pfn's PFN line. */
static const char *find_record(const char *text, unsigned long pfn, char *out, size_t size)
{
	char key[64];
	const char *p, *start, *end;

	snprintf(key, sizeof(key), "\nPFN 0x%lx ", pfn);
	p = strstr(text, key);
	if (!p)
		return NULL;
	start = p;
	while (start > text && start[-1] != '\n')
		start--;
	end = strstr(p + 1, "\n\n");
	if (!end)
		return NULL;
	snprintf(out, size, "%.*s", (int)(end - start + 2), start);
	return out;
}

/* ---- tests ---- */

static void test_off(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		mm_setup("console=ttyAMA0 page_owner=off");
		/* Off: nothing allocated, nothing tracked, nothing logged. */
		if (page_owner_inited || page_ext_base || page_ext_total_bytes ||
		    strstr(host_log, "page_ext"))
			_exit(1);
		page_ext_init_flatmem_late();
		if (page_owner_inited || !site_a())
			_exit(2);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	CHECK(!page_owner_param("page_owner=1x"));
	CHECK(page_owner_param("a=b page_owner=on c"));
	CHECK(!page_owner_param("page_owner=on page_owner=0"));
}

static void test_init(void)
{
	char msg[96];

	mm_setup("root=none page_owner=on");
	/* 16 bytes per page on 64-bit targets, 12 on 32-bit ones. */
	CHECK_EQ(page_ext_size, BITS_PER_LONG == 64 ? 16 : 12);
	CHECK_EQ(page_ext_total_bytes, page_ext_size * max_mapnr);
	snprintf(msg, sizeof(msg), "allocated %lu bytes of page_ext\n", page_ext_total_bytes);
	CHECK(strstr(host_log, msg) != NULL);
	CHECK(!page_owner_inited);
	/* Allocated before tracking starts: marked early at init. */
	early_blocks[0] = site_a();
	early_blocks[1] = site_b(3);
	host_log_clear();
	host_quiet = true;
	page_ext_init_flatmem_late();
	host_quiet = false;
	CHECK(page_owner_inited);
	CHECK(strstr(host_log, "Node 0, zone   Normal: page owner found early allocated 9 pages\n") !=
	      NULL);
}

static void test_records(void)
{
	struct page *a = site_a(), *b = site_b(2);
	char rec[4096], line[256];
	int me;

	CHECK(a && b);
	dump_all();
	CHECK(find_record(dump, page_to_pfn(a), rec, sizeof(rec)) != NULL);
	snprintf(line, sizeof(line),
		 "Page allocated via order 0, mask 0xcc0(GFP_KERNEL), pid %d, tgid %d (%s), ts ",
		 current_task()->pid, current_task()->tgid, current_task()->comm);
	CHECK(!strncmp(rec, line, strlen(line)));
	snprintf(line, sizeof(line), " ns\nPFN 0x%lx type Unmovable Block %lu type ",
		 page_to_pfn(a), page_to_pfn(a) >> pageblock_order);
	CHECK(strstr(rec, line) != NULL);
	CHECK(strstr(rec, "Flags 0x8(block|order=0)\n site_a+0x") != NULL);
	CHECK(strstr(rec, " test_records+0x") != NULL);
	CHECK(strstr(rec, "__set_page_owner") == NULL);
	CHECK(strstr(rec, "alloc_pages") == NULL);
	if (htest_case_failed)
		printf("# record:\n%s", rec);

	/* A second context, a zeroed order-2 block. */
	me = task_ctx_switch(task_ctx_register("netstack"));
	free_site(b, 2);
	b = site_b(2);
	dump_all();
	CHECK(find_record(dump, page_to_pfn(b), rec, sizeof(rec)) != NULL);
	snprintf(line, sizeof(line), "Page allocated via order 2, mask 0xdc0(GFP_KERNEL|__GFP_ZERO), "
		 "pid %d, tgid %d (netstack), ts ", current_task()->pid, current_task()->tgid);
	CHECK(!strncmp(rec, line, strlen(line)));
	CHECK(strstr(rec, "Flags 0x20008(block|order=2)\n site_b+0x") != NULL);
	task_ctx_switch(me);
	free_site(a, 0);
	free_site(b, 2);
	/* Freed blocks leave the dump. */
	dump_all();
	CHECK(find_record(dump, page_to_pfn(a), rec, sizeof(rec)) == NULL);
}

static void test_times_and_free(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	char buf[4096];
	struct page *p;
	unsigned long pfn;

	host_fake_time_ns = 5000000000ULL;		/* 5 s */
	p = site_b(1);
	pfn = page_to_pfn(p);
	host_fake_time_ns = 5000000000ULL + 12345000;	/* +12.345 ms */
	free_site(p, 1);

	/*
	 * The record keeps one time exactly and the other as a difference from
	 * it: the 16-byte record the allocation's (the free time exact below
	 * 32.768 ms), the 12-byte one the last event's, the free here (the
	 * allocation time within 2^-PO_DT_PRECISION of the 12.345 ms).
	 */
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	CHECK_EQ(page_owner_dump_pfn(&m, pfn + 1), 0);	/* a tail page */
	CHECK(strstr(buf, "is page 1 of the order-1 block at PFN") != NULL);
	CHECK(strstr(buf, "page_owner tracks the page as freed\n") != NULL);
	CHECK(strstr(buf, "page last allocated via order 1, migratetype Unmovable, gfp_mask "
			  "0xdc0(GFP_KERNEL|__GFP_ZERO), pid 0, tgid 0 (boot), ts ") != NULL);
	CHECK(strstr(buf, "free_ts 5012345000\n site_b+0x") != NULL);
	{
		const char *f = strstr(buf, "(boot), ts ");
		unsigned long long ts = f ? strtoull(f + 11, NULL, 10) : 0;
		long long err = (long long)ts - 5000000000LL;

		CHECK(err >= 0 && err <= (12345000LL >> PO_DT_PRECISION));
		if (BITS_PER_LONG == 64)
			CHECK_EQ(err, 0);
		if (htest_case_failed)
			printf("# ts err %lld\n", err);
	}
	CHECK(strstr(buf, "page last free pid 0 tgid 0 stack trace:\n free_site+0x") != NULL);
	if (htest_case_failed)
		printf("# %s", buf);

	/* Reallocated an hour later: free_ts keeps the previous free (within 2^-PO_DT_PRECISION). */
	host_fake_time_ns = 5000000000ULL + 3600ULL * 1000000000ULL;
	p = site_b(1);
	CHECK_EQ(page_to_pfn(p), pfn);
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	page_owner_dump_pfn(&m, pfn);
	{
		const char *f = strstr(buf, "free_ts ");
		unsigned long long fts = f ? strtoull(f + 8, NULL, 10) : 0;
		long long err = (long long)fts - 5012345000LL;

		CHECK(strstr(buf, "tracks the page as allocated") != NULL);
		CHECK(strstr(buf, "ts 3605000000000, free_ts ") != NULL);
		/* Interval rounded down, toward the allocation time. */
		CHECK(err >= 0 && err <= (3600000000000LL >> PO_DT_PRECISION));
		if (htest_case_failed)
			printf("# err %lld\n%s", err, buf);
	}
	free_site(p, 1);
	host_fake_time_ns = 0;
}

static void test_dump_page_owner(void)
{
	struct page *p = site_a();
	char key[64];

	host_quiet = true;
	host_log_clear();
	dump_page_owner(p);
	CHECK(strstr(host_log, "page_owner tracks the page as allocated\npage last allocated via "
			       "order 0, migratetype Unmovable, gfp_mask 0xcc0(GFP_KERNEL), pid 0, "
			       "tgid 0 (boot), ts ") != NULL);
	CHECK(strstr(host_log, ", free_ts ") != NULL);
	CHECK(strstr(host_log, "\n site_a+0x") != NULL);

	host_log_clear();
	page_owner_print_addr((page_to_pfn(p) << PAGE_SHIFT) + 0x123);
	snprintf(key, sizeof(key), "page_owner: 0x%lx is in PFN 0x%lx:\n",
		 (page_to_pfn(p) << PAGE_SHIFT) + 0x123, page_to_pfn(p));
	CHECK(strstr(host_log, key) != NULL);
	CHECK(strstr(host_log, "\n site_a+0x") != NULL);
	host_log_clear();
	page_owner_print_addr(0x1000);
	CHECK(strstr(host_log, "is not in mem_map") != NULL);
	host_quiet = false;
	free_site(p, 0);
}

static void test_early_placeholder(void)
{
	char rec[4096];

	dump_all();
	CHECK(find_record(dump, page_to_pfn(early_blocks[1]), rec, sizeof(rec)) != NULL);
	CHECK(strstr(rec, "Page allocated via order 3, mask 0x0(), pid 0, tgid 0 (boot), ts ") == rec);
	CHECK(strstr(rec, " register_early_stack+0x") != NULL);
	CHECK(strstr(rec, " init_page_owner+0x") != NULL);
	/* Freeing an early block works like any other. */
	free_site(early_blocks[0], 0);
	dump_all();
	CHECK(find_record(dump, page_to_pfn(early_blocks[0]), rec, sizeof(rec)) == NULL);
}

/* nr_base_pages of the stack whose first frame is @func, from show_stacks. */
static long stack_pages(const char *text, const char *func)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof(key), "\n %s+0x", func);
	p = strstr(text, key);
	if (!p && !strncmp(text, key + 1, strlen(key + 1)))
		p = text;
	if (!p)
		return -1;
	p = strstr(p, "nr_base_pages: ");
	return p ? strtol(p + 15, NULL, 10) : -1;
}

static struct page *held_a[7], *held_b[3];

static void test_show_stacks(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	char *buf = malloc(1 << 20);

	for (int i = 0; i < 7; i++)
		held_a[i] = site_a();
	for (int i = 0; i < 3; i++)
		held_b[i] = site_b(2);
	seq_init_buf(&m, &ctx, buf, 1 << 20);
	page_owner_show_stacks(&m, 0);
	CHECK_EQ(stack_pages(buf, "site_a"), 7);
	CHECK_EQ(stack_pages(buf, "site_b"), 12);
	CHECK_EQ(stack_pages(buf, "register_early_stack"), 8);
	/* Threshold hides the smaller ones. */
	seq_init_buf(&m, &ctx, buf, 1 << 20);
	page_owner_show_stacks(&m, 10);
	CHECK_EQ(stack_pages(buf, "site_a"), -1);
	CHECK_EQ(stack_pages(buf, "site_b"), 12);
	/* Format: frames, then the count, then a blank line. */
	CHECK(strstr(buf, "\nnr_base_pages: 12\n\n") != NULL);
	free(buf);
}

static void build_page_owner_sort(void)
{
	struct stat st;

	if (!stat(SORT_BIN, &st))
		return;
	CHECK_EQ(system("mkdir -p " SORT_DIR " && cd " SORT_DIR " && "
			"tar -xJf /usr/src/linux-source-6.12.tar.xz --strip-components=3 "
			"--wildcards '*/tools/mm/page_owner_sort.c' && "
			"gcc -O2 -o page_owner_sort page_owner_sort.c"), 0);
}

/* "N times, M pages" heading of the output block that holds @func. */
static bool sorted_counts(const char *out, const char *func, long *times, long *pages)
{
	char key[128];
	const char *p, *h;

	snprintf(key, sizeof(key), "\n %s+0x", func);
	p = strstr(out, key);
	if (!p)
		return false;
	/* Walk back to the heading line "N times, M pages". */
	for (h = p; h > out; h--)
		if (h[-1] == '\n' && h[0] >= '0' && h[0] <= '9' && strstr(h, " times, ") &&
		    strstr(h, " times, ") < strchr(h, '\n'))
			break;
	return sscanf(h, "%ld times, %ld pages", times, pages) == 2;
}

static void test_page_owner_sort(void)
{
	FILE *f;
	size_t len;
	char *out;
	long times = 0, pages = 0;

	build_page_owner_sort();
	len = dump_all();
	f = fopen(SORT_DIR "/dump.txt", "w");
	fwrite(dump, 1, len, f);
	fclose(f);
	CHECK_EQ(system(SORT_BIN " " SORT_DIR "/dump.txt " SORT_DIR "/sorted.txt >/dev/null 2>&1"),
		 0);
	CHECK_EQ(system(SORT_BIN " --cull=stacktrace " SORT_DIR "/dump.txt " SORT_DIR
			"/culled.txt >/dev/null 2>&1"), 0);
	out = malloc(4 << 20);
	f = fopen(SORT_DIR "/sorted.txt", "r");
	len = f ? fread(out, 1, (4 << 20) - 1, f) : 0;
	out[len] = '\0';
	if (f)
		fclose(f);
	CHECK(sorted_counts(out, "site_a", &times, &pages));
	CHECK_EQ(times, 7);
	CHECK_EQ(pages, 7);
	CHECK(sorted_counts(out, "site_b", &times, &pages));
	CHECK_EQ(times, 3);
	CHECK_EQ(pages, 12);
	CHECK(strstr(out, "allocated by OTHERS") || strstr(out, "times, "));

	f = fopen(SORT_DIR "/culled.txt", "r");
	len = f ? fread(out, 1, (4 << 20) - 1, f) : 0;
	out[len] = '\0';
	if (f)
		fclose(f);
	CHECK(sorted_counts(out, "register_early_stack", &times, &pages));
	CHECK_EQ(times, 1);
	CHECK_EQ(pages, 8);
	free(out);
	for (int i = 0; i < 7; i++)
		free_site(held_a[i], 0);
	for (int i = 0; i < 3; i++)
		free_site(held_b[i], 2);
}

static void test_mixed_blocks(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	char buf[1024];
	struct page *p = site_movable();
	unsigned long mixed[4];

	CHECK(p != NULL);
	/* The movable page's pageblock becomes Unmovable: now mixed. */
	CHECK(pageblock_set_migratetype(page_to_pfn(p), MIGRATE_UNMOVABLE) >= 0);
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	pagetypeinfo_mixed_show(&m);
	CHECK(strstr(buf, "\nNumber of mixed blocks    Unmovable      Movable  Reclaimable"
			  "   HighAtomic \nNode 0, zone   Normal ") == buf);
	CHECK_EQ(sscanf(strstr(buf, "Normal ") + 7, "%lu %lu %lu %lu", &mixed[0], &mixed[1],
			&mixed[2], &mixed[3]), 4);
	CHECK(mixed[MIGRATE_UNMOVABLE] >= 1);
	if (htest_case_failed)
		printf("# %s", buf);
	pageblock_set_migratetype(page_to_pfn(p), MIGRATE_MOVABLE);
	free_site(p, 0);
}

static void test_depot_stats(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	char buf[2048];

	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	stack_depot_show_stats(&m);
	page_owner_show_stats(&m);
	CHECK(strstr(buf, BITS_PER_LONG == 64 ? "page_owner:   on, 16 bytes per page" :
			  "page_owner:   on, 12 bytes per page") != NULL);
	CHECK(strstr(buf, "failures:     0") != NULL);
	for (char *l = strtok(strstr(buf, "pool:"), "\n"); l; l = strtok(NULL, "\n"))
		printf("# %s\n", l);
}

/* No room left for page_ext: said, refused with -1, nothing published. */
static void test_page_ext_no_room(void)
{
	host_quiet = true;
	host_log_clear();
	memblock_reset();
	page_ext_reset();
	memblock_add(RAM_PHYS, RAM_SIZE);
	page_owner_param("page_owner=on");
	CHECK_EQ(free_area_init(), 0);
	memblock_reserve(RAM_PHYS, RAM_SIZE, "everything");
	CHECK_EQ(page_ext_init_flatmem(), -1);
	host_quiet = false;
	CHECK(strstr(host_log, "allocation of page_ext failed.\n") != NULL);
	CHECK(strstr(host_log, "bytes of page_ext") == NULL);
	CHECK(page_ext_base == NULL);
	CHECK_EQ(page_ext_total_bytes, 0);
	CHECK(page_ext_from_pfn(RAM_PHYS >> PAGE_SHIFT) == NULL);
}

/*
 * Whole lines, every field, with values that tell each field from its
 * neighbours: a context whose tgid is not its pid, times with every digit in
 * place. And `page_owner pfn` at the edges of a block: each of its pages names
 * the block, the page right after it has an owner of its own or none.
 * Fresh memory (a new mm_setup), so that page has never been allocated.
 */
static void test_exact_lines(void)
{
	struct seq_buf_ctx ctx;
	struct seq_file m;
	char buf[4096], want[512], rec[4096];
	struct page *p;
	unsigned long pfn;
	int pid, me;

	mm_setup("page_owner=on");
	host_quiet = true;
	page_ext_init_flatmem_late();
	host_quiet = false;
	pid = task_ctx_register("exactlines");
	task_ctx_table[pid].tgid = 4242;
	me = task_ctx_switch(pid);
	host_fake_time_ns = 7123456000ULL;
	p = site_b(2);
	task_ctx_switch(me);
	pfn = page_to_pfn(p);
	CHECK_EQ(pfn & 7, 0);

	dump_all();
	CHECK(find_record(dump, pfn, rec, sizeof(rec)) != NULL);
	snprintf(want, sizeof(want),
		 "Page allocated via order 2, mask 0xdc0(GFP_KERNEL|__GFP_ZERO), pid %d, tgid 4242 "
		 "(exactlines), ts 7123456000 ns\nPFN 0x%lx type Unmovable Block %lu type Unmovable "
		 "Flags 0x20008(block|order=2)\n site_b+0x", pid, pfn, pfn >> pageblock_order);
	CHECK(!strncmp(rec, want, strlen(want)));
	if (htest_case_failed)
		printf("# want:\n%s\n# got:\n%s", want, rec);

	for (unsigned int i = 0; i < 4; i++) {
		size_t n = 0;

		seq_init_buf(&m, &ctx, buf, sizeof(buf));
		CHECK_EQ(page_owner_dump_pfn(&m, pfn + i), 0);
		if (i)
			n = (size_t)snprintf(want, sizeof(want),
					     "PFN 0x%lx is page %u of the order-2 block at PFN 0x%lx\n",
					     pfn + i, i, pfn);
		snprintf(want + n, sizeof(want) - n,
			 "page_owner tracks the page as allocated\npage last allocated via order 2, "
			 "migratetype Unmovable, gfp_mask 0xdc0(GFP_KERNEL|__GFP_ZERO), pid %d, "
			 "tgid 4242 (exactlines), ts 7123456000, free_ts 0\n site_b+0x", pid);
		CHECK(!strncmp(buf, want, strlen(want)));
		CHECK(strstr(buf, "page_owner free stack trace missing\n") != NULL);
		if (htest_case_failed)
			printf("# pfn +%u want:\n%s\n# got:\n%s", i, want, buf);
	}
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	CHECK_EQ(page_owner_dump_pfn(&m, pfn + 4), 0);
	CHECK(!strcmp(buf, "page_owner info is not present (never set?)\n"));

	/* Freed in the same context 123 us later (exact in either record). */
	me = task_ctx_switch(pid);
	host_fake_time_ns = 7123579000ULL;
	free_site(p, 2);
	task_ctx_switch(me);
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	CHECK_EQ(page_owner_dump_pfn(&m, pfn + 3), 0);
	snprintf(want, sizeof(want),
		 "PFN 0x%lx is page 3 of the order-2 block at PFN 0x%lx\n"
		 "page_owner tracks the page as freed\npage last allocated via order 2, "
		 "migratetype Unmovable, gfp_mask 0xdc0(GFP_KERNEL|__GFP_ZERO), pid %d, "
		 "tgid 4242 (exactlines), ts 7123456000, free_ts 7123579000\n site_b+0x",
		 pfn + 3, pfn, pid);
	CHECK(!strncmp(buf, want, strlen(want)));
	snprintf(want, sizeof(want), "\npage last free pid %d tgid 4242 stack trace:\n free_site+0x",
		 pid);
	CHECK(strstr(buf, want) != NULL);
	if (htest_case_failed)
		printf("# freed:\n%s", buf);
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	CHECK_EQ(page_owner_dump_pfn(&m, pfn + 4), 0);
	CHECK(!strcmp(buf, "page_owner info is not present (never set?)\n"));
	task_ctx_table[pid].tgid = pid;
	host_fake_time_ns = 0;
}

int main(void)
{
	ram = aligned_alloc(4UL << 20, RAM_SIZE);
	load_symbols();
	set_skip_text();
	host_register_own_stack();
	RUN(test_off);
	RUN(test_init);
	RUN(test_records);
	RUN(test_times_and_free);
	RUN(test_dump_page_owner);
	RUN(test_early_placeholder);
	RUN(test_show_stacks);
	RUN(test_page_owner_sort);
	RUN(test_mixed_blocks);
	RUN(test_depot_stats);
	RUN(test_page_ext_no_room);
	RUN(test_exact_lines);
	return HTEST_DONE();
}
