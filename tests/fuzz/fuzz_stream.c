// SPDX-License-Identifier: GPL-2.0
/*
 * The owner stream's decoder (lib/owner_stream.c, what po_decode and
 * `capture --stream` read a serial capture with), two ways:
 *
 * - Hostile lines (first byte even): headers, frames and trailers with any
 *   field values and any binary payload, each sealed with its right CRC so
 *   the payload parser is reached, and raw lines as they come. Promises: no
 *   memory error; a record's block lies inside its stream's pfn range and
 *   does not wrap; a lost range is not reversed.
 * - A damaged real stream (first byte odd): records made from the input go
 *   through the real encoder, then lines are dropped, repeated, swapped, cut,
 *   changed or added. Promises: a record decoded is exactly the text the
 *   kernel would print for a block that was sent, and comes once (once per
 *   header: the header repeated starts the stream again); every
 *   block sent is decoded or inside a range reported lost (when the decoder
 *   saw the stream's header at all); an undamaged stream decodes whole.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/owner_stream.h>

#include "../host/ostream_test_util.h"
#include "fuzz.h"

#define MAX_RECS	512
#define MAX_LINES	256
#define MAX_DAMAGE	8

static const char elf_id[] = "fe77e70123456789abcdef10325476" "98badcfe00";

/* ---- the decoder's side, shared ---- */

/* FUZZ_VERBOSE=1 in the environment: each line fed and each record and loss, on stderr. */
static bool verbose;

struct sink {
	struct ostream_dec *dec;
	/* mode B: what was sent */
	const struct ostream_rec *recs;
	size_t nrecs;
	unsigned char *seen;		/* per record: decoded how many times */
	struct { unsigned long start, end; } lost[4096];
	size_t nlost;
	bool lost_overflow;
	unsigned long records;
};

static void *dec_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

