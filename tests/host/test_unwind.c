// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of lib/unwind.c: synthetic frame-record chains (good and
 * deliberately corrupt) in a fake stack, and a walk of this program's own
 * rbp (x86-64) or ebp (i386) chain, which has the AArch64 record layout.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>

#include <ferret/compiler.h>
#include <ferret/stacktrace.h>

#include "host_kernel.h"
#include "htest.h"

#define WORDS 512
static unsigned long stk[WORDS] __aligned(16);
static unsigned long stk2[WORDS] __aligned(16);
#define A(i)  ((unsigned long)&stk[i])
#define B(i)  ((unsigned long)&stk2[i])

/* Record at word @i of @s: { next fp, lr }. */
static void rec(unsigned long *s, unsigned int i, unsigned long next, unsigned long lr)
{
	s[i] = next;
	s[i + 1] = lr;
}

static void setup(void)
{
	stacktrace_reset();
	memset(stk, 0, sizeof(stk));
	memset(stk2, 0, sizeof(stk2));
	CHECK_EQ(stacktrace_register_stack(A(0), A(WORDS), "task"), 0);
}

static void test_good_chain(void)
{
	unsigned long out[8];
	struct unwind_state st;

	setup();
	rec(stk, 10, A(20), 0x1000);
	rec(stk, 20, A(40), 0x2000);
	rec(stk, 40, 0, 0x3000);	/* outermost: fp == 0 ends the walk */
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 3);
	CHECK_EQ(out[0], 0x1000);
	CHECK_EQ(out[1], 0x2000);
	CHECK_EQ(out[2], 0x3000);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
	CHECK_EQ(st.nr_walked, 3);

	/* lr == 0 is a terminal record too: nothing stored for it. */
	rec(stk, 40, A(60), 0);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 2);
	CHECK_EQ(st.stop, UNWIND_STOP_END);

	/* fp == 0 to start with: nothing. */
	CHECK_EQ(unwind_from(0, out, 8, 0, &st), 0);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
}

static void test_buffer_full_and_skipnr(void)
{
	unsigned long out[8];
	struct unwind_state st;

	setup();
	rec(stk, 10, A(20), 0x1000);
	rec(stk, 20, A(40), 0x2000);
	rec(stk, 40, 0, 0x3000);
	CHECK_EQ(unwind_from(A(10), out, 2, 0, &st), 2);
	CHECK_EQ(st.stop, UNWIND_STOP_FULL);
	CHECK_EQ(unwind_from(A(10), out, 8, 1, &st), 2);
	CHECK_EQ(out[0], 0x2000);
	CHECK_EQ(unwind_from(A(10), out, 8, 5, &st), 0);
	CHECK_EQ(unwind_from(A(10), out, 0, 0, &st), 0);
	CHECK_EQ(st.stop, UNWIND_STOP_FULL);
}

static void test_loops(void)
{
	unsigned long out[8];
	struct unwind_state st;

	setup();
	/* Self loop. */
	rec(stk, 10, A(10), 0x1000);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 1);
	CHECK_EQ(st.stop, UNWIND_STOP_ORDER);
	/* Two-record loop. */
	rec(stk, 10, A(20), 0x1000);
	rec(stk, 20, A(10), 0x2000);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 2);
	CHECK_EQ(st.stop, UNWIND_STOP_ORDER);
	/* Going downward (toward the stack limit) is corrupt. */
	rec(stk, 40, A(20), 0x4000);
	rec(stk, 20, A(60), 0x2000);
	CHECK_EQ(unwind_from(A(40), out, 8, 0, &st), 1);
	CHECK_EQ(st.stop, UNWIND_STOP_ORDER);
}

