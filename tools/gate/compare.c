// SPDX-License-Identifier: GPL-2.0
/*
 * A run against the baseline: one check per thing that can regress.
 *
 *   the scenario ran to its end, every @expect and @wait held
 *   no crash, no corruption report, bad frees within their budget (0)
 *   the leak report is complete (no pair "not counted", objects tracked)
 *   each stack that holds memory at the end: in the baseline, within its
 *     count and bytes (a stack found by its functions; when the compiler
 *     inlined differently, by the functions both keys share, below)
 *   each budget: the figure did not pass it
 *
 * A baseline stack nothing holds any more is a note ("--update-baseline
 * tightens it"), not a failure.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

#include "gate.h"

void check_add(struct checks *cs, bool ok, char *name, char *detail)
{
	cs->c = xrealloc(cs->c, (cs->n + 1) * sizeof(*cs->c));
	cs->c[cs->n++] = (struct check){ name, ok, detail };
	if (!ok)
		cs->failed++;
}

static __attribute__((format(printf, 1, 2))) char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		tool_die("out of memory");
	va_end(ap);
	return s;
}

/* @a (n) appears in order within @b (m): functions inlined away on one side. */
static bool subsequence(char *const *a, int n, char *const *b, int m)
{
	int j = 0;

	for (int i = 0; i < n; i++) {
		while (j < m && strcmp(a[i], b[j]))
			j++;
		if (j == m)
			return false;
		j++;
	}
	return true;
}

static bool key_equal(const struct stack *s, const struct bstack *b, char **fns)
{
	if (s->kind != b->kind || s->nkey != b->nfns)
		return false;
	for (int i = 0; i < s->nkey; i++)
		if (strcmp(fns[i], b->fns[i]))
			return false;
	return true;
}

/*
 * The baseline stack of @s: the same functions, else (a function inlined or
 * no longer inlined where the DWARF cannot tell, a build without it) one
 * whose functions and @s's are one within the other, with the same
 * outermost function, at most two apart. *@fuzzy tells which.
 */
static struct bstack *find(const struct stack *s, struct baseline *b, bool *fuzzy)
{
	char **fns = xmalloc((s->nkey + 1) * sizeof(*fns));
	struct bstack *hit = NULL;

	for (int i = 0; i < s->nkey; i++)
		fns[i] = s->frames[i].fn;
	*fuzzy = false;
	for (int i = 0; i < b->nstacks && !hit; i++)
		if (!b->stacks[i].matched && key_equal(s, &b->stacks[i], fns))
			hit = &b->stacks[i];
	for (int i = 0; i < b->nstacks && !hit; i++) {
		struct bstack *c = &b->stacks[i];
		int d = c->nfns - s->nkey;

		if (c->matched || c->kind != s->kind || d > 2 || d < -2 || !s->nkey ||
		    strcmp(c->fns[c->nfns - 1], fns[s->nkey - 1]))
			continue;
		if (subsequence(fns, s->nkey, c->fns, c->nfns) ||
		    subsequence(c->fns, c->nfns, fns, s->nkey)) {
			hit = c;
			*fuzzy = true;
		}
	}
	free(fns);
	if (hit)
		hit->matched = true;
	return hit;
}

/* "pages sensor_ring_grow <- sensor_log_append <- sensor_iterate" (to 3 functions). */
static char *stack_title(enum leak_kind kind, char *const *fns, int n)
{
	struct buf b = { 0 };
	int shown = 0;

	buf_printf(&b, "%s", kind == LEAK_PAGES ? "pages" : "objects");
	for (int i = 0; i < n && shown < 3; i++) {
		if (!strcmp(fns[i], "app_call"))
			break;
		buf_printf(&b, "%s%s", shown ? " <- " : " ", fns[i]);
		shown++;
	}
	return b.s;
}

static char *amount(enum leak_kind kind, unsigned long count, unsigned long bytes)
{
	return kind == LEAK_PAGES ? fmt("%lu pages in %lu blocks", bytes / 4096, count) :
				    fmt("%lu bytes in %lu objects", bytes, count);
}

