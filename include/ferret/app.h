/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Demo applications (apps/): small subsystems that allocate and free pages
 * the way firmware does, each in its own execution context, so page_owner,
 * `leaks` and the host tools have something real to look at.
 *
 * An app is driven one iteration at a time by the `app` console command
 * (apps/app.c). Everything an app allocates it must either track, so that
 * stop() can free it, or leak on purpose (only the sensor app does, and
 * docs/TOOLS.md gives the exact formula).
 */
#ifndef FERRET_APP_H
#define FERRET_APP_H

#include <ferret/compiler.h>
#include <ferret/types.h>

struct page;

/*
 * Allocation sites of the demo apps: never inlined, cloned or merged with
 * an identical twin (GCC's ICF), so each keeps its own name and frame on
 * the page_owner stacks.
 */
#define __app_site	__attribute__((noinline, noclone, no_icf))

struct app_stats {
	unsigned long iterations;	/* since boot or the last stop */
	unsigned long allocs;		/* blocks allocated */
	unsigned long frees;		/* blocks freed */
	unsigned long failures;		/* alloc_pages() returned NULL */
	unsigned long held;		/* pages the app holds (and can free) */
};

struct app {
	const char *name;	/* also the context's comm */
	const char *what;	/* one line for `app list` */
	/* One unit of work: a poll, a request, a sample period. */
	void (*iterate)(struct app *app);
	/* Free everything held; reset to the state after boot. */
	void (*stop)(struct app *app);
	/* Optional: app-specific counters for the run summary, one line. */
	void (*summary)(struct app *app, char *buf, size_t size);
	struct app_stats stats;
	int pid;		/* execution context, -1 until registered */
};

/* Bookkeeping for an app's allocation sites (call in the app's context). */
static inline void app_note_alloc(struct app *app, struct page *page, unsigned int order)
{
	if (page) {
		app->stats.allocs++;
		app->stats.held += 1UL << order;
	} else {
		app->stats.failures++;
	}
}

static inline void app_note_free(struct app *app, unsigned int order)
{
	app->stats.frees++;
	app->stats.held -= 1UL << order;
}

/*
 * app_rand - the app's deterministic pseudo-random stream (xorshift32).
 * @state: the app's seed; reset by stop() so every run after a stop
 *         repeats the same sequence.
 */
static inline u32 app_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

extern struct app netrx_app;
extern struct app blkcache_app;
extern struct app httpd_app;
extern struct app sensor_app;

#endif
