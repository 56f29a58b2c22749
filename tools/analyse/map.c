// SPDX-License-Identifier: GPL-2.0
/*
 * analyse map: owners, their colours and labels, and the layout of the
 * picture (rows, cells, gap bands); map_svg.c and map_png.c draw it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "map.h"

/* ------------------------------------------------------------------------
 * Colours: from the owner's identity, so the same in every view
 * ---------------------------------------------------------------------- */

/*
 * The identity of a stack: its function names, without offsets, so a rebuild
 * that moves code keeps the colours.
 */
static uint64_t stack_identity(const char *text)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*text) {
		const char *fn = text;
		size_t n;

		while (*fn == ' ')
			fn++;
		n = strcspn(fn, "+ \n");
		for (size_t i = 0; i < n; i++) {
			h ^= (unsigned char)fn[i];
			h *= 0x100000001b3ULL;
		}
		h ^= '\n';
		h *= 0x100000001b3ULL;
		text = strchr(fn, '\n');
		if (!text)
			break;
		text++;
	}
	return h;
}

/*
 * A colour for a 64-bit identity: any hue, saturation 0.45-0.85 and value
 * 0.65-0.95, so never a grey (free and "other" are greys) and never too dark
 * for the black text beside it.
 */
static uint32_t hash_color(uint64_t h)
{
	double hue, s, v, c, x, r = 0, g = 0, b = 0;
	int sector;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	hue = (double)(h % 3600) / 10.0;
	s = 0.45 + 0.1 * (double)((h >> 16) % 5);
	v = 0.65 + 0.1 * (double)((h >> 24) % 4);
	c = v * s;
	sector = (int)(hue / 60.0);
	x = c * (1 - __builtin_fabs(__builtin_fmod(hue / 60.0, 2.0) - 1));
	switch (sector) {
	case 0: r = c; g = x; break;
	case 1: r = x; g = c; break;
	case 2: g = c; b = x; break;
	case 3: g = x; b = c; break;
	case 4: r = x; b = c; break;
	default: r = c; b = x; break;
	}
	r += v - c;
	g += v - c;
	b += v - c;
	return (uint32_t)(r * 255 + 0.5) << 16 | (uint32_t)(g * 255 + 0.5) << 8 |
	       (uint32_t)(b * 255 + 0.5);
}

struct ident {
	uint64_t h;
	int key;
};

static int cmp_ident(const void *pa, const void *pb)
{
	const struct ident *a = pa, *b = pb;

	return a->h < b->h ? -1 : a->h > b->h;
}

/*
 * Two stacks of the capture through the same functions (two call sites in
 * one function) would share a colour: their whole text, offsets included,
 * tells them apart. @all[k] is stack k's owner.
 */
static void split_twins(struct owner *all, int n)
{
	struct ident *v = xrealloc(NULL, (n ? n : 1) * sizeof(*v));

	for (int k = 0; k < n; k++)
		v[k] = (struct ident){ stack_identity(stacks[k].text), k };
	qsort(v, n, sizeof(*v), cmp_ident);
	for (int i = 0; i < n; i++)
		if ((i > 0 && v[i - 1].h == v[i].h) || (i + 1 < n && v[i + 1].h == v[i].h))
			all[v[i].key].color = hash_color(fnv1a(stacks[v[i].key].text,
							       strlen(stacks[v[i].key].text)));
	free(v);
}

uint32_t owner_color(const struct map *m, int owner)
{
	if (owner < 0)
		return COLOR_FREE;
	return m->owners[owner].color;
}

/* ------------------------------------------------------------------------
 * Owners and labels
 * ---------------------------------------------------------------------- */

static bool owners_by_stack;

static int cmp_owner(const void *pa, const void *pb)
{
	const struct owner *a = pa, *b = pb;

	if (a->pages != b->pages)
		return a->pages > b->pages ? -1 : 1;
	if (owners_by_stack)
		return strcmp(stacks[a->key].text, stacks[b->key].text);
	return strcmp(a->label, b->label);
}

