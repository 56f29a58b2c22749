/* SPDX-License-Identifier: GPL-2.0 */
/*
 * analyse map: the picture's model, laid out by map.c and drawn by
 * map_svg.c and map_png.c.
 *
 * Physical memory from @start to @end is cut into rows of @cols cells of
 * @pages_per_cell pages. A run of at least MAP_MIN_GAP_ROWS rows with no
 * allocated page is not drawn: it becomes a gap band that says which PFNs it
 * stands for. Each cell takes the colour of the owner of most of its
 * allocated pages. An owner's colour comes from its identity (the function
 * names of its stack, or its context's name), never from its rank, so it is
 * the same in every view of every capture.
 */
#ifndef ANALYSE_MAP_H
#define ANALYSE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAP_MAX_TOP		20
#define MAP_MAX_ROWS		256	/* drawn rows and gap bands, when ppc is chosen */
#define MAP_MIN_GAP_ROWS	2	/* empty rows that become a gap band */

#define COLOR_OTHER	0x555555
#define COLOR_FREE	0xdddddd
#define COLOR_GAP	0xf4f4f4
#define COLOR_BG	0xffffff
#define COLOR_TEXT	0x000000

/* Cell values besides an owner's index. */
#define CELL_FREE	-1	/* no allocated page */
#define CELL_NONE	-2	/* past the end of the range (last row) */

struct owner {
	char *label;
	unsigned long pages, blocks;
	int key;		/* stack id, or index of the context name */
	uint32_t color;		/* 0xrrggbb */
};

/* A drawn row of cells, or a gap band standing for empty rows. */
struct band {
	bool gap;
	unsigned long long pfn, pages;	/* first PFN and pages covered */
	unsigned long cell;		/* a row: index of its first cell */
};

struct map {
	unsigned long long start, end;	/* pfn range [start, end) */
	unsigned long pages_per_cell;
	unsigned long cols;
	struct band *bands;
	unsigned long nbands, rows, gaps;	/* bands = rows + gaps */
	int *cell;			/* rows * cols: owner index, CELL_FREE, CELL_NONE */
	struct owner *owners;		/* top first, then "other" */
	int nowners, top;
	unsigned long allocated;	/* pages in range */
	unsigned long long skipped;	/* pages in gap bands */
	bool by_stack;
	unsigned long dropped;		/* pages outside the range */
	unsigned long duplicates;	/* pages a record claims that an earlier one did */
};

uint32_t owner_color(const struct map *m, int owner);
unsigned long long map_free_pages(const struct map *m);
/* "16 MiB", "512 KiB", "4 GiB": @pages of 4 KiB in a short form. */
void map_size(char *buf, size_t size, unsigned long long pages);
/* The lines under the title: range and cell size; what was not drawn ("" if nothing). */
void map_summary(const struct map *m, char *buf, size_t size);
void map_skipped(const struct map *m, char *buf, size_t size);
/* The text of a gap band. */
void map_gap_text(const struct band *b, char *buf, size_t size);

/* Where everything goes, in pixels; y is the top of a band or a line of text. */
struct map_geom {
	unsigned int cw, lh, margin;		/* character width, line height */
	unsigned int cs, gw, gap_h;		/* cell size, grid width, gap band height */
	unsigned int left, top, grid_bottom;	/* grid origin and end */
	unsigned int *band_y;			/* top of each band */
	bool *row_label;			/* a row band with its PFN on the left */
	unsigned int title_y, summary_y[2];
	unsigned int lx, row_h, legend_rows;	/* legend: swatch x, row height, rows */
	unsigned int col_label, col_pages, col_pct;	/* label x; right edges of the numbers */
	unsigned int width, height;
};

void map_geometry(const struct map *m, struct map_geom *g, unsigned int cw, unsigned int lh,
		  unsigned int title_cw, const char *title);
void map_geometry_free(struct map_geom *g);
void map_legend_row(const struct map *m, int i, uint32_t *color, char *label, size_t lsize,
		    char *pages, char *share, size_t size);

void write_svg(const struct map *m, const char *path, const char *title);
void write_png(const struct map *m, const char *path, const char *title);

#endif
