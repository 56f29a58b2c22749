// SPDX-License-Identifier: GPL-2.0
/*
 * analyse: reading page_owner and page_owner_stacks captures into records,
 * with every stack interned once.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "../lib/path.h"

/* ------------------------------------------------------------------------
 * Stacks: interned frame text, shared by every capture read, so that the
 * same stack has the same id in two captures.
 * ---------------------------------------------------------------------- */

struct stack *stacks;
size_t nr_stacks;
static size_t stacks_cap;
static int *stack_hash;		/* open addressing: index + 1, 0 empty */
static size_t stack_hash_size;

uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * Frames inside the allocator itself: the map's labels skip them to name the
 * caller (Linux's stacks start in get_page_from_freelist; ferret's already
 * start at the caller).
 */
static bool allocator_frame(const char *fn, size_t n)
{
	static const char *const internal[] = {
		"post_alloc_hook", "prep_new_page", "get_page_from_freelist",
		"__alloc_pages", "__alloc_pages_noprof", "alloc_pages", "alloc_pages_noprof",
		"__alloc_frozen_pages_noprof", "alloc_pages_mpol", "alloc_pages_mpol_noprof",
		"__folio_alloc", "__folio_alloc_noprof", "folio_alloc", "folio_alloc_noprof",
		"__get_free_pages", "__get_free_pages_noprof", "get_zeroed_page",
		"get_zeroed_page_noprof", "alloc_pages_node", "__alloc_pages_node",
		"set_page_owner", "__set_page_owner",
	};

	for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
		if (strlen(internal[i]) == n && !memcmp(internal[i], fn, n))
			return true;
	return false;
}

/* The function name of the first frame that is not the allocator's own. */
static char *stack_top(const char *text)
{
	const char *first = NULL, *line = text;

	while (*line) {
		const char *eol = strchr(line, '\n');
		const char *fn = line;
		size_t n;

		while (*fn == ' ')
			fn++;
		n = strcspn(fn, "+ \n");
		if (!first)
			first = fn;
		if (!allocator_frame(fn, n))
			return xstrndup(fn, n);
		if (!eol)
			break;
		line = eol + 1;
	}
	if (!first)
		return xstrndup("(no stack)", 10);
	return xstrndup(first, strcspn(first, "+ \n"));
}

int stack_intern(const char *text, size_t len)
{
	uint64_t h;
	size_t i;

	if (nr_stacks * 2 >= stack_hash_size) {
		size_t size = stack_hash_size ? stack_hash_size * 2 : 1024;

		free(stack_hash);
		stack_hash = calloc(size, sizeof(*stack_hash));
		if (!stack_hash)
			die("out of memory");
		stack_hash_size = size;
		for (size_t s = 0; s < nr_stacks; s++) {
			i = fnv1a(stacks[s].text, strlen(stacks[s].text)) & (size - 1);
			while (stack_hash[i])
				i = (i + 1) & (size - 1);
			stack_hash[i] = (int)s + 1;
		}
	}
	h = fnv1a(text, len);
	for (i = h & (stack_hash_size - 1); stack_hash[i]; i = (i + 1) & (stack_hash_size - 1)) {
		struct stack *s = &stacks[stack_hash[i] - 1];

		if (strlen(s->text) == len && !memcmp(s->text, text, len))
			return stack_hash[i] - 1;
	}
	if (nr_stacks == stacks_cap) {
		stacks_cap = stacks_cap ? stacks_cap * 2 : 256;
		stacks = xrealloc(stacks, stacks_cap * sizeof(*stacks));
	}
	stacks[nr_stacks].text = xstrndup(text, len);
	stacks[nr_stacks].top = stack_top(stacks[nr_stacks].text);
	stack_hash[i] = (int)nr_stacks + 1;
	return (int)nr_stacks++;
}

void capture_forget_stacks(void)
{
	for (size_t s = 0; s < nr_stacks; s++) {
		free(stacks[s].text);
		free(stacks[s].top);
	}
	free(stacks);
	free(stack_hash);
	stacks = NULL;
	stack_hash = NULL;
	nr_stacks = stacks_cap = stack_hash_size = 0;
}

/* ------------------------------------------------------------------------
 * Records
 * ---------------------------------------------------------------------- */

