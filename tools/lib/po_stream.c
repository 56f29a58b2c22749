// SPDX-License-Identifier: GPL-2.0
/*
 * Collect a decoded owner stream: records and lost ranges (po_stream.h).
 */
#include <stdlib.h>
#include <string.h>

#include "po_stream.h"
#include "target.h"

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 64;
	p = realloc(p, *cap * size);
	if (!p)
		tool_die("out of memory");
	return p;
}

static void on_record(void *priv, unsigned long pfn, unsigned int order, const char *text,
		      size_t len)
{
	struct po_collect *c = priv;
	struct po_text *r;

	c->recs = grow(c->recs, &c->cap_recs, c->nrecs, sizeof(*c->recs));
	r = &c->recs[c->nrecs++];
	r->pfn = pfn;
	r->end = pfn + (1UL << order);
	r->len = len;
	r->text = malloc(len);
	if (!r->text)
		tool_die("out of memory");
	memcpy(r->text, text, len);
}

static void on_lost(void *priv, unsigned long start, unsigned long end, const char *why)
{
	struct po_collect *c = priv;
	struct po_lost *l = c->nlost ? &c->lost[c->nlost - 1] : NULL;

	/* One line for a stretch of blocks lost for the same reason. */
	if (l && l->end == start && !strcmp(l->why, why)) {
		l->end = end;
		return;
	}
	c->lost = grow(c->lost, &c->cap_lost, c->nlost, sizeof(*c->lost));
	l = &c->lost[c->nlost++];
	l->start = start;
	l->end = end;
	snprintf(l->why, sizeof(l->why), "%s", why);
}

static void *dec_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

static size_t on_symbolize(void *priv, u64 pc, char *buf, size_t size)
{
	return elf_syms_frame(((struct po_collect *)priv)->elf, pc, buf, size);
}

void po_collect_init(struct po_collect *c, const struct elf_syms *elf)
{
	memset(c, 0, sizeof(*c));
	c->dec.realloc = dec_realloc;
	c->dec.free = free;
	c->dec.record = on_record;
	c->dec.lost = on_lost;
	c->dec.priv = c;
	c->elf = elf;
	if (elf) {
		c->dec.symbolize = on_symbolize;
		c->dec.elf_build_id = elf->build_id;
	}
}

bool po_collect_elf_refused(const struct po_collect *c, FILE *f, const char *tool)
{
	if (!c->dec.elf_mismatch)
		return false;
	fprintf(f, "%s: refused: the ELF given has build id %s, the stream was sent by an image "
		"with build id %s: give that image's ELF\n", tool,
		c->elf->build_id[0] ? c->elf->build_id : "(none)",
		c->dec.build_id[0] ? c->dec.build_id : "(none)");
	return true;
}

/* The decoder takes whole lines: each collector keeps a partial one until its end arrives. */
void po_collect_feed(struct po_collect *c, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			ostream_dec_line(&c->dec, c->pending ? c->pending : "", c->pending_len);
			c->pending_len = 0;
			continue;
		}
		c->pending = grow(c->pending, &c->pending_cap, c->pending_len + 1, 1);
		c->pending[c->pending_len++] = buf[i];
	}
}

void po_collect_done(struct po_collect *c)
{
	if (c->pending_len)
		ostream_dec_line(&c->dec, c->pending, c->pending_len);
	c->pending_len = 0;
	ostream_dec_finish(&c->dec);
	if (c->dec.oom)
		tool_die("out of memory decoding the stream");
}

static int by_pfn(const void *a, const void *b)
{
	const struct po_text *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

void po_collect_merge(struct po_collect *c, struct po_collect *fix, unsigned long fix_start,
		      unsigned long fix_end)
{
	size_t k = 0;

	/* The repair is the truth for its range: drop what @c had there. */
	for (size_t i = 0; i < c->nrecs; i++) {
		if (c->recs[i].pfn >= fix_start && c->recs[i].pfn < fix_end)
			free(c->recs[i].text);
		else
			c->recs[k++] = c->recs[i];
	}
	c->nrecs = k;
	k = 0;
	for (size_t i = 0; i < fix->nrecs; i++) {
		c->recs = grow(c->recs, &c->cap_recs, c->nrecs, sizeof(*c->recs));
		c->recs[c->nrecs++] = fix->recs[i];
	}
	fix->nrecs = 0;
	qsort(c->recs, c->nrecs, sizeof(*c->recs), by_pfn);
	/* Losses inside the repaired range are gone, but for what the repair lost. */
	for (size_t i = 0; i < c->nlost; i++) {
		struct po_lost *l = &c->lost[i];

		if (l->start >= fix_start && l->end <= fix_end)
			continue;
		c->lost[k++] = *l;
	}
	c->nlost = k;
	for (size_t i = 0; i < fix->nlost; i++)
		on_lost(c, fix->lost[i].start, fix->lost[i].end, fix->lost[i].why);
}

int po_collect_write(const struct po_collect *c, FILE *out)
{
	for (size_t i = 0; i < c->nrecs; i++)
		if (fwrite(c->recs[i].text, 1, c->recs[i].len, out) != c->recs[i].len)
			return -1;
	return 0;
}

void po_collect_report(const struct po_collect *c, FILE *f, const char *tool)
{
	bool pages = !strcmp(c->dec.kind, "page_owner");

	for (size_t i = 0; i < c->nlost; i++)
		fprintf(f, "%s: lost %s 0x%lx-0x%lx (%lu %s): %s\n", tool, pages ? "pfns" : "lines",
			c->lost[i].start, c->lost[i].end, c->lost[i].end - c->lost[i].start,
			pages ? "pages" : "lines", c->lost[i].why);
	if (c->dec.bad_lines)
		fprintf(f, "%s: %lu stream lines failed their CRC or were malformed\n", tool,
			c->dec.bad_lines);
}

void po_collect_free(struct po_collect *c)
{
	for (size_t i = 0; i < c->nrecs; i++)
		free(c->recs[i].text);
	free(c->recs);
	free(c->lost);
	free(c->pending);
	c->recs = NULL;
	c->lost = NULL;
	c->pending = NULL;
	c->pending_cap = c->pending_len = 0;
	c->nrecs = c->nlost = 0;
}
