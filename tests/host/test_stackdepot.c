// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of mm/stackdepot.c: dedup, handle round trip (compact and wide
 * records), full pool, hash collisions, iteration, counters, printing, stats.
 */
#include <string.h>

#include <ferret/seq_file.h>
#include <ferret/stackdepot.h>

#include "host_kernel.h"
#include "htest.h"

#define TEXT_BASE 0x40080000UL

static void make_stack(unsigned long *e, unsigned int nr, unsigned long seed)
{
	for (unsigned int i = 0; i < nr; i++)
		e[i] = TEXT_BASE + 0x1000 + seed * 0x100 + i * 4;
}

static void test_dedup(void)
{
	unsigned long a[8], b[8];
	struct stack_depot_stats st;
	depot_stack_handle_t ha, ha2, hb;

	stack_depot_reset();
	make_stack(a, 8, 1);
	make_stack(b, 8, 2);
	ha = stack_depot_save(a, 8);
	ha2 = stack_depot_save(a, 8);
	hb = stack_depot_save(b, 8);
	CHECK(ha != 0 && ha != STACK_DEPOT_HANDLE_FULL);
	CHECK_EQ(ha, ha2);
	CHECK(hb != ha);
	/* A prefix is a different stack. */
	CHECK(stack_depot_save(a, 7) != ha);
	stack_depot_get_stats(&st);
	CHECK_EQ(st.nr_stacks, 3);
	CHECK_EQ(st.lookups, 4);
	CHECK_EQ(st.hits, 1);
	CHECK_EQ(st.failures, 0);
	CHECK_EQ(st.bytes_used, (2 + 8) * 4 * 2 + (2 + 7) * 4);
	CHECK_EQ(host_irq_disable_depth, 0);
}

static void test_round_trip(void)
{
	unsigned long a[16], out[16];
	/*
	 * Outside the 4 GiB above the text base: stored wide, with 64-bit
	 * words. 32-bit ones are offsets modulo 2^32 from it, always 32-bit
	 * entries.
	 */
	unsigned long w[3] = { TEXT_BASE + 0x10, (unsigned long)0xffff800012345678ULL,
			       TEXT_BASE - 4 };
	const unsigned int wide = sizeof(unsigned long) == 8;
	struct stack_depot_stats st;
	depot_stack_handle_t h;

	stack_depot_reset();
	make_stack(a, 16, 7);
	h = stack_depot_save(a, 16);
	CHECK_EQ(stack_depot_fetch(h, out, 16), 16);
	CHECK(!memcmp(a, out, sizeof(a)));
	/* A short buffer gets the innermost frames. */
	CHECK_EQ(stack_depot_fetch(h, out, 3), 3);
	CHECK_EQ(out[2], a[2]);

	h = stack_depot_save(w, 3);
	CHECK_EQ(stack_depot_fetch(h, out, 16), 3);
	CHECK(!memcmp(w, out, sizeof(w)));
	CHECK_EQ(stack_depot_save(w, 3), h);
	stack_depot_get_stats(&st);
	CHECK_EQ(st.nr_wide, wide);
	CHECK_EQ(st.bytes_used, (2 + 16) * 4 + (2 + (1 + wide) * 3) * 4);

	/* Invalid handles fetch nothing. */
	CHECK_EQ(stack_depot_fetch(0, out, 16), 0);
	CHECK_EQ(stack_depot_fetch(0x3fffff, out, 16), 0);
	/* Empty and over-long traces. */
	CHECK_EQ(stack_depot_save(a, 0), 0);
}

static void test_truncate(void)
{
	unsigned long a[80], out[80];
	depot_stack_handle_t h;

	stack_depot_reset();
	make_stack(a, 80, 3);
	h = stack_depot_save(a, 80);
	CHECK_EQ(stack_depot_fetch(h, out, 80), STACK_DEPOT_MAX_FRAMES);
	CHECK(!memcmp(a, out, STACK_DEPOT_MAX_FRAMES * sizeof(long)));
	CHECK_EQ(stack_depot_save(a, STACK_DEPOT_MAX_FRAMES), h);
}

