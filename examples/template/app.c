// SPDX-License-Identifier: GPL-2.0
/*
 * A template for your application (docs/APPS.md): copy this folder out of
 * the tree, rename `myapp`, and build it into the image with
 *
 *	make APPS=path/to/your/folder
 *
 * Every .c file of the folder is compiled against picolibc; the
 * registration below is all ferret needs: a program (.main, run once by
 * `app run myapp [args]`, or by `app=myapp` on the kernel command line at
 * boot), or a service (below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ferret/firmware.h>

/* A program: argv[0] is the application's name. */
static int myapp_main(int argc, char **argv)
{
	printf("%s: %d argument%s\n", argv[0], argc - 1, argc == 2 ? "" : "s");
	return 0;
}

FERRET_APP(myapp, .what = "template: say what it does in one line", .main = myapp_main);

/*
 * A service instead (`app run myapp [n]`, `app run all`, `app stop myapp`):
 *
 *	static void myapp_iterate(void) { ... one unit of work ... }
 *	static void myapp_stop(void) { ... free all it holds, reset ... }
 *	FERRET_APP(myapp, .what = "...", .iterate = myapp_iterate, .stop = myapp_stop);
 */
