// SPDX-License-Identifier: GPL-2.0
/*
 * libcheck: the C library glue checked on the target (docs/APPS.md,
 * docs/PORTING.md: run it first on a new board).
 *
 *	app run libcheck            every check; "libcheck: N passed, N failed"
 *	app run libcheck owners     the C library's own allocations (strdup,
 *	                            asprintf, fopen) in a leak report: boot with
 *	                            slab_owner=on; each names its caller's stack
 *	app run libcheck stdin      read a line with fgets() and echo it
 *	app run libcheck badfree    free() of a stack address and a double free:
 *	                            both refused with a report, and counted
 *	app run libcheck scan       the leak scan from an application: a block it
 *	                            dropped is reported, the ones a local or a
 *	                            static variable holds are not
 *	app run libcheck abort|assert|exit <n>|return <n>
 *	                            end the run each way (the console goes on)
 */
#include <assert.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <ferret/firmware.h>

/* newlib's reentrant allocator, which its library calls (lib/libc/malloc.c). */
struct _reent;
void *_malloc_r(struct _reent *reent, size_t size);
void *_calloc_r(struct _reent *reent, size_t n, size_t size);
void *_realloc_r(struct _reent *reent, void *p, size_t size);
void *_memalign_r(struct _reent *reent, size_t align, size_t size);
void _free_r(struct _reent *reent, void *p);
size_t _malloc_usable_size_r(struct _reent *reent, void *p);

static int passed, failed;

