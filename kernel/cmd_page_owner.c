// SPDX-License-Identifier: GPL-2.0
/*
 * Console commands of page_owner and the stack depot:
 *   page_owner                        every allocated block, Linux's format
 *   page_owner pfn <pfn>              one page's block: last allocation and free
 *   page_owner_stacks [threshold] [--format=pprof|folded]
 *                                     stacks with outstanding pages (show_stacks)
 *   checkpoint [name]                 mark this moment (no name: list them)
 *   leaks [since <name>] [threshold] [--format=text|pprof|folded]
 *                                     blocks allocated since a checkpoint, still held
 *   leaks --unreferenced [threshold] [--format=...]
 *                                     what nothing points to (kernel/cmd_kmemleak.c)
 *   depot                             stack depot and page_owner statistics
 *
 * page_owner, page_owner_stacks, checkpoint and leaks also run in the panic
 * console. The crash may have happened with the zone lock held, so there
 * they read without it (page_owner_set_lockless()), and they print through
 * the console's seq_file, which takes no lock either.
 */
#include <ferret/console.h>
#include <ferret/kmemleak.h>
#include <ferret/page_owner.h>
#include <ferret/persist.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>

/* kernel/console.c: true once the panic console runs. */

/* A console seq_file; in the panic console also switch page_owner to lock-free reads. */
static void po_seq_init(struct seq_file *m)
{
	seq_init_console(m);
	if (console_in_panic())
		page_owner_set_lockless(true);
}

static bool page_owner_check_on(struct seq_file *m)
{
	if (page_owner_inited)
		return true;
	if (!IS_ENABLED(CONFIG_PAGE_OWNER))
		seq_puts(m, "page_owner is compiled out (CONFIG_PAGE_OWNER=0)\n");
	else
		seq_puts(m, "page_owner is off: boot with page_owner=on on the command line\n");
	return false;
}

/* "--format=..." into @fmt. Return: 1 if @arg is a format option, 0 if not, -1 if bad. */
static int parse_format(struct seq_file *m, const char *arg, bool text_ok,
			enum page_owner_format *fmt)
{
	static const char opt[] = "--format=";
	const char *v;

	if (strncmp(arg, opt, sizeof(opt) - 1))
		return 0;
	v = arg + sizeof(opt) - 1;
	if (!strcmp(v, "pprof"))
		*fmt = PAGE_OWNER_FMT_PPROF;
	else if (!strcmp(v, "folded"))
		*fmt = PAGE_OWNER_FMT_FOLDED;
	else if (text_ok && !strcmp(v, "text"))
		*fmt = PAGE_OWNER_FMT_TEXT;
	else {
		seq_printf(m, "unknown format '%s': %s\n", v,
			   text_ok ? "text, pprof or folded" : "pprof or folded");
		return -1;
	}
	return 1;
}

/* "<start>-<end>" (numbers as parse_ulong() reads them). */
static int parse_pfn_range(const char *arg, unsigned long *start, unsigned long *end)
{
	char buf[48];
	char *dash;

	if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf) || !(dash = strchr(buf, '-')))
		return -1;
	*dash = '\0';
	if (parse_ulong(buf, start) || parse_ulong(dash + 1, end) || *end < *start)
		return -1;
	return 0;
}