static void check_stack(const struct stack *s, struct baseline *b, struct checks *cs)
{
	char **fns = xmalloc((s->nkey + 1) * sizeof(*fns));
	bool fuzzy;
	struct bstack *base = find(s, b, &fuzzy);
	char *now = amount(s->kind, s->count, s->bytes), *name;
	struct buf d = { 0 };
	bool ok;

	for (int i = 0; i < s->nkey; i++)
		fns[i] = s->frames[i].fn;
	name = stack_title(s->kind, fns, s->nkey);
	free(fns);
	if (!base) {
		ok = false;
		buf_printf(&d, "new leak: %s from %s, a stack the baseline does not have:\n", now,
			   s->from);
	} else {
		char *allowed = amount(base->kind, base->count, base->bytes);

		ok = s->count <= base->count && s->bytes <= base->bytes;
		if (!ok)
			buf_printf(&d, "grown leak: %s from %s, the baseline allows %s:\n", now,
				   s->from, allowed);
		else if (s->count < base->count || s->bytes < base->bytes)
			buf_printf(&d, "%s, below the baseline's %s (--update-baseline tightens it)\n",
				   now, allowed);
		else
			buf_printf(&d, "%s, as the baseline allows\n", now);
		free(allowed);
		if (fuzzy)
			buf_printf(&d, "(matched a baseline stack of %d functions: the compiler "
				   "inlined differently)\n", base->nfns);
	}
	if (s->merged)
		buf_printf(&d, "(%d kernel stacks with these functions, summed)\n", s->merged + 1);
	if (!ok)
		stack_print(&d, s);
	check_add(cs, ok, fmt("leak: %s", name), d.s);
	free(name);
	free(now);
}

/* The reports of @kind on the console, one after another; how many in *@n. */
static char *reports_of(const struct run *r, enum report_kind kind, int *n)
{
	struct buf d = { 0 };

	*n = 0;
	for (int i = 0; i < r->nreports; i++)
		if (r->reports[i].kind == kind) {
			buf_printf(&d, "%s%s", *n ? "\n" : "", r->reports[i].text);
			(*n)++;
		}
	return d.s;
}

/*
 * Bad frees: the console's reports, or the heap's count when more (a report
 * lost in a flood of output); within the budget (0 unless the baseline says).
 */
static void check_bad_frees(const struct run *r, const struct baseline *b, struct checks *cs)
{
	int reported;
	char *text = reports_of(r, REP_BAD_FREE, &reported);
	unsigned long n = (unsigned long)reported, allowed = b->budget[FIG_BAD_FREES];
	struct buf d = { 0 };

	if (r->have_fig && r->fig[FIG_BAD_FREES] > n)
		n = r->fig[FIG_BAD_FREES];
	if (n)
		buf_printf(&d, "%lu bad frees, the baseline allows %lu%s%s", n, allowed,
			   text ? ":\n" : "", text ? text : "");
	check_add(cs, n <= allowed, xstrdup("bad frees within budget"), d.s);
	free(text);
}

void compare(const struct run *r, struct baseline *b, struct checks *cs)
{
	check_add(cs, r->completed, xstrdup("scenario: runs to the end"),
		  r->failure ? xstrdup(r->failure) : NULL);
	for (int i = 0; i < r->nresults; i++)
		check_add(cs, r->results[i].ok, fmt("scenario: %s", r->results[i].name),
			  r->results[i].why ? xstrdup(r->results[i].why) : NULL);
	for (int k = REP_CRASH; k <= REP_CORRUPTION; k += REP_CORRUPTION - REP_CRASH) {
		int n;
		char *text = reports_of(r, (enum report_kind)k, &n);

		check_add(cs, !n, xstrdup(k == REP_CRASH ? "no crash" : "no heap corruption"), text);
	}
	check_bad_frees(r, b, cs);
	if (!r->completed) {
		check_add(cs, false, xstrdup("leaks and budgets"),
			  xstrdup("not measured: the scenario did not run to its end"));
		return;
	}
	check_add(cs, !r->not_counted && r->have_fig, xstrdup("leak report complete"),
		  r->not_counted ? xstrdup(r->not_counted) :
		  !r->have_fig ? xstrdup("no '(all)' figures in `app status`") : NULL);
	for (int i = 0; i < r->nstacks; i++)
		check_stack(&r->stacks[i], b, cs);
	for (int i = 0; i < b->nstacks; i++)
		if (!b->stacks[i].matched) {
			char *now = amount(b->stacks[i].kind, b->stacks[i].count, b->stacks[i].bytes);
			char *name = stack_title(b->stacks[i].kind, b->stacks[i].fns, b->stacks[i].nfns);

			check_add(cs, true, fmt("leak: %s", name),
				  fmt("gone: the baseline allows %s, nothing holds any now "
				      "(fixed, or its functions renamed: --update-baseline)", now));
			free(now);
			free(name);
		}
	for (int f = 0; f < NR_FIGURES; f++) {
		if (f == FIG_BAD_FREES || !r->have_fig)
			continue;
		if (!b->has_budget[f]) {
			check_add(cs, true, fmt("budget: %s", figure_names[f]),
				  fmt("%lu, no budget in the baseline", r->fig[f]));
			continue;
		}
		check_add(cs, r->fig[f] <= b->budget[f], fmt("budget: %s", figure_names[f]),
			  fmt("%lu, budget %lu%s", r->fig[f], b->budget[f],
			      r->fig[f] > b->budget[f] ? ": over budget" : ""));
	}
}
