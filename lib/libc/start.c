// SPDX-License-Identifier: GPL-2.0
/*
 * The C library's runtime for applications: how a program starts and ends.
 *
 * `app run <program>` calls start() (through the .ferret_libc section,
 * kernel/app.c), which does what crt0 does on a hosted system: exit(main()).
 * exit() runs the atexit() handlers and flushes stdio, then _exit() hands
 * the status to ferret_app_exit(), which reports and returns to the console.
 * abort() (also what a failed assert() calls, after printing the assertion)
 * reports with a backtrace. Nothing here returns to the application.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <ferret/libc_glue.h>

/* True between main()'s return and _exit(): exit() was the runtime's, not the app's. */
static int returned;

static void start(int (*main)(int, char **), int argc, char **argv)
{
	int status;

	returned = 0;
	status = main(argc, argv);
	returned = 1;
	exit(status);
}

static const struct ferret_libc_runtime runtime
	__attribute__((used, section(".ferret_libc"))) = {
	.start = start,
};

void _exit(int status)
{
	int how = returned ? FERRET_EXIT_RETURN : FERRET_EXIT_EXIT;

	returned = 0;
	ferret_app_exit(status, how);
}

void _Exit(int status)
{
	_exit(status);
}

void abort(void)
{
	fflush(stdout);
	returned = 0;
	ferret_app_exit(134, FERRET_EXIT_ABORT);	/* 128 + SIGABRT, as a shell says */
}

/* Static destructors are not run at each application's exit (docs/APPS.md). */
void __libc_fini_array(void)
{
}
