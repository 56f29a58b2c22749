// SPDX-License-Identifier: GPL-2.0
/*
 * flamegraph: folded stacks to an SVG flame graph.
 *
 *   flamegraph [--title T] [--countname UNITS] [--width PX] [-o OUT] [folded.txt]
 *
 * Input: one stack a line, "outer;...;inner COUNT", as `leaks --format=folded`
 * and `page_owner_stacks --format=folded` print them (and Linux's perf and
 * Brendan Gregg's stackcollapse scripts). Lines for the same stack add up.
 *
 * Output: the usual picture: the root ("all") at the bottom, each frame a box
 * above its caller, as wide as its share of the total, callees of a frame in
 * name order, left to right. A box's colour is a warm hue from a hash of its
 * function's name, so a function has the same colour in every graph; its
 * <title> (shown on hover) says its count and share. Boxes narrower than
 * 0.1 pixel are left out; names are cut with ".." to fit their box.
 *
 * Debian packages no flame graph renderer, hence this one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/path.h"

struct node {
	char *name;
	unsigned long long count;
	struct node **kids;
	size_t nkids, cap;
};

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;

	fputs("flamegraph: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xalloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static struct node *child(struct node *n, const char *name, size_t len)
{
	struct node *k;

	for (size_t i = 0; i < n->nkids; i++)
		if (strlen(n->kids[i]->name) == len && !memcmp(n->kids[i]->name, name, len))
			return n->kids[i];
	if (n->nkids == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 4;
		n->kids = xalloc(n->kids, n->cap * sizeof(*n->kids));
	}
	k = xalloc(NULL, sizeof(*k));
	memset(k, 0, sizeof(*k));
	k->name = xalloc(NULL, len + 1);
	memcpy(k->name, name, len);
	k->name[len] = '\0';
	n->kids[n->nkids++] = k;
	return k;
}

/* One "a;b;c N" line into the tree. Return: false if it is not one. */
static bool add_line(struct node *root, char *line)
{
	char *sp = strrchr(line, ' '), *end, *p;
	unsigned long long count;
	struct node *n = root;

	if (!sp || sp == line)
		return false;
	errno = 0;
	count = strtoull(sp + 1, &end, 10);
	if (errno || end == sp + 1 || *end || sp[1] == '-')
		return false;
	*sp = '\0';
	root->count += count;
	for (p = line; *p;) {
		size_t len = strcspn(p, ";");

		if (len) {
			n = child(n, p, len);
			n->count += count;
		}
		p += len;
		if (*p == ';')
			p++;
	}
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(struct node *const *)a)->name, (*(struct node *const *)b)->name);
}

static int depth(struct node *n)
{
	int d = 0;

	qsort(n->kids, n->nkids, sizeof(*n->kids), cmp_name);
	for (size_t i = 0; i < n->nkids; i++) {
		int k = depth(n->kids[i]);

		if (k > d)
			d = k;
	}
	return d + 1;
}

static void xml(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)s[i] < 0x20)
				fputc('?', f);
			else
				fputc(s[i], f);
		}
	}
}