static void test_misaligned_and_out_of_stack(void)
{
	unsigned long out[8];
	struct unwind_state st;
	static unsigned long elsewhere[4] __aligned(16);

	setup();
	rec(stk, 10, A(20) + STACKTRACE_FP_ALIGN / 2, 0x1000);	/* half aligned */
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 1);
	CHECK_EQ(st.stop, UNWIND_STOP_ALIGN);
	rec(stk, 10, A(20) + STACKTRACE_FP_ALIGN / 4, 0x1000);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 1);
	CHECK_EQ(st.stop, UNWIND_STOP_ALIGN);
	/* Outside any registered stack: never dereferenced. */
	rec(stk, 10, (unsigned long)elsewhere, 0x1000);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 1);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
	rec(stk, 10, 0xdead0000UL, 0x1000);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 1);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
	CHECK_EQ(unwind_from(~0UL - 15, out, 8, 0, &st), 0);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
	/* A record must fit entirely: one straddling the top is rejected. */
	stacktrace_reset();
	stacktrace_register_stack(A(0), A(WORDS - 1), "short");
	rec(stk, 10, A(WORDS - 2), 0x1000);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 1);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
	/* Nothing registered: nothing is read. */
	stacktrace_reset();
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 0);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
}

static void test_huge_depth(void)
{
	unsigned long out[200];
	struct unwind_state st;
	unsigned int i;

	setup();
	for (i = 0; i < 200; i++)
		rec(stk, 2 * i, A(2 * i + 2), 0x1000 + i);
	CHECK_EQ(unwind_from(A(0), out, 200, 0, &st), STACKTRACE_MAX_DEPTH);
	CHECK_EQ(st.stop, UNWIND_STOP_FULL);
	CHECK_EQ(st.nr_walked, STACKTRACE_MAX_DEPTH);
	CHECK_EQ(out[63], 0x1000 + 63);
}

/* Both stacks registered; B(10) -> B(20) -> A(100) (the caller writes that record). */
static void exception_to_task(void)
{
	setup();
	CHECK_EQ(stacktrace_register_stack(B(0), B(WORDS), "exception"), 0);
	rec(stk2, 10, B(20), 0x1000);
	rec(stk2, 20, A(100), 0x2000);
}

static void test_stack_switch(void)
{
	unsigned long out[8];
	struct unwind_state st;

	exception_to_task();
	/* Exception stack -> task stack: fine, even to a lower address. */
	rec(stk, 100, A(120), 0x3000);
	rec(stk, 120, 0, 0x4000);
	CHECK_EQ(unwind_from(B(10), out, 8, 0, &st), 4);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
	CHECK_EQ(out[3], 0x4000);
	/* ... and back again is corrupt. */
	rec(stk, 120, B(30), 0x4000);
	rec(stk2, 30, 0, 0x5000);
	CHECK_EQ(unwind_from(B(10), out, 8, 0, &st), 4);
	CHECK_EQ(st.stop, UNWIND_STOP_REVISIT);
	/* Registration limits: STACKTRACE_MAX_STACKS in all (two are taken above). */
	CHECK_EQ(stacktrace_register_stack(10, 10, "empty"), -1);
	for (unsigned long i = 2; i < STACKTRACE_MAX_STACKS; i++)
		CHECK_EQ(stacktrace_register_stack(100 + 200 * i, 200 + 200 * i, "more"), 0);
	CHECK_EQ(stacktrace_register_stack(100000, 100100, "one too many"), -1);
}

