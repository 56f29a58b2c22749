// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP suite "unwind": the frame-record walker on synthetic chains (good and
 * corrupt) in a scratch stack, walk memos (the arm64 comparison loop is
 * assembly: only this suite runs it on synthetic chains), and the kernel's
 * own x29 chain.
 */
#include <ferret/kallsyms.h>
#include <ferret/ktest.h>
#include <ferret/stacktrace.h>
#include <ferret/string.h>

#define WORDS 256
static unsigned long scratch[WORDS] __aligned(16);
/* W(i): word i's address; A(i): the frame pointer whose record sits at word i. */
#define W(i) ((unsigned long)&scratch[i])
#define A(i) (W(i) - ARCH_FRAME_RECORD_OFFSET)

static void rec(unsigned int i, unsigned long next, unsigned long lr)
{
	scratch[i] = next;
	scratch[i + 1] = lr;
}

static bool scratch_on(struct ktest *t)
{
	memset(scratch, 0, sizeof(scratch));
	if (stacktrace_register_stack(W(0), W(WORDS), "ktest")) {
		ktest_fail(t, __FILE__, __LINE__, "no free stack slot");
		return false;
	}
	return true;
}

static void scratch_off(void)
{
	stacktrace_unregister_stack(W(0));
}

static void unwind_synthetic(struct ktest *t)
{
	unsigned long out[8];
	struct unwind_state st;

	if (!scratch_on(t))
		return;
	rec(10, A(20), 0x1000);
	rec(20, A(40), 0x2000);
	rec(40, 0, 0x3000);
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 3);
	KTEST_EXPECT_EQ(t, out[2], 0x3000);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_END);
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 2, 0, &st), 2);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_FULL);
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 2, &st), 1);
	/* Pointer-authentication bits are stripped (64-bit words only have them). */
	if (arch_lr_tagged(~0UL)) {
		rec(40, 0, (unsigned long)0x007f000000003000ULL);
		KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 3);
		KTEST_EXPECT_EQ(t, out[2], 0x3000);
	}
	scratch_off();
}

static void unwind_corrupt(struct ktest *t)
{
	unsigned long out[8];
	struct unwind_state st;

	if (!scratch_on(t))
		return;
	rec(10, A(10), 0x1000);		/* self loop */
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 1);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_ORDER);
	rec(10, A(20), 0x1000);		/* two-record loop */
	rec(20, A(10), 0x2000);
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 2);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_ORDER);
	rec(10, A(20) + 2, 0x1000);	/* misaligned */
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 1);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_ALIGN);
	rec(10, 0x10 - ARCH_FRAME_RECORD_OFFSET, 0x1000);	/* outside every stack: never read */
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 1);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_RANGE);
	rec(10, A(WORDS), 0x1000);	/* past the top */
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 1);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_RANGE);
	for (unsigned int i = 0; i + 2 < WORDS; i += 2)	/* deeper than the cap */
		rec(i, A(i + 2), 0x1000 + i);
	KTEST_EXPECT_EQ(t, unwind_from(A(0), out, 8, 0, &st), 8);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_FULL);
	{
		unsigned long big[STACKTRACE_MAX_DEPTH + 8];

		KTEST_EXPECT_EQ(t, unwind_from(A(0), big, ARRAY_SIZE(big), 0, &st),
				STACKTRACE_MAX_DEPTH);
		KTEST_EXPECT_EQ(t, st.nr_walked, STACKTRACE_MAX_DEPTH);
	}
	scratch_off();
}

/*
 * After a return address into code that keeps no chain (Thumb on AArch32:
 * newlib), the record its fp points at is followed only when its return
 * address follows a call; anything else ends the walk, the frame kept.
 */