/* Frame @i of @text ("sym+0x1/0x2"), without the leading space; "" past the end. */
static void frame_at(const char *text, int i, char *buf, size_t size)
{
	while (i-- > 0 && *text) {
		text = strchr(text, '\n');
		text = text ? text + 1 : "";
	}
	while (*text == ' ')
		text++;
	snprintf(buf, size, "%.*s", (int)strcspn(text, "\n"), text);
}

/*
 * Labels of the shown stacks: the first caller outside the allocator, and
 * where two shown stacks share it, the first frame that tells them apart;
 * then the context that allocated most of the stack's pages.
 */
static void label_stacks(struct owner *o, int n, const struct capture *c)
{
	struct sortkey by[2] = { { KEY_STACK, 1 }, { KEY_NAME, 1 } };
	unsigned long *best = calloc(nr_stacks ? nr_stacks : 1, sizeof(*best));
	const char **who = calloc(nr_stacks ? nr_stacks : 1, sizeof(*who));
	struct group *g;
	size_t ng;

	if (!best || !who)
		die("out of memory");
	g = group_records(c, NULL, by, 2, &ng);
	for (size_t i = 0; i < ng; i++) {
		int s = g[i].rep->stack;

		if (g[i].pages > best[s]) {
			best[s] = g[i].pages;
			who[s] = g[i].rep->comm;
		}
	}
	for (int a = 0; a < n; a++) {
		const char *ta = stacks[o[a].key].text;
		int differ = -1;
		char buf[512], fa[200], fb[200];

		for (int b = 0; b < n; b++) {
			const char *tb = stacks[o[b].key].text;

			if (b == a || strcmp(stacks[o[a].key].top, stacks[o[b].key].top))
				continue;
			for (int i = 0;; i++) {
				frame_at(ta, i, fa, sizeof(fa));
				frame_at(tb, i, fb, sizeof(fb));
				if (strcmp(fa, fb) || !fa[0]) {
					if (i > differ)
						differ = i;
					break;
				}
			}
		}
		if (differ >= 0) {
			frame_at(ta, differ, fa, sizeof(fa));
			snprintf(buf, sizeof(buf), "%s..%s (%s)", stacks[o[a].key].top,
				 fa[0] ? fa : "end", who[o[a].key] ? who[o[a].key] : "");
		} else {
			snprintf(buf, sizeof(buf), "%s (%s)", stacks[o[a].key].top,
				 who[o[a].key] ? who[o[a].key] : "");
		}
		free(o[a].label);
		o[a].label = xstrndup(buf, strlen(buf));
	}
	free_groups(g, ng);
	free(best);
	free(who);
}

/* ------------------------------------------------------------------------
 * Layout
 * ---------------------------------------------------------------------- */

/* Runs of allocated pages, [a, b) offsets from the start, in order. */
struct run {
	unsigned long long a, b;
};

/*
 * Rows of @row_pages pages from offset 0 to @span: which hold an allocated
 * page. Return: rows drawn plus gap bands, with gaps compressed if @compress.
 */
static unsigned long count_bands(const struct run *runs, size_t nruns, unsigned long long span,
				 unsigned long long row_pages, bool compress, unsigned char *used)
{
	unsigned long long nrows = (span + row_pages - 1) / row_pages, bands = 0, empty = 0;

	memset(used, 0, nrows);
	for (size_t i = 0; i < nruns; i++)
		for (unsigned long long r = runs[i].a / row_pages; r <= (runs[i].b - 1) / row_pages; r++)
			used[r] = 1;
	for (unsigned long long r = 0; r <= nrows; r++) {
		if (r < nrows && !used[r]) {
			empty++;
			continue;
		}
		/* A run of empty rows ends: one band if compressed, else each row. */
		bands += compress && empty >= MAP_MIN_GAP_ROWS ? 1 : empty;
		empty = 0;
		bands += r < nrows;
	}
	return bands;
}