static const struct ostream_rec *sent(const struct sink *s, unsigned long pfn, size_t *at)
{
	size_t lo = 0, hi = s->nrecs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->recs[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < s->nrecs && s->recs[lo].pfn == pfn ? &s->recs[lo] : NULL;
}

static void on_record(void *priv, unsigned long pfn, unsigned int order, const char *text,
		      size_t len)
{
	struct sink *s = priv;
	const struct ostream_dec *d = s->dec;

	s->records++;
	if (verbose)
		fprintf(stderr, "record pfn 0x%lx order %u\n", pfn, order);
	FUZZ_ASSERT(d->in_stream);
	if (strcmp(d->kind, "page_owner"))	/* a text stream: pfn counts lines */
		return;
	FUZZ_ASSERT(order <= 20);
	FUZZ_ASSERT(pfn >= d->start && pfn < d->end);
	FUZZ_ASSERT(pfn + (1UL << order) > pfn);
	if (s->recs) {
		char want[4096];
		size_t at, n;
		const struct ostream_rec *r = sent(s, pfn, &at);

		FUZZ_ASSERT(r != NULL);		/* a block that was sent */
		FUZZ_ASSERT(r->order == order);
		n = expected_text(want, sizeof(want), r, 9);
		FUZZ_ASSERT(n == len && !memcmp(want, text, len));
		FUZZ_ASSERT(s->seen[at] == 0);	/* once */
		s->seen[at]++;
	}
}

static void on_lost(void *priv, unsigned long start, unsigned long end, const char *why)
{
	struct sink *s = priv;

	if (verbose)
		fprintf(stderr, "lost 0x%lx-0x%lx: %s\n", start, end, why);
	FUZZ_ASSERT(start <= end);
	FUZZ_ASSERT(why && *why);
	if (s->nlost < ARRAY_SIZE(s->lost)) {
		s->lost[s->nlost].start = start;
		s->lost[s->nlost].end = end;
		s->nlost++;
	} else {
		s->lost_overflow = true;
	}
}

static void dec_init(struct ostream_dec *d, struct sink *s, unsigned int how)
{
	*d = (struct ostream_dec){ .realloc = dec_realloc, .free = free, .record = on_record,
				   .lost = on_lost, .priv = s };
	if (how & 1) {		/* an ELF is given, the right one or another */
		d->symbolize = ostream_test_symbolize;
		d->elf_build_id = how & 2 ? elf_id : "0123456789012345678901234567890123456789";
	}
	s->dec = d;
}

/* ---- mode A: hostile lines, sealed with their CRC ---- */

static char *seal(char *line, char *s)
{
	u32 crc = ostream_crc32(0, line, (size_t)(s - line));

	return s + sprintf(s, " %08x", crc);
}

static unsigned long fuzz_num(struct fuzz_in *in)
{
	unsigned int b = fuzz_u8(in);

	if (b < 0x80)			/* small values, often */
		return b;
	return fuzz_ulong(in, 1 + (b & 7));
}

static void hostile_lines(struct fuzz_in *in)
{
	struct ostream_dec d;
	static struct sink s;
	static char line[OSTREAM_LINE_MAX * 2];
	u8 payload[OSTREAM_PAYLOAD];

	memset(&s, 0, sizeof(s));
	dec_init(&d, &s, fuzz_u8(in));
	while (in->left) {
		unsigned int op = fuzz_u8(in) % 6, n;
		char *p = line;

		switch (op) {
		case 0: {	/* header */
			unsigned int f = fuzz_u8(in);

			p += sprintf(p, "@H 2 %s %lx %lx %lx %lx %c ", f & 1 ? "leaks" : "page_owner",
				     fuzz_num(in) % 40, fuzz_num(in), fuzz_num(in), fuzz_num(in),
				     f & 2 ? 'e' : 'k');
			p += sprintf(p, "%s", f & 4 ? "-" : elf_id);
			p = seal(line, p);
			break;
		}
		case 1: {	/* frame: any payload */
			unsigned long seq = fuzz_num(in), start = fuzz_num(in), end = fuzz_num(in);

			n = fuzz_u8(in) | fuzz_u8(in) << 8;
			n %= OSTREAM_PAYLOAD + 1;
			n = n < in->left ? n : (unsigned int)in->left;
			memcpy(payload, in->p, n);
			in->p += n;
			in->left -= n;
			p += sprintf(p, "@F %lx %lx %lx ", seq, start, end);
			p += ostream_b85_encode(p, payload, n);
			p = seal(line, p);
			break;
		}
		case 2:		/* trailer */
			p += sprintf(p, "@E %lx %lx %lx %s", fuzz_num(in), fuzz_num(in), fuzz_num(in),
				     fuzz_u8(in) & 1 ? "aborted" : "done");
			p = seal(line, p);
			break;
		case 3:		/* a raw line, sealed or not */
		case 4: {
			char *raw = fuzz_str(in);

			n = (unsigned int)strnlen(raw, sizeof(line) - 16);
			memcpy(p, raw, n);
			p += n;
			free(raw);
			if (op == 4)
				p = seal(line, p);
			break;
		}
		default:	/* the input over: the next stream may follow */
			ostream_dec_finish(&d);
			dec_init(&d, &s, fuzz_u8(in));
			continue;
		}
		ostream_dec_line(&d, line, (size_t)(p - line));
	}
	ostream_dec_finish(&d);
}

/* ---- mode B: a real stream, damaged ---- */

static char wire[1 << 20];
static size_t wire_len;

static void out_line(void *priv, const char *s, size_t n)
{
	if (wire_len + n < sizeof(wire)) {
		memcpy(wire + wire_len, s, n);
		wire_len += n;
	}
}

static size_t make_records(struct fuzz_in *in, struct ostream_rec *recs)
{
	unsigned long pfn = 0x40000 + fuzz_u8(in);
	u64 ts = fuzz_ulong(in, 3);
	size_t n = 0, runs = fuzz_u8(in) % 32 + 1;

	for (size_t r = 0; r < runs && n < MAX_RECS; r++) {
		unsigned int b = fuzz_u8(in), order = b & 3 ? 0 : fuzz_u8(in) % 11;
		unsigned int len = fuzz_u8(in) % 64 + 1;
		u32 stack = fuzz_u8(in) % 40 * 7 + 2, ctx = (b >> 2) % 6;

		pfn += b & 0x40 ? fuzz_num(in) % 0x100000 : 0;
		pfn = (pfn + (1UL << order) - 1) & ~((1UL << order) - 1);
		for (unsigned int i = 0; i < len && n < MAX_RECS; i++) {
			recs[n++] = (struct ostream_rec){
				.pfn = pfn, .order = order, .stack = stack, .ctx = ctx,
				.flags = 0x100 | order, .mt = (u32)(pfn >> 9) % 3,
				.ts_us = ts,
			};
			ts += b & 0x80 ? (u64)fuzz_u8(in) : 1;
			pfn += 1UL << order;
		}
	}
	return n;
}

static void damaged_stream(struct fuzz_in *in)
{
	static struct ostream_rec recs[MAX_RECS];
	static struct ostream_enc enc;
	static u32 stack_bits[64];
	static struct sink s;
	static unsigned char seen[MAX_RECS];
	struct { const char *p; size_t n; } lines[MAX_LINES + MAX_DAMAGE];
	char *extra[MAX_DAMAGE];
	unsigned int how = fuzz_u8(in), nextra = 0, damage;
	size_t nr = make_records(in, recs), nl = 0, header_len;
	unsigned long start = recs[0].pfn & ~0xffUL;
	unsigned long end = recs[nr - 1].pfn + (1UL << recs[nr - 1].order) + (how >> 4);
	struct ostream_dec d;

	wire_len = 0;
	ostream_test_encode(&enc, out_line, stack_bits, sizeof(stack_bits), how & 4, recs, nr,
			    start, end);
	FUZZ_ASSERT(wire_len < sizeof(wire));

	for (size_t i = 0; i < wire_len && nl < MAX_LINES;) {
		const char *nlp = memchr(wire + i, '\n', wire_len - i);
		size_t l = nlp ? (size_t)(nlp - (wire + i)) : wire_len - i;

		lines[nl].p = wire + i;
		lines[nl++].n = l;
		i += l + 1;
	}
	if (nl == MAX_LINES)		/* too long a stream for this check */
		return;
	header_len = lines[0].n;

	damage = fuzz_u8(in) % (MAX_DAMAGE + 1);
	for (unsigned int k = 0; k < damage && in->left; k++) {
		unsigned int op = fuzz_u8(in) % 6;
		size_t i = fuzz_u8(in) % nl, j = fuzz_u8(in) % nl;

		switch (op) {
		case 0:		/* a line lost */
			memmove(&lines[i], &lines[i + 1], (nl - i - 1) * sizeof(lines[0]));
			nl--;
			break;
		case 1:		/* a line twice */
			memmove(&lines[j + 1], &lines[j], (nl - j) * sizeof(lines[0]));
			lines[j] = lines[i < j ? i : i + 1];
			nl++;
			break;
		case 2: {	/* two lines swapped */
			__typeof__(lines[0]) t = lines[i];

			lines[i] = lines[j];
			lines[j] = t;
			break;
		}
		case 3:		/* a line cut short */
			lines[i].n = lines[i].n ? fuzz_u8(in) % lines[i].n : 0;
			break;
		default: {	/* a byte changed, or a noise line added */
			char *x = malloc(OSTREAM_LINE_MAX + 2);
			size_t n = lines[i].n < OSTREAM_LINE_MAX ? lines[i].n : OSTREAM_LINE_MAX;

			memcpy(x, lines[i].p, n);
			if (op == 4 && n) {
				x[fuzz_u8(in) % n] ^= (char)(fuzz_u8(in) | 1);
				lines[i].p = x;
				lines[i].n = n;
			} else {
				char *raw = fuzz_str(in);

				n = strnlen(raw, OSTREAM_LINE_MAX);
				memcpy(x, raw, n);
				free(raw);
				memmove(&lines[j + 1], &lines[j], (nl - j) * sizeof(lines[0]));
				lines[j].p = x;
				lines[j].n = n;
				nl++;
			}
			extra[nextra++] = x;
			break;
		}
		}
		if (!nl)
			break;
	}

	memset(&s, 0, sizeof(s));
	memset(seen, 0, nr);
	s.recs = recs;
	s.nrecs = nr;
	s.seen = seen;
	dec_init(&d, &s, how & 4 ? 3 : 0);	/* host symbols: the right ELF */
	for (size_t i = 0; i < nl; i++) {
		/*
		 * The header again (repeated, or the same bytes made up) starts the
		 * stream again: its records may come again.
		 */
		if (lines[i].n == header_len && !memcmp(lines[i].p, wire, header_len))
			memset(seen, 0, nr);
		if (verbose)
			fprintf(stderr, "line %zu: %.*s\n", i, (int)lines[i].n, lines[i].p);
		ostream_dec_line(&d, lines[i].p, lines[i].n);
	}
	{
		bool header = d.frames || d.have_trailer || d.in_stream || s.nlost;

		ostream_dec_finish(&d);
		/* Every block sent: decoded, or inside a range said lost. */
		if (header && !s.lost_overflow) {
			for (size_t i = 0; i < nr; i++) {
				bool said = seen[i];

				for (size_t k = 0; k < s.nlost && !said; k++)
					said = recs[i].pfn >= s.lost[k].start &&
					       recs[i].pfn < s.lost[k].end;
				FUZZ_ASSERT(said);
			}
		}
		if (!damage) {		/* whole, and nothing said lost */
			FUZZ_ASSERT(s.nlost == 0 && s.records == nr);
		}
	}
	for (unsigned int k = 0; k < nextra; k++)
		free(extra[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	if (!size)
		return 0;
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (fuzz_u8(&in) & 1)
		damaged_stream(&in);
	else
		hostile_lines(&in);
	return 0;
}