/* A stack unregistered is never read again; its slot serves the next one. */
static void test_unregister(void)
{
	unsigned long out[8];
	struct unwind_state st;

	exception_to_task();
	rec(stk, 100, 0, 0x3000);
	CHECK_EQ(unwind_from(B(10), out, 8, 0, &st), 3);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
	/* The task stack gone: the walk stops where it would enter it. */
	CHECK_EQ(stacktrace_unregister_stack(A(0)), 0);
	CHECK_EQ(unwind_from(B(10), out, 8, 0, &st), 2);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
	CHECK_EQ(out[1], 0x2000);
	/* Twice, or a stack never registered (by its high end): nothing to do. */
	CHECK_EQ(stacktrace_unregister_stack(A(0)), -1);
	CHECK_EQ(stacktrace_unregister_stack(B(WORDS)), -1);
	/* The exception stack too: nothing is read. */
	CHECK_EQ(stacktrace_unregister_stack(B(0)), 0);
	CHECK_EQ(unwind_from(B(10), out, 8, 0, &st), 0);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
	/* A full table: one out, one more in. */
	for (unsigned long i = 0; i < STACKTRACE_MAX_STACKS; i++)
		CHECK_EQ(stacktrace_register_stack(100 + 200 * i, 200 + 200 * i, "more"), 0);
	CHECK_EQ(stacktrace_register_stack(A(0), A(WORDS), "task"), -1);
	CHECK_EQ(stacktrace_unregister_stack(100 + 200 * 3), 0);
	CHECK_EQ(stacktrace_register_stack(A(0), A(WORDS), "task"), 0);
	CHECK_EQ(stacktrace_register_stack(B(0), B(WORDS), "exception"), -1);
	rec(stk, 100, 0, 0x3000);
	CHECK_EQ(unwind_from(A(100), out, 8, 0, &st), 1);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
	CHECK_EQ(out[0], 0x3000);
}

static void test_skip_text(void)
{
	unsigned long out[8];
	struct unwind_state st;

	setup();
	stacktrace_set_skip_text(0x1000, 0x2000);
	rec(stk, 10, A(20), 0x1010);	/* tracking code */
	rec(stk, 20, A(30), 0x1fff);	/* allocator entry */
	rec(stk, 30, A(40), 0x5000);	/* caller: first kept */
	rec(stk, 40, A(50), 0x1500);	/* in range but not leading: kept */
	rec(stk, 50, 0, 0x6000);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 3);
	CHECK_EQ(out[0], 0x5000);
	CHECK_EQ(out[1], 0x1500);
	CHECK_EQ(out[2], 0x6000);
	/* skipnr applies first. */
	CHECK_EQ(unwind_from(A(20), out, 8, 1, &st), 3);
	CHECK_EQ(out[0], 0x5000);
	/* A walk entirely inside the range keeps its frames. */
	rec(stk, 20, 0, 0x1fff);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, &st), 2);
	CHECK_EQ(out[0], 0x1010);
	CHECK_EQ(out[1], 0x1fff);
	/* Skipped frames do not count against the buffer. */
	rec(stk, 20, A(30), 0x1fff);
	CHECK_EQ(unwind_from(A(10), out, 1, 0, &st), 1);
	CHECK_EQ(out[0], 0x5000);
	stacktrace_set_skip_text(0, 0);
}

/*
 * Records flush with either end of a stack are whole records and are walked;
 * one word further is outside. Each edge through both walks (unwind_from and
 * the memo walk) and on entering a second stack.
 */
