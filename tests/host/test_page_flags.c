// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for page_flags_format() (mm/debug.c), the one formatter of
 * page->flags behind dump_page(), page_owner records and trace events:
 * Linux's names where the flag means what Linux's does, ferret's own names
 * after them, the block order as a field, unnamed bits in hex.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/slab.h>
#include <ferret/string.h>

#include "htest.h"

#define F(pg)		(1U << (pg))
#define ORDER(o)	((u32)(o) << PAGE_ORDER_SHIFT)

static int is(u32 flags, const char *want)
{
	char buf[128];
	int n = page_flags_format(buf, sizeof(buf), flags);

	if (strcmp(buf, want) || n != (int)strlen(want)) {
		printf("# flags 0x%x: '%s' (%d), want '%s'\n", flags, buf, n, want);
		return 0;
	}
	return 1;
}

static void test_linux_names(void)
{
	/* A compound head is Linux's "head"; a plain block head is not. */
	CHECK(is(F(PG_head) | F(PG_compound) | ORDER(2), "head|order=2"));
	CHECK(is(F(PG_head), "block|order=0"));
	CHECK(is(F(PG_head) | ORDER(3), "block|order=3"));
	CHECK(is(F(PG_reserved), "reserved"));
	/* Linux's names print before ferret's own. */
	CHECK(is(F(PG_reserved) | F(PG_head) | F(PG_compound) | ORDER(1), "reserved|head|order=1"));
}

static void test_ferret_names(void)
{
	CHECK(is(F(PG_tail), "tail"));
	CHECK(is(F(PG_buddy) | ORDER(10), "buddy|order=10"));
	CHECK(is(F(PG_pcp), "pcp|order=0"));
	CHECK(is(F(PG_head) | F(PG_memtest), "block|memtest|order=0"));
	CHECK(is(0, ""));
}

static void test_unnamed_bits(void)
{
	CHECK(is(1U << 31, "0x80000000"));
	CHECK(is(F(PG_head) | (1U << 30), "block|order=0|0x40000000"));
	/* An order without a block head is not a field: the bits print raw. */
	CHECK(is(ORDER(2), "0x20000"));
}

/*
 * A slab page: its cache id (the top bits) is a field, cache=<name> ("?"
 * for an id no cache has), never hex as well; without PG_slab the same bits
 * are unnamed.
 */
static void test_slab_cache_field(void)
{
	u32 id = 5U << PAGE_SLAB_ID_SHIFT;

	CHECK(is(F(PG_slab) | F(PG_head) | ORDER(1) | id, "block|slab|order=1|cache=?"));
	CHECK(is(F(PG_slab) | F(PG_tail) | id, "tail|slab|cache=?"));
	CHECK(is(F(PG_slab) | F(PG_head) | ORDER(0) | (0xfffU << PAGE_SLAB_ID_SHIFT),
		 "block|slab|order=0|cache=?"));
	CHECK(is(F(PG_head) | id, "block|order=0|0x500000"));
	CHECK(is(F(PG_large_kmalloc) | F(PG_head) | F(PG_compound) | ORDER(4),
		 "head|large_kmalloc|order=4"));
}

static void test_truncation(void)
{
	char buf[8];
	int n = page_flags_format(buf, sizeof(buf), F(PG_reserved) | F(PG_head) | F(PG_compound));

	CHECK_EQ(n, 7);
	CHECK(!strcmp(buf, "reserve"));
	/* Cut in the cache= field: what fits, NUL-terminated, nothing past the buffer. */
	{
		char small[20];

		n = page_flags_format(small, sizeof(small),
				      F(PG_slab) | F(PG_head) | (5U << PAGE_SLAB_ID_SHIFT));
		CHECK_EQ(n, 19);
		CHECK(!strcmp(small, "block|slab|order=0|"));
		/* Full before cache= is reached: nothing is written after the buffer. */
		n = page_flags_format(buf, sizeof(buf),
				      F(PG_slab) | F(PG_head) | (5U << PAGE_SLAB_ID_SHIFT));
		CHECK_EQ(n, 7);
		CHECK(!strcmp(buf, "block|s"));
	}
}

int main(void)
{
	RUN(test_linux_names);
	RUN(test_ferret_names);
	RUN(test_unnamed_bits);
	RUN(test_slab_cache_field);
	RUN(test_truncation);
	return HTEST_DONE();
}
