/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console commands register themselves from any file with CONSOLE_CMD().
 * Each lands in section .console_cmds.<name>; linker.ld sorts the sections by
 * name, so the table between __console_cmds_start and __console_cmds_end is
 * in alphabetical order and `help` lists it as is.
 *
 * The registration carries the command's whole manual, so it stays next to
 * the code it describes:
 *
 *	CONSOLE_CMD("leaks", "[since <name>] [threshold] [--format=text|pprof|folded]",
 *		    "pages allocated after a checkpoint and still held", cmd_leaks,
 *		    .args = "since <name>\tcount from checkpoint <name> (default: the last)\n"
 *			    "--format=text|pprof|folded\ttext, pprof heap profile or folded stacks",
 *		    .example = "checkpoint base\nleaks --format=folded");
 *
 * .args has one line per argument or option: what to type, a tab, what it
 * does. `help <name>` and `<name> --help` print usage, help, the .args table
 * and the examples. Tab completion offers the literal words of .args: the
 * first word of each line when it starts with a lower-case letter or '-' (a
 * <placeholder> or "(none)" does not), split at '|', with a "--opt=" prefix
 * kept for each value ("--format=text", "--format=pprof").
 */
#ifndef FERRET_CONSOLE_H
#define FERRET_CONSOLE_H

#include <ferret/types.h>
#include <ferret/compiler.h>

struct console_cmd {
	const char *name;
	const char *usage;	/* arguments, e.g. "<order> [count] [gfp]" */
	const char *help;	/* one line */
	int (*fn)(int argc, char **argv);
	bool panic_safe;	/* offered by the panic console too */
	const char *args;	/* "option\twhat it does" lines, '\n' between */
	const char *example;	/* example command lines, '\n' between */
} __aligned(8);	/* a multiple of the sections' alignment: the table is an array */
#define __CONSOLE_CMD(cname, cusage, chelp, cfn, psafe, ...)                         \
	static const struct console_cmd __console_cmd_##cfn __used                  \
		__section(".console_cmds." cname) __aligned(8) = {                   \
			.name = cname, .usage = cusage, .help = chelp, .fn = cfn,    \
			.panic_safe = psafe, __VA_ARGS__                             \
		}

/* The optional trailing arguments are designated initializers: .args, .example. */
#define CONSOLE_CMD(name, usage, help, fn, ...) \
	__CONSOLE_CMD(name, usage, help, fn, false, __VA_ARGS__)
#define CONSOLE_CMD_PANIC(name, usage, help, fn, ...) \
	__CONSOLE_CMD(name, usage, help, fn, true, __VA_ARGS__)

/* Print "usage: <name> <usage>" and "'<name> --help' ..." for a command; returns -1. */
int console_usage(const char *name);

/*
 * Poll the UART for Ctrl-C without blocking. Long-running commands call this
 * at their check points and stop when it returns true; the flag stays set
 * until the next prompt.
 */
bool console_interrupted(void);
/* The core that reads the console (kernel/printk.c): 0, or the panic console's. */
extern unsigned int console_cpu;

/*
 * The next byte typed, waiting for one: bytes typed ahead (while a command or
 * an application ran) come first, in order. For applications' stdin.
 */
int console_read_char(void);

/* Parse helpers: return 0 on success, -1 (and print an error) on bad input. */
int parse_ulong(const char *s, unsigned long *out);

/* True once a crash report has handed the CPU to the panic console. */
bool console_in_panic(void);

void console_run(void) __noreturn;
void panic_console_run(void) __noreturn;
int console_execute(char *line);

#endif
