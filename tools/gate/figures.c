// SPDX-License-Identifier: GPL-2.0
/*
 * What one run measured, read back from the console's own formats:
 *
 *  - `leaks` (mm/leaks.c): "N pages in M blocks from <ctx>" and "N bytes in
 *    M objects from <ctx>", each with its frames as %pB prints them
 *    ("sym+0xoff/0xsize"). Each frame becomes the functions of the source
 *    at its call (the return address - 1): every function inlined there,
 *    then the one holding the code, with file:line (DWARF, elfsym.c). The
 *    key of a stack is those function names up to app_call, the kernel's
 *    entry into the firmware (below it: how the console got there, which
 *    does not belong to the firmware's leak); kernel stacks keep all their
 *    frames. A compiler suffix (.constprop.0, .isra.0, .part.0, .cold) is
 *    not part of a name. Stacks with one key are summed.
 *  - `app status` (kernel/app.c): the "(all)" block's figures.
 *  - the console: crash reports (Internal error ... end trace), bad frees
 *    (the heap's "free(0x..) in <app>: <why>; ignored", "BUG: Bad page
 *    state", slab_debug's invalid pointers and double frees) and corruption
 *    (slab_debug's other "BUG <cache> (Not tainted): ..." reports: red
 *    zones, poison).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "gate.h"

#define MAX_INLINE	8
#define REPORT_LINES	60

const char *const figure_names[NR_FIGURES] = {
	[FIG_HEAP_PEAK_BYTES] = "heap_peak_bytes", [FIG_HEAP_PEAK_BLOCKS] = "heap_peak_blocks",
	[FIG_PAGES_PEAK] = "pages_peak", [FIG_HEAP_BYTES] = "heap_bytes",
	[FIG_HEAP_BLOCKS] = "heap_blocks", [FIG_PAGES] = "pages", [FIG_BAD_FREES] = "bad_frees",
};

static const char *const status_keys[NR_FIGURES] = {
	[FIG_HEAP_PEAK_BYTES] = "HeapPeakBytes", [FIG_HEAP_PEAK_BLOCKS] = "HeapPeakBlocks",
	[FIG_PAGES_PEAK] = "PagesPeak", [FIG_HEAP_BYTES] = "HeapBytes",
	[FIG_HEAP_BLOCKS] = "HeapBlocks", [FIG_PAGES] = "Pages", [FIG_BAD_FREES] = "HeapBadFrees",
};

/* "sym+0xoff/0xsize" at @p: the name's length, the offset and the size. */
static bool parse_frame(const char *p, size_t *len, unsigned long *off, unsigned long *size)
{
	const char *plus = strchr(p, '+');
	char *end;

	if (!plus || plus == p || strncmp(plus, "+0x", 3))
		return false;
	*len = (size_t)(plus - p);
	*off = strtoul(plus + 3, &end, 16);
	if (strncmp(end, "/0x", 3))
		return false;
	*size = strtoul(end + 3, &end, 16);
	return true;
}

/* The name without a compiler suffix (foo.constprop.0 -> foo). */
static char *plain_name(const char *name, size_t len)
{
	const char *dot = memchr(name, '.', len);

	return xstrndup(name, dot && dot != name ? (size_t)(dot - name) : len);
}

static void add_frame(struct stack *s, char *fn, char *where, bool inlined)
{
	s->frames = xrealloc(s->frames, (s->nframes + 1) * sizeof(*s->frames));
	s->frames[s->nframes++] = (struct frame){ fn, where, inlined };
}

/* One printed frame into the source's functions. */
static void symbolize(struct stack *s, const char *text, struct elfsym *elf)
{
	struct elfsym_frame fr[MAX_INLINE];
	unsigned long off, size;
	size_t len;
	int n = 0;

	if (!parse_frame(text, &len, &off, &size)) {
		add_frame(s, xstrdup(text), NULL, false);	/* an address kallsyms could not name */
		return;
	}
	if (elf) {
		GElf_Addr base = elfsym_address(elf, text, len, size);

		/* A return address: its call is the instruction before. */
		if (base)
			n = elfsym_frames(elf, base + off - (off ? 1 : 0), fr, MAX_INLINE);
	}
	if (!n) {
		add_frame(s, plain_name(text, len), NULL, false);
		return;
	}
	for (int k = 0; k < n; k++) {
		char *where = NULL;

		if (fr[k].file) {
			struct buf b = { 0 };

			buf_printf(&b, "%s:%d", fr[k].file, fr[k].line);
			where = b.s;
		}
		add_frame(s, plain_name(fr[k].fn, strlen(fr[k].fn)), where, k + 1 < n);
	}
}

