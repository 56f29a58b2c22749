// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline file, committed in the firmware's repository (docs/CI.md):
 *
 *   # comments
 *   budget heap_peak_bytes 20480        the most a figure may reach
 *   leak pages 5 20480                  a stack may hold 5 blocks, 20480 bytes
 *    sensor_ring_grow    # apps/sensor.c:40
 *    sensor_log_append   # apps/sensor.c:71
 *    ...                 (innermost first, to app_call; '#' starts a comment)
 *
 * and the comparison of a run with it: the checks of report.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate.h"

static int figure_by_name(const char *name)
{
	for (int f = 0; f < NR_FIGURES; f++)
		if (!strcmp(figure_names[f], name))
			return f;
	return -1;
}

int baseline_load(struct baseline *b, const char *path, bool may_be_missing)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	struct bstack *cur = NULL;

	memset(b, 0, sizeof(*b));
	if (!f) {
		if (errno == ENOENT && may_be_missing)
			return 0;
		fprintf(stderr, "%s: cannot read the baseline %s: %s\n", tool_name, path,
			strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) >= 0) {
		char word[64], kind[16], name[256], *hash = strchr(line, '#');
		unsigned long v, bytes;
		int n;

		lineno++;
		if (hash)
			*hash = '\0';
		if (line[0] == ' ' || line[0] == '\t') {
			if (sscanf(line, "%255s", name) != 1)
				continue;
			if (!cur) {
				fprintf(stderr, "%s:%d: a frame outside a 'leak' entry\n", path, lineno);
				goto fail;
			}
			cur->fns = xrealloc(cur->fns, (cur->nfns + 1) * sizeof(*cur->fns));
			cur->fns[cur->nfns++] = xstrdup(name);
			continue;
		}
		cur = NULL;
		n = sscanf(line, "%63s", word);
		if (n != 1)
			continue;
		if (!strcmp(word, "budget")) {
			int fig;

			if (sscanf(line, "budget %255s %lu %n", name, &v, &n) != 2 ||
			    (fig = figure_by_name(name)) < 0) {
				fprintf(stderr, "%s:%d: expected 'budget <figure> <value>', a figure "
					"being one of heap_peak_bytes, heap_peak_blocks, pages_peak, "
					"heap_bytes, heap_blocks, pages, bad_frees\n", path, lineno);
				goto fail;
			}
			b->budget[fig] = v;
			b->has_budget[fig] = true;
		} else if (!strcmp(word, "leak")) {
			if (sscanf(line, "leak %15s %lu %lu", kind, &v, &bytes) != 3 ||
			    (strcmp(kind, "pages") && strcmp(kind, "objects"))) {
				fprintf(stderr, "%s:%d: expected 'leak pages|objects <count> <bytes>'\n",
					path, lineno);
				goto fail;
			}
			b->stacks = xrealloc(b->stacks, (b->nstacks + 1) * sizeof(*b->stacks));
			cur = &b->stacks[b->nstacks++];
			*cur = (struct bstack){ kind[0] == 'p' ? LEAK_PAGES : LEAK_OBJECTS, v, bytes,
						NULL, 0, false };
		} else {
			fprintf(stderr, "%s:%d: unknown line '%s' (budget, leak, or indented frames)\n",
				path, lineno, word);
			goto fail;
		}
	}
	for (int i = 0; i < b->nstacks; i++)
		if (!b->stacks[i].nfns) {
			fprintf(stderr, "%s: a 'leak' entry without frames\n", path);
			goto fail_closed;
		}
	fclose(f);
	free(line);
	return 0;
fail:
	fclose(f);
fail_closed:
	free(line);
	return -1;
}

int baseline_write(const char *path, const struct run *r, unsigned int headroom)
{
	char *tmp;
	FILE *f;

	if (asprintf(&tmp, "%s.tmp", path) < 0)
		tool_die("out of memory");
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "%s: cannot write %s: %s\n", tool_name, tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fprintf(f, "# ferret leak gate baseline: written by gate --update-baseline (docs/CI.md).\n"
		"#\n"
		"# budget <figure> <n>: the most the figure may reach in the scenario%s.\n"
		"# leak pages|objects <count> <bytes>: what a stack may still hold at the end,\n"
		"# then its functions, innermost first (matched by name; '#' starts a comment).\n\n",
		headroom ? " (measured + headroom)" : "");
	for (int fig = 0; fig < NR_FIGURES; fig++) {
		unsigned long v = r->fig[fig];

		if (fig != FIG_BAD_FREES)
			v += (v * headroom + 99) / 100;
		fprintf(f, "budget %s %lu\n", figure_names[fig], v);
	}
	for (int i = 0; i < r->nstacks; i++) {
		const struct stack *s = &r->stacks[i];

		fprintf(f, "\nleak %s %lu %lu\n", s->kind == LEAK_PAGES ? "pages" : "objects",
			s->count, s->bytes);
		for (int k = 0; k < s->nkey; k++) {
			const struct frame *fr = &s->frames[k];

			fprintf(f, " %-31s", fr->fn);
			if (fr->where || fr->inlined)
				fprintf(f, " # %s%s", fr->where ? fr->where : "",
					fr->inlined ? " (inlined)" : "");
			fputc('\n', f);
		}
	}
	if (fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "%s: cannot write %s: %s\n", tool_name, path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
