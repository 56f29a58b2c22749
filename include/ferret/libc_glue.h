/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The calls the C library glue (lib/libc/, compiled with the C library's
 * headers) makes into the kernel (kernel/app.c, kernel/app_heap.c). Not for
 * applications: they use the C library and <ferret/firmware.h>.
 *
 * Read by both worlds, so only the compiler's own types: no ferret or C
 * library header is included.
 */
#ifndef FERRET_LIBC_GLUE_H
#define FERRET_LIBC_GLUE_H

/*
 * The heap behind malloc(): blocks from kmalloc (or, when large, whole
 * pages), each with a 16-byte header in front that names the application
 * that allocated it, so that its statistics stay exact whoever frees it.
 * Every block is aligned to at least FERRET_HEAP_MIN_ALIGN.
 */
#define FERRET_HEAP_MIN_ALIGN	16
#define FERRET_HEAP_HDR_SIZE	16
/* The largest alignment memalign() and friends accept. */
#define FERRET_HEAP_MAX_ALIGN	(1UL << 20)

/* @align: a power of two (0: FERRET_HEAP_MIN_ALIGN). Return: NULL if no memory. */
void *ferret_heap_alloc(__SIZE_TYPE__ size, __SIZE_TYPE__ align);
/* NULL does nothing; a pointer malloc() never gave is reported and ignored. */
void ferret_heap_free(void *p);
/* realloc(): NULL if no memory (and @p is kept) or @p is not a heap block. */
void *ferret_heap_realloc(void *p, __SIZE_TYPE__ size);
/* The bytes usable at @p (at least what was asked for); 0 for NULL. */
__SIZE_TYPE__ ferret_heap_usable_size(const void *p);

/* Console: write @len bytes (LF becomes CR LF); read one byte, waiting for it. */
void ferret_console_write(const char *buf, __SIZE_TYPE__ len);
int ferret_console_getc(void);

/* Nanoseconds since boot (the system timer); wait @ns (at least). */
unsigned long long ferret_clock_ns(void);
void ferret_delay_ns(unsigned long long ns);

/* How an application's run ended (ferret_app_exit()). */
#define FERRET_EXIT_RETURN	0	/* main() returned */
#define FERRET_EXIT_EXIT	1	/* exit() or _exit() */
#define FERRET_EXIT_ABORT	2	/* abort(), a failed assert() */

/*
 * End the running application: the report (a backtrace for an abort), then
 * back to whoever started it (`app run`, the boot). Outside an application
 * (a service's iterate() is one too) it reports and returns to the console.
 */
void ferret_app_exit(int status, int how) __attribute__((noreturn));

/* The running application's name ("" outside one). */
const char *ferret_app_current(void);

/*
 * The C library side's entry points, found by the kernel through the
 * .ferret_libc section (lib/libc/start.c puts the one instance there).
 */
struct ferret_libc_runtime {
	/* exit(main(argc, argv)): never returns (_exit() ends the run). */
	void (*start)(int (*main)(int, char **), int argc, char **argv);
};

#endif
