/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console commands register themselves from any file with CONSOLE_CMD().
 * Each lands in section .console_cmds.<name>; linker.ld sorts the sections by
 * name, so the table between __console_cmds_start and __console_cmds_end is
 * in alphabetical order and `help` lists it as is.
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
};

#define __CONSOLE_CMD(cname, cusage, chelp, cfn, psafe)                              \
	static const struct console_cmd __console_cmd_##cfn __used                  \
		__section(".console_cmds." cname) __aligned(8) = {                   \
			.name = cname, .usage = cusage, .help = chelp, .fn = cfn,    \
			.panic_safe = psafe,                                         \
		}

#define CONSOLE_CMD(name, usage, help, fn)       __CONSOLE_CMD(name, usage, help, fn, false)
#define CONSOLE_CMD_PANIC(name, usage, help, fn) __CONSOLE_CMD(name, usage, help, fn, true)

/* Print "usage: <name> <usage>" for the command being run; returns -1. */
int console_usage(const char *name);

/*
 * Poll the UART for Ctrl-C without blocking. Long-running commands call this
 * at their check points and stop when it returns true; the flag stays set
 * until the next prompt.
 */
bool console_interrupted(void);

/* Parse helpers: return 0 on success, -1 (and print an error) on bad input. */
int parse_ulong(const char *s, unsigned long *out);

/* True once a crash report has handed the CPU to the panic console. */
bool console_in_panic(void);

void console_run(void) __noreturn;
void panic_console_run(void) __noreturn;
int console_execute(char *line);

#endif