static int cmd_page_owner(int argc, char **argv)
{
	unsigned long pfn, start = 0, end = ~0UL;
	bool stream = false, ranged = false, previous = false, host_symbols = false;
	bool symbols = false;
	u64 since_us = 0;
	const char *since = NULL;
	struct seq_file m;

	po_seq_init(&m);
	if (argc == 3 && !strcmp(argv[1], "pfn")) {
		if (!page_owner_check_on(&m))
			return -1;
		if (parse_ulong(argv[2], &pfn))
			return -1;
		if (page_owner_dump_pfn(&m, pfn)) {
			seq_printf(&m, "page_owner: PFN 0x%lx has no struct page\n", pfn);
			return -1;
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format=stream")) {
			stream = true;
		} else if (!strcmp(argv[i], "--format=text")) {
			stream = false;
		} else if (!strcmp(argv[i], "--symbols=host") || !strcmp(argv[i], "--symbols=kernel")) {
			host_symbols = argv[i][10] == 'h';
			symbols = true;
		} else if (!strcmp(argv[i], "--since") && i + 1 < argc && !since) {
			since = argv[++i];
		} else if (!strcmp(argv[i], "--previous")) {
			previous = true;
		} else if (!strcmp(argv[i], "--pfns") && i + 1 < argc && !ranged) {
			if (parse_pfn_range(argv[++i], &start, &end)) {
				seq_printf(&m, "page_owner: --pfns wants <start>-<end>, not '%s'\n",
					   argv[i]);
				return -1;
			}
			ranged = true;
		} else {
			return console_usage(argv[0]);
		}
	}
	if (previous) {
		if (stream || since || ranged || symbols) {
			seq_puts(&m, "page_owner: --previous prints the text dump only\n");
			return -1;
		}
		return prev_boot_page_owner(&m) < 0 ? -1 : 0;
	}
	if (!page_owner_check_on(&m))
		return -1;
	if (since && page_owner_checkpoint_time(since, &since_us)) {
		seq_printf(&m, "page_owner: no checkpoint called '%s' (checkpoint lists them)\n",
			   since);
		return -1;
	}
	if ((ranged || symbols) && !stream) {
		seq_printf(&m, "page_owner: %s goes with --format=stream\n",
			   ranged ? "--pfns" : "--symbols");
		return -1;
	}
	if (stream)
		page_owner_stream(&m, start, end, since_us, host_symbols);
	else
		page_owner_dump_since(&m, since_us);
	return 0;
}
CONSOLE_CMD_PANIC("page_owner",
		  "[pfn <pfn>] [--format=text|stream] [--since <checkpoint>] [--pfns <a>-<b>] "
		  "[--previous] [--symbols=host|kernel]",
		  "who allocated each block (Linux page_owner format; Ctrl-C stops)",
		  cmd_page_owner,
	.args = "(none)\tevery allocated block: order, gfp, pid, ts, pfn, flags, stack\n"
		"pfn <pfn>\tthe block holding <pfn>: its last allocation and free\n"
		"--format=stream\tthe same dump, compact and checked for slow serial\n"
		"\tlines: decode it with tools/po_decode or capture --stream\n"
		"--since <checkpoint>\tonly blocks allocated or freed after the checkpoint\n"
		"--pfns <a>-<b>\twith --format=stream: only heads in pfns [a, b)\n"
		"--symbols=host\twith --format=stream: frames as addresses, resolved by\n"
		"\tpo_decode --elf / capture --elf from the ELF (its build id must match:\n"
		"\tsee `version`); kernel (default): as text, no ELF needed\n"
		"--previous\tthe blocks the previous boot held when it was reset\n"
		"\t(kept across a warm reset: 'previous' says what was kept)\n"
		"\tNeeds page_owner=on on the kernel command line",
	.example = "page_owner\npage_owner pfn 0x48000\npage_owner --format=stream\n"
		   "page_owner --format=stream --symbols=host\n"
		   "checkpoint c\npage_owner --since c\npage_owner --previous");

/* The reports' arguments, for page_owner_text_stream(). */
struct report_args {
	unsigned long threshold;
	const char *since;
	long ret;
};

static void stacks_text(struct seq_file *m, void *arg)
{
	struct report_args *a = arg;

	a->ret = (long)page_owner_show_stacks(m, a->threshold);
}

static void leaks_text(struct seq_file *m, void *arg)
{
	struct report_args *a = arg;

	a->ret = page_owner_leaks(m, a->since, a->threshold, PAGE_OWNER_FMT_TEXT);
}

