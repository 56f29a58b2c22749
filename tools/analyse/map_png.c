// SPDX-License-Identifier: GPL-2.0
/*
 * analyse map: the picture as PNG, drawn with libgd (Debian's libgd-dev): a
 * palette image, text in gd's own 8x16 font (the title in its 9x15 bold
 * one), written by libpng through gd.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gd.h>
#include <gdfontg.h>
#include <gdfontl.h>

#include "analyse.h"
#include "map.h"

static int gd_color(gdImagePtr im, uint32_t rgb)
{
	int c = gdImageColorExact(im, rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff);

	if (c < 0)
		c = gdImageColorAllocate(im, rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff);
	if (c < 0)
		die("map: the PNG's palette is full");
	return c;
}

static void text(gdImagePtr im, gdFontPtr font, int x, int y, const char *s, int color)
{
	gdImageString(im, font, x, y, (unsigned char *)s, color);
}

/* Text whose right edge is at @x. */
static void text_right(gdImagePtr im, gdFontPtr font, int x, int y, const char *s, int color)
{
	text(im, font, x - (int)strlen(s) * font->w, y, s, color);
}

void write_png(const struct map *m, const char *path, const char *title)
{
	gdFontPtr font = gdFontGetLarge(), big = gdFontGetGiant();
	char buf[256], label[256], pages[32], share[32];
	int bg, ink, label_ink, free_c, gap_c, edge, *owner_c;
	struct map_geom g;
	gdImagePtr im;
	uint32_t color;
	FILE *f;

	map_geometry(m, &g, (unsigned int)font->w, (unsigned int)font->h + 2,
		     (unsigned int)big->w, title);
	im = gdImageCreate((int)g.width, (int)g.height);
	if (!im)
		die("map: cannot make a %ux%u image", g.width, g.height);
	bg = gd_color(im, COLOR_BG);		/* the first colour is the background */
	ink = gd_color(im, COLOR_TEXT);
	label_ink = gd_color(im, 0x444444);
	free_c = gd_color(im, COLOR_FREE);
	gap_c = gd_color(im, COLOR_GAP);
	edge = gd_color(im, 0x999999);
	owner_c = xrealloc(NULL, (m->nowners + 1) * sizeof(*owner_c));
	for (int o = 0; o < m->nowners; o++)
		owner_c[o] = gd_color(im, m->owners[o].color);
	(void)bg;

	text(im, big, (int)g.margin, (int)g.title_y, title, ink);
	map_summary(m, buf, sizeof(buf));
	text(im, font, (int)g.margin, (int)g.summary_y[0], buf, ink);
	map_skipped(m, buf, sizeof(buf));
	if (buf[0])
		text(im, font, (int)g.margin, (int)g.summary_y[1], buf, ink);

	for (unsigned long b = 0; b < m->nbands; b++) {
		int y = (int)g.band_y[b];

		if (m->bands[b].gap) {
			map_gap_text(&m->bands[b], buf, sizeof(buf));
			unsigned int w = (unsigned int)(strlen(buf) + 2) * g.cw;

			w = w > g.gw ? w : g.gw;
			gdImageFilledRectangle(im, (int)g.left, y + 1, (int)(g.left + w - 1),
					       y + (int)g.gap_h - 2, gap_c);
			gdImageSetStyle(im, (int[]){ edge, edge, edge, edge, gap_c, gap_c, gap_c }, 7);
			gdImageRectangle(im, (int)g.left, y + 1, (int)(g.left + w - 1),
					 y + (int)g.gap_h - 2, gdStyled);
			text(im, font, (int)(g.left + g.cw), y + 3, buf, ink);
			continue;
		}
		for (unsigned long col = 0; col < m->cols; col++) {
			int cell = m->cell[m->bands[b].cell + col];
			int x = (int)(g.left + col * g.cs);

			if (cell == CELL_NONE)
				break;
			gdImageFilledRectangle(im, x, y, x + (int)g.cs - 1, y + (int)g.cs - 1,
					       cell == CELL_FREE ? free_c : owner_c[cell]);
		}
		if (g.row_label[b]) {
			snprintf(buf, sizeof(buf), "0x%llx", m->bands[b].pfn);
			text_right(im, font, (int)g.left - 6, y, buf, label_ink);
		}
	}

	for (unsigned int i = 0; i < g.legend_rows; i++) {
		int y = (int)(g.top + i * g.row_h);

		map_legend_row(m, (int)i, &color, label, sizeof(label), pages, share, sizeof(share));
		if (color != (uint32_t)-1) {
			int s = (int)g.lh - 4;

			gdImageFilledRectangle(im, (int)g.lx, y + 1, (int)g.lx + s - 1, y + s,
					       gd_color(im, color));
			gdImageRectangle(im, (int)g.lx, y + 1, (int)g.lx + s - 1, y + s, ink);
		}
		text(im, font, (int)g.col_label, y, label, ink);
		text_right(im, font, (int)g.col_pages, y, pages, ink);
		if (share[0])
			text_right(im, font, (int)g.col_pct, y, share, ink);
	}

	f = fopen(path, "wb");
	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	gdImagePngEx(im, f, 9);
	close_out(f, path);
	gdImageDestroy(im);
	free(owner_c);
	map_geometry_free(&g);
}
