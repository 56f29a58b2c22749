// SPDX-License-Identifier: GPL-2.0
/*
 * The `trace` console command: the page allocator's trace events
 * (include/ferret/trace.h, docs/TRACE.md), with the controls of Linux's
 * /sys/kernel/tracing folded into one command.
 *
 *   trace on [event...]          record these events (all without names);
 *                                names: page_ref_set ... test_pages_isolated,
 *                                or page_ref, kmem, page_isolation, all
 *   trace off [event...]         stop recording these (all without names)
 *   trace filter pfn <s> [e]     only events touching pfns [s, e) (e = s + 1)
 *   trace filter off             every pfn again
 *   trace stack on|off           record each event's call stack
 *   trace overwrite on|off       full ring: overwrite the oldest (default)
 *                                or drop new events
 *   trace show                   the ring, as /sys/kernel/tracing/trace
 *   trace stream                 print events as they happen, until Ctrl-C
 *                                (as trace_pipe, without consuming)
 *   trace clear                  empty the ring
 *   trace stats                  counters (as per_cpu/cpu0/stats), settings
 */
#include <ferret/console.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>
#include <ferret/trace.h>
#include <asm/processor.h>

static int parse_events(int argc, char **argv, u32 *mask)
{
	*mask = 0;
	if (argc == 0) {
		*mask = TRACE_EVENTS_ALL;
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		u32 m = trace_event_parse(argv[i]);

		if (!m) {
			printk("trace: unknown event '%s'; events:", argv[i]);
			for (unsigned int e = 0; e < NR_TRACE_EVENTS; e++)
				printk(" %s", trace_event_name(e));
			printk("; groups: page_ref kmem page_isolation all\n");
			return -1;
		}
		*mask |= m;
	}
	return 0;
}

static int parse_on_off(const char *s, bool *on)
{
	if (!strcmp(s, "on") || !strcmp(s, "1")) {
		*on = true;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "0")) {
		*on = false;
		return 0;
	}
	return -1;
}

static void print_enabled(void)
{
	u32 mask = READ_ONCE(trace_event_mask);

	printk("trace: recording");
	for (unsigned int e = 0; e < NR_TRACE_EVENTS; e++)
		if (mask & TEV_BIT(e))
			printk(" %s", trace_event_name(e));
	printk("%s\n", mask ? "" : " nothing");
}

/* Print what arrives until Ctrl-C; idle between polls of the UART. */
static int trace_stream_cmd(void)
{
	struct seq_file m;

	seq_init_console(&m);
	printk("trace: streaming, Ctrl-C stops\n");
	while (!console_interrupted()) {
		if (!trace_stream_read(&m))
			cpu_relax();
	}
	trace_stream_read(&m);
	return 0;
}

static int cmd_trace(int argc, char **argv)
{
	struct seq_file m;
	bool on;
	u32 mask;

	if (argc < 2)
		return console_usage(argv[0]);
	if (!strcmp(argv[1], "on") || !strcmp(argv[1], "off")) {
		if (parse_events(argc - 2, argv + 2, &mask))
			return -1;
		if (argv[1][1] == 'n')
			trace_set_events(trace_event_mask | mask);
		else
			trace_set_events(trace_event_mask & ~mask);
		print_enabled();
		return 0;
	}
	if (!strcmp(argv[1], "filter")) {
		unsigned long start, end;

		if (argc == 3 && !strcmp(argv[2], "off")) {
			trace_filter_clear();
			printk("trace: no pfn filter\n");
			return 0;
		}
		if (argc < 4 || argc > 5 || strcmp(argv[2], "pfn") || parse_ulong(argv[3], &start))
			return console_usage(argv[0]);
		end = start + 1;
		if (argc == 5 && parse_ulong(argv[4], &end))
			return console_usage(argv[0]);
		if (end <= start) {
			printk("trace: filter end 0x%lx is not above start 0x%lx\n", end, start);
			return -1;
		}
		trace_filter_pfn(start, end);
		printk("trace: only events touching pfn 0x%lx-0x%lx\n", start, end - 1);
		return 0;
	}
	if (!strcmp(argv[1], "stack") || !strcmp(argv[1], "overwrite")) {
		if (argc != 3 || parse_on_off(argv[2], &on))
			return console_usage(argv[0]);
		if (argv[1][0] == 's')
			trace_set_stack(on);
		else
			trace_set_overwrite(on);
		printk("trace: %s %s\n", argv[1], on ? "on" : "off");
		return 0;
	}
	if (argc != 2)
		return console_usage(argv[0]);
	seq_init_console(&m);
	if (!strcmp(argv[1], "show")) {
		trace_show(&m);
		return 0;
	}
	if (!strcmp(argv[1], "stream"))
		return trace_stream_cmd();
	if (!strcmp(argv[1], "clear")) {
		trace_clear();
		return 0;
	}
	if (!strcmp(argv[1], "stats")) {
		trace_show_stats(&m);
		return 0;
	}
	return console_usage(argv[0]);
}
CONSOLE_CMD("trace",
	    "on|off [event...] | filter pfn <start> [end] | filter off | stack on|off | "
	    "overwrite on|off | show | stream | clear | stats",
	    "page_ref, kmem and page_isolation trace events (ftrace format)", cmd_trace,
	.args = "on|off [event...]\tstart or stop recording these events (all without names)\n"
		"page_ref|kmem|page_isolation|all\tevent groups, for on and off\n"
		"page_ref_set|page_ref_mod|page_ref_freeze|page_ref_unfreeze\tpage_ref group\n"
		"page_ref_mod_and_test|page_ref_mod_and_return|page_ref_mod_unless\tpage_ref group\n"
		"mm_page_alloc|mm_page_free\tkmem group: the allocator's slow paths\n"
		"test_pages_isolated\tpage_isolation group: contig's checks\n"
		"filter pfn <start> [end]\tonly events touching pfns start..end-1\n"
		"filter off\tevery pfn again\n"
		"stack on|off\trecord each event's call stack\n"
		"overwrite on|off\ta full ring drops the oldest (on) or the new events\n"
		"show\tprint the ring in ftrace's format\n"
		"stream\tprint events as they happen, until Ctrl-C\n"
		"clear\tempty the ring\n"
		"stats\tevents recorded, overwritten and dropped",
	.example = "trace on page_ref\nget 0x48000\ntrace show");
