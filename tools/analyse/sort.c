// SPDX-License-Identifier: GPL-2.0
/*
 * analyse sort: blocks and pages per stack, or per --cull keys, as Linux's
 * page_owner_sort counts them.
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

int cmd_sort(int argc, char **argv)
{
	struct sortkey cull[MAX_KEYS], sort[MAX_KEYS];
	int ncull = 0, nsort = 0;
	const char *in = NULL, *outpath = NULL, *v;
	unsigned long top = 0;
	struct select sel = { 0 };
	bool show_st = false, show_pid = false, show_tgid = false, show_name = false;
	bool show_order = false;
	struct capture c;
	struct group *g;
	size_t ng;
	FILE *out;

	for (int i = 1; i < argc; i++) {
		if (parse_opt(argc, argv, &i, "--cull", &v))
			ncull = parse_keys(v, cull, true);
		else if (parse_opt(argc, argv, &i, "--sort", &v))
			nsort = parse_keys(v, sort, false);
		else if (!strcmp(argv[i], "-m"))
			nsort = parse_keys("pages,times", sort, false);
		else if (!strcmp(argv[i], "-t"))
			nsort = parse_keys("times,pages", sort, false);
		else if (!strcmp(argv[i], "-a"))
			nsort = parse_keys("alloc_ts", sort, false);
		else if (!strcmp(argv[i], "-p"))
			nsort = parse_keys("pid", sort, false);
		else if (!strcmp(argv[i], "-P"))
			nsort = parse_keys("tgid", sort, false);
		else if (!strcmp(argv[i], "-n"))
			nsort = parse_keys("name", sort, false);
		else if (!strcmp(argv[i], "-s"))
			nsort = parse_keys("stacktrace", sort, false);
		else if (parse_select_opt(argc, argv, &i, &sel))
			;
		else if (parse_opt(argc, argv, &i, "--top", &v))
			top = parse_count(v, "--top");
		else if (parse_opt(argc, argv, &i, "-o", &v))
			outpath = v;
		else if (argv[i][0] == '-' && argv[i][1])
			die("sort: unknown option '%s'", argv[i]);
		else if (in)
			die("sort: one capture only");
		else
			in = argv[i];
	}
	if (!in)
		die("usage: analyse sort [--cull=KEYS] [--sort=KEYS] [-m|-t] [--pid L] [--tgid L] "
		    "[--name L] [--top N] [-o OUT] capture.txt");
	if (!nsort)
		nsort = parse_keys("pages,times", sort, false);

	capture_read(&c, in);
	g = group_records(&c, &sel, ncull ? cull : (struct sortkey[]){ { KEY_STACK, 1 } },
			  ncull ? ncull : 1, &ng);
	cmp_keys = sort;
	cmp_nkeys = nsort;
	qsort(g, ng, sizeof(*g), cmp_groups);

	for (int k = 0; k < ncull; k++) {
		show_st |= cull[k].key == KEY_STACK;
		show_pid |= cull[k].key == KEY_PID;
		show_tgid |= cull[k].key == KEY_TGID;
		show_name |= cull[k].key == KEY_NAME;
		show_order |= cull[k].key == KEY_ORDER;
	}
	out = open_out(outpath);
	for (size_t i = 0; i < ng && (!top || i < top); i++) {
		const struct rec *r = g[i].rep;

		fprintf(out, "%lu times, %lu pages", g[i].times, g[i].pages);
		if (!ncull) {
			fprintf(out, ", allocated by %s:\n%s\n", g[i].comms,
				stacks[r->stack].text);
			continue;
		}
		/* page_owner_sort's --cull format (filters show their field too). */
		if (show_pid || sel.npids)
			fprintf(out, ", PID %d", r->pid);
		if (show_tgid || sel.ntgids)
			fprintf(out, ", TGID %d", r->tgid);
		if (show_name || sel.nnames)
			fprintf(out, ", task_comm_name: %s", r->comm);
		if (show_order)
			fprintf(out, ", order %d", r->order);
		if (show_st)
			fprintf(out, ":\n%s", stacks[r->stack].text);
		fprintf(out, "\n");
	}
	close_out(out, outpath);
	free_groups(g, ng);
	return 0;
}