static void map_layout(struct map *m, const int *page_owner, const int *rank_of_key,
		       unsigned long long span, unsigned long cols, unsigned long ppc,
		       bool compress)
{
	struct run *runs = NULL;
	size_t nruns = 0, cap = 0;
	unsigned char *used;
	unsigned long long row_pages, nrows;

	for (unsigned long long p = 0; p < span; p++) {
		if (page_owner[p] < 0)
			continue;
		if (nruns && runs[nruns - 1].b == p) {
			runs[nruns - 1].b++;
			continue;
		}
		if (nruns == cap) {
			cap = cap ? cap * 2 : 64;
			runs = xrealloc(runs, cap * sizeof(*runs));
		}
		runs[nruns++] = (struct run){ p, p + 1 };
	}

	/*
	 * @cols cells a row, 2^n pages a cell: the fewest pages a cell for which
	 * the rows drawn and the gap bands are at most MAP_MAX_ROWS.
	 */
	m->cols = cols ? cols : 128;
	m->pages_per_cell = ppc ? ppc : 1;
	/* A small range a page a cell: a square grid of 16 to 128 columns. */
	if (!cols && !ppc && span < 128 * 128)
		for (m->cols = 16; m->cols * m->cols < span; m->cols *= 2)
			;
	used = xrealloc(NULL, (span + m->pages_per_cell - 1) / m->pages_per_cell + 1);
	if (!ppc)
		while (count_bands(runs, nruns, span, (unsigned long long)m->pages_per_cell * m->cols,
				   compress, used) > MAP_MAX_ROWS)
			m->pages_per_cell *= 2;
	/* A small range: one row of as many cells as it needs. */
	if ((span + m->pages_per_cell - 1) / m->pages_per_cell < m->cols)
		m->cols = (span + m->pages_per_cell - 1) / m->pages_per_cell;
	if (!m->cols)
		m->cols = 1;
	row_pages = (unsigned long long)m->pages_per_cell * m->cols;
	nrows = (span + row_pages - 1) / row_pages;
	count_bands(runs, nruns, span, row_pages, compress, used);
	if (nrows * m->cols > (1UL << 22))
		die("map: %llu cells is too many (use --pages-per-cell)", nrows * m->cols);

	/* Bands: each used row, each run of empty rows (a gap band if long enough). */
	m->bands = xrealloc(NULL, (nrows + 1) * sizeof(*m->bands));
	m->cell = xrealloc(NULL, (nrows ? nrows : 1) * m->cols * sizeof(*m->cell));
	for (unsigned long long r = 0; r < nrows;) {
		unsigned long long e = r;

		while (compress && e < nrows && !used[e])
			e++;
		if (e - r >= MAP_MIN_GAP_ROWS) {
			unsigned long long last = e * row_pages < span ? e * row_pages : span;

			m->bands[m->nbands++] = (struct band){ .gap = true,
				.pfn = m->start + r * row_pages, .pages = last - r * row_pages };
			m->skipped += last - r * row_pages;
			m->gaps++;
			r = e;
			continue;
		}
		m->bands[m->nbands++] = (struct band){ .pfn = m->start + r * row_pages,
			.pages = (r + 1) * row_pages < span ? row_pages : span - r * row_pages,
			.cell = m->rows * m->cols };
		for (unsigned long col = 0; col < m->cols; col++) {
			unsigned long long p0 = r * row_pages + col * m->pages_per_cell;
			unsigned long count[MAP_MAX_TOP + 1] = { 0 }, best = 0;
			int rank = CELL_FREE;

			if (p0 >= span) {
				m->cell[m->rows * m->cols + col] = CELL_NONE;
				continue;
			}
			for (unsigned long long p = p0; p < p0 + m->pages_per_cell && p < span; p++)
				if (page_owner[p] >= 0)
					count[rank_of_key[page_owner[p]]]++;
			/* The owner of most of the cell's allocated pages; free if none. */
			for (int o = 0; o <= m->top; o++)
				if (count[o] > best) {
					best = count[o];
					rank = o;
				}
			m->cell[m->rows * m->cols + col] = rank;
		}
		m->rows++;
		r++;
	}
	free(used);
	free(runs);
}

