// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of mm/owner_track.c: the owner records' clock on a counter this
 * test provides (the kernel's is the arch timer; the host has none, so the
 * other host tests run the ktime_get_ns() path), and the placeholder stack
 * of records whose own stack could not be walked.
 *
 * The clock's figures are exact: the origin is the counter at ktime 0, the
 * multiplier 2^64 * 10^6 / freq rounded up (computed here independently, for
 * the counters of QEMU virt, the Raspberry Pi 3, a 1 GHz Armv8.6 timer and
 * either side of the 1 MHz floor), and times at and one tick before whole
 * microseconds.
 */
#include <string.h>

#include <ferret/kallsyms.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>

#include "../../mm/owner_track.h"
#include "host_kernel.h"
#include "htest.h"

/* The counter: these replace mm/owner_track.c's weak "no counter". */
static u64 fake_counter, fake_freq;

u64 arch_counter_read(void)
{
	return fake_counter;
}

u64 arch_timer_freq(void)
{
	return fake_freq;
}

static void clock_at(u64 freq, u64 counter, u64 ktime_ns)
{
	owner_clock = (struct owner_clock){ 0, 0 };
	fake_freq = freq;
	fake_counter = counter;
	host_fake_time_ns = ktime_ns;
	owner_clock_init();
}

/* now_us() with the counter @ticks past the origin. */
static u64 us_after(u64 ticks)
{
	fake_counter = owner_clock.origin + ticks;
	return now_us();
}

static void test_no_counter(void)
{
	clock_at(0, 123456789, 7000123456ULL);
	CHECK_EQ(owner_clock.mult, 0);
	CHECK_EQ(owner_clock.origin, 0);
	CHECK_EQ(now_us(), 7000123);		/* ktime_get_ns() / 1000 */
	fake_counter = 999999999;		/* the counter is not read */
	host_fake_time_ns = 7000124999ULL;
	CHECK_EQ(now_us(), 7000124);
	host_fake_time_ns = 0;
}

/* QEMU virt: 62.5 MHz, 62.5 ticks a microsecond. */
static void test_62_5_mhz(void)
{
	/* 2.000000016 s in: 125000001 ticks since ktime 0, exactly. */
	clock_at(62500000, 5000000000ULL, 2000000016ULL);
	CHECK_EQ(owner_clock.origin, 5000000000ULL - 125000001);
	CHECK_EQ(owner_clock.mult, 295147905179352826ULL);
	/* The kernel's time read back through the counter: 2000000 us. */
	CHECK_EQ(now_us(), 2000000);

	CHECK_EQ(us_after(0), 0);
	CHECK_EQ(us_after(62), 0);
	CHECK_EQ(us_after(63), 1);
	CHECK_EQ(us_after(125), 2);
	CHECK_EQ(us_after(3 * 62500000ULL - 1), 2999999);
	CHECK_EQ(us_after(3 * 62500000ULL), 3000000);
	CHECK_EQ(us_after(3600ULL * 62500000), 3600000000ULL);
	host_fake_time_ns = 0;
}

/* The Raspberry Pi 3: 19.2 MHz; an origin that is not a whole tick. */
static void test_19_2_mhz(void)
{
	/* 1234.567890123 s: 23703703490.3616 ticks, rounded down. */
	clock_at(19200000, 30000000000ULL, 1234567890123ULL);
	CHECK_EQ(owner_clock.origin, 30000000000ULL - 23703703490ULL);
	CHECK_EQ(owner_clock.mult, 960767920505705814ULL);
	CHECK_EQ(now_us(), 1234567890);
	CHECK_EQ(us_after(96), 5);
	CHECK_EQ(us_after(95), 4);
	CHECK_EQ(us_after(19200000ULL * 86400), 86400000000ULL);
	host_fake_time_ns = 0;
}

/* A 1 GHz counter (Armv8.6 and later): 1000 ticks a microsecond. */
static void test_1_ghz(void)
{
	clock_at(1000000000, 1077, 1000);	/* 1 us in */
	CHECK_EQ(owner_clock.origin, 77);
	CHECK_EQ(owner_clock.mult, 18446744073709552ULL);
	CHECK_EQ(us_after(999), 0);
	CHECK_EQ(us_after(1000), 1);
	CHECK_EQ(us_after(1000000000ULL * 3600 * 24 * 30), 2592000000000ULL);
	host_fake_time_ns = 0;
}

/*
 * At 1 MHz the multiplier would be 2^64: it is 2^64 - 1, a tick's error;
 * slower counters are taken as 1 MHz. Just above, the exact rounded-up value.
 */
