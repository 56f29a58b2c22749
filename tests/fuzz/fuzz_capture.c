// SPDX-License-Identifier: GPL-2.0
/*
 * The host tools' page_owner capture reader (tools/analyse/capture.c, which
 * `analyse sort`, `diff` and `map` read every input with) and the grouping
 * after it (tools/analyse/group.c), on any bytes: a capture cut anywhere,
 * CRLF, NULs, lines of any length, a comm holding ")" or "), ts", orders out
 * of range. Built as the tools build them (libc, not ferret's lib).
 *
 * Promises: every record names an interned stack; a record's pages are
 * 2^order (or nr_base_pages for a page_owner_stacks entry, order -1); its
 * comm is a C string; grouping by stack keeps every record and every page,
 * one group per distinct stack.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../tools/analyse/analyse.h"
#include "fuzz.h"

static jmp_buf on_die;

/*
 * The tool exits on a fatal error (util.c's die()); linked with
 * --wrap=die, the reader's calls come here and the harness goes on.
 */
void __wrap_die(const char *fmt, ...)
{
	longjmp(on_die, 1);
}

static void check(const struct capture *c)
{
	static const struct sortkey by_stack[] = { { KEY_STACK, 1 } };
	unsigned long pages = 0, gpages = 0, gtimes = 0, blocks = 0;
	struct group *g;
	size_t ng, distinct = 0;
	char *seen;

	for (size_t i = 0; i < c->n; i++) {
		const struct rec *r = &c->recs[i];

		FUZZ_ASSERT(r->stack >= 0 && (size_t)r->stack < nr_stacks);
		FUZZ_ASSERT(memchr(r->comm, '\0', sizeof(r->comm)) != NULL);
		FUZZ_ASSERT(r->order >= -1 && r->order <= 30);
		if (r->blocks)
			FUZZ_ASSERT(r->order >= 0 && r->pages == 1UL << r->order && r->blocks == 1);
		pages += r->pages;
		blocks += r->blocks;
	}
	seen = calloc(nr_stacks + 1, 1);
	for (size_t i = 0; i < c->n; i++)
		if (!seen[c->recs[i].stack]++)
			distinct++;
	free(seen);
	g = group_records(c, NULL, by_stack, 1, &ng);
	FUZZ_ASSERT(ng == distinct);
	for (size_t i = 0; i < ng; i++) {
		gpages += g[i].pages;
		gtimes += g[i].times;
		FUZZ_ASSERT(g[i].comms != NULL);
	}
	FUZZ_ASSERT(gpages == pages && gtimes == blocks);
	free_groups(g, ng);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture c = { 0 };
	char path[64];
	int fd;

	/* An empty input is refused with die() after the reader's buffers exist. */
	if (!size)
		return 0;
	fd = memfd_create("capture", 0);
	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!setjmp(on_die)) {
		capture_read(&c, path);
		check(&c);
	}
	free(c.recs);
	capture_forget_stacks();
	close(fd);
	return 0;
}