/* A warm colour (red to yellow) from the function's name. */
static uint32_t color(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned int r, g, b;

	for (; *name; name++) {
		h ^= (unsigned char)*name;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 31;
	r = 205 + (unsigned int)(h % 50);
	g = 80 + (unsigned int)((h >> 8) % 150);
	b = 30 + (unsigned int)((h >> 16) % 50);
	return r << 16 | g << 8 | b;
}

#define PAD		10
#define FRAME_H		18
#define FONT_PX		12
#define CHAR_W		7.3	/* monospace at 12 px: 7.22 */
#define TOP		60

struct out {
	FILE *f;
	double scale;			/* pixels per count */
	unsigned long long total;
	const char *units;
	int height;
};

static void draw(const struct out *o, const struct node *n, double x, int level)
{
	double w = (double)n->count * o->scale, kx = x;
	int y = o->height - PAD - (level + 1) * FRAME_H;
	size_t fit;

	if (w < 0.1)
		return;
	fprintf(o->f, "<g><title>");
	xml(o->f, n->name, strlen(n->name));
	fprintf(o->f, " (%llu %s, %.2f%%)</title><rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
		"height=\"%d\" fill=\"#%06x\" rx=\"2\"/>", n->count, o->units,
		100.0 * (double)n->count / (double)o->total, x, y, w, FRAME_H - 1,
		level ? color(n->name) : 0xe0e0e0);
	fit = (size_t)((w - 6) / CHAR_W);
	if (fit >= 3) {
		fprintf(o->f, "<text x=\"%.2f\" y=\"%d\">", x + 3, y + FRAME_H - 5);
		if (strlen(n->name) <= fit) {
			xml(o->f, n->name, fit);
		} else {
			xml(o->f, n->name, fit - 2);
			fputs("..", o->f);
		}
		fprintf(o->f, "</text>");
	}
	fprintf(o->f, "</g>\n");
	for (size_t i = 0; i < n->nkids; i++) {
		draw(o, n->kids[i], kx, level + 1);
		kx += (double)n->kids[i]->count * o->scale;
	}
}

int main(int argc, char **argv)
{
	const char *in = NULL, *outpath = NULL, *title = "Flame graph", *units = "samples";
	struct node root = { .name = "all" };
	char *line = NULL;
	size_t cap = 0, lines = 0, bad = 0;
	unsigned long width = 1200;
	struct out o;
	ssize_t n;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("usage: flamegraph [--title T] [--countname UNITS] [--width PX] "
			       "[-o OUT] [folded.txt]\n");
			return 0;
		} else if (i + 1 < argc && !strcmp(a, "--title")) {
			title = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--countname")) {
			units = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--width")) {
			width = strtoul(argv[++i], NULL, 10);
			if (width < 200 || width > 20000)
				die("--width is 200..20000 pixels");
		} else if (i + 1 < argc && !strcmp(a, "-o")) {
			outpath = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			die("unknown option '%s' (or it needs a value)", a);
		} else if (in) {
			die("one input only");
		} else {
			in = a;
		}
	}
	if (path_is_directory(in))
		die("%s is a directory, not folded stacks", in);
	f = in && strcmp(in, "-") ? fopen(in, "r") : stdin;
	if (!f)
		die("cannot read %s: %s", in, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			continue;
		lines++;
		if (!add_line(&root, line))
			bad++;
	}
	if (ferror(f))
		die("cannot read %s: %s", in ? in : "stdin", strerror(errno));
	if (f != stdin)
		fclose(f);
	if (bad)
		fprintf(stderr, "flamegraph: %zu of %zu lines are not \"frame;...;frame COUNT\": "
			"skipped\n", bad, lines);
	if (!root.count)
		die("no stacks with a count in %s", in ? in : "stdin");

	o.f = outpath ? fopen(outpath, "w") : stdout;
	if (!o.f)
		die("cannot write %s: %s", outpath, strerror(errno));
	o.total = root.count;
	o.units = units;
	o.scale = (double)(width - 2 * PAD) / (double)root.count;
	o.height = TOP + depth(&root) * FRAME_H + PAD;
	fprintf(o.f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/"
		"2000/svg\" width=\"%lu\" height=\"%d\" viewBox=\"0 0 %lu %d\" "
		"font-family=\"DejaVu Sans Mono, monospace\" font-size=\"%d\">\n", width, o.height,
		width, o.height, FONT_PX);
	fprintf(o.f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
	fprintf(o.f, "<text x=\"%lu\" y=\"24\" font-size=\"17\" font-weight=\"bold\" "
		"text-anchor=\"middle\">", width / 2);
	xml(o.f, title, strlen(title));
	fprintf(o.f, "</text>\n<text x=\"%lu\" y=\"44\" text-anchor=\"middle\">%llu %s in all; "
		"a box's width is its share, its callers below it</text>\n", width / 2, root.count,
		units);
	draw(&o, &root, PAD, 0);
	fprintf(o.f, "</svg>\n");
	if (fflush(o.f) || ferror(o.f) || (o.f != stdout && fclose(o.f)))
		die("cannot write %s: %s", outpath ? outpath : "stdout", strerror(errno));
	free(line);
	return 0;
}