static void test_1_mhz_floor(void)
{
	clock_at(1000000, 10000000, 3000000000ULL);
	CHECK_EQ(owner_clock.origin, 10000000 - 3000000);
	CHECK_EQ(owner_clock.mult, ~0ULL);
	CHECK_EQ(us_after(0), 0);
	CHECK_EQ(us_after(5000000), 4999999);	/* within the tick */

	clock_at(999999, 10000000, 3000000000ULL);
	CHECK_EQ(owner_clock.origin, 10000000 - 2999997);
	CHECK_EQ(owner_clock.mult, ~0ULL);

	clock_at(1000001, 10000000, 3000000000ULL);
	CHECK_EQ(owner_clock.origin, 10000000 - 3000003);
	CHECK_EQ(owner_clock.mult, 18446725626983924633ULL);
	CHECK_EQ(us_after(1000001), 1000000);
	CHECK_EQ(us_after(1000000), 999999);
	host_fake_time_ns = 0;
}

/*
 * The rounding up where it is closest: 1,055,253 Hz (3 * 351751) divides
 * 10^6 * 2^64 - 1, the numerator the division takes, so the quotient is
 * exact there and the + 1 alone rounds up (the multiplier of any one less
 * would be one less).
 */
static void test_exact_divisor(void)
{
	clock_at(1055253, 0, 0);
	CHECK_EQ(owner_clock.mult, 17480873377009638084ULL);	/* ceil(2^64 * 10^6 / f) */
	CHECK_EQ(us_after(1055253), 1000000);
	CHECK_EQ(us_after(1055252), 999999);
	host_fake_time_ns = 0;
}

/* Twice is once; and times stop at the 44 bits a record holds. */
static void test_idempotent_and_clamped(void)
{
	struct owner_clock first;

	clock_at(62500000, 5000000000ULL, 2000000016ULL);
	first = owner_clock;
	owner_clock_init();
	CHECK_EQ(owner_clock.origin, first.origin);
	CHECK_EQ(owner_clock.mult, first.mult);

	/* 62.5 ticks a microsecond: MAX + 0.008 us, MAX - 0.992 us, MAX + 1 us. */
	CHECK_EQ(us_after((OWNER_TS_MAX_US * 125 + 1) / 2), OWNER_TS_MAX_US);
	CHECK_EQ(us_after((OWNER_TS_MAX_US * 125 + 1) / 2 - 63), OWNER_TS_MAX_US - 1);
	CHECK_EQ(us_after((OWNER_TS_MAX_US + 1) * 125 / 2), OWNER_TS_MAX_US);
	CHECK_EQ(us_after(~0ULL), OWNER_TS_MAX_US);
	host_fake_time_ns = 0;
}

static __noinline depot_stack_handle_t failure_caller(void)
{
	depot_stack_handle_t h = owner_failure_stack();

	__asm__ volatile("" ::: "memory");	/* not a tail call */
	return h;
}

/* A pc inside function @fn (by this binary's symbols). */
static bool in_function(unsigned long pc, const char *fn)
{
	for (size_t i = 0; i < host_nr_syms; i++)
		if (pc >= host_syms[i].addr && pc < host_syms[i].addr + host_syms[i].size)
			return !strcmp(host_syms[i].name, fn);
	return false;
}

/*
 * No stack to walk (this thread's is not registered yet): the placeholder is
 * the one frame owner_failure_stack itself, the same handle every time.
 */
static void test_failure_stack_unwalkable(void)
{
	unsigned long e[OWNER_STACK_DEPTH + 1];
	depot_stack_handle_t h = failure_caller();

	CHECK(h != 0 && h != STACK_DEPOT_HANDLE_FULL);
	CHECK_EQ(stack_depot_fetch(h, e, OWNER_STACK_DEPTH + 1), 1);
	CHECK_EQ(e[0], (unsigned long)owner_failure_stack);
	CHECK_EQ(failure_caller(), h);
}

/* A walkable stack: the walk from owner_failure_stack, through its caller. */
static void test_failure_stack_walked(void)
{
	unsigned long e[OWNER_STACK_DEPTH + 1];
	depot_stack_handle_t h;
	unsigned int nr;

	host_track_stacks();
	h = failure_caller();
	CHECK(h != 0 && h != STACK_DEPOT_HANDLE_FULL);
	nr = stack_depot_fetch(h, e, OWNER_STACK_DEPTH + 1);
	CHECK(nr >= 3);
	CHECK(nr <= OWNER_STACK_DEPTH);
	CHECK(nr >= 2 && in_function(e[0], "owner_failure_stack"));
	CHECK(nr >= 2 && in_function(e[1], "failure_caller"));
	for (unsigned int i = 0; i < nr && htest_case_failed; i++) {
		unsigned long size, off;
		const char *name = kallsyms_lookup(e[i], &size, &off);

		printf("# %u 0x%lx %s+0x%lx\n", i, e[i], name ? name : "?", off);
	}
}

int main(void)
{
	host_quiet = true;
	RUN(test_no_counter);
	RUN(test_62_5_mhz);
	RUN(test_19_2_mhz);
	RUN(test_1_ghz);
	RUN(test_1_mhz_floor);
	RUN(test_exact_divisor);
	RUN(test_idempotent_and_clamped);
	RUN(test_failure_stack_unwalkable);
	RUN(test_failure_stack_walked);
	return HTEST_DONE();
}