static void map_build(struct map *m, const struct capture *c, bool by_stack, int top,
		      long long range_start, long long range_end, unsigned long cols,
		      unsigned long ppc, bool compress)
{
	char **ctx_names = NULL;
	int nctx = 0, nkeys;
	struct owner *all;
	int *rank_of_key;
	int *page_owner;
	unsigned long long span;

	memset(m, 0, sizeof(*m));
	m->by_stack = by_stack;
	/* Extent: the records' pages, or the range asked for. */
	if (range_start >= 0) {
		m->start = range_start;
		m->end = range_end;
	} else {
		bool any = false;

		for (size_t i = 0; i < c->n; i++) {
			const struct rec *r = &c->recs[i];

			if (r->pfn < 0)
				continue;
			if (!any || (unsigned long long)r->pfn < m->start)
				m->start = r->pfn;
			if (!any || r->pfn + r->pages > m->end)
				m->end = r->pfn + r->pages;
			any = true;
		}
		if (!any)
			die("map: %s has no record with a PFN line", c->path);
	}
	span = m->end - m->start;
	if (span > (1ULL << 28))
		die("map: PFN range of %llu pages is too large (use --pfn-range)", span);

	/* Owners: per stack, or per context name. */
	for (size_t i = 0; i < c->n; i++) {
		int j;

		for (j = 0; j < nctx; j++)
			if (!strcmp(ctx_names[j], c->recs[i].comm))
				break;
		if (j == nctx) {
			ctx_names = xrealloc(ctx_names, (nctx + 1) * sizeof(*ctx_names));
			ctx_names[nctx++] = (char *)c->recs[i].comm;
		}
	}
	nkeys = by_stack ? (int)nr_stacks : nctx;
	all = calloc(nkeys ? nkeys : 1, sizeof(*all));
	rank_of_key = calloc(nkeys ? nkeys : 1, sizeof(*rank_of_key));
	page_owner = malloc((span ? span : 1) * sizeof(*page_owner));
	if (!all || !rank_of_key || !page_owner)
		die("out of memory");
	for (int k = 0; k < nkeys; k++)
		all[k].key = k;
	for (unsigned long long p = 0; p < span; p++)
		page_owner[p] = -1;
	for (size_t i = 0; i < c->n; i++) {
		const struct rec *r = &c->recs[i];
		int key = r->stack;
		unsigned long in = 0;

		if (!by_stack)
			for (key = 0; strcmp(ctx_names[key], r->comm); key++)
				;
		if (r->pfn < 0)
			continue;
		for (unsigned long p = 0; p < r->pages; p++) {
			unsigned long long pfn = r->pfn + p;

			if (pfn < m->start || pfn >= m->end)
				continue;
			if (page_owner[pfn - m->start] >= 0) {
				/* The same block twice (a capture pasted twice): count it once. */
				m->duplicates++;
				continue;
			}
			page_owner[pfn - m->start] = key;
			in++;
		}
		m->dropped += r->pages - in;	/* outside the range, or already claimed */
		all[key].pages += in;
		all[key].blocks += in > 0;
		m->allocated += in;
	}
	/* Labels: a context's name; a stack's first caller outside the allocator. */
	for (int k = 0; k < nkeys; k++) {
		const char *base = by_stack ? stacks[k].top : ctx_names[k];

		all[k].label = xstrndup(base, strlen(base));
		all[k].color = hash_color(by_stack ? stack_identity(stacks[k].text) :
					  fnv1a(base, strlen(base)));
	}
	if (by_stack)
		split_twins(all, nkeys);
	owners_by_stack = by_stack;
	qsort(all, nkeys, sizeof(*all), cmp_owner);
	while (nkeys > 0 && all[nkeys - 1].pages == 0)
		free(all[--nkeys].label);
	m->top = top < nkeys ? top : nkeys;
	if (by_stack)
		label_stacks(all, m->top, c);
	for (int r = 0; r < nkeys; r++)
		rank_of_key[all[r].key] = r < m->top ? r : m->top;
	m->owners = xrealloc(NULL, (m->top + 1) * sizeof(*m->owners));
	memcpy(m->owners, all, m->top * sizeof(*all));
	m->owners[m->top] = (struct owner){ .label = xstrndup("other", 5), .color = COLOR_OTHER };
	for (int r = m->top; r < nkeys; r++) {
		m->owners[m->top].pages += all[r].pages;
		m->owners[m->top].blocks += all[r].blocks;
		free(all[r].label);
	}
	m->nowners = m->top + (nkeys > m->top);

	map_layout(m, page_owner, rank_of_key, span, cols, ppc, compress);
	free(page_owner);
	free(rank_of_key);
	free(all);
	free(ctx_names);
}