static void unwind_foreign(struct ktest *t)
{
	unsigned long out[8], call = (unsigned long)__builtin_return_address(0);
	struct unwind_chain chain;
	struct unwind_state st;

	if (!arch_lr_foreign(1) || !scratch_on(t))
		return;		/* all code keeps the chain here */
	KTEST_EXPECT_TRUE(t, arch_call_return(call));
	KTEST_EXPECT_TRUE(t, !arch_call_return((unsigned long)unwind_foreign + 4));	/* after a push */
	KTEST_EXPECT_TRUE(t, !arch_call_return(0x1000));
	rec(10, A(20), 0x1001);		/* into Thumb code */
	rec(20, A(40), call);		/* a call site: followed */
	rec(40, 0, 0x3000);
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 3);
	KTEST_EXPECT_EQ(t, out[1], call);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_END);
	KTEST_EXPECT_EQ(t, unwind_memo_walk(A(10), out, 8, &chain), 3);
	KTEST_EXPECT_EQ(t, chain.nr, 3);
	rec(20, A(40), 0x40001000);	/* a word that is no return address */
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 1);
	KTEST_EXPECT_EQ(t, out[0], 0x1001);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_FOREIGN);
	KTEST_EXPECT_EQ(t, unwind_memo_walk(A(10), out, 8, &chain), 1);
	KTEST_EXPECT_EQ(t, chain.nr, 0);	/* not remembered */
	rec(10, 0x10 - ARCH_FRAME_RECORD_OFFSET, 0x1001);	/* outside every stack */
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 1);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_FOREIGN);
	rec(10, A(20) + 2, 0x1001);	/* misaligned */
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 0, &st), 1);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_FOREIGN);
	rec(10, A(20), 0x1001);		/* skipped frames end the same way */
	KTEST_EXPECT_EQ(t, unwind_from(A(10), out, 8, 1, &st), 0);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_FOREIGN);
	scratch_off();
}

static struct unwind_memo memo_table[UNWIND_MEMO_WAYS];
static struct unwind_memo_set memo = {
	.table = memo_table, .last = memo_table, .mask = 0, .mru = memo.prefix,
};

static void unwind_memo_cases(struct ktest *t)
{
	struct unwind_chain chain;
	unsigned long out[8], big[STACKTRACE_MAX_DEPTH];

	if (!scratch_on(t))
		return;
	rec(10, A(20), 0x1000);
	rec(20, A(40), 0x2000);
	rec(40, A(60), 0x3000);
	rec(60, 0, 0);			/* terminal record */
	KTEST_EXPECT_EQ(t, unwind_memo_walk(A(10), out, 8, &chain), 3);
	KTEST_EXPECT_EQ(t, chain.nr, 4);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 0);	/* empty */
	unwind_memo_publish(&memo, &chain, 77);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 77);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(20)), 0);	/* another start */
	/* Any word of any record differing, however deep, is a miss. */
	rec(40, A(60), 0x3004);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 0);
	rec(40, A(60), 0x3000);
	rec(60, 0, 0x10);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 0);
	rec(60, 0, 0);
	rec(20, A(42), 0x2000);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 0);
	rec(20, A(40), 0x2000);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 77);
	/* Odd and even record counts (the loop takes two a turn). */
	rec(40, 0, 0);
	KTEST_EXPECT_EQ(t, unwind_memo_walk(A(10), out, 8, &chain), 2);
	KTEST_EXPECT_EQ(t, chain.nr, 3);
	unwind_memo_publish(&memo, &chain, 78);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 78);
	rec(40, 0, 0x1);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 0);
	rec(40, 0, 0);
	/* A write in progress (odd seq) is a miss. */
	memo.mru->seq++;
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 0);
	memo.mru->seq++;
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 78);
	memo.last->seq++;		/* the same for the table memo */
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 0);
	memo.last->seq++;
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 78);
	{
		/* A set with no table (a tracker short of memory) misses, remembers nothing. */
		static struct unwind_memo_set bare;

		unwind_memo_set_init(&bare, NULL, 0);
		KTEST_EXPECT_EQ(t, unwind_memo_match(&bare, A(10)), 0);
		unwind_memo_publish(&bare, &chain, 80);
		KTEST_EXPECT_EQ(t, unwind_memo_match(&bare, A(10)), 0);
	}
	/* Too long to keep: not published, the old chain stays. */
	for (unsigned int i = 100; i < 100 + 2 * (2 * UNWIND_MEMO_RECORDS + 2); i += 2)
		rec(i, A(i + 2), 0x1000 + i);
	rec(100 + 2 * (2 * UNWIND_MEMO_RECORDS + 2), 0, 0);
	unwind_memo_walk(A(100), big, ARRAY_SIZE(big), &chain);
	KTEST_EXPECT_EQ(t, chain.nr, 0);
	unwind_memo_publish(&memo, &chain, 79);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(100)), 0);
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 78);
	/* Unregistering a stack empties every memo. */
	scratch_off();
	KTEST_EXPECT_EQ(t, unwind_memo_match(&memo, A(10)), 0);
}