#define CHECK(cond)                                                                   \
	do {                                                                           \
		if (cond) {                                                            \
			passed++;                                                      \
		} else {                                                               \
			failed++;                                                      \
			printf("libcheck: FAIL line %d: %s\n", __LINE__, #cond);       \
		}                                                                      \
	} while (0)

/* Keep the compiler from eliding a malloc()/free() pair it can see through. */
static void *use(void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
	return p;
}

static int aligned16(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static void check_malloc(void)
{
	volatile size_t huge = SIZE_MAX / 2;	/* n * size overflows */
	static const size_t sizes[] = { 0, 1, 8, 24, 40, 56, 100, 200, 1000, 4000, 8192, 70000 };
	void *p, *q;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = malloc(sizes[i]);
		CHECK(p && aligned16(p) && malloc_usable_size(p) >= sizes[i]);
		memset(p, 0xa5, sizes[i]);
		free(p);
	}
	free(NULL);
	p = calloc(10, 12);
	CHECK(p && ((unsigned char *)p)[0] == 0 && ((unsigned char *)p)[119] == 0);
	errno = 0;
	CHECK(calloc(huge, 4) == NULL && errno == ENOMEM);
	p = realloc(p, 1000);
	CHECK(p && ((unsigned char *)p)[119] == 0 && malloc_usable_size(p) >= 1000);
	q = realloc(NULL, 10);
	CHECK(q != NULL);
	free(q);
	free(p);
	p = memalign(64, 100);
	CHECK(p && ((uintptr_t)p & 63) == 0);
	free(p);
	p = aligned_alloc(4096, 4096);
	CHECK(p && ((uintptr_t)p & 4095) == 0);
	free(p);
	CHECK(posix_memalign(&p, 256, 10) == 0 && ((uintptr_t)p & 255) == 0);
	free(p);
	CHECK(posix_memalign(&p, 24, 10) == EINVAL);
	errno = 0;
	CHECK(memalign(48, 10) == NULL && errno == EINVAL);
	p = _malloc_r(NULL, 30);
	CHECK(p && aligned16(p));
	p = _realloc_r(NULL, p, 300);
	CHECK(p && _malloc_usable_size_r(NULL, p) >= 300);
	_free_r(NULL, p);
	p = _calloc_r(NULL, 3, 5);
	CHECK(p && !((char *)p)[14]);
	_free_r(NULL, p);
	p = _memalign_r(NULL, 128, 1);
	CHECK(p && ((uintptr_t)p & 127) == 0);
	_free_r(NULL, p);
}

/* The statistics move by exactly what is asked. */
static void check_stats(void)
{
	struct ferret_heap_stats a, b, c;
	void *p, *q;

	CHECK(ferret_heap_get_stats(NULL, &a) == 0);
	p = use(malloc(100));
	q = use(malloc(3000));
	CHECK(ferret_heap_get_stats(NULL, &b) == 0);
	CHECK(b.current_bytes == a.current_bytes + 3100);
	CHECK(b.current_blocks == a.current_blocks + 2);
	CHECK(b.allocs == a.allocs + 2);
	CHECK(b.peak_bytes >= b.current_bytes);
	free(q);
	free(p);
	CHECK(ferret_heap_get_stats("libcheck", &c) == 0);
	CHECK(c.current_bytes == a.current_bytes && c.frees == a.frees + 2);
	CHECK(c.peak_bytes >= a.current_bytes + 3100);
	CHECK(ferret_heap_reset_peak(NULL) == 0);
	CHECK(ferret_heap_get_stats(NULL, &c) == 0 && c.peak_bytes == c.current_bytes);
	CHECK(c.largest_free_block > 0 && c.free_bytes >= c.largest_free_block);
	CHECK(ferret_heap_get_stats("no-such-app", &c) == -1);
	printf("libcheck: heap %lu bytes in %lu blocks, peak %lu\n", c.current_bytes,
	       c.current_blocks, c.peak_bytes);
}

static void check_strings_and_files(void)
{
	struct ferret_heap_stats a, b;
	char *s, *t;
	FILE *f;

	/*
	 * newlib keeps two things for good once made: its table of streams,
	 * grown by a block of FILEs at the first fopen() that finds no free one,
	 * and the big numbers dtoa() converts floating point with, kept in a
	 * free list for the next conversion (picolibc's tinystdio keeps neither). Let both
	 * exist before counting, so the count is of what these calls leave.
	 */
	f = fopen("/dev/null", "w");
	CHECK(f && fprintf(f, "%05.1f", 3.25) == 5 && fclose(f) == 0);
	ferret_heap_get_stats(NULL, &a);
	s = strdup("ferret");
	CHECK(s && !strcmp(s, "ferret"));
	CHECK(asprintf(&t, "%s-%d-%05.1f", s, 42, 3.25) > 0 && !strcmp(t, "ferret-42-003.2"));
	f = fopen("/dev/null", "w");
	CHECK(f != NULL);
	CHECK(fprintf(f, "%s\n", t) == 16);
	ferret_heap_get_stats(NULL, &b);
	CHECK(b.current_blocks >= a.current_blocks + 3);
	CHECK(fclose(f) == 0);
	free(t);
	free(s);
	CHECK(fopen("/no/such/file", "r") == NULL && errno == ENOENT);
	ferret_heap_get_stats(NULL, &b);
	CHECK(b.current_blocks == a.current_blocks && b.current_bytes == a.current_bytes);
	f = fopen("/dev/console", "w");
	CHECK(f && fputs("libcheck: fopen(/dev/console)\n", f) >= 0 && fclose(f) == 0);
}

static void check_stdio(void)
{
	printf("libcheck: printf %d %s %.2f\n", 7, "seven", 7.0);
	puts("libcheck: puts");
	putchar('l');
	putchar('\n');
	fprintf(stderr, "libcheck: stderr\n");
	fputs("libcheck: stdout\n", stdout);
	CHECK(write(1, "libcheck: write\n", 16) == 16);
	CHECK(isatty(0) && isatty(1) && isatty(2));
}

static void check_time(void)
{
	struct timespec t0, t1, res;
	struct timeval tv;
	time_t now;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
	CHECK(usleep(20000) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0);
	long long us = (t1.tv_sec - t0.tv_sec) * 1000000LL + (t1.tv_nsec - t0.tv_nsec) / 1000;
	CHECK(us >= 20000 && us < 1000000);
	CHECK(nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL) == 0);
	CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_nsec == 1);
	CHECK(clock_settime(CLOCK_REALTIME, &(struct timespec){ .tv_sec = 1700000000 }) == 0);
	now = time(NULL);
	CHECK(now >= 1700000000 && now < 1700000005);
	CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= 1700000000);
	CHECK(clock_gettime(99, &res) == -1 && errno == EINVAL);
	printf("libcheck: usleep(20000) took %lld us\n", us);
}

