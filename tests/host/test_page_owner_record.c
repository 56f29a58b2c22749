// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of page_owner's record (include/ferret/page_owner_record.h) in
 * the layout of this build's word size: built as a 64-bit program it checks
 * the 16-byte record, as a 32-bit one (build/host32) the 12-byte one.
 *
 * - every field's bits, at its largest value and at 0 among all-ones
 *   neighbours, against positions written down here (not the header's);
 * - the writers at the fields' edges: the largest handle, order, gfp/context
 *   index and pid, a pid past the field (unknown), times 0 and past the range;
 * - the time codes (exact, monotonic, bounded error, saturation) and
 *   po_time_next(), the step checkpoints wait for;
 * - the depot never hands out a handle wider than the record keeps, however
 *   big its pool: past 2^STACK_DEPOT_HANDLE_BITS words saving fails.
 */
#include <string.h>

#include <ferret/owner_time.h>
#include <ferret/page_owner_record.h>
#include <ferret/stackdepot.h>

#include "host_kernel.h"
#include "../../mm/owner_track.h"
#include "htest.h"

/* A field's place in the record: first bit (in little-endian bytes) and width. */
struct field {
	const char *name;
	unsigned int pos, bits;
};

#if BITS_PER_LONG == 64
static const struct field fields[] = {
	{ "handle", 0, 22 },	{ "free_handle", 22, 22 }, { "actx", 44, 8 },
	{ "free_pid", 52, 7 },	{ "order", 59, 4 },	   { "allocated", 63, 1 },
	{ "ts_us", 64, 44 },	{ "free_dt", 108, 20 },
};
#define RECORD_BYTES	16
#else
static const struct field fields[] = {
	{ "handle", 0, 16 },	{ "free_handle", 16, 16 }, { "t", 32, 32 },
	{ "allocated", 64, 1 }, { "order", 65, 4 },	   { "free_pid", 69, 7 },
	{ "actx", 76, 8 },	{ "dt", 84, 12 },
};
#define RECORD_BYTES	12
#endif

/* Set field @i of @po to @v (through the bitfield, by name). */
static void set_field(struct page_owner *po, unsigned int i, unsigned long long v)
{
	const char *n = fields[i].name;

	if (!strcmp(n, "handle"))
		po->handle = v;
	else if (!strcmp(n, "free_handle"))
		po->free_handle = v;
	else if (!strcmp(n, "actx"))
		po->actx = v;
	else if (!strcmp(n, "free_pid"))
		po->free_pid = v;
	else if (!strcmp(n, "order"))
		po->order = v;
	else if (!strcmp(n, "allocated"))
		po->allocated = v;
#if BITS_PER_LONG == 64
	else if (!strcmp(n, "ts_us"))
		po->ts_us = v;
	else if (!strcmp(n, "free_dt"))
		po->free_dt = v;
#else
	else if (!strcmp(n, "t"))
		po->t = (u32)v;
	else if (!strcmp(n, "dt"))
		po->dt = v;
#endif
	else
		CHECK(!"unknown field");
}

static unsigned long long get_bits(const u8 *b, unsigned int pos, unsigned int bits)
{
	unsigned long long v = 0;

	for (unsigned int k = 0; k < bits; k++)
		v |= (unsigned long long)((b[(pos + k) / 8] >> ((pos + k) % 8)) & 1) << k;
	return v;
}

static unsigned long long field_max(unsigned int i)
{
	return fields[i].bits == 64 ? ~0ULL : (1ULL << fields[i].bits) - 1;
}

static void test_size_and_fields(void)
{
	union {
		struct page_owner po;
		u8 b[RECORD_BYTES];
	} u;
	unsigned int total = 0;

	CHECK_EQ(sizeof(struct page_owner), RECORD_BYTES);
	CHECK(po_check_layout());
	for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++) {
		CHECK_EQ(fields[i].pos, total);	/* the table covers every bit once */
		total += fields[i].bits;
	}
	CHECK_EQ(total, 8 * RECORD_BYTES);

	for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++) {
		/* At its largest among zeros: its bits and no other. */
		memset(&u, 0, sizeof(u));
		set_field(&u.po, i, field_max(i));
		for (unsigned int j = 0; j < ARRAY_SIZE(fields); j++)
			CHECK_EQ(get_bits(u.b, fields[j].pos, fields[j].bits), i == j ? field_max(j) : 0);
		/* At 0 among all-ones neighbours: only its bits clear. */
		memset(&u, 0xff, sizeof(u));
		set_field(&u.po, i, 0);
		for (unsigned int j = 0; j < ARRAY_SIZE(fields); j++)
			CHECK_EQ(get_bits(u.b, fields[j].pos, fields[j].bits), i == j ? 0 : field_max(j));
		if (htest_case_failed) {
			printf("# field %s\n", fields[i].name);
			return;
		}
	}
	/* Neighbours distinct: each field a different pattern, each read back. */
	memset(&u, 0, sizeof(u));
	for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++)
		set_field(&u.po, i, (0x5a5a5a5a5a5a5a5aULL >> i) & field_max(i));
	for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++)
		CHECK_EQ(get_bits(u.b, fields[i].pos, fields[i].bits),
			 (0x5a5a5a5a5a5a5a5aULL >> i) & field_max(i));
}