/* Parse the "Page allocated via order ..." line. Return: true if it is one. */
static bool parse_header(const char *line, struct rec *r)
{
	const char *p, *c, *e;

	if (strncmp(line, "Page allocated via order ", 25))
		return false;
	memset(r, 0, sizeof(*r));
	r->pfn = -1;
	r->order = (int)strtol(line + 25, NULL, 10);
	if (r->order < 0 || r->order > 30)
		return false;
	r->pages = 1UL << r->order;
	r->blocks = 1;
	p = strstr(line, "mask ");
	if (p)
		r->mask = strtoul(p + 5, NULL, 16);
	p = strstr(line, ", pid ");
	if (p)
		r->pid = (int)strtol(p + 6, NULL, 10);
	p = strstr(line, ", tgid ");
	if (p) {
		r->tgid = (int)strtol(p + 7, (char **)&c, 10);
		if (c[0] == ' ' && c[1] == '(') {
			c += 2;
			/* comm may hold anything: it ends at the last "), ts". */
			e = NULL;
			for (p = c; (p = strstr(p, "), ts")); p++)
				e = p;
			if (!e)
				e = c + strcspn(c, ")");
			snprintf(r->comm, sizeof(r->comm), "%.*s", (int)(e - c), c);
			p = strstr(e, "), ts ");
			if (p)
				r->ts = strtoull(p + 6, NULL, 10);
		}
	}
	r->stack = -1;
	return true;
}

static void capture_add(struct capture *c, struct rec *r, const char *frames, size_t len)
{
	r->stack = stack_intern(frames ? frames : "", len);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->recs = xrealloc(c->recs, c->cap * sizeof(*c->recs));
	}
	c->recs[c->n++] = *r;
}

void capture_read(struct capture *c, const char *path)
{
	FILE *f;
	char *line = NULL, *frames = NULL;
	size_t line_cap = 0, flen = 0, fcap = 0;
	struct rec r;
	bool in_rec = false;
	ssize_t n;

	if (path_is_directory(path))
		die("%s is a directory, not a capture", path);
	f = fopen(path, "r");
	if (!f)
		die("cannot read %s: %s", path, strerror(errno));
	memset(c, 0, sizeof(*c));
	c->path = path;
	while ((n = getline(&line, &line_cap, f)) >= 0) {
		/*
		 * Strip "\r" anywhere and the "\n", and NULs (a noisy serial
		 * line): the rest of the reader sees C strings, and two stacks
		 * that differ only past a NUL would intern apart yet print alike.
		 */
		size_t len = 0;

		for (ssize_t i = 0; i < n; i++)
			if (line[i] != '\r' && line[i] != '\n' && line[i] != '\0')
				line[len++] = line[i];
		line[len] = '\0';

		if (line[0] == ' ' && (in_rec || len > 1)) {
			/* A frame: of the record, or of a page_owner_stacks entry. */
			if (!in_rec && flen == 0) {
				memset(&r, 0, sizeof(r));
				r.pfn = -1;
				r.order = -1;
				r.stack = -1;
			}
			if (flen + len + 2 > fcap) {
				fcap = (flen + len + 2) * 2;
				frames = xrealloc(frames, fcap);
			}
			memcpy(frames + flen, line, len);
			flen += len;
			frames[flen++] = '\n';
			continue;
		}
		if (!in_rec && flen && !strncmp(line, "nr_base_pages: ", 15)) {
			r.pages = strtoul(line + 15, NULL, 10);
			r.blocks = 0;
			capture_add(c, &r, frames, flen);
			flen = 0;
			continue;
		}
		if (in_rec && !strncmp(line, "PFN ", 4)) {
			r.pfn = strtoll(line + 4, NULL, 0);
			continue;
		}
		/* Anything else ends a record in progress. */
		if (in_rec)
			capture_add(c, &r, frames, flen);
		in_rec = parse_header(line, &r);
		flen = 0;
	}
	if (ferror(f))
		die("cannot read %s: %s", path, strerror(errno));
	if (in_rec)
		capture_add(c, &r, frames, flen);
	if (ftell(f) == 0)
		die("%s is empty: no page_owner records to read", path);
	if (!c->n)
		fprintf(stderr, "%s: %s holds no page_owner records or page_owner_stacks entries\n",
			prog, path);
	free(line);
	free(frames);
	fclose(f);
}