unsigned long long map_free_pages(const struct map *m)
{
	return m->end - m->start - m->allocated;
}

void map_size(char *buf, size_t size, unsigned long long pages)
{
	unsigned long long kib = pages * 4;

	if (kib >= 1024 * 1024 && kib % (1024 * 1024) == 0)
		snprintf(buf, size, "%llu GiB", kib / (1024 * 1024));
	else if (kib >= 1024 * 1024)
		snprintf(buf, size, "%.1f GiB", kib / (1024.0 * 1024));
	else if (kib >= 1024 && kib % 1024 == 0)
		snprintf(buf, size, "%llu MiB", kib / 1024);
	else if (kib >= 1024)
		snprintf(buf, size, "%.1f MiB", kib / 1024.0);
	else
		snprintf(buf, size, "%llu KiB", kib);
}

void map_summary(const struct map *m, char *buf, size_t size)
{
	snprintf(buf, size, "PFN 0x%llx-0x%llx: %llu pages, %lu allocated, %lu page%s per cell, "
		 "coloured by %s", m->start, m->end - 1, m->end - m->start, m->allocated,
		 m->pages_per_cell, m->pages_per_cell > 1 ? "s" : "",
		 m->by_stack ? "stack" : "context");
}

void map_skipped(const struct map *m, char *buf, size_t size)
{
	char sz[32];

	buf[0] = '\0';
	if (!m->gaps)
		return;
	map_size(sz, sizeof(sz), m->skipped);
	snprintf(buf, size, "compressed: %lu empty stretch%s of RAM (%llu pages, %s) not drawn, "
		 "each a band", m->gaps, m->gaps > 1 ? "es" : "", m->skipped, sz);
}

void map_gap_text(const struct band *b, char *buf, size_t size)
{
	char sz[32];

	map_size(sz, sizeof(sz), b->pages);
	snprintf(buf, size, "0x%llx-0x%llx: %s empty, not drawn", b->pfn,
		 b->pfn + b->pages - 1, sz);
}

/*
 * The picture's geometry for text of @cw x @lh pixels a character and line
 * (the title's characters @title_cw wide): everything inside width x height,
 * the legend beside the grid and as wide as its longest line.
 */