static void test_stack_edges(void)
{
	struct unwind_chain chain;
	unsigned long out[8];
	struct unwind_state st;

	setup();
	rec(stk, 0, A(WORDS - 2), 0x1000);	/* at the lowest address */
	rec(stk, WORDS - 2, 0, 0x2000);		/* flush with the top */
	CHECK_EQ(unwind_from(A(0), out, 8, 0, &st), 2);
	CHECK_EQ(out[0], 0x1000);
	CHECK_EQ(out[1], 0x2000);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
	CHECK_EQ(st.nr_walked, 2);
	CHECK_EQ(unwind_from(A(WORDS - 2), out, 8, 0, &st), 1);
	CHECK_EQ(out[0], 0x2000);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
	CHECK_EQ(unwind_memo_walk(A(0), out, 8, &chain), 2);
	CHECK_EQ(out[1], 0x2000);
	CHECK_EQ(chain.nr, 2);
	CHECK_EQ(chain.rec[2], 0);
	CHECK_EQ(chain.rec[3], 0x2000);

	/* A loop on the top record is a loop, not a revisit. */
	rec(stk, WORDS - 2, A(WORDS - 2), 0x2000);
	CHECK_EQ(unwind_from(A(0), out, 8, 0, &st), 2);
	CHECK_EQ(st.stop, UNWIND_STOP_ORDER);
	CHECK_EQ(st.nr_walked, 2);
	rec(stk, WORDS - 2, 0, 0x2000);

	/* Into a second stack at its top record, and at its lowest. */
	CHECK_EQ(stacktrace_register_stack(B(0), B(WORDS), "exception"), 0);
	rec(stk2, 10, A(WORDS - 2), 0x3000);
	CHECK_EQ(unwind_from(B(10), out, 8, 0, &st), 2);
	CHECK_EQ(out[0], 0x3000);
	CHECK_EQ(out[1], 0x2000);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
	CHECK_EQ(unwind_memo_walk(B(10), out, 8, &chain), 2);
	CHECK_EQ(out[1], 0x2000);
	rec(stk, 100, B(0), 0x4000);
	rec(stk2, 0, 0, 0x5000);
	CHECK_EQ(unwind_from(A(100), out, 8, 0, &st), 2);
	CHECK_EQ(out[1], 0x5000);
	CHECK_EQ(st.stop, UNWIND_STOP_END);

	/* A stack one record long holds exactly that record. */
	stacktrace_reset();
	CHECK_EQ(stacktrace_register_stack(A(0), A(1), "too small"), -1);
	CHECK_EQ(stacktrace_register_stack(A(40), A(42), "one record"), 0);
	rec(stk, 40, 0, 0x6000);
	CHECK_EQ(unwind_from(A(40), out, 8, 0, &st), 1);
	CHECK_EQ(out[0], 0x6000);
	CHECK_EQ(st.stop, UNWIND_STOP_END);
	/* One record below it, or one above: outside. */
	CHECK_EQ(unwind_from(A(38), out, 8, 0, &st), 0);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
	CHECK_EQ(unwind_from(A(42), out, 8, 0, &st), 0);
	CHECK_EQ(st.stop, UNWIND_STOP_RANGE);
}

static void test_pac(void)
{
	unsigned long out[8];

	/* AArch64's rule, in u64 at any word size. */
	CHECK_EQ(ptrauth_strip(0x007f000040081234ULL), 0x40081234ULL);
	CHECK_EQ(ptrauth_strip(0x40081234ULL), 0x40081234ULL);
	CHECK_EQ(ptrauth_strip(0x12ff800010081234ULL), 0xffff800010081234ULL);
	CHECK_EQ(ptrauth_strip(0x00ff800010081234ULL), 0xffff800010081234ULL);
	CHECK_EQ(stacktrace_strip_pac(0x40081234UL), 0x40081234UL);
	if (sizeof(unsigned long) < 8)
		return;		/* no room for tags in a 32-bit word */
	setup();
	rec(stk, 10, 0, (unsigned long)0x2a00000040081234ULL);
	CHECK_EQ(unwind_from(A(10), out, 8, 0, NULL), 1);
	CHECK_EQ(out[0], 0x40081234UL);
}

static struct unwind_memo memo_table[2 * UNWIND_MEMO_WAYS];
static struct unwind_memo_set memo = {
	.table = memo_table, .last = memo_table, .mask = 1, .mru = memo.prefix,
};