#define HANDLE_MAX	((1U << PO_HANDLE_BITS) - 1)

/* An allocation then a free with every field at its edge, neighbours kept. */
static void test_writers_at_edges(void)
{
	struct page_owner po;
	const u64 t0 = 1000, t1 = 1100;	/* below 128 us apart: both exact anywhere */

	memset(&po, 0, sizeof(po));
	po_set_alloc(&po, 15, HANDLE_MAX, 255, t0);
	CHECK_EQ(po.handle, HANDLE_MAX);
	CHECK_EQ(po.free_handle, 0);
	CHECK_EQ(po.actx, 255);
	CHECK_EQ(po.order, 15);
	CHECK_EQ(po.allocated, 1);
	CHECK_EQ(po.free_pid, 0);
	CHECK_EQ(po_ts_us(&po), t0);
	CHECK_EQ(po_free_ts_us(&po), 0);	/* never freed */

	po_set_free(&po, 15, HANDLE_MAX - 1, PO_FREE_PID_NONE - 1, t1);
	CHECK_EQ(po.handle, HANDLE_MAX);
	CHECK_EQ(po.free_handle, HANDLE_MAX - 1);
	CHECK_EQ(po.actx, 255);
	CHECK_EQ(po.order, 15);
	CHECK_EQ(po.allocated, 0);
	CHECK_EQ(po.free_pid, PO_FREE_PID_NONE - 1);
	CHECK_EQ(po_ts_us(&po), t0);
	CHECK_EQ(po_free_ts_us(&po), t1);

	/* Allocated again, order 0, handle 1, index 0: the free's fields stay. */
	po_set_alloc(&po, 0, 1, 0, t1 + 50);
	CHECK_EQ(po.handle, 1);
	CHECK_EQ(po.free_handle, HANDLE_MAX - 1);
	CHECK_EQ(po.free_pid, PO_FREE_PID_NONE - 1);
	CHECK_EQ(po.actx, 0);
	CHECK_EQ(po.order, 0);
	CHECK_EQ(po.allocated, 1);
	CHECK_EQ(po_ts_us(&po), t1 + 50);
	CHECK_EQ(po_free_ts_us(&po), t1);

	/* A pid past the field is recorded as unknown; time 0 is time 0. */
	po_set_free(&po, 0, 2, 1000, 0);
	CHECK_EQ(po.free_pid, PO_FREE_PID_NONE);
	CHECK_EQ(po.free_handle, 2);
	CHECK_EQ(po.handle, 1);
	CHECK(po_free_ts_us(&po) <= t1 + 50);	/* a clock before the allocation: 0 apart */

	/* A free of a block allocated before tracking: its order is taken. */
	memset(&po, 0, sizeof(po));
	po_set_free(&po, 7, 3, 5, t1);
	CHECK_EQ(po.order, 7);
	CHECK_EQ(po.free_handle, 3);
	CHECK_EQ(po.handle, 0);
	CHECK_EQ(po.allocated, 0);
}