static void test_full_pool(void)
{
	static u32 pool[64], buckets[4];
	struct stack_depot d;
	struct stack_depot_stats st;
	unsigned long a[4], out[4];
	depot_stack_handle_t first, h = 0;
	unsigned int stored = 0;

	stack_depot_init(&d, pool, sizeof(pool), buckets, 2);
	make_stack(a, 4, 100);
	first = __stack_depot_save(&d, a, 4);
	/* 2 reserved words, then 6-word records: 10 fit in 64 words. */
	for (unsigned long s = 101; s < 120; s++) {
		make_stack(a, 4, s);
		h = __stack_depot_save(&d, a, 4);
		if (h == STACK_DEPOT_HANDLE_FULL)
			break;
		stored++;
	}
	CHECK_EQ(h, STACK_DEPOT_HANDLE_FULL);
	CHECK_EQ(stored, 9);
	/* The full handle fetches the pseudo frame. */
	CHECK_EQ(__stack_depot_fetch(&d, h, out, 4), 1);
	CHECK_EQ(out[0], (unsigned long)stack_depot_full + 4);
	/* Stored stacks are still found. */
	make_stack(a, 4, 100);
	CHECK_EQ(__stack_depot_save(&d, a, 4), first);
	__stack_depot_get_stats(&d, &st);
	CHECK_EQ(st.failures, 1);
	CHECK_EQ(st.nr_stacks, 10);
	CHECK_EQ(st.bytes_used, 10 * 6 * 4);
	CHECK_EQ(st.bytes_total, 64 * 4);
	CHECK_EQ(st.hits, 1);
	CHECK_EQ(host_irq_disable_depth, 0);
}

/* A pool that ten 6-word records fill exactly: the tenth fits, then nothing does. */
static void test_exact_fit_pool(void)
{
	static u32 pool[2 + 10 * 6], buckets[4];
	struct stack_depot d;
	struct stack_depot_stats st;
	unsigned long a[4], out[4];
	depot_stack_handle_t h = 0;

	stack_depot_init(&d, pool, sizeof(pool), buckets, 2);
	for (unsigned long s = 0; s < 10; s++) {
		make_stack(a, 4, 200 + s);
		h = __stack_depot_save(&d, a, 4);
		CHECK_EQ(h, 2 + 6 * s);
	}
	/* The last record ends on the last word and reads back whole. */
	CHECK_EQ(__stack_depot_fetch(&d, h, out, 4), 4);
	CHECK(!memcmp(a, out, sizeof(a)));
	CHECK_EQ(__stack_depot_save(&d, a, 4), h);
	/* Iteration: ten records, in order; the last one and bad handles end it. */
	{
		depot_stack_handle_t it = 0;
		unsigned int n = 0;

		while ((it = __stack_depot_next(&d, it)) != 0)
			CHECK_EQ(it, 2 + 6 * n++);
		CHECK_EQ(n, 10);
		CHECK_EQ(__stack_depot_next(&d, h), 0);
		CHECK_EQ(__stack_depot_next(&d, STACK_DEPOT_HANDLE_FULL), 0);
		CHECK_EQ(__stack_depot_next(&d, ARRAY_SIZE(pool)), 0);
		CHECK_EQ(__stack_depot_next(&d, ARRAY_SIZE(pool) + 6), 0);
	}
	make_stack(a, 1, 300);
	CHECK_EQ(__stack_depot_save(&d, a, 1), STACK_DEPOT_HANDLE_FULL);
	__stack_depot_get_stats(&d, &st);
	CHECK_EQ(st.nr_stacks, 10);
	CHECK_EQ(st.nr_frames, 40);
	CHECK_EQ(st.bytes_used, 10 * 6 * 4);
	CHECK_EQ(st.bytes_total, sizeof(pool));
	CHECK_EQ(st.hash_bytes, sizeof(buckets));
	CHECK_EQ(st.nr_wide, 0);
	CHECK_EQ(st.failures, 1);
	CHECK_EQ(st.hits, 1);
	CHECK_EQ(st.lookups, 12);
	/* One word short: the tenth does not fit. */
	stack_depot_init(&d, pool, sizeof(pool) - 4, buckets, 2);
	for (unsigned long s = 0; s < 10; s++) {
		make_stack(a, 4, 200 + s);
		h = __stack_depot_save(&d, a, 4);
	}
	CHECK_EQ(h, STACK_DEPOT_HANDLE_FULL);
	__stack_depot_get_stats(&d, &st);
	CHECK_EQ(st.nr_stacks, 9);
	CHECK_EQ(st.failures, 1);
}