static int cmd_page_owner_stacks(int argc, char **argv)
{
	enum page_owner_format fmt = PAGE_OWNER_FMT_TEXT;
	unsigned long threshold = 0;
	bool have_threshold = false, stream = false, previous = false;
	struct seq_file m;

	po_seq_init(&m);
	for (int i = 1; i < argc; i++) {
		int r = strcmp(argv[i], "--format=stream") ? parse_format(&m, argv[i], false, &fmt)
							   : (stream = true);

		if (r < 0)
			return -1;
		if (r)
			continue;
		if (!strcmp(argv[i], "--previous")) {
			previous = true;
			continue;
		}
		if (have_threshold)
			return console_usage(argv[0]);
		if (parse_ulong(argv[i], &threshold))
			return -1;
		have_threshold = true;
	}
	if (previous) {
		if (stream) {
			seq_puts(&m, "page_owner_stacks: --previous with text, pprof or folded\n");
			return -1;
		}
		if (!prev_boot_usable(&m))
			return -1;
		if (fmt == PAGE_OWNER_FMT_TEXT)
			page_owner_show_stacks_from(&owner_source_prev, &m, threshold);
		else
			page_owner_stacks_profile_from(&owner_source_prev, &m, threshold, fmt);
		return 0;
	}
	if (!page_owner_check_on(&m))
		return -1;
	if (stream) {
		struct report_args a = { .threshold = threshold };

		page_owner_text_stream(&m, "stacks", stacks_text, &a);
	} else if (fmt == PAGE_OWNER_FMT_TEXT)
		page_owner_show_stacks(&m, threshold);
	else
		page_owner_stacks_profile(&m, threshold, fmt);
	return 0;
}
CONSOLE_CMD_PANIC("page_owner_stacks", "[threshold] [--format=pprof|folded|stream] [--previous]",
		  "allocation stacks holding at least threshold pages (show_stacks)",
		  cmd_page_owner_stacks,
	.args = "<threshold>\tonly stacks holding at least this many pages (default 1)\n"
		"--format=pprof|folded\tinstead of Linux's show_stacks text: a pprof heap\n"
		"\tprofile (google-pprof) or folded stacks (flamegraph.pl)\n"
		"--format=stream\tthe text, compact and checked (tools/po_decode)\n"
		"--previous\tthe previous boot's stacks, as it held them at its reset",
	.example = "page_owner_stacks 8\npage_owner_stacks --format=folded\n"
		   "page_owner_stacks --previous");

/*
 * The checkpoint that taking a new one named @name drops (the table is full
 * and @name is not in it: the oldest goes), or "": read from the table's
 * listing, oldest first, one "<name> ts ..." line each.
 */