char *stack_key(const struct stack *s)
{
	struct buf b = { 0 };

	buf_printf(&b, "%s", s->kind == LEAK_PAGES ? "pages" : "objects");
	for (int i = 0; i < s->nkey; i++)
		buf_printf(&b, "%c%s", i ? ';' : ':', s->frames[i].fn);
	return b.s;
}

static void free_stack(struct stack *s)
{
	for (int i = 0; i < s->nframes; i++) {
		free(s->frames[i].fn);
		free(s->frames[i].where);
	}
	free(s->frames);
	free(s->from);
}

/* Close stack @s: its key, then sum it into an earlier one with that key. */
static void finish_stack(struct run *r)
{
	struct stack *s = &r->stacks[r->nstacks - 1];
	char *key;

	s->nkey = s->nframes;
	for (int i = 0; i < s->nframes; i++)
		if (!strcmp(s->frames[i].fn, "app_call")) {
			s->nkey = i + 1;
			break;
		}
	key = stack_key(s);
	for (int i = 0; i < r->nstacks - 1; i++) {
		char *k = stack_key(&r->stacks[i]);
		bool same = !strcmp(k, key);

		free(k);
		if (same) {
			r->stacks[i].count += s->count;
			r->stacks[i].bytes += s->bytes;
			r->stacks[i].merged++;
			free_stack(s);
			r->nstacks--;
			break;
		}
	}
	free(key);
}

static void parse_leaks(struct run *r, struct elfsym *elf)
{
	char *text = xstrdup(r->leaks_text), *save = NULL;
	bool in_stack = false;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		unsigned long amount, count;
		int pos = 0;
		char what[16], counts[16];

		if (l[0] == ' ' && in_stack) {
			symbolize(&r->stacks[r->nstacks - 1], l + 1, elf);
			continue;
		}
		if (in_stack)
			finish_stack(r);
		in_stack = false;
		if (strstr(l, "not counted: more than")) {
			free(r->not_counted);
			r->not_counted = xstrdup(l);
			continue;
		}
		if (sscanf(l, "%lu %15s in %lu %15s from %n", &amount, what, &count, counts, &pos) != 4 ||
		    !pos)
			continue;
		if (!(!strcmp(what, "pages") && !strcmp(counts, "blocks")) &&
		    !(!strcmp(what, "bytes") && !strcmp(counts, "objects")))
			continue;
		r->stacks = xrealloc(r->stacks, (r->nstacks + 1) * sizeof(*r->stacks));
		r->stacks[r->nstacks++] = (struct stack){
			.kind = what[0] == 'p' ? LEAK_PAGES : LEAK_OBJECTS,
			.count = count,
			.bytes = what[0] == 'p' ? amount * 4096 : amount,
			.from = xstrdup(l + pos),
		};
		in_stack = true;
	}
	if (in_stack)
		finish_stack(r);
	free(text);
	/* Without object owners the report has pages only: it would pass every object leak. */
	if (!strstr(r->leaks_text, " object") && !r->not_counted)
		r->not_counted = xstrdup("the leak report has no objects: object owners are off "
					 "(the kernel needs slab_owner=on)");
}

static void parse_status(struct run *r)
{
	const char *all = strstr(r->status_text, "Name:\t(all)\n");

	if (!all)
		return;
	for (int f = 0; f < NR_FIGURES; f++) {
		char key[40];
		const char *p;

		snprintf(key, sizeof(key), "\n%s:\t", status_keys[f]);
		p = strstr(all, key);
		if (!p)
			return;
		r->fig[f] = strtoul(p + strlen(key), NULL, 10);
	}
	r->have_fig = true;
}

/* ---- reports on the console ---- */

static bool starts(const char *l, const char *prefix)
{
	return !strncmp(l, prefix, strlen(prefix));
}

/* The kind of report line @l starts, or -1. */
static int report_start(const char *l, size_t len)
{
	char line[256];

	snprintf(line, sizeof(line), "%.*s", (int)(len < 255 ? len : 255), l);
	if (starts(line, "Internal error:") || starts(line, "Kernel panic") ||
	    starts(line, "BUG: spinlock"))
		return REP_CRASH;
	if ((strstr(line, "free(0x") || strstr(line, "free_pages(0x")) &&
	    strstr(line, "; ignored"))
		return REP_BAD_FREE;
	/* A free the allocators refused: page checks, slab_debug's pointer checks. */
	if (starts(line, "BUG: Bad page state") ||
	    (starts(line, "BUG ") && (strstr(line, "Invalid pointer") ||
				      strstr(line, "Invalid object pointer") ||
				      strstr(line, "are to be freed"))))
		return REP_BAD_FREE;
	if (starts(line, "BUG ") && strstr(line, "(Not tainted)"))
		return REP_CORRUPTION;
	return -1;
}