static unsigned long ret_into_l1, ret_into_l2, got[16];
static unsigned int nr_got;

static __noinline void ktest_unwind_l3(void)
{
	ret_into_l2 = (unsigned long)__builtin_return_address(0);
	nr_got = stack_trace_save(got, ARRAY_SIZE(got), 0);
	barrier();
}

static __noinline void ktest_unwind_l2(void)
{
	ret_into_l1 = (unsigned long)__builtin_return_address(0);
	ktest_unwind_l3();
	barrier();
}

static __noinline void ktest_unwind_l1(void)
{
	ktest_unwind_l2();
	barrier();
}

static void unwind_real_stack(struct ktest *t)
{
	unsigned long size, off;
	const char *name;

	ktest_unwind_l1();
	KTEST_ASSERT_TRUE(t, nr_got >= 4);
	name = kallsyms_lookup(got[0], &size, &off);
	KTEST_EXPECT_TRUE(t, name && !strcmp(name, "ktest_unwind_l3"));
	KTEST_EXPECT_EQ(t, got[1], ret_into_l2);
	KTEST_EXPECT_EQ(t, got[2], ret_into_l1);
	name = kallsyms_lookup(got[3], &size, &off);
	KTEST_EXPECT_TRUE(t, name && !strcmp(name, "unwind_real_stack"));
	/* The walk reaches the boot code's terminal record, not an error. */
	KTEST_EXPECT_TRUE(t, nr_got < ARRAY_SIZE(got));
}

/*
 * The whole chain from here: it ends at the terminal record head.S pushes
 * flush with the top of the boot stack, which is read (one record more than
 * the frames stored) and ends the walk as END, not as out of range. The
 * last frame returns into head.S, the one before it into start_kernel.
 */
static void unwind_to_stack_top(struct ktest *t)
{
	unsigned long all[STACKTRACE_MAX_DEPTH], size, off;
	struct unwind_state st;
	const char *name;
	unsigned int n;

	n = unwind_from((unsigned long)__builtin_frame_address(0), all, ARRAY_SIZE(all), 0, &st);
	KTEST_EXPECT_EQ(t, st.stop, UNWIND_STOP_END);
	KTEST_EXPECT_EQ(t, st.nr_walked, n + 1);
	KTEST_ASSERT_TRUE(t, n >= 3);
	name = kallsyms_lookup(all[n - 2], &size, &off);
	KTEST_EXPECT_TRUE(t, name && !strcmp(name, "start_kernel"));
	/* stack_trace_save_all() starts one frame deeper: its return into here. */
	KTEST_EXPECT_EQ(t, stack_trace_save_all(all, ARRAY_SIZE(all)), n + 1);
}

static const struct ktest_case unwind_cases[] = {
	KTEST_CASE(unwind_synthetic),
	KTEST_CASE(unwind_corrupt),
	KTEST_CASE(unwind_foreign),
	KTEST_CASE(unwind_memo_cases),
	KTEST_CASE(unwind_real_stack),
	KTEST_CASE(unwind_to_stack_top),
};
KTEST_SUITE(unwind, unwind_cases);
