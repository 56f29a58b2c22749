// SPDX-License-Identifier: GPL-2.0
/*
 * gatefw: the leak gate's test firmware (tests/qemu/test_gate.py), a
 * service built with APPS= beside the demo. Each iteration takes a scratch
 * buffer and gives it back (the heap's peak), keeps the last 8 messages
 * (stop() frees them) and, every 4th iteration, a page (the one before it
 * freed). Once per boot it loads a configuration that stays: an allowed
 * leak, through a helper the compiler inlines.
 *
 * The test writes variants of this file: code at the two marks below (a
 * leak, a crash, a bigger peak, functions that move the code) and
 * gatefw_config_load() made noinline (what is inlined changes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ferret/firmware.h>

#define GATEFW_MSGS	8
#define GATEFW_SCRATCH	1024

static char *msgs[GATEFW_MSGS];
static void *page;
static char *config;
static unsigned long iter;

/* @FUNCS@ */

static inline char *gatefw_config_load(void)
{
	char *c = malloc(40);

	if (c)
		strcpy(c, "rate=100 channels=4");
	return c;
}

static __app_site char *gatefw_scratch(size_t n)
{
	return malloc(n);
}

static __app_site char *gatefw_message(unsigned long i)
{
	char *m = malloc(32);

	if (m)
		snprintf(m, 32, "sample %lu", i);
	return m;
}

static __app_site void *gatefw_page(void)
{
	return ferret_alloc_pages(0);
}

static void gatefw_iterate(void)
{
	char *scratch = gatefw_scratch(GATEFW_SCRATCH);
	unsigned int slot = iter % GATEFW_MSGS;

	if (!config)
		config = gatefw_config_load();
	if (scratch) {
		memset(scratch, (int)iter, GATEFW_SCRATCH);
		free(scratch);
	}
	free(msgs[slot]);
	msgs[slot] = gatefw_message(iter);
	if (iter % 4 == 0) {
		ferret_free_pages(page, 0);
		page = gatefw_page();
	}
	/* @ITERATE@ */
	iter++;
}

static void gatefw_stop(void)
{
	for (unsigned int i = 0; i < GATEFW_MSGS; i++) {
		free(msgs[i]);
		msgs[i] = NULL;
	}
	ferret_free_pages(page, 0);
	page = NULL;
	iter = 0;
}
FERRET_APP(gatefw, .what = "the leak gate's test firmware (tests/gate/fw)",
	   .iterate = gatefw_iterate, .stop = gatefw_stop);
