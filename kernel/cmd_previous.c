// SPDX-License-Identifier: GPL-2.0
/*
 * `previous`: what this boot found of the previous one (kept across a warm
 * reset, include/ferret/persist.h), and `previous clear` to drop it. The
 * data itself is read by `page_owner --previous`, `page_owner_stacks
 * --previous`, `leaks --previous` and `dmesg --previous`.
 */
#include <ferret/console.h>
#include <ferret/persist.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

static int cmd_previous(int argc, char **argv)
{
	struct seq_file m;

	seq_init_console(&m);
	if (argc == 1) {
		prev_boot_show(&m);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "clear")) {
		unsigned long bytes = prev_boot_clear();

		seq_printf(&m, "previous boot: dropped, %lu KiB given back to the page allocator\n",
			   bytes >> 10);
		return 0;
	}
	return console_usage(argv[0]);
}
CONSOLE_CMD_PANIC("previous", "[clear]", "the previous boot's kept owner data and log",
		  cmd_previous,
	.args = "(none)\thow the previous boot ended (reboot, crash, watchdog), what\n"
		"\tof it was kept and checked, what was refused and why, its memory\n"
		"clear\tdrop it and give its memory back: the --previous options find\n"
		"\tnothing after this\n"
		"\tRead it with page_owner --previous, page_owner_stacks --previous,\n"
		"\tleaks --previous, dmesg --previous. persist=off keeps nothing",
	.example = "previous\nleaks --previous\nprevious clear");