/* Times at and past the end of the range: the last time kept, not a wrap. */
static void test_time_range(void)
{
	struct page_owner po;
	u64 day = 86400ULL * 1000000;

	CHECK(PO_TIME_MAX_US <= OWNER_TS_MAX_US);
	CHECK(PO_TIME_MAX_US >= 100 * day);	/* at least 100 days */

	memset(&po, 0, sizeof(po));
	po_set_alloc(&po, 0, 1, 0, PO_TIME_MAX_US);
	CHECK_EQ(po_ts_us(&po), PO_TIME_MAX_US);
	/*
	 * The clock past the range: now_us_max(PO_TIME_MAX_US), as the hooks
	 * read it, says the last time kept, every time.
	 */
	host_fake_time_ns = (PO_TIME_MAX_US + 1) * 1000;
	CHECK_EQ(now_us_max(PO_TIME_MAX_US), PO_TIME_MAX_US);
	po_set_alloc(&po, 0, 1, 0, now_us_max(PO_TIME_MAX_US));
	CHECK_EQ(po_ts_us(&po), PO_TIME_MAX_US);
	host_fake_time_ns = (OWNER_TS_MAX_US + 12345) * 1000;
	CHECK_EQ(now_us(), OWNER_TS_MAX_US);	/* the object owners' range */
	po_set_free(&po, 0, 1, 0, now_us_max(PO_TIME_MAX_US));
	CHECK_EQ(po_free_ts_us(&po), PO_TIME_MAX_US);
	CHECK_EQ(po_ts_us(&po), PO_TIME_MAX_US);
	host_fake_time_ns = ~0ULL;
	po_set_alloc(&po, 0, 1, 0, now_us_max(PO_TIME_MAX_US));
	CHECK_EQ(po_ts_us(&po), PO_TIME_MAX_US);
	CHECK_EQ(po_free_ts_us(&po), PO_TIME_MAX_US);
	host_fake_time_ns = 0;

	/*
	 * A block allocated at boot and freed 100 days later: the free time is
	 * the one kept on its own in the 12-byte record (rounded down by less
	 * than 2^-28 of it), the allocation within 2^-PO_DT_PRECISION of the
	 * 100 days before it.
	 */
	memset(&po, 0, sizeof(po));
	po_set_alloc(&po, 0, 1, 0, 5);
	po_set_free(&po, 0, 1, 0, 100 * day + 12345);
	CHECK(po_free_ts_us(&po) <= 100 * day + 12345);
	CHECK(100 * day + 12345 - po_free_ts_us(&po) <= (100 * day) >> 14);
	if (BITS_PER_LONG == 32)
		CHECK(100 * day + 12345 - po_free_ts_us(&po) <= (100 * day) >> 28);
	CHECK(po_ts_us(&po) >= 5);
	CHECK(po_ts_us(&po) - 5 <= (100 * day) >> PO_DT_PRECISION);
	if (BITS_PER_LONG == 64)	/* the allocation time is the exact one */
		CHECK_EQ(po_ts_us(&po), 5);
}

static void test_time_codes(void)
{
	const unsigned int m = 28;
	u64 prev = 0, lastv = 0;
	u32 pc = 0;

	/* Exact below 2^(m + 1), then rounded down by less than 2^-m. */
	for (u64 v = 0; v < 5000; v++)
		CHECK_EQ(time_code_unpack(time_code_pack(v, m), m), v);
	CHECK_EQ(time_code_pack((1ULL << 29) - 1, m), (1U << 29) - 1);
	CHECK_EQ(time_code_unpack((1U << 29) - 1, m), (1ULL << 29) - 1);
	CHECK_EQ(time_code_pack(1ULL << 29, m), 2U << m);
	CHECK_EQ(time_code_pack(time_code_limit(m, 4) - 1, m), 0xffffffffU);
	CHECK_EQ(time_code_unpack(0xffffffffU, m), time_code_limit(m, 4) - (1ULL << 14));
	for (unsigned int b = 0; b < 43; b++) {
		for (int d = -2; d <= 2; d++) {
			u64 v = (1ULL << b) + (u64)d, back;
			u32 c;

			if ((long long)(1ULL << b) < 2 - d || v <= lastv)	/* no wrap below 0, in order */
				continue;
			lastv = v;
			c = time_code_pack(v, m);
			back = time_code_unpack(c, m);
			CHECK(back <= v && v - back <= (v >> m));
			CHECK(c >= pc && back >= prev);	/* codes and values in order */
			pc = c;
			prev = back;
		}
	}
	/* The 6-bit dt code: exact below 128, within 1/64 up to 2^64 - 1. */
	for (u64 v = 0; v < 128; v++)
		CHECK_EQ(time_code_unpack(time_code_pack(v, 6), 6), v);
	for (u64 v = 128; v < (1ULL << 62); v = v * 3 + 1) {
		u64 back = time_code_unpack(time_code_pack(v, 6), 6);

		CHECK(time_code_pack(v, 6) < (1U << 12));
		CHECK(back <= v && v - back <= (v >> 6));
	}
	CHECK(time_code_pack(~0ULL, 6) < (1U << 12));
}