/* Append @l to @b, with the function and file:line of a frame in it. */
static void decorate(struct buf *b, const char *l, size_t len, struct elfsym *elf)
{
	const char *p = l;
	unsigned long off, size;
	size_t nlen;
	char what[512];

	buf_add(b, l, len);
	while (p < l + len && (*p == ' ' || *p == '\t'))
		p++;
	if (!strncmp(p, "pc : ", 5) || !strncmp(p, "lr : ", 5))
		p += 5;
	if (elf && parse_frame(p, &nlen, &off, &size)) {
		GElf_Addr base = elfsym_address(elf, p, nlen, size);
		bool pc = !strncmp(l, "pc :", 4);

		if (base && elfsym_describe(elf, base + off - (pc || !off ? 0 : 1), what,
					    sizeof(what)))
			buf_printf(b, "  -> %s", what);
	}
	buf_add(b, "\n", 1);
}

static void parse_reports(struct run *r, struct elfsym *elf)
{
	const char *c = r->console.s, *end = c + r->console.len;

	while (c < end) {
		const char *nl = memchr(c, '\n', (size_t)(end - c));
		size_t len = nl ? (size_t)(nl - c) : (size_t)(end - c);
		int kind = report_start(c, len);
		struct console_report rep;
		struct buf b = { 0 };
		bool trace = false;

		if (kind < 0) {
			c += len + (nl != NULL);
			continue;
		}
		rep.kind = (enum report_kind)kind;
		rep.first = xstrndup(c, len);
		for (int n = 0; c < end && n < REPORT_LINES; n++) {
			nl = memchr(c, '\n', (size_t)(end - c));
			len = nl ? (size_t)(nl - c) : (size_t)(end - c);
			/* It ends at a prompt, another report, or the end of its call trace. */
			if (n && (starts(c, PROMPT) || starts(c, PANIC_PROMPT) ||
				  report_start(c, len) >= 0 || (trace && c[0] != ' ')))
				break;
			if (starts(c, "Call trace:"))
				trace = true;
			decorate(&b, c, len, elf);
			c += len + (nl != NULL);
			if (starts(c - len - (nl != NULL), "---[ end trace"))
				break;
		}
		rep.text = b.s;
		r->reports = xrealloc(r->reports, (r->nreports + 1) * sizeof(*r->reports));
		r->reports[r->nreports++] = rep;
	}
}

void figures_parse(struct run *r, struct elfsym *elf)
{
	buf_add(&r->console, "", 0);
	parse_reports(r, elf);
	if (r->leaks_text)
		parse_leaks(r, elf);
	if (r->status_text)
		parse_status(r);
}

bool figures_differ(const struct run *a, const struct run *b, struct buf *out)
{
	size_t len0 = out->len;

	for (int f = 0; f < NR_FIGURES; f++)
		if (a->have_fig && b->have_fig && a->fig[f] != b->fig[f])
			buf_printf(out, "  %s: %lu, then %lu\n", figure_names[f], a->fig[f],
				   b->fig[f]);
	for (int i = 0; i < a->nstacks; i++) {
		char *ka = stack_key(&a->stacks[i]);
		bool found = false;

		for (int j = 0; j < b->nstacks && !found; j++) {
			char *kb = stack_key(&b->stacks[j]);

			if (!strcmp(ka, kb)) {
				found = true;
				if (a->stacks[i].count != b->stacks[j].count ||
				    a->stacks[i].bytes != b->stacks[j].bytes)
					buf_printf(out, "  %s: %lu in %lu, then %lu in %lu\n", ka,
						   a->stacks[i].bytes, a->stacks[i].count,
						   b->stacks[j].bytes, b->stacks[j].count);
			}
			free(kb);
		}
		if (!found)
			buf_printf(out, "  %s: only in the first run\n", ka);
		free(ka);
	}
	for (int j = 0; j < b->nstacks; j++) {
		char *kb = stack_key(&b->stacks[j]);
		bool found = false;

		for (int i = 0; i < a->nstacks && !found; i++) {
			char *ka = stack_key(&a->stacks[i]);

			found = !strcmp(ka, kb);
			free(ka);
		}
		if (!found)
			buf_printf(out, "  %s: only in the later run\n", kb);
		free(kb);
	}
	return out->len != len0;
}
