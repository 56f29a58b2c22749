/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Applications: firmware code compiled against the C library (picolibc on
 * AArch64) and linked into the image. docs/APPS.md tells how to write, build,
 * run and debug one.
 *
 * An application registers itself with FERRET_APP() in one of its C files;
 * the registration goes into a linker section (.ferret_apps.<name>, sorted by
 * name like the console commands), so there is no central list to edit:
 *
 *	#include <ferret/app.h>
 *
 *	static int hello_main(int argc, char **argv)
 *	{
 *		printf("hello from %s\n", argv[0]);
 *		return 0;
 *	}
 *	FERRET_APP(hello, .what = "says hello", .main = hello_main);
 *
 * Two shapes, one or both per application:
 *  - a program (.main): `app run <name> [args...]` (or `app=<name>` on the
 *    kernel command line) calls main(argc, argv) once, argv[0] being the
 *    name. Returning from main, exit(), abort() and a failed assert() all end
 *    the run with a report and return to the console.
 *  - a service (.iterate, .stop): `app run <name|all> [n]` calls iterate() n
 *    times (all services interleaved, one iteration each in turn, as a
 *    scheduler would); `app stop` calls stop(), which frees what the service
 *    holds and resets it to its state after boot.
 *
 * Each application runs in its own execution context: its name is the comm
 * (and pid) of every page and object owner record it makes, and its heap
 * statistics are its own (<ferret/firmware.h>).
 *
 * This header is read both by applications (with the C library's headers)
 * and by the kernel (freestanding): it includes nothing.
 */
#ifndef FERRET_APP_H
#define FERRET_APP_H

/* Names: 1 to 15 characters (the context's comm), letters, digits, '_' and '-'. */
#define FERRET_APP_NAME_MAX	15
/* Applications one image can hold. */
#define FERRET_MAX_APPS		32

struct ferret_app {
	const char *name;
	const char *what;				/* one line for `app list` */
	int (*main)(int argc, char **argv);		/* a program; may be NULL */
	void (*iterate)(void);				/* a service: one unit of work */
	void (*stop)(void);				/* a service: free all, reset */
	/* Optional: a service's own counters for the run summary, one line. */
	void (*summary)(char *buf, unsigned long size);
} __attribute__((aligned(8)));	/* a multiple of the sections' alignment: the table is an array */
/*
 * FERRET_APP(name, .field = value, ...) - register an application called
 * @name (a C identifier; it is also the name typed at the console).
 */
#define FERRET_APP(app_name, ...)                                                   \
	static const struct ferret_app __ferret_app_##app_name                      \
		__attribute__((used, section(".ferret_apps." #app_name), aligned(8))) = { \
			.name = #app_name, __VA_ARGS__                               \
		}

/*
 * Allocation sites worth their own frame in owner stacks: never inlined,
 * cloned or merged with an identical twin (GCC's ICF), so each keeps its
 * name on the page_owner and slab_owner stacks.
 */
#define __app_site	__attribute__((noinline, noclone, no_icf))

#endif