/* The 12-byte record's 32-bit packing of its times is time_code_pack()'s. */
static void test_record_time_pack(void)
{
#if BITS_PER_LONG == 32
	u64 v = 0;

	for (unsigned int i = 0; i < 200000; i++) {
		CHECK_EQ(po_t_pack(v), time_code_pack(v, PO_T_MANT));
		v = v * 5 / 4 + i;
		if (v > PO_TIME_MAX_US)
			v = i;
	}
	for (unsigned int b = 0; b < 43; b++) {
		CHECK_EQ(po_t_pack(1ULL << b), time_code_pack(1ULL << b, PO_T_MANT));
		CHECK_EQ(po_t_pack((1ULL << b) - 1), time_code_pack((1ULL << b) - 1, PO_T_MANT));
	}
	CHECK_EQ(po_t_pack(PO_TIME_MAX_US), 0xffffffffU);

	/* po_dt_field(): its 32-bit shortcut is the general step's code. */
	{
		static const u64 edge[] = { 0, 1, 127, 128, 1000, (1ULL << 28) - 1, 1ULL << 28,
					    (1ULL << 29) - 1, 1ULL << 29, (1ULL << 29) + 1,
					    0xffffffffULL, 1ULL << 32, (1ULL << 32) + 77,
					    1ULL << 40, PO_TIME_MAX_US };
		u64 x = 12345;

		for (unsigned int i = 0; i < ARRAY_SIZE(edge); i++)
			for (unsigned int j = 0; j < ARRAY_SIZE(edge); j++) {
				u32 t = po_t_pack(edge[i]);
				u64 prev = po_t_unpack(t), now = edge[j];

				CHECK_EQ(po_dt_field(t, now),
					 time_code_pack(now >= prev ? now - prev : 0, PO_DT_MANT)
					 << PO_DT_SHIFT);
			}
		for (unsigned int i = 0; i < 200000; i++) {
			u32 t;
			u64 prev, now;

			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			t = po_t_pack((x >> 20) % (PO_TIME_MAX_US + 1) >> (i % 40));
			prev = po_t_unpack(t);
			now = (x % (PO_TIME_MAX_US + 1)) >> ((i / 40) % 40);
			CHECK_EQ(po_dt_field(t, now),
				 time_code_pack(now >= prev ? now - prev : 0, PO_DT_MANT)
				 << PO_DT_SHIFT);
			if (htest_case_failed)
				return;
		}
	}
#endif
}

/* po_time_next(): the checkpoint's step (t + 1 while every microsecond is kept). */
static void test_time_next(void)
{
	struct page_owner a, b;
	u64 ts[] = { 0, 1, 999999, 1ULL << 28, (1ULL << 29) + 7, 86400ULL * 1000000 + 3,
		     50 * 86400ULL * 1000000, PO_TIME_MAX_US - (1ULL << 15) };

	for (unsigned int i = 0; i < ARRAY_SIZE(ts); i++) {
		u64 next = po_time_next(ts[i]);

		CHECK(next > ts[i]);
		/* Stamped just before next: not after ts; at next: after it. */
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		po_set_alloc(&a, 0, 1, 0, next - 1);
		po_set_alloc(&b, 0, 1, 0, next);
		CHECK(po_ts_us(&a) <= next - 1);
		CHECK(po_ts_us(&a) <= ts[i] || po_ts_us(&a) == next - 1);
		CHECK(po_ts_us(&b) > next - 1);
		if (ts[i] < (1ULL << 29))
			CHECK_EQ(next, ts[i] + 1);
		if (htest_case_failed) {
			printf("# t %llu next %llu\n", (unsigned long long)ts[i],
			       (unsigned long long)next);
			return;
		}
	}
}