void map_geometry(const struct map *m, struct map_geom *g, unsigned int cw, unsigned int lh,
		  unsigned int title_cw, const char *title)
{
	char buf[256];
	unsigned int label_w, text_w, y, last_label = 0, bottom = 0;
	size_t longest = strlen("free / not in capture");

	memset(g, 0, sizeof(*g));
	g->cw = cw;
	g->lh = lh;
	g->margin = 12;
	/* Cells: the grid about 1024 pixels wide, 2 to 16 pixels a cell, at most ~1200 tall. */
	g->cs = 1024 / m->cols;
	g->cs = g->cs < 2 ? 2 : g->cs > 16 ? 16 : g->cs;
	while (g->cs > 2 && m->rows * g->cs > 1200)
		g->cs--;
	g->gw = m->cols * g->cs;
	g->gap_h = lh + 6;
	snprintf(buf, sizeof(buf), "0x%llx", m->end);
	label_w = strlen(buf) * cw;
	g->left = g->margin + label_w + 8;
	g->title_y = g->margin;
	g->summary_y[0] = g->title_y + lh + 8;
	g->summary_y[1] = g->summary_y[0] + lh;
	g->top = g->summary_y[m->gaps ? 1 : 0] + lh + 12;

	/* Bands top to bottom; a row's PFN on the left where there is room. */
	g->band_y = xrealloc(NULL, (m->nbands + 1) * sizeof(*g->band_y));
	g->row_label = xrealloc(NULL, (m->nbands + 1) * sizeof(*g->row_label));
	text_w = g->gw;
	y = g->top;
	for (unsigned long b = 0; b < m->nbands; b++) {
		g->band_y[b] = y;
		g->row_label[b] = false;
		if (m->bands[b].gap) {
			map_gap_text(&m->bands[b], buf, sizeof(buf));
			if (strlen(buf) * cw + 2 * cw > text_w)
				text_w = strlen(buf) * cw + 2 * cw;
			y += g->gap_h;
			last_label = y;
			continue;
		}
		if (b == 0 || y >= last_label) {
			g->row_label[b] = true;
			last_label = y + lh;
			bottom = last_label;
		}
		y += g->cs;
	}
	g->grid_bottom = y > bottom ? y : bottom;

	/* Legend: swatch, label, pages, share; its longest label sets its width. */
	for (int o = 0; o < m->nowners; o++)
		if (strlen(m->owners[o].label) > longest)
			longest = strlen(m->owners[o].label);
	if (longest < strlen("empty, not drawn"))
		longest = strlen("empty, not drawn");
	g->row_h = lh + 4;
	g->lx = g->left + text_w + 28;
	g->col_label = g->lx + lh + 8;
	g->col_pages = g->col_label + (unsigned int)(longest + 11) * cw;	/* right edge */
	g->col_pct = g->col_pages + 9 * cw;				/* right edge */
	g->width = g->col_pct + g->margin;
	g->legend_rows = m->nowners + 2 + (m->gaps ? 1 : 0);		/* header, free */
	g->height = g->top + g->legend_rows * g->row_h;
	if (g->grid_bottom > g->height)
		g->height = g->grid_bottom;
	g->height += g->margin;

	/* The title and the lines under it fit too. */
	if (g->margin + strlen(title) * title_cw + g->margin > g->width)
		g->width = g->margin + strlen(title) * title_cw + g->margin;
	map_summary(m, buf, sizeof(buf));
	if (g->margin + strlen(buf) * cw + g->margin > g->width)
		g->width = g->margin + strlen(buf) * cw + g->margin;
	map_skipped(m, buf, sizeof(buf));
	if (g->margin + strlen(buf) * cw + g->margin > g->width)
		g->width = g->margin + strlen(buf) * cw + g->margin;
}

void map_geometry_free(struct map_geom *g)
{
	free(g->band_y);
	free(g->row_label);
}

/* Legend row @i (0 the header): its swatch colour (-1 none) and texts. */
void map_legend_row(const struct map *m, int i, uint32_t *color, char *label, size_t lsize,
		    char *pages, char *share, size_t size)
{
	unsigned long long n = 0;

	*color = (uint32_t)-1;
	share[0] = '\0';
	if (i == 0) {
		snprintf(label, lsize, "%s", m->by_stack ? "stack (context)" : "context");
		snprintf(pages, size, "pages");
		snprintf(share, size, "%% alloc");
		return;
	}
	i--;
	if (i < m->nowners) {
		*color = m->owners[i].color;
		snprintf(label, lsize, "%s", m->owners[i].label);
		n = m->owners[i].pages;
		snprintf(share, size, "%.1f", m->allocated ? 100.0 * n / m->allocated : 0.0);
	} else if (i == m->nowners) {
		*color = COLOR_FREE;
		snprintf(label, lsize, "free / not in capture");
		n = map_free_pages(m) - m->skipped;
	} else {
		*color = COLOR_GAP;
		snprintf(label, lsize, "empty, not drawn");
		n = m->skipped;
	}
	snprintf(pages, size, "%llu", n);
}