static void test_memo(void)
{
	struct unwind_chain chain;
	unsigned long out[8], big[STACKTRACE_MAX_DEPTH];

	setup();
	rec(stk, 10, A(20), 0x1000);
	rec(stk, 20, A(40), 0x2000);
	rec(stk, 40, A(60), 0x3000);
	rec(stk, 60, 0, 0);
	CHECK_EQ(unwind_memo_walk(A(10), out, 8, &chain), 3);
	CHECK_EQ(chain.nr, 4);
	CHECK_EQ(chain.split, 0);
	CHECK_EQ(chain.fp0, A(10));
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 0);
	{
		/* Each write moves its memo's seq on by two: a reader that compared
		 * across it sees the change. */
		u32 seqs[ARRAY_SIZE(memo_table)];

		for (unsigned int i = 0; i < ARRAY_SIZE(memo_table); i++)
			seqs[i] = memo_table[i].seq;
		unwind_memo_publish(&memo, &chain, 77);
		CHECK_EQ(memo.last->seq, seqs[memo.last - memo_table] + 2);
	}
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 77);
	CHECK_EQ(unwind_memo_match(&memo, A(20)), 0);
	rec(stk, 40, A(60), 0x3004);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 0);
	rec(stk, 40, A(60), 0x3000);
	rec(stk, 20, A(42), 0x2000);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 0);
	rec(stk, 20, A(40), 0x2000);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 77);
	CHECK_EQ(host_irq_disable_depth, 0);
	/* A walk that stopped at a corrupt record is remembered as it was. */
	rec(stk, 40, A(40) + STACKTRACE_FP_ALIGN / 2, 0x3000);
	CHECK_EQ(unwind_memo_walk(A(10), out, 8, &chain), 3);
	CHECK_EQ(chain.nr, 3);
	unwind_memo_publish(&memo, &chain, 5);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 5);
	/* Cookie 0 is never published; odd seq is a write in progress. */
	unwind_memo_publish(&memo, &chain, 0);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 5);
	memo.mru->seq++;
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 0);
	memo.mru->seq++;
	/* Too long to keep. */
	for (unsigned int i = 100; i < 100 + 2 * (2 * UNWIND_MEMO_RECORDS + 2); i += 2)
		rec(stk, i, A(i + 2), 0x1000 + i);
	unwind_memo_walk(A(100), big, ARRAY_SIZE(big), &chain);
	CHECK_EQ(chain.nr, 0);
	/* A walk cut short by a full buffer is remembered up to there. */
	unwind_memo_walk(A(100), out, 8, &chain);
	CHECK_EQ(chain.nr, 8);
	/* Changing the stacks or the skip range empties memos. */
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 5);
	stacktrace_set_skip_text(0, 0);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 0);
	rec(stk, 40, A(60), 0x3000);
	unwind_memo_walk(A(10), out, 8, &chain);
	unwind_memo_publish(&memo, &chain, 6);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 6);
	CHECK_EQ(stacktrace_register_stack(B(0), B(WORDS), "exception"), 0);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 0);
}

/*
 * The tracking code's records form the prefix; the rest of each chain has a
 * table slot of its own, so one call site remembers many callers.
 */
static void test_memo_set(void)
{
	struct unwind_chain chain;
	unsigned long out[8];

	setup();
	stacktrace_set_skip_text(0x1000, 0x2000);
	/* Tracking code (2 records), then caller A's chain. */
	rec(stk, 10, A(20), 0x1010);
	rec(stk, 20, A(40), 0x1fff);
	rec(stk, 40, A(60), 0x5000);
	rec(stk, 60, 0, 0);
	CHECK_EQ(unwind_memo_walk(A(10), out, 8, &chain), 1);
	CHECK_EQ(out[0], 0x5000);
	CHECK_EQ(chain.split, 2);
	CHECK_EQ(chain.nr, 4);
	unwind_memo_publish(&memo, &chain, 100);
	CHECK_EQ(memo.mru->nr, 2);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 100);
	/* Caller B: same tracking records, another record at A(40). */
	rec(stk, 40, A(80), 0x6000);
	rec(stk, 80, 0, 0);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 0);
	unwind_memo_walk(A(10), out, 8, &chain);
	unwind_memo_publish(&memo, &chain, 200);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 200);
	/* Back to A: still remembered (another way, if not another set). */
	rec(stk, 40, A(60), 0x5000);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 100);
	/* A different tracking record replaces the prefix; the rest still matches it. */
	rec(stk, 20, A(40), 0x1ffe);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 0);
	unwind_memo_walk(A(10), out, 8, &chain);
	unwind_memo_publish(&memo, &chain, 300);
	CHECK_EQ(unwind_memo_match(&memo, A(10)), 300);
	/* Everything inside the skip text: nothing is remembered. */
	rec(stk, 40, 0, 0x1500);
	unwind_memo_walk(A(10), out, 8, &chain);
	CHECK_EQ(chain.nr, 0);
	stacktrace_set_skip_text(0, 0);
}

/* A real walk: level1 -> level2 -> level3 -> stack_trace_save. */
static unsigned long ret_into_level1, ret_into_level2;
static unsigned long got[16];
static unsigned int nr_got;

