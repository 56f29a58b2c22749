// SPDX-License-Identifier: GPL-2.0
/*
 * analyse: read page_owner captures on the host.
 *
 *   analyse sort [--cull=KEYS] [--sort=KEYS] [-m|-t] [--pid L] [--tgid L]
 *                [--name L] [--top N] [-o OUT] capture.txt
 *   analyse diff [--threshold N] [--pid L] [--tgid L] [--name L] [-o OUT]
 *                old.txt new.txt
 *   analyse map  [--by stack|context] [--top N] [--pfn-range A-B] [--cols N]
 *                [--pages-per-cell N] [--no-compress] -o map.svg [--png map.png]
 *                capture.txt
 *
 * Input: the `page_owner` dump (Linux's /sys/kernel/debug/page_owner format,
 * REFERENCE section 1): a "Page allocated via order ..." line, a "PFN ..."
 * line, frame lines that start with a space, a blank line. "\r" is ignored
 * and lines that belong to no record (console noise) are skipped. A
 * `page_owner_stacks` dump (frames, then "nr_base_pages: N") is read too:
 * each entry counts N pages and no blocks.
 *
 * sort  counts blocks ("times") and pages per distinct stack, like Linux's
 *       page_owner_sort --cull=stacktrace, and names the contexts that
 *       allocated them. --cull groups by other keys instead, printing
 *       page_owner_sort's own --cull format.
 * diff  pages per stack in two captures; prints the stacks whose pages
 *       changed, largest growth first.
 * map   draws physical memory: one cell per page (or per 2^n pages), coloured
 *       by the owning stack or context (a colour from the owner's identity),
 *       free or unknown pages grey, empty stretches of RAM compressed into a
 *       band that says so, with a legend that is a top-N table. SVG, and PNG
 *       through libgd.
 *
 * This file is the entry point; each subcommand and what they share lives in
 * tools/analyse/ (analyse.h lists the files).
 */
#include <stdio.h>
#include <string.h>

#include "analyse/analyse.h"

/* ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: analyse sort [--cull=KEYS] [--sort=KEYS] [-m|-t|-a|-p|-P|-n|-s]\n"
		"                    [--pid L] [--tgid L] [--name L] [--top N] [-o OUT] capture.txt\n"
		"       analyse diff [--threshold N] [--pid L] [--tgid L] [--name L] [-o OUT]\n"
		"                    old.txt new.txt\n"
		"       analyse map [--by stack|context] [--top N] [--pfn-range START-END]\n"
		"                   [--cols N] [--pages-per-cell N] [--no-compress]\n"
		"                   -o map.svg [--png map.png] capture.txt\n"
		"\n"
		"cull keys: pid (p), tgid (tg), name (n, context, ctx), stacktrace (st), order (o)\n"
		"sort keys: those, alloc_ts (at), txt (T), times (t), pages (m);\n"
		"           [+|-]key: increasing / decreasing (times and pages default to -)\n"
		"L: comma-separated list. Default: --cull=stacktrace, sorted by pages.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "sort"))
		return cmd_sort(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "map"))
		return cmd_map(argc - 1, argv + 1);
	usage(stderr);
	return 2;
}