/*
 * The counter's scaling to microseconds (owner_clock_setup(), owner_clock_us()):
 * exact to one microsecond at any word size.
 */
static void test_clock(void)
{
	const u64 freqs[] = { 62500000, 19200000, 24000000, 54000000, 1000000000, 1000001,
			      1000000, 32768 };
	const u64 ds[] = { 0, 1, 61, 62500000, 1ULL << 32, 123456789012345ULL, 1ULL << 50,
			   (1ULL << 56) - 1 };

	for (unsigned int i = 0; i < ARRAY_SIZE(freqs); i++) {
		struct owner_clock c;
		u64 f = freqs[i] < 1000000 ? 1000000 : freqs[i];	/* slower: as 1 MHz */

		owner_clock_setup(&c, freqs[i], 1000);
		for (unsigned int j = 0; j < ARRAY_SIZE(ds); j++) {
			u64 exact = ds[j] / f * 1000000 + ds[j] % f * 1000000 / f;
			u64 got = owner_clock_us(&c, ds[j] + 1000);
			u64 tol = 1;

			/* Rounded up, but at 1 MHz and below (2^64 less a hair) */
			CHECK(got <= exact + tol && got + tol >= exact);
			if (htest_case_failed) {
				printf("# freq %llu ticks %llu: %llu, exact %llu\n",
				       (unsigned long long)freqs[i], (unsigned long long)ds[j],
				       (unsigned long long)got, (unsigned long long)exact);
				return;
			}
		}
	}
}

/* However big a pool, no handle past the record's bits: the depot says full. */
static void test_handle_bits(void)
{
	size_t words = (1UL << STACK_DEPOT_HANDLE_BITS) + 4096;
	u32 *pool = calloc(words, 4), buckets[1 << 10];
	unsigned long e[STACK_DEPOT_MAX_FRAMES];
	depot_stack_handle_t h, max = 0;
	struct stack_depot d;
	unsigned long n = 0;

	CHECK(STACK_DEPOT_HANDLE_BITS <= PO_HANDLE_BITS);
	CHECK(pool != NULL);
	if (!pool)
		return;
	stack_depot_init(&d, pool, words * 4, buckets, 10);
	CHECK_EQ(d.pool_words, 1UL << STACK_DEPOT_HANDLE_BITS);
	for (;;) {
		for (unsigned int i = 0; i < ARRAY_SIZE(e); i++)
			e[i] = 0x40080000UL + n * 0x1000 + i * 4;
		h = __stack_depot_save(&d, e, ARRAY_SIZE(e));
		if (h == STACK_DEPOT_HANDLE_FULL)
			break;
		max = h > max ? h : max;
		n++;
	}
	CHECK(n > 0);
	CHECK(max <= HANDLE_MAX);
	CHECK(d.used <= (1UL << STACK_DEPOT_HANDLE_BITS));
	/* Full stays full, and a stored stack is still found. */
	CHECK_EQ(__stack_depot_save(&d, e, ARRAY_SIZE(e)), STACK_DEPOT_HANDLE_FULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(e); i++)
		e[i] = 0x40080000UL + i * 4;
	CHECK(__stack_depot_save(&d, e, ARRAY_SIZE(e)) != STACK_DEPOT_HANDLE_FULL);
	free(pool);
}

int main(void)
{
	RUN(test_size_and_fields);
	RUN(test_writers_at_edges);
	RUN(test_time_range);
	RUN(test_time_codes);
	RUN(test_time_next);
	RUN(test_record_time_pack);
	RUN(test_clock);
	RUN(test_handle_bits);
	return HTEST_DONE();
}