static __noinline void level3(void)
{
	ret_into_level2 = (unsigned long)__builtin_return_address(0);
	nr_got = stack_trace_save(got, 16, 0);
	__asm__ __volatile__("" ::: "memory");
}

static __noinline void level2(void)
{
	ret_into_level1 = (unsigned long)__builtin_return_address(0);
	level3();
	__asm__ __volatile__("" ::: "memory");
}

static __noinline void level1(void)
{
	level2();
	__asm__ __volatile__("" ::: "memory");
}

static void register_own_stack(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	stacktrace_reset();
	CHECK_EQ(pthread_getattr_np(pthread_self(), &attr), 0);
	CHECK_EQ(pthread_attr_getstack(&attr, &addr, &size), 0);
	pthread_attr_destroy(&attr);
	CHECK_EQ(stacktrace_register_stack((unsigned long)addr,
					   (unsigned long)addr + size, "host"), 0);
}

/*
 * A tracker that found no memory for its table still matches on every
 * event: the set from unwind_memo_set_init(s, NULL, ...) misses every time
 * and remembers nothing (before, such a set had no prefix to try: NULL).
 */
static void test_memo_set_without_table(void)
{
	static struct unwind_memo_set s;
	static struct unwind_memo table[2 * UNWIND_MEMO_WAYS];
	struct unwind_chain chain;
	unsigned long out[8];

	setup();
	rec(stk, 10, A(20), 0x1000);
	rec(stk, 20, A(40), 0x2000);
	rec(stk, 40, 0, 0);
	CHECK_EQ(unwind_memo_walk(A(10), out, 8, &chain), 2);
	unwind_memo_set_init(&s, NULL, 1);
	CHECK(s.mru == s.prefix);
	CHECK(s.table == NULL && s.last == NULL);
	CHECK_EQ(unwind_memo_match(&s, A(10)), 0);
	unwind_memo_publish(&s, &chain, 55);
	CHECK_EQ(unwind_memo_match(&s, A(10)), 0);
	for (unsigned int i = 0; i < UNWIND_MEMO_PREFIXES; i++)
		CHECK_EQ(s.prefix[i].fp0, 0);
	/* Given a table again, the same set remembers; emptied again, it forgets. */
	unwind_memo_set_init(&s, table, 1);
	unwind_memo_publish(&s, &chain, 55);
	CHECK_EQ(unwind_memo_match(&s, A(10)), 55);
	unwind_memo_set_init(&s, NULL, 1);
	CHECK_EQ(unwind_memo_match(&s, A(10)), 0);
}

static void test_real_stack(void)
{
	register_own_stack();
	level1();
	CHECK(nr_got >= 4);
	/* got[0] is inside level3 (after its call of stack_trace_save). */
	CHECK(got[0] > (unsigned long)level3 && got[0] < (unsigned long)level3 + 256);
	CHECK_EQ(got[1], ret_into_level2);
	CHECK_EQ(got[2], ret_into_level1);
	CHECK(got[3] > (unsigned long)test_real_stack &&
	      got[3] < (unsigned long)test_real_stack + 512);

	/* Skip text covering level3 and level2: starts at level1. */
	stacktrace_set_skip_text((unsigned long)got[0] - 1, (unsigned long)got[0] + 1);
	level1();
	CHECK_EQ(got[0], ret_into_level2);
	stacktrace_set_skip_text(0, 0);
}

int main(void)
{
	RUN(test_good_chain);
	RUN(test_buffer_full_and_skipnr);
	RUN(test_loops);
	RUN(test_misaligned_and_out_of_stack);
	RUN(test_huge_depth);
	RUN(test_stack_switch);
	RUN(test_unregister);
	RUN(test_skip_text);
	RUN(test_stack_edges);
	RUN(test_pac);
	RUN(test_memo);
	RUN(test_memo_set);
	RUN(test_memo_set_without_table);
	RUN(test_real_stack);
	return HTEST_DONE();
}
