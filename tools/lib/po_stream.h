/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the owner stream (include/ferret/owner_stream.h): collect
 * what lib/owner_stream.c's decoder hands out, records and lost pfn ranges,
 * merge repairs in and write the text. Shared by po_decode and capture.
 */
#ifndef TOOLS_PO_STREAM_H
#define TOOLS_PO_STREAM_H

#include <stdio.h>
#include <ferret/owner_stream.h>

#include "elf_syms.h"

struct po_text {
	unsigned long pfn, end;
	char *text;
	size_t len;
};

struct po_lost {
	unsigned long start, end;
	char why[96];
};

struct po_collect {
	struct ostream_dec dec;
	struct po_text *recs;
	size_t nrecs, cap_recs;
	struct po_lost *lost;
	size_t nlost, cap_lost;
	const struct elf_syms *elf;	/* frames sent as addresses are resolved here */
	char *pending;			/* a line not yet ended (po_collect_feed()) */
	size_t pending_len, pending_cap;
};

/* Ready @c to decode one capture; @elf: the kernel's ELF, or NULL. */
void po_collect_init(struct po_collect *c, const struct elf_syms *elf);
/* "<tool>: refused: ..." and true when the ELF given is not the stream's image. */
bool po_collect_elf_refused(const struct po_collect *c, FILE *f, const char *tool);
/* Feed a buffer of lines (any split); call po_collect_done() at the end. */
void po_collect_feed(struct po_collect *c, const char *buf, size_t n);
void po_collect_done(struct po_collect *c);
/*
 * Take the records of @fix into @c, in pfn order, and forget the losses of
 * @c that @fix's stream covered ([fix_start, fix_end)) unless @fix lost them too.
 */
void po_collect_merge(struct po_collect *c, struct po_collect *fix, unsigned long fix_start,
		      unsigned long fix_end);
/* Write every record's text, in pfn order. Return: 0, or -1 on a write error. */
int po_collect_write(const struct po_collect *c, FILE *out);
/* "<tool>: lost pfns 0x..-0x.. (N pages): why" for each loss, on @f. */
void po_collect_report(const struct po_collect *c, FILE *f, const char *tool);
void po_collect_free(struct po_collect *c);

#endif
