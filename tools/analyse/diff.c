// SPDX-License-Identifier: GPL-2.0
/*
 * analyse diff: pages per stack in two captures, the stacks that changed,
 * largest growth first.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyse.h"

struct delta {
	int stack;
	unsigned long pages[2], times[2];
	char *comms;
	long d;
};

static int cmp_delta(const void *pa, const void *pb)
{
	const struct delta *a = pa, *b = pb;

	if (a->d != b->d)
		return a->d > b->d ? -1 : 1;
	return strcmp(stacks[a->stack].text, stacks[b->stack].text);
}

int cmd_diff(int argc, char **argv)
{
	const char *in[2] = { NULL, NULL }, *outpath = NULL, *v;
	unsigned long threshold = 1, total[2] = { 0, 0 };
	struct select sel = { 0 };
	struct capture c[2];
	struct delta *d;
	size_t nd = 0, changed = 0;
	int nin = 0;
	FILE *out;

	for (int i = 1; i < argc; i++) {
		if (parse_opt(argc, argv, &i, "--threshold", &v))
			threshold = parse_count(v, "--threshold");
		else if (parse_select_opt(argc, argv, &i, &sel))
			;
		else if (parse_opt(argc, argv, &i, "-o", &v))
			outpath = v;
		else if (argv[i][0] == '-' && argv[i][1])
			die("diff: unknown option '%s'", argv[i]);
		else if (nin == 2)
			die("diff: two captures only");
		else
			in[nin++] = argv[i];
	}
	if (nin != 2)
		die("usage: analyse diff [--threshold N] [--pid L] [--tgid L] [--name L] "
		    "[-o OUT] old.txt new.txt");

	for (int k = 0; k < 2; k++)
		capture_read(&c[k], in[k]);
	d = calloc(nr_stacks ? nr_stacks : 1, sizeof(*d));
	if (!d)
		die("out of memory");
	for (size_t s = 0; s < nr_stacks; s++)
		d[s].stack = (int)s;
	for (int k = 0; k < 2; k++) {
		size_t ng;
		struct group *g = group_records(&c[k], &sel,
						(struct sortkey[]){ { KEY_STACK, 1 } }, 1, &ng);

		for (size_t i = 0; i < ng; i++) {
			struct delta *e = &d[g[i].rep->stack];

			e->pages[k] = g[i].pages;
			e->times[k] = g[i].times;
			total[k] += g[i].pages;
			if (k == 1 || !e->comms) {
				free(e->comms);
				e->comms = g[i].comms;
				g[i].comms = NULL;
			}
		}
		free_groups(g, ng);
	}
	for (size_t s = 0; s < nr_stacks; s++) {
		long delta = (long)d[s].pages[1] - (long)d[s].pages[0];

		if (delta == 0)
			continue;
		changed++;
		if ((unsigned long)labs(delta) < threshold)
			continue;
		d[nd] = d[s];
		d[nd++].d = delta;
	}
	qsort(d, nd, sizeof(*d), cmp_delta);

	out = open_out(outpath);
	for (size_t i = 0; i < nd; i++)
		fprintf(out, "%+ld pages, %lu -> %lu pages, %lu -> %lu times, allocated by %s:\n%s\n",
			d[i].d, d[i].pages[0], d[i].pages[1], d[i].times[0], d[i].times[1],
			d[i].comms ? d[i].comms : "", stacks[d[i].stack].text);
	fprintf(out, "total: %lu -> %lu pages (%+ld), %zu stacks changed, %zu shown\n", total[0],
		total[1], (long)total[1] - (long)total[0], changed, nd);
	close_out(out, outpath);
	return 0;
}
