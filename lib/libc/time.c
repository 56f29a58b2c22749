// SPDX-License-Identifier: GPL-2.0
/*
 * Time for the C library, from the system timer (the Arm generic timer):
 * CLOCK_MONOTONIC is the time since boot; CLOCK_REALTIME (time(),
 * gettimeofday()) is the same plus an offset that clock_settime() and
 * settimeofday() set (ferret has no real-time clock: it starts at
 * 1970-01-01T00:00:00Z). usleep(), nanosleep() and sleep() wait on the
 * timer (the console does not run meanwhile).
 */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <ferret/libc_glue.h>

#define NS_PER_SEC	1000000000LL

static long long realtime_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */

static long long clock_ns(clockid_t id)
{
	long long ns = (long long)ferret_clock_ns();

	return id == CLOCK_REALTIME ? ns + realtime_offset_ns : ns;
}

static int clock_ok(clockid_t id)
{
	return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC;
}

int clock_gettime(clockid_t id, struct timespec *tp)
{
	long long ns;

	if (!clock_ok(id)) {
		errno = EINVAL;
		return -1;
	}
	ns = clock_ns(id);
	tp->tv_sec = (time_t)(ns / NS_PER_SEC);
	tp->tv_nsec = (long)(ns % NS_PER_SEC);
	return 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	if (!clock_ok(id)) {
		errno = EINVAL;
		return -1;
	}
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

int clock_settime(clockid_t id, const struct timespec *tp)
{
	if (id != CLOCK_REALTIME || tp->tv_nsec < 0 || tp->tv_nsec >= NS_PER_SEC) {
		errno = EINVAL;
		return -1;
	}
	realtime_offset_ns = (long long)tp->tv_sec * NS_PER_SEC + tp->tv_nsec -
			     (long long)ferret_clock_ns();
	return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	long long ns = clock_ns(CLOCK_REALTIME);

	if (tv) {
		tv->tv_sec = (time_t)(ns / NS_PER_SEC);
		tv->tv_usec = (suseconds_t)(ns % NS_PER_SEC / 1000);
	}
	return 0;
}

int settimeofday(const struct timeval *tv, const struct timezone *tz)
{
	struct timespec ts;

	if (!tv) {
		errno = EINVAL;
		return -1;
	}
	ts.tv_sec = tv->tv_sec;
	ts.tv_nsec = tv->tv_usec * 1000L;
	return clock_settime(CLOCK_REALTIME, &ts);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= NS_PER_SEC) {
		errno = EINVAL;
		return -1;
	}
	ferret_delay_ns((unsigned long long)req->tv_sec * NS_PER_SEC + req->tv_nsec);
	if (rem)
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}

int usleep(useconds_t us)
{
	ferret_delay_ns((unsigned long long)us * 1000);
	return 0;
}

unsigned int sleep(unsigned int seconds)
{
	ferret_delay_ns((unsigned long long)seconds * NS_PER_SEC);
	return 0;
}

/* clock(): processor time, which for ferret is the time since boot. */
clock_t clock(void)
{
	return (clock_t)(ferret_clock_ns() / (NS_PER_SEC / CLOCKS_PER_SEC));
}

int _gettimeofday(struct timeval *tv, void *tz) __attribute__((alias("gettimeofday")));