static void checkpoint_to_evict(const char *name, char *out, size_t size)
{
	static char list[PAGE_OWNER_CHECKPOINTS * 48 + 32];
	struct seq_buf_ctx ctx;
	struct seq_file m;
	unsigned int lines = 0;
	const char *p;

	out[0] = '\0';
	seq_init_buf(&m, &ctx, list, sizeof(list));
	page_owner_list_checkpoints(&m);
	for (p = list; *p; lines++) {
		const char *nl = strchr(p, '\n');
		size_t n = 0;

		while (p[n] && p[n] != ' ' && p[n] != '\n')
			n++;
		if (n == strlen(name) && !strncmp(p, name, n)) {
			out[0] = '\0';		/* moved to now, nothing dropped */
			return;
		}
		if (!lines && n < size) {
			memcpy(out, p, n);
			out[n] = '\0';
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (lines < PAGE_OWNER_CHECKPOINTS)
		out[0] = '\0';
}

static int cmd_checkpoint(int argc, char **argv)
{
	char evicted[PAGE_OWNER_CHECKPOINT_NAME];
	struct seq_file m;
	u64 ts;

	if (argc > 2)
		return console_usage(argv[0]);
	po_seq_init(&m);
	if (!page_owner_check_on(&m))
		return -1;
	if (argc == 1) {
		page_owner_list_checkpoints(&m);
		return 0;
	}
	checkpoint_to_evict(argv[1], evicted, sizeof(evicted));
	if (page_owner_checkpoint(argv[1], &ts)) {
		seq_printf(&m, "checkpoint: a name is 1 to %d printable characters\n",
			   PAGE_OWNER_CHECKPOINT_NAME - 1);
		return -1;
	}
	if (evicted[0])
		seq_printf(&m, "checkpoint: the table holds %d: the oldest, '%s', was dropped\n",
			   PAGE_OWNER_CHECKPOINTS, evicted);
	seq_printf(&m, "checkpoint '%s' at ts %llu ns\n", argv[1], (unsigned long long)ts);
	return 0;
}
CONSOLE_CMD_PANIC("checkpoint", "[name]",
		  "mark this moment for leaks (no name: list checkpoints)", cmd_checkpoint,
	.args = "(none)\tlist the checkpoints and their times\n"
		"<name>\tremember now as <name> (printable, no spaces)",
	.example = "checkpoint base\nleaks since base");

static int cmd_leaks(int argc, char **argv)
{
	enum page_owner_format fmt = PAGE_OWNER_FMT_TEXT;
	unsigned long threshold = 0;
	bool have_threshold = false, stream = false, previous = false, unreferenced = false;
	const char *since = NULL;
	struct seq_file m;

	po_seq_init(&m);
	for (int i = 1; i < argc; i++) {
		int r = strcmp(argv[i], "--format=stream") ? parse_format(&m, argv[i], true, &fmt)
							   : (stream = true);

		if (r < 0)
			return -1;
		if (r)
			continue;
		if (!strcmp(argv[i], "since") && i + 1 < argc && !since) {
			since = argv[++i];
			continue;
		}
		if (!strcmp(argv[i], "--previous")) {
			previous = true;
			continue;
		}
		if (!strcmp(argv[i], "--unreferenced")) {
			unreferenced = true;
			continue;
		}
		if (have_threshold)
			return console_usage(argv[0]);
		if (parse_ulong(argv[i], &threshold))
			return -1;
		have_threshold = true;
	}
	if (unreferenced) {
		if (since || stream || previous) {
			seq_puts(&m, "leaks: --unreferenced takes no checkpoint, no stream and no "
				 "--previous: it reports what nothing points to now\n");
			return -1;
		}
		if (console_in_panic()) {
			seq_puts(&m, "leaks: --unreferenced does not run in the panic console\n");
			return -1;
		}
		return kmemleak_leaks(&m, threshold, fmt, KMEMLEAK_CALLER_FRAME()) < 0 ? -1 : 0;
	}
	if (previous) {
		if (stream) {
			seq_puts(&m, "leaks: --previous with text, pprof or folded\n");
			return -1;
		}
		if (!prev_boot_usable(&m))
			return -1;
		if (page_owner_leaks_from(&owner_source_prev, &m, since, threshold, fmt) < 0) {
			seq_printf(&m, "leaks: the previous boot had no checkpoint called '%s'\n",
				   since);
			return -1;
		}
		return 0;
	}
	if (!page_owner_check_on(&m))
		return -1;
	if (stream) {
		struct report_args a = { .threshold = threshold, .since = since };

		page_owner_text_stream(&m, "leaks", leaks_text, &a);
		if (a.ret >= 0)
			return 0;
		seq_printf(&m, "leaks: no checkpoint called '%s' (checkpoint lists them)\n", since);
		return -1;
	}
	if (page_owner_leaks(&m, since, threshold, fmt) < 0) {
		seq_printf(&m, "leaks: no checkpoint called '%s' (checkpoint lists them)\n", since);
		return -1;
	}
	return 0;
}
CONSOLE_CMD_PANIC("leaks",
		  "[since <name>] [threshold] [--format=text|pprof|folded|stream] [--previous] "
		  "[--unreferenced]",
		  "blocks allocated since a checkpoint and still held, per stack",
		  cmd_leaks,
	.args = "since <name>\tcount from checkpoint <name> (default: the last one,\n"
		"\tor boot when there is none)\n"
		"<threshold>\tonly stacks holding at least this many pages (page\n"
		"\tstacks) or objects (object stacks)\n"
		"--format=text|pprof|folded\ttext (default), a pprof heap profile or\n"
		"\tfolded stacks for flamegraph.pl (in bytes once objects are tracked)\n"
		"--format=stream\tthe text, compact and checked (tools/po_decode)\n"
		"--unreferenced\tonly what nothing points to now (the kmemleak scan),\n"
		"\twhatever its age; needs no checkpoint and no page_owner (which adds\n"
		"\tthe stacks)\n"
		"\tkmalloc() objects are counted when slab_owner=on (or slab_debug=U):\n"
		"\tthen their slab pages are not, and a large kmalloc is one object\n"
		"--previous\twhat the previous boot held at its reset (crash, watchdog,\n"
		"\treboot), since its checkpoints: found after a warm reset",
	.example = "checkpoint base\napp run all 140\nleaks since base 2\nleaks --format=pprof\n"
		   "leaks --previous\nleaks --unreferenced");

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
CONSOLE_CMD("depot", "", "stack depot and page_owner statistics", cmd_depot,
	.args = "(none)\tstacks saved, pool use, lookups and page_owner's hook counts",
	.example = "depot");
