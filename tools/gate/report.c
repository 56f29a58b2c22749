// SPDX-License-Identifier: GPL-2.0
/*
 * The checks, told three ways: a readable diff on the terminal (failures
 * first, each stack with its functions and file:line), TAP version 13 (a
 * YAML block under each failure) and JUnit XML (one testcase per check) for
 * CI dashboards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "../lib/xml.h"

void stack_print(struct buf *b, const struct stack *s)
{
	for (int i = 0; i < s->nkey; i++) {
		const struct frame *f = &s->frames[i];

		buf_printf(b, "    %-32s %s%s\n", f->fn, f->where ? f->where : "",
			   f->inlined ? " (inlined)" : "");
	}
	if (s->nframes > s->nkey)
		buf_printf(b, "    (%d frames of the kernel below: how the console called it)\n",
			   s->nframes - s->nkey);
}

/* @text, each line indented by @indent. */
static void indented(FILE *f, const char *text, const char *indent)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");

		fprintf(f, "%s%.*s\n", indent, (int)n, text);
		text += n + (text[n] == '\n');
	}
}

void report_text(FILE *f, const struct checks *cs, const struct run *r)
{
	for (int i = 0; i < cs->n; i++)
		if (!cs->c[i].ok) {
			fprintf(f, "FAIL %s\n", cs->c[i].name);
			indented(f, cs->c[i].detail, "  ");
		}
	if (cs->failed)
		fputc('\n', f);
	for (int i = 0; i < cs->n; i++)
		if (cs->c[i].ok) {
			const char *d = cs->c[i].detail;
			size_t n = d ? strcspn(d, "\n") : 0;

			fprintf(f, "ok   %s%s%.*s\n", cs->c[i].name, n ? ": " : "", (int)n, d ? d : "");
		}
	if (r->have_fig)
		fprintf(f, "\nheap: peak %lu bytes in %lu blocks, final %lu bytes in %lu blocks; "
			"pages: peak %lu, final %lu; bad frees %lu\n", r->fig[FIG_HEAP_PEAK_BYTES],
			r->fig[FIG_HEAP_PEAK_BLOCKS], r->fig[FIG_HEAP_BYTES], r->fig[FIG_HEAP_BLOCKS],
			r->fig[FIG_PAGES_PEAK], r->fig[FIG_PAGES], r->fig[FIG_BAD_FREES]);
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		fprintf(stderr, "%s: cannot write %s: %s\n", tool_name, path, strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *path)
{
	if (fclose(f)) {
		fprintf(stderr, "%s: cannot write %s: %s\n", tool_name, path, strerror(errno));
		return -1;
	}
	return 0;
}

int report_tap(const char *path, const struct checks *cs)
{
	FILE *f = open_out(path);

	if (!f)
		return -1;
	fprintf(f, "TAP version 13\n1..%d\n", cs->n);
	for (int i = 0; i < cs->n; i++) {
		/* '#' would start a directive in the description. */
		fprintf(f, "%s %d - ", cs->c[i].ok ? "ok" : "not ok", i + 1);
		for (const char *p = cs->c[i].name; *p; p++)
			fputc(*p == '#' ? '_' : *p, f);
		fputc('\n', f);
		if (!cs->c[i].ok && cs->c[i].detail) {
			fprintf(f, "  ---\n  message: |\n");
			indented(f, cs->c[i].detail, "    ");
			fprintf(f, "  ...\n");
		}
	}
	return close_out(f, path);
}

int report_junit(const char *path, const struct checks *cs, const char *suite, double seconds)
{
	FILE *f = open_out(path);

	if (!f)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		"  <testsuite name=\"");
	xml_escape(f, suite, strlen(suite));
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\" time=\"%.3f\">\n",
		cs->n, cs->failed, seconds);
	for (int i = 0; i < cs->n; i++) {
		const struct check *c = &cs->c[i];

		fprintf(f, "    <testcase classname=\"ferret.gate\" name=\"");
		xml_escape(f, c->name, strlen(c->name));
		fprintf(f, "\"");
		if (c->ok && !c->detail) {
			fprintf(f, "/>\n");
			continue;
		}
		fprintf(f, ">\n");
		if (!c->ok) {
			const char *d = c->detail ? c->detail : "failed";

			fprintf(f, "      <failure message=\"");
			xml_escape(f, d, strcspn(d, "\n"));
			fprintf(f, "\" type=\"regression\">");
			xml_escape(f, d, strlen(d));
			fprintf(f, "</failure>\n");
		} else {
			fprintf(f, "      <system-out>");
			xml_escape(f, c->detail, strlen(c->detail));
			fprintf(f, "</system-out>\n");
		}
		fprintf(f, "    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	return close_out(f, path);
}
