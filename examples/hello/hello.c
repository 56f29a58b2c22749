// SPDX-License-Identifier: GPL-2.0
/*
 * hello: an application that lives outside ferret's tree (docs/APPS.md).
 *
 *	make APPS=examples/hello            (or any folder, several allowed)
 *	make run APPS=examples/hello APPEND="slab_owner=on app=hello"
 *	ferret> app run hello one two
 *
 * It greets its arguments with strings from the C library, keeps a copy of
 * each on a list (malloc, strdup) and gives it all back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ferret/firmware.h>

struct greeting {
	struct greeting *next;
	char *text;
};

static __app_site struct greeting *hello_greet(const char *who)
{
	struct greeting *g = malloc(sizeof(*g));

	if (!g)
		return NULL;
	g->text = strdup(who);
	if (!g->text) {
		free(g);
		return NULL;
	}
	printf("hello, %s (%lu bytes)\n", g->text, (unsigned long)strlen(g->text));
	return g;
}

static int hello_main(int argc, char **argv)
{
	struct greeting *list = NULL, *g;
	struct ferret_heap_stats st;

	for (int i = 1; i < argc || (i == 1 && argc == 1); i++) {
		g = hello_greet(argc > 1 ? argv[i] : "world");
		if (!g)
			return 1;
		g->next = list;
		list = g;
	}
	ferret_heap_get_stats(NULL, &st);
	printf("hello: %lu bytes in %lu blocks held\n", st.current_bytes, st.current_blocks);
	while ((g = list)) {
		list = g->next;
		free(g->text);
		free(g);
	}
	return 0;
}

FERRET_APP(hello, .what = "the out-of-tree example: greets its arguments", .main = hello_main);
