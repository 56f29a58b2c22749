// SPDX-License-Identifier: GPL-2.0
/*
 * Console commands of page_owner and the stack depot:
 *   page_owner                  every allocated block, Linux's format
 *   page_owner pfn <pfn>        one page's block: last allocation and free
 *   page_owner_stacks [thresh]  stacks with outstanding pages (show_stacks)
 *   depot                       stack depot and page_owner statistics
 */
#include <ferret/console.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>

static bool page_owner_check_on(void)
{
	if (page_owner_inited)
		return true;
	printk("page_owner is off: boot with page_owner=on on the command line\n");
	return false;
}

static int cmd_page_owner(int argc, char **argv)
{
	struct seq_file m;
	unsigned long pfn;

	if (argc != 1 && !(argc == 3 && !strcmp(argv[1], "pfn")))
		return console_usage(argv[0]);
	if (!page_owner_check_on())
		return -1;
	seq_init_console(&m);
	if (argc == 1) {
		page_owner_dump(&m);
		return 0;
	}
	if (parse_ulong(argv[2], &pfn))
		return -1;
	if (page_owner_dump_pfn(&m, pfn)) {
		printk("page_owner: PFN 0x%lx has no struct page\n", pfn);
		return -1;
	}
	return 0;
}
CONSOLE_CMD("page_owner", "[pfn <pfn>]",
	    "who allocated each block (Linux page_owner format; Ctrl-C stops)", cmd_page_owner);

static int cmd_page_owner_stacks(int argc, char **argv)
{
	unsigned long threshold = 0;
	struct seq_file m;

	if (argc > 2)
		return console_usage(argv[0]);
	if (argc == 2 && parse_ulong(argv[1], &threshold))
		return -1;
	if (!page_owner_check_on())
		return -1;
	seq_init_console(&m);
	page_owner_show_stacks(&m, threshold);
	return 0;
}
CONSOLE_CMD("page_owner_stacks", "[threshold]",
	    "allocation stacks holding at least threshold pages (show_stacks)",
	    cmd_page_owner_stacks);

static int cmd_depot(int argc, char **argv)
{
	struct seq_file m;

	if (argc != 1)
		return console_usage(argv[0]);
	seq_init_console(&m);
	stack_depot_show_stats(&m);
	page_owner_show_stats(&m);
	return 0;
}
CONSOLE_CMD("depot", "", "stack depot and page_owner statistics", cmd_depot);
