// SPDX-License-Identifier: GPL-2.0
/*
 * analyse map: the picture as SVG. One <g> per owner (its <title> shows on
 * hover) with a rectangle per run of equal cells in a row; a gap band per
 * empty stretch that was not drawn; the legend beside the grid, sized from
 * its longest line so nothing is cut off.
 */
#include <stdio.h>
#include <string.h>

#include "analyse.h"
#include "map.h"
#include "../lib/xml.h"

/* Text metrics: monospace at 14 px is at most 8.5 px a character. */
#define FONT_PX		14
#define CHAR_W		9
#define LINE_H		18
#define TITLE_PX	18
#define TITLE_CW	12

/* A line of text whose top is at @y (SVG places the baseline). */
static void text(FILE *f, unsigned int x, unsigned int y, const char *anchor, const char *s)
{
	fprintf(f, "<text x=\"%u\" y=\"%u\"%s%s%s>", x, y + FONT_PX - 1,
		anchor ? " text-anchor=\"" : "", anchor ? anchor : "", anchor ? "\"" : "");
	xml_escape(f, s, strlen(s));
	fprintf(f, "</text>\n");
}

void write_svg(const struct map *m, const char *path, const char *title)
{
	FILE *f = open_out(path);
	struct map_geom g;
	char buf[256], label[256], pages[32], share[32];
	uint32_t color;

	map_geometry(m, &g, CHAR_W, LINE_H, TITLE_CW, title);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
		"viewBox=\"0 0 %u %u\" font-family=\"DejaVu Sans Mono, monospace\" "
		"font-size=\"%d\">\n", g.width, g.height, g.width, g.height, FONT_PX);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#%06x\"/>\n", COLOR_BG);
	fprintf(f, "<text x=\"%u\" y=\"%u\" font-size=\"%d\" font-weight=\"bold\">", g.margin,
		g.title_y + TITLE_PX - 2, TITLE_PX);
	xml_escape(f, title, strlen(title));
	fprintf(f, "</text>\n");
	map_summary(m, buf, sizeof(buf));
	text(f, g.margin, g.summary_y[0], NULL, buf);
	map_skipped(m, buf, sizeof(buf));
	if (buf[0])
		text(f, g.margin, g.summary_y[1], NULL, buf);

	/* Free background of each drawn row, as far as the range goes. */
	fprintf(f, "<g fill=\"#%06x\"><title>free or not in the capture</title>\n", COLOR_FREE);
	for (unsigned long b = 0; b < m->nbands; b++) {
		unsigned long n = 0;

		if (m->bands[b].gap)
			continue;
		while (n < m->cols && m->cell[m->bands[b].cell + n] != CELL_NONE)
			n++;
		fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"%lu\" height=\"%u\"/>\n", g.left,
			g.band_y[b], n * g.cs, g.cs);
	}
	fprintf(f, "</g>\n");

	/* Gap bands: what was not drawn, said on the band. */
	for (unsigned long b = 0; b < m->nbands; b++) {
		if (!m->bands[b].gap)
			continue;
		map_gap_text(&m->bands[b], buf, sizeof(buf));
		fprintf(f, "<g class=\"gap\"><title>%s</title>", buf);
		fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#%06x\" "
			"stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n", g.left, g.band_y[b] + 1,
			g.gw > strlen(buf) * CHAR_W + 2 * CHAR_W ? g.gw :
			(unsigned int)(strlen(buf) * CHAR_W + 2 * CHAR_W), g.gap_h - 2, COLOR_GAP);
		text(f, g.left + CHAR_W, g.band_y[b] + 3, NULL, buf);
		fprintf(f, "</g>\n");
	}

	/* One group per owner; a rect per run of equal cells in a row. */
	for (int o = 0; o < m->nowners; o++) {
		fprintf(f, "<g fill=\"#%06x\"><title>", owner_color(m, o));
		xml_escape(f, m->owners[o].label, strlen(m->owners[o].label));
		fprintf(f, ": %lu pages</title>\n", m->owners[o].pages);
		for (unsigned long b = 0; b < m->nbands; b++) {
			const int *row = m->cell + m->bands[b].cell;

			if (m->bands[b].gap)
				continue;
			for (unsigned long col = 0; col < m->cols;) {
				unsigned long run = col;

				while (run < m->cols && row[run] == o)
					run++;
				if (run == col) {
					col++;
					continue;
				}
				fprintf(f, "<rect x=\"%lu\" y=\"%u\" width=\"%lu\" height=\"%u\"/>\n",
					g.left + col * g.cs, g.band_y[b], (run - col) * g.cs, g.cs);
				col = run;
			}
		}
		fprintf(f, "</g>\n");
	}

	/* Row labels: a row's first PFN where there is room for it. */
	fprintf(f, "<g class=\"pfn\" font-size=\"%d\">\n", FONT_PX - 2);
	for (unsigned long b = 0; b < m->nbands; b++) {
		if (!g.row_label[b])
			continue;
		snprintf(buf, sizeof(buf), "0x%llx", m->bands[b].pfn);
		text(f, g.left - 6, g.band_y[b], "end", buf);
	}
	fprintf(f, "</g>\n");

	/* Legend: the top-N table. */
	fprintf(f, "<g class=\"legend\">\n");
	for (unsigned int i = 0; i < g.legend_rows; i++) {
		unsigned int y = g.top + i * g.row_h;

		map_legend_row(m, (int)i, &color, label, sizeof(label), pages, share, sizeof(share));
		if (color != (uint32_t)-1)
			fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" "
				"fill=\"#%06x\" stroke=\"#000\" stroke-width=\"0.5\"/>\n", g.lx,
				y + 2, LINE_H - 4, LINE_H - 4, color);
		fprintf(f, "<g%s>\n", i == 0 ? " font-weight=\"bold\"" : "");
		text(f, g.col_label, y, NULL, label);
		text(f, g.col_pages, y, "end", pages);
		if (share[0])
			text(f, g.col_pct, y, "end", share);
		fprintf(f, "</g>\n");
	}
	fprintf(f, "</g>\n</svg>\n");
	map_geometry_free(&g);
	close_out(f, path);
}