/* ------------------------------------------------------------------------
 * The command
 * ---------------------------------------------------------------------- */

int cmd_map(int argc, char **argv)
{
	const char *in = NULL, *svg = NULL, *png = NULL, *v, *by = "stack";
	long long rs = -1, re = -1;
	unsigned long top = 10, cols = 0, ppc = 0;
	bool compress = true;
	struct capture c;
	struct map m;
	char title[256];

	for (int i = 1; i < argc; i++) {
		if (parse_opt(argc, argv, &i, "-o", &v))
			svg = v;
		else if (parse_opt(argc, argv, &i, "--png", &v))
			png = v;
		else if (parse_opt(argc, argv, &i, "--by", &v))
			by = v;
		else if (parse_opt(argc, argv, &i, "--top", &v))
			top = parse_count(v, "--top");
		else if (parse_opt(argc, argv, &i, "--cols", &v))
			cols = parse_count(v, "--cols");
		else if (parse_opt(argc, argv, &i, "--pages-per-cell", &v))
			ppc = parse_count(v, "--pages-per-cell");
		else if (!strcmp(argv[i], "--no-compress"))
			compress = false;
		else if (parse_opt(argc, argv, &i, "--pfn-range", &v)) {
			char *end;

			rs = strtoll(v, &end, 0);
			if (*end != '-' || rs < 0)
				die("--pfn-range wants START-END, e.g. 0x40000-0x60000");
			re = strtoll(end + 1, &end, 0);
			if (*end || re <= rs)
				die("--pfn-range wants START-END with START < END");
		} else if (argv[i][0] == '-' && argv[i][1])
			die("map: unknown option '%s'", argv[i]);
		else if (in)
			die("map: one capture only");
		else
			in = argv[i];
	}
	if (!in || (!svg && !png))
		die("usage: analyse map [--by stack|context] [--top N] [--pfn-range A-B] "
		    "[--cols N] [--pages-per-cell N] [--no-compress] -o map.svg [--png map.png] "
		    "capture.txt");
	if (strcmp(by, "stack") && strcmp(by, "context"))
		die("--by is stack or context");
	if (top < 1 || top > MAP_MAX_TOP)
		die("--top is 1..%d", MAP_MAX_TOP);
	if (cols > 4096 || (ppc && (ppc & (ppc - 1))))
		die("--cols is at most 4096, --pages-per-cell a power of two");

	capture_read(&c, in);
	map_build(&m, &c, !strcmp(by, "stack"), (int)top, rs, re, cols, ppc, compress);
	snprintf(title, sizeof(title), "ferret physical memory: %s", in);
	if (svg)
		write_svg(&m, svg, title);
	if (png)
		write_png(&m, png, title);
	fprintf(stderr, "%s: %zu records, %lu of %llu pages allocated, %lu x %lu cells of %lu "
		"pages%s%s%s%s\n", prog, c.n, m.allocated, m.end - m.start, m.cols, m.rows,
		m.pages_per_cell, svg ? " -> " : "", svg ? svg : "", png ? " -> " : "",
		png ? png : "");
	if (m.gaps)
		fprintf(stderr, "%s: %lu empty stretch%s of %llu pages not drawn\n", prog, m.gaps,
			m.gaps > 1 ? "es" : "", m.skipped);
	if (m.duplicates)
		fprintf(stderr, "%s: %lu pages are claimed by more than one record: each counted "
			"once, for the first record\n", prog, m.duplicates);
	return 0;
}