static void test_collisions_and_iteration(void)
{
	static u32 pool[4096], buckets[2];
	struct stack_depot d;
	depot_stack_handle_t hs[200], h;
	unsigned long a[5], out[5];
	unsigned int n = 0;

	stack_depot_init(&d, pool, sizeof(pool), buckets, 1);
	for (unsigned int i = 0; i < 200; i++) {
		make_stack(a, 1 + i % 5, i);
		hs[i] = __stack_depot_save(&d, a, 1 + i % 5);
	}
	for (unsigned int i = 0; i < 200; i++) {
		make_stack(a, 1 + i % 5, i);
		CHECK_EQ(__stack_depot_save(&d, a, 1 + i % 5), hs[i]);
		CHECK_EQ(__stack_depot_fetch(&d, hs[i], out, 5), 1 + i % 5);
		CHECK(!memcmp(a, out, (1 + i % 5) * sizeof(long)));
	}
	for (h = __stack_depot_next(&d, 0); h; h = __stack_depot_next(&d, h))
		CHECK_EQ(h, hs[n++]);
	CHECK_EQ(n, 200);
}

static const struct host_sym syms[] = {
	{ TEXT_BASE + 0x1000, 0x80, "alloc_caller" },
	{ TEXT_BASE + 0x1080, 0x40, "kernel_main" },
};

static void test_print(void)
{
	unsigned long a[3] = { TEXT_BASE + 0x101c, TEXT_BASE + 0x1088, 0x1234 };
	struct seq_buf_ctx ctx;
	struct seq_file m;
	char buf[512];
	depot_stack_handle_t h;

	stack_depot_reset();
	host_syms = syms;
	host_nr_syms = ARRAY_SIZE(syms);
	h = stack_depot_save(a, 3);
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	stack_depot_print_seq(&m, h);
	CHECK(!strcmp(buf, " alloc_caller+0x1c/0x80\n kernel_main+0x8/0x40\n 0x1234\n"));

	host_quiet = true;
	host_log_clear();
	stack_depot_print(h);
	CHECK(!strcmp(host_log, " alloc_caller+0x1c/0x80\n kernel_main+0x8/0x40\n 0x1234\n"));

	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	stack_depot_show_stats(&m);
	/* 0x1234 lies below the text base: a wide record with 64-bit words only. */
	CHECK(strstr(buf, sizeof(long) == 8 ? "stacks:       1 distinct (1 with 64-bit pcs)" :
				"stacks:       1 distinct (0 with 64-bit pcs)") != NULL);
	CHECK(strstr(buf, "lookups:      1\n") != NULL);
	/* Three frames in one stack: "3.0"; an empty depot: zeros, no division. */
	CHECK(strstr(buf, " pcs), 3.0 frames avg\n") != NULL);
	stack_depot_reset();
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	stack_depot_show_stats(&m);
	CHECK(strstr(buf, "stacks:       0 distinct (0 with 64-bit pcs), 0.0 frames avg\n"
			  "pool:         0 / ") == buf);
	CHECK(strstr(buf, " bytes used, 0 bytes per stack\n") != NULL);
	if (htest_case_failed)
		printf("# %s", buf);
	host_quiet = false;
	host_syms = NULL;
	host_nr_syms = 0;
}

/* Measured figure for the docs: bytes per distinct stack at 6..16 frames. */
static void test_bytes_per_stack(void)
{
	struct stack_depot_stats st;
	unsigned long a[16];

	stack_depot_reset();
	for (unsigned int i = 0; i < 1000; i++) {
		unsigned int nr = 6 + i % 11;	/* 6..16 frames, 11 avg */

		make_stack(a, nr, i);
		stack_depot_save(a, nr);
	}
	stack_depot_get_stats(&st);
	printf("# 1000 stacks of 6..16 frames (avg 11): %lu pool bytes per stack, "
	       "+%lu hash bytes per stack at 1000 stacks\n",
	       st.bytes_used / st.nr_stacks, st.hash_bytes / st.nr_stacks);
	CHECK_EQ(st.bytes_used, 1000 * 8 + st.nr_frames * 4);
	CHECK(st.bytes_used / st.nr_stacks <= 64);
}

int main(void)
{
	host_text_base = TEXT_BASE;
	RUN(test_dedup);
	RUN(test_round_trip);
	RUN(test_truncate);
	RUN(test_full_pool);
	RUN(test_exact_fit_pool);
	RUN(test_collisions_and_iteration);
	RUN(test_print);
	RUN(test_bytes_per_stack);
	return HTEST_DONE();
}