static void check_heap_trace(void)
{
	static heap_trace_record_t recs[8];
	heap_trace_record_t r;
	void *a, *b, *c;

	CHECK(heap_trace_init_standalone(recs, 8) == ESP_OK);
	CHECK(heap_trace_start(HEAP_TRACE_LEAKS) == ESP_OK);
	a = use(malloc(11));
	b = use(malloc(22));
	c = use(malloc(33));
	free(b);
	CHECK(heap_trace_stop() == ESP_OK);
	CHECK(heap_trace_get_count() == 2);
	CHECK(heap_trace_get(1, &r) == ESP_OK && r.address == c && r.size == 33);
	heap_trace_dump();
	free(a);
	free(c);
	CHECK(heap_trace_stop() == ESP_ERR_INVALID_STATE);
}

static int run_all(void)
{
	check_malloc();
	check_stats();
	check_strings_and_files();
	check_stdio();
	check_time();
	check_heap_trace();
	printf("libcheck: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}

/* Allocations inside the C library, kept past a checkpoint, reported, then freed. */
static __app_site void libcheck_owners(void)
{
	char *s, *t;
	FILE *f;

	ferret_checkpoint("libcheck");
	s = strdup("owned by libcheck_owners");
	if (asprintf(&t, "%s and %d more", s, 2) < 0)
		t = NULL;
	f = fopen("/dev/null", "w");
	ferret_leaks_dump();
	if (f)
		fclose(f);
	free(t);
	free(s);
}

/* Two bugs on purpose, through volatile pointers the compiler cannot see through. */
static void bad_frees(void)
{
	struct ferret_heap_stats a, b;
	char on_stack[32];
	void *volatile not_heap = on_stack + 16;
	void *volatile twice = malloc(40);

	ferret_heap_get_stats(NULL, &a);
	free(not_heap);
	free(twice);
	free(twice);
	ferret_heap_get_stats(NULL, &b);
	printf("libcheck: %lu bad frees refused, %lu blocks held\n", b.bad_frees - a.bad_frees,
	       b.current_blocks);
}

static void *libcheck_kept;	/* a static variable: a root */

/* malloc() whose result is dropped: the block is lost, nothing points to it. */
static __attribute__((noinline, noipa)) uintptr_t lose_block(size_t size)
{
	char *p = calloc(1, size);

	return (uintptr_t)p ^ 0xa5a5a5a5u;	/* only disguised: the scan must not see it */
}

static __attribute__((noinline)) void scan_from_app(void)
{
	char *volatile held = calloc(1, 40);	/* a local variable of this frame */
	uintptr_t lost = lose_block(56);
	long n;

	libcheck_kept = calloc(1, 72);
	n = ferret_kmemleak_scan();
	printf("libcheck: scan: %ld unreferenced; lost %p, held %p, kept %p\n", n,
	       (void *)(lost ^ 0xa5a5a5a5u), (void *)held, libcheck_kept);
	free((void *)(lost ^ 0xa5a5a5a5u));
	free(held);
	free(libcheck_kept);
	libcheck_kept = NULL;
}

static void read_stdin(void)
{
	char line[64];

	printf("libcheck: type a line: ");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin))
		printf("libcheck: read %lu bytes: %s", (unsigned long)strlen(line), line);
	else
		printf("libcheck: end of file\n");
}

static int libcheck_main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	int n = argc > 2 ? atoi(argv[2]) : 0;

	if (!strcmp(what, "all"))
		return run_all();
	if (!strcmp(what, "owners"))
		libcheck_owners();
	else if (!strcmp(what, "stdin"))
		read_stdin();
	else if (!strcmp(what, "badfree"))
		bad_frees();
	else if (!strcmp(what, "scan"))
		scan_from_app();
	else if (!strcmp(what, "abort"))
		abort();
	else if (!strcmp(what, "assert"))
		assert(n == 42);
	else if (!strcmp(what, "exit"))
		exit(n);
	else if (!strcmp(what, "return"))
		return n;
	else
		printf("usage: app run libcheck [all|owners|stdin|badfree|scan|abort|assert <n>|exit <n>|"
		       "return <n>]\n");
	return 0;
}

FERRET_APP(libcheck, .what = "checks the C library glue on the target (app run libcheck)",
	   .main = libcheck_main);
