// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP suite "stackdepot": dedup, round trip and a full pool on a scratch
 * depot (the live depot is never disturbed), and the live depot on real
 * return addresses.
 */
#include <ferret/kallsyms.h>
#include <ferret/ktest.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>
#include <ferret/string.h>

static u32 pool[256], buckets[16];
static struct stack_depot d;

static void make_stack(unsigned long *e, unsigned int nr, unsigned long seed)
{
	unsigned long base = kallsyms_text_base();

	for (unsigned int i = 0; i < nr; i++)
		e[i] = base + 0x100 + seed * 0x40 + i * 4;
}

static void depot_dedup_round_trip(struct ktest *t)
{
	unsigned long a[10], b[10], out[10];
	depot_stack_handle_t ha, hb;
	struct stack_depot_stats st;

	stack_depot_init(&d, pool, sizeof(pool), buckets, 4);
	make_stack(a, 10, 1);
	make_stack(b, 10, 2);
	ha = __stack_depot_save(&d, a, 10);
	hb = __stack_depot_save(&d, b, 10);
	KTEST_EXPECT_NE(t, ha, 0);
	KTEST_EXPECT_NE(t, ha, hb);
	KTEST_EXPECT_EQ(t, __stack_depot_save(&d, a, 10), ha);
	KTEST_EXPECT_EQ(t, __stack_depot_fetch(&d, ha, out, 10), 10);
	KTEST_EXPECT_TRUE(t, !memcmp(a, out, sizeof(a)));
	__stack_depot_get_stats(&d, &st);
	KTEST_EXPECT_EQ(t, st.nr_stacks, 2);
	KTEST_EXPECT_EQ(t, st.hits, 1);
	/* 10 frames in the kernel text: 8 + 4 * 10 bytes each. */
	KTEST_EXPECT_EQ(t, st.bytes_used, 2 * 48);
	KTEST_EXPECT_EQ(t, st.nr_wide, 0);
}

static void depot_full_pool(struct ktest *t)
{
	unsigned long a[10], out[4];
	depot_stack_handle_t h = 0;
	struct stack_depot_stats st;
	unsigned int stored = 0;

	stack_depot_init(&d, pool, sizeof(pool), buckets, 4);
	for (unsigned long s = 0; s < 100 && h != STACK_DEPOT_HANDLE_FULL; s++) {
		make_stack(a, 10, s);
		h = __stack_depot_save(&d, a, 10);
		stored += h != STACK_DEPOT_HANDLE_FULL;
	}
	KTEST_EXPECT_EQ(t, h, STACK_DEPOT_HANDLE_FULL);
	KTEST_EXPECT_EQ(t, stored, (256 - 2) / 12);
	KTEST_EXPECT_EQ(t, __stack_depot_fetch(&d, h, out, 4), 1);
	KTEST_EXPECT_EQ(t, out[0], (unsigned long)stack_depot_full + 4);
	__stack_depot_get_stats(&d, &st);
	KTEST_EXPECT_EQ(t, st.failures, 1);
}

/* A pool three records fill exactly: the third fits whole, the fourth does not. */
static void depot_exact_fit(struct ktest *t)
{
	static u32 exact[2 + 3 * 12];
	unsigned long a[10], out[10];
	depot_stack_handle_t h = 0;
	struct stack_depot_stats st;

	stack_depot_init(&d, exact, sizeof(exact), buckets, 4);
	for (unsigned long s = 0; s < 3; s++) {
		make_stack(a, 10, 40 + s);
		h = __stack_depot_save(&d, a, 10);
		KTEST_EXPECT_EQ(t, h, 2 + 12 * s);
	}
	KTEST_EXPECT_EQ(t, __stack_depot_fetch(&d, h, out, 10), 10);
	KTEST_EXPECT_TRUE(t, !memcmp(a, out, sizeof(a)));
	make_stack(a, 1, 50);
	KTEST_EXPECT_EQ(t, __stack_depot_save(&d, a, 1), STACK_DEPOT_HANDLE_FULL);
	__stack_depot_get_stats(&d, &st);
	KTEST_EXPECT_EQ(t, st.nr_stacks, 3);
	KTEST_EXPECT_EQ(t, st.bytes_used, 3 * 48);
	KTEST_EXPECT_EQ(t, st.bytes_total, sizeof(exact));
	KTEST_EXPECT_EQ(t, st.failures, 1);
}

static void depot_live_real_stack(struct ktest *t)
{
	unsigned long e[16], out[16];
	unsigned int nr = stack_trace_save(e, 16, 0);
	depot_stack_handle_t h;

	KTEST_ASSERT_TRUE(t, nr > 0);
	h = stack_depot_save(e, nr);
	KTEST_EXPECT_TRUE(t, h > STACK_DEPOT_HANDLE_FULL);
	KTEST_EXPECT_EQ(t, stack_depot_save(e, nr), h);
	KTEST_EXPECT_EQ(t, stack_depot_fetch(h, out, 16), nr);
	KTEST_EXPECT_TRUE(t, !memcmp(e, out, nr * sizeof(long)));
}

static const struct ktest_case stackdepot_cases[] = {
	KTEST_CASE(depot_dedup_round_trip),
	KTEST_CASE(depot_full_pool),
	KTEST_CASE(depot_exact_fit),
	KTEST_CASE(depot_live_real_stack),
};
KTEST_SUITE(stackdepot, stackdepot_cases);
