// SPDX-License-Identifier: GPL-2.0
/*
 * The owner stream's codec (lib/owner_stream.c): CRC and base85 against known
 * values, encoder -> decoder round trips against text built here with the C
 * library's printf, the size of runs, lost, corrupted and cut frames reported
 * with their pfn ranges, and damaged input that must never crash.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/owner_stream.h>
#include <ferret/string.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "htest.h"
#include "ostream_test_util.h"

/* ---- the wire: lines into one buffer ---- */

static char wire[1 << 22];
static size_t wire_len;

static void out_line(void *priv, const char *s, size_t n)
{
	CHECK(wire_len + n < sizeof(wire));
	if (wire_len + n < sizeof(wire)) {
		memcpy(wire + wire_len, s, n);
		wire_len += n;
		wire[wire_len] = '\0';
	}
}

static struct ostream_enc enc;
static u32 stack_bits[1024];
static bool host_symbols;

static void enc_stream(const struct ostream_rec *recs, size_t n, unsigned long start,
		       unsigned long end)
{
	wire_len = 0;
	ostream_test_encode(&enc, out_line, stack_bits, sizeof(stack_bits), host_symbols, recs, n,
			    start, end);
}

/* ---- the decoder's side ---- */

static char *text;
static size_t text_len, text_cap;
static unsigned long nrecs;
static struct {
	unsigned long start, end;
	char why[96];
} lost[4096];
static unsigned int nlost;

static void on_record(void *priv, unsigned long pfn, unsigned int order, const char *t,
		      size_t len)
{
	if (text_len + len > text_cap) {
		text_cap = (text_len + len) * 2;
		text = realloc(text, text_cap);
	}
	memcpy(text + text_len, t, len);
	text_len += len;
	nrecs++;
}

static void on_lost(void *priv, unsigned long start, unsigned long end, const char *why)
{
	if (nlost < 4096) {
		lost[nlost].start = start;
		lost[nlost].end = end;
		snprintf(lost[nlost].why, sizeof(lost[nlost].why), "%s", why);
	}
	nlost++;
}

static void *test_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

/* What the decoder is given: an ELF (its build id), or none. */
static const char *dec_elf_id;
static bool dec_elf_mismatch;
static unsigned long dec_bad_lines;

/* Decode @len bytes of lines; return the decoder's frame count. */
static unsigned long decode(const char *w, size_t len)
{
	struct ostream_dec d = { .realloc = test_realloc, .free = free, .record = on_record,
				 .lost = on_lost, .elf_build_id = dec_elf_id,
				 .symbolize = dec_elf_id ? ostream_test_symbolize : NULL };
	unsigned long frames;
	text_len = 0;
	nrecs = nlost = 0;
	ostream_dec_lines(&d, w, len);
	frames = d.frames;
	dec_bad_lines = d.bad_lines;
	dec_elf_mismatch = d.elf_mismatch;
	ostream_dec_finish(&d);
	return frames;
}

static void build_expected(char **buf, size_t *len, const struct ostream_rec *recs, size_t n)
{
	size_t cap = n * 1200 + 1;

	*buf = malloc(cap);
	*len = 0;
	for (size_t i = 0; i < n; i++)
		*len += expected_text(*buf + *len, cap - *len, &recs[i], 9);
}

/* A workload: a mix of runs, orders, contexts, stacks and pfn gaps. */
static size_t make_records(struct ostream_rec *recs, size_t max, unsigned int seed)
{
	unsigned long pfn = 0x40000;
	u64 ts = 5000000;
	size_t n = 0;

	srand(seed);
	while (n < max) {
		unsigned int order = rand() % 4 == 0 ? (unsigned int)(rand() % 4) : 0;
		unsigned int run = rand() % 3 == 0 ? (unsigned int)(rand() % 300) + 1 : 1;
		u32 stack = (u32)(rand() % 50) * 7 + 2, ctx = (u32)(rand() % 6);

		pfn = (pfn + (rand() % 4 == 0 ? (unsigned long)(rand() % 64) : 0) +
		       (1UL << order) - 1) & ~((1UL << order) - 1);
		for (unsigned int i = 0; i < run && n < max; i++) {
			recs[n] = (struct ostream_rec){
				.pfn = pfn, .order = order, .stack = stack, .ctx = ctx,
				.flags = 0x100 | order, .mt = (u32)(pfn >> 9) % 3,
				.ts_us = ts,
			};
			ts += (u64)(rand() % 40);
			if (rand() % 50 == 0)
				ts -= 100;	/* reallocated out of order */
			pfn += 1UL << order;
			n++;
		}
	}
	return n;
}

static void test_crc_b85(void)
{
	static const u8 hello[8] = { 0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b };
	u8 bin[400], back[400], ff[3] = { 0xff, 0xff, 0xff };
	char b[600];

	CHECK_EQ(ostream_crc32(0, "123456789", 9), 0xcbf43926);
	CHECK_EQ(ostream_crc32(0, "", 0), 0);
	/* Z85's own example. */
	CHECK_EQ(ostream_b85_encode(b, hello, 8), 10);
	CHECK(!memcmp(b, "HelloWorld", 10));
	CHECK_EQ(ostream_b85_decode(back, sizeof(back), "HelloWorld", 10), 8);
	CHECK(!memcmp(back, hello, 8));
	/* A short last group: n bytes, n + 1 digits. */
	CHECK_EQ(ostream_b85_encode(b, hello, 3), 4);
	CHECK_EQ(ostream_b85_decode(back, sizeof(back), b, 4), 3);
	CHECK(!memcmp(back, hello, 3));
	CHECK_EQ(ostream_b85_encode(b, ff, 3), 4);
	CHECK_EQ(ostream_b85_decode(back, sizeof(back), b, 4), 3);
	CHECK(!memcmp(back, ff, 3));
	for (size_t n = 0; n < sizeof(bin); n += n < 70 ? 1 : 37) {
		size_t l;

		for (size_t i = 0; i < n; i++)
			bin[i] = (u8)(i * 37 + n * 101);
		l = ostream_b85_encode(b, bin, n);
		CHECK_EQ(l, n / 4 * 5 + (n % 4 ? n % 4 + 1 : 0));
		for (size_t i = 0; i < l; i++)
			CHECK(b[i] > ' ' && b[i] < 0x7f && b[i] != '"' && b[i] != '\\');
		CHECK_EQ(ostream_b85_decode(back, sizeof(back), b, l), n);
		CHECK(!memcmp(back, bin, n));
	}
	CHECK_EQ(ostream_b85_decode(back, sizeof(back), "Hello World", 11), (size_t)-1);
	CHECK_EQ(ostream_b85_decode(back, sizeof(back), "Hell~World", 10), (size_t)-1);
	CHECK_EQ(ostream_b85_decode(back, sizeof(back), "HelloW", 6), (size_t)-1);
	CHECK_EQ(ostream_b85_decode(back, 7, "HelloWorld", 10), (size_t)-1);
	/* Above 2^32, and a second spelling of the same bytes: refused. */
	CHECK_EQ(ostream_b85_decode(back, sizeof(back), "#####", 5), (size_t)-1);
	ostream_b85_encode(b, hello, 3);
	b[3] = b[3] == '0' ? '1' : '0';
	CHECK_EQ(ostream_b85_decode(back, sizeof(back), b, 4), (size_t)-1);
}

static struct ostream_rec recs[200000];

static void test_round_trip(void)
{
	for (unsigned int seed = 1; seed <= 5; seed++) {
		size_t n = make_records(recs, 3000 * seed, seed), elen;
		char *exp;

		enc_stream(recs, n, 0x40000, 0x80000);
		build_expected(&exp, &elen, recs, n);
		decode(wire, wire_len);
		CHECK_EQ(nrecs, n);
		CHECK_EQ(nlost, 0);
		CHECK_EQ(text_len, elen);
		CHECK(text_len == elen && !memcmp(text, exp, elen));
		/* Every line printable ASCII. */
		for (size_t i = 0; i < wire_len; i++)
			CHECK(wire[i] == '\n' || (wire[i] >= 0x20 && wire[i] < 0x7f));
		free(exp);
	}
	/* Nothing at all: header and trailer, no frames, no loss. */
	enc_stream(recs, 0, 0x40000, 0x80000);
	CHECK_EQ(decode(wire, wire_len), 0);
	CHECK_EQ(nrecs, 0);
	CHECK_EQ(nlost, 0);
}

/* 1 GiB of order-0 blocks from one stack: a run; the issue's target is <= 4 bytes each. */
static void test_run_size(void)
{
	size_t n = 262144 / 2;
	u64 ts = 1000000;

	for (size_t i = 0; i < n; i++) {
		recs[i] = (struct ostream_rec){ .pfn = 0x40000 + i, .order = 0, .stack = 9,
						.ctx = 2, .flags = 0x100, .mt = 1, .ts_us = ts };
		ts += 1 + (i * 7919) % 13;	/* a few us apart, as an allocation loop */
	}
	enc_stream(recs, n, 0x40000, 0x40000 + n);
	printf("# %zu order-0 records: %zu bytes, %.2f bytes per record\n", n, wire_len,
	       (double)wire_len / n);
	CHECK(wire_len < n * 2);
	decode(wire, wire_len);
	CHECK_EQ(nrecs, n);
	CHECK_EQ(nlost, 0);
}

/* The frame lines of the wire: offsets of each "@F" line and its end. */
static size_t frame_lines(size_t *at, size_t *end, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < wire_len && n < max; i++) {
		if ((i == 0 || wire[i - 1] == '\n') && !strncmp(wire + i, "@F ", 3)) {
			at[n] = i;
			end[n] = (size_t)((char *)memchr(wire + i, '\n', wire_len - i) - wire) + 1;
			n++;
		}
	}
	return n;
}

static char damaged[1 << 22];

/* Drop frame k: the loss is exactly [its start, its end), named by its number. */
static void test_lost_frames(void)
{
	size_t n = make_records(recs, 4000, 7), at[2000], end[2000], nf;
	unsigned long fs, fe, seq;

	enc_stream(recs, n, 0x40000, 0x80000);
	nf = frame_lines(at, end, 2000);
	CHECK(nf > 20);
	for (size_t k = 1; k < nf; k += nf / 7) {
		size_t dl = 0, inside = 0;

		CHECK_EQ(sscanf(wire + at[k], "@F %lx %lx %lx", &seq, &fs, &fe), 3);
		CHECK_EQ(seq, k);
		memcpy(damaged, wire, at[k]);
		dl = at[k];
		memcpy(damaged + dl, wire + end[k], wire_len - end[k]);
		dl += wire_len - end[k];
		decode(damaged, dl);
		CHECK(nlost >= 1);
		CHECK_EQ(lost[0].start, fs);
		CHECK_EQ(lost[0].end, fe);
		CHECK(strstr(lost[0].why, "frame ") != NULL);
		/* Every record is either decoded or inside a reported range. */
		for (size_t i = 0; i < n; i++) {
			bool in = false;

			for (size_t j = 0; j < nlost && j < 4096; j++)
				in |= recs[i].pfn >= lost[j].start && recs[i].pfn < lost[j].end;
			inside += in;
		}
		CHECK_EQ(nrecs + inside, n);
		CHECK(nrecs < n);
	}
}

/* One bit flipped anywhere in a frame line: its CRC catches it. */
static void test_corrupt_frames(void)
{
	size_t n = make_records(recs, 2000, 11), at[1000], end[1000], nf;

	enc_stream(recs, n, 0x40000, 0x80000);
	nf = frame_lines(at, end, 1000);
	for (size_t k = 0; k < nf; k++) {
		size_t pos = at[k] + (k * 131) % (end[k] - 1 - at[k]);
		unsigned long fs, fe, seq;

		CHECK_EQ(sscanf(wire + at[k], "@F %lx %lx %lx", &seq, &fs, &fe), 3);
		memcpy(damaged, wire, wire_len);
		damaged[pos] ^= (char)(1 << (k % 7));
		decode(damaged, wire_len);
		CHECK(nlost >= 1);
		CHECK(nlost >= 1 && lost[0].start == fs && lost[0].end == fe);
	}
}

/* The stream cut short: the rest is reported, up to the end of the dump. */
static void test_cut(void)
{
	size_t n = make_records(recs, 3000, 3), at[1000], end[1000], nf;
	unsigned long fs, fe, seq;

	enc_stream(recs, n, 0x40000, 0x80000);
	nf = frame_lines(at, end, 1000);
	CHECK_EQ(sscanf(wire + at[nf / 2], "@F %lx %lx %lx", &seq, &fs, &fe), 3);
	decode(wire, at[nf / 2]);
	CHECK_EQ(nlost, 1);
	CHECK_EQ(lost[0].start, fs);
	CHECK_EQ(lost[0].end, 0x80000);
	/* The trailer alone lost: the last frame reached the end, nothing is missing. */
	decode(wire, end[nf - 1]);
	CHECK_EQ(nrecs, n);
	CHECK_EQ(nlost, 0);
	/* The last frame and the trailer lost: from that frame's start to the end. */
	CHECK_EQ(sscanf(wire + at[nf - 1], "@F %lx %lx %lx", &seq, &fs, &fe), 3);
	decode(wire, at[nf - 1]);
	CHECK_EQ(nlost, 1);
	CHECK_EQ(lost[0].start, fs);
	CHECK_EQ(lost[0].end, 0x80000);
}

/* --since: blocks freed since, nested in one another, among allocated ones. */
static void test_freed(void)
{
	size_t n = make_records(recs, 6000, 13), m = 0, elen;
	static struct ostream_rec mixed[12000];
	char *exp;

	for (size_t i = 0; i < n; i++) {
		mixed[m++] = recs[i];
		/* Freed blocks in the gap after it, some with an order wider than the gap. */
		if (i + 1 < n && recs[i + 1].pfn > recs[i].pfn + (1UL << recs[i].order) + 2) {
			unsigned long p = recs[i].pfn + (1UL << recs[i].order);

			mixed[m++] = (struct ostream_rec){ .freed = true, .pfn = p, .order = i % 5,
							   .stack = (u32)(i % 30) + 3,
							   .task = (int)(i % 9) - 1,
							   .ts_us = recs[i].ts_us + 77 };
			mixed[m++] = (struct ostream_rec){ .freed = true, .pfn = p + 1, .order = 0,
							   .stack = 5, .task = 3,
							   .ts_us = recs[i].ts_us - 5 };
		}
	}
	enc_stream(mixed, m, 0x40000, 0x80000);
	build_expected(&exp, &elen, mixed, m);
	decode(wire, wire_len);
	printf("# %zu allocated, %zu freed records\n", n, m - n);
	CHECK(m > n + 50);
	CHECK_EQ(nrecs, m);
	CHECK_EQ(nlost, 0);
	CHECK(text_len == elen && !memcmp(text, exp, elen));
	free(exp);
}

/* Stopped on the target (Ctrl-C): the trailer says so, the rest is reported. */
static void test_aborted(void)
{
	size_t n = make_records(recs, 3000, 4), half = n / 2;

	enc_stream(recs, 0, 0x40000, 0x80000);
	wire_len = 0;
	ostream_enc_begin(&enc, "page_owner", 9, 0x40000, 0x80000, 0);
	for (size_t i = 0; i < half; i++)
		ostream_enc_add(&enc, &recs[i]);
	ostream_enc_end(&enc, recs[half].pfn, true);
	CHECK(strstr(wire, " aborted ") != NULL);
	decode(wire, wire_len);
	CHECK_EQ(nrecs, half);
	CHECK_EQ(nlost, 1);
	CHECK_EQ(lost[0].start, recs[half - 1].pfn + (1UL << recs[half - 1].order));
	CHECK_EQ(lost[0].end, 0x80000);
	CHECK(strstr(lost[0].why, "stopped on the target") != NULL);
}

/*
 * --pfns cutting a block: the range holds heads, so the last block, whose
 * head is in range and whose tail is not, decodes like any other, finished
 * or stopped there.
 */
static void test_range_cuts_block(void)
{
	struct ostream_rec r[3] = {
		{ .pfn = 0x40000, .order = 2, .stack = 9, .ctx = 1, .flags = 0x102, .ts_us = 7 },
		{ .pfn = 0x40004, .order = 0, .stack = 16, .ctx = 2, .flags = 0x100, .ts_us = 9 },
		{ .pfn = 0x40008, .order = 3, .stack = 23, .ctx = 3, .flags = 0x103, .ts_us = 11 },
	};
	size_t elen;
	char *exp;

	build_expected(&exp, &elen, r, 3);
	enc_stream(r, 3, 0x40000, 0x4000a);
	CHECK(strstr(wire, " 4000a done ") != NULL);
	decode(wire, wire_len);
	CHECK_EQ(nlost, 0);
	CHECK_EQ(nrecs, 3);
	CHECK(text_len == elen && !memcmp(text, exp, elen));
	/* Stopped after it: reached is the range's end, not the block's. */
	wire_len = 0;
	ostream_enc_begin(&enc, "page_owner", 9, 0x40000, 0x4000a, 0);
	for (int i = 0; i < 3; i++)
		ostream_enc_add(&enc, &r[i]);
	ostream_enc_end(&enc, 0x40010, true);
	CHECK(strstr(wire, " 3 4000a aborted ") != NULL);	/* @E <frames> 3 4000a */
	decode(wire, wire_len);
	CHECK_EQ(nlost, 0);
	CHECK_EQ(nrecs, 3);
	CHECK(text_len == elen && !memcmp(text, exp, elen));
	free(exp);
}

/* Text streams (leaks, page_owner_stacks): lines once, then by id; long lines split. */
static void test_text_stream(void)
{
	static char exp[1 << 20];
	size_t elen = 0, at[100], end[100], nf, plain;
	char line[700];

	wire_len = 0;
	memset(&enc, 0, sizeof(enc));
	enc.out = out_line;
	ostream_enc_begin(&enc, "stacks", 0, 0, ~0UL, 0);
	for (int i = 0; i < 3000; i++) {
		int n = i % 97 == 0 ? 600 : snprintf(line, sizeof(line), " frame_%d+0x%x/0x100\n",
						     i % 40, i % 7);

		if (i % 97 == 0) {
			memset(line, 'a' + i % 26, (size_t)n - 1);
			line[n - 1] = '\n';
		}
		ostream_enc_text(&enc, line, (size_t)n);
		memcpy(exp + elen, line, (size_t)n);
		elen += (size_t)n;
	}
	ostream_enc_end(&enc, enc.expect_pfn, false);
	decode(wire, wire_len);
	CHECK_EQ(nlost, 0);
	CHECK_EQ(text_len, elen);
	CHECK(text_len == elen && !memcmp(text, exp, elen));
	printf("# 3000 lines, %zu bytes of text: %zu bytes of stream\n", elen, wire_len);
	CHECK(wire_len * 2 < elen);	/* the long lines are all distinct */
	/* A frame lost: its lines are reported, the others decode. */
	nf = frame_lines(at, end, 100);
	CHECK(nf > 3);
	plain = nrecs;
	memcpy(damaged, wire, at[2]);
	memcpy(damaged + at[2], wire + end[2], wire_len - end[2]);
	decode(damaged, wire_len - (end[2] - at[2]));
	CHECK(nlost >= 1);
	CHECK(strstr(lost[0].why, "frame 2 ") != NULL);
	CHECK(nrecs < plain);
}

/* Random damage: lines cut, bytes changed, lines repeated. Never a crash. */
static void test_garbage(void)
{
	size_t n = make_records(recs, 1500, 5);

	enc_stream(recs, n, 0x40000, 0x80000);
	srand(99);
	for (int round = 0; round < 400; round++) {
		size_t dl = 0;

		for (size_t i = 0; i < wire_len && dl < sizeof(damaged) - 2; i++) {
			int r = rand() % 2000;

			if (r == 0)
				continue;			/* drop a byte */
			damaged[dl++] = r == 1 ? (char)rand() : wire[i];
			if (r == 2)
				damaged[dl++] = '\n';		/* split a line */
		}
		decode(damaged, dl);
		CHECK(nrecs <= n);
	}
	/* A forged frame with a good CRC but nonsense inside is refused, not trusted. */
	{
		char line[200];
		int l = snprintf(line, sizeof(line), "@H 2 page_owner 9 40000 80000 0 k -");

		l += snprintf(line + l, sizeof(line) - l, " %08x\n", ostream_crc32(0, line, l));
		memcpy(damaged, line, (size_t)l);
		{
			int m = snprintf(line, sizeof(line), "@F 0 40000 40010 QEB/////////w");

			m += snprintf(line + m, sizeof(line) - m, " %08x\n",
				      ostream_crc32(0, line, m));
			memcpy(damaged + l, line, (size_t)m);
			decode(damaged, (size_t)(l + m));
			CHECK_EQ(nrecs, 0);
			CHECK(nlost >= 1);
		}
	}
}

/* @fmt's line sealed with its CRC, appended to damaged[] at @at; the length after it. */
static size_t sealed(size_t at, const char *fmt, ...)
{
	char line[200];
	va_list ap;
	int l;

	va_start(ap, fmt);
	l = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	l += snprintf(line + l, sizeof(line) - (size_t)l, " %08x\n", ostream_crc32(0, line, l));
	memcpy(damaged + at, line, (size_t)l);
	return at + (size_t)l;
}

/*
 * Lines with a good CRC that cannot belong to the stream so far (a frame
 * starting inside the last one, a trailer whose walk stopped before the last
 * frame's end or past the stream's end) are refused as malformed: never a
 * lost range reported backwards (the stream fuzz harness found one).
 */
static void test_out_of_order_lines(void)
{
	size_t n = make_records(recs, 1500, 5), l;
	const char *f1, *f2;

	enc_stream(recs, n, 0x40000, 0x80000);
	f1 = strstr(wire, "\n@F 1 ");
	f2 = f1 ? strstr(f1 + 1, "\n@F 2 ") : NULL;
	CHECK(f1 && f2);
	if (!f1 || !f2)
		return;
	/* Header and frames 0 and 1, then: a frame 3 starting at the stream's start. */
	l = (size_t)(f2 + 1 - wire);
	memcpy(damaged, wire, l);
	l = sealed(l, "@F 3 40000 40010 QEB/////////w");
	l = sealed(l, "@E 4 %lx 40000 done", (unsigned long)n);
	decode(damaged, l);
	CHECK_EQ(nlost, 1);		/* the end of the stream, from frame 1's end: cut off */
	for (unsigned int i = 0; i < nlost && i < 4096; i++)
		CHECK(lost[i].start < lost[i].end);
	CHECK(strstr(lost[0].why, "without its trailer") != NULL);
	CHECK_EQ(dec_bad_lines, 2);
	/* A trailer past the stream's end: refused too. */
	l = (size_t)(f2 + 1 - wire);
	l = sealed(l, "@E 2 %lx 90000 done", (unsigned long)n);
	decode(damaged, l);
	CHECK_EQ(dec_bad_lines, 1);
	CHECK_EQ(nlost, 1);
	CHECK(lost[0].start < lost[0].end && lost[0].end == 0x80000);
}

/*
 * --symbols=host: frames as pcs, the header names the build id; decoded with
 * the matching ELF it is the same text, without one or with another image's
 * every record is lost with the reason, and the stream is smaller.
 */
static void test_host_symbols(void)
{
	size_t n = make_records(recs, 3000, 7), elen, kernel_len;
	char *exp;

	build_expected(&exp, &elen, recs, n);
	enc_stream(recs, n, 0x40000, 0x80000);
	kernel_len = wire_len;
	CHECK(strstr(wire, " k fe77e70123456789abcdef1032547698badcfe00 ") != NULL);
	host_symbols = true;
	enc_stream(recs, n, 0x40000, 0x80000);
	host_symbols = false;
	printf("# %zu records: %zu bytes with frames as text, %zu as pcs\n", n, kernel_len,
	       wire_len);
	CHECK(wire_len < kernel_len);
	CHECK(strstr(wire, " e fe77e70123456789abcdef1032547698badcfe00 ") != NULL);
	dec_elf_id = "fe77e70123456789abcdef1032547698badcfe00";
	decode(wire, wire_len);
	CHECK_EQ(nlost, 0);
	CHECK_EQ(nrecs, n);
	CHECK(text_len == elen && !memcmp(text, exp, elen));
	CHECK(!dec_elf_mismatch);
	/* Another image's ELF: refused, nothing decoded. */
	dec_elf_id = "fe77e70123456789abcdef1032547698badcfe01";
	decode(wire, wire_len);
	CHECK(dec_elf_mismatch);
	CHECK_EQ(nrecs, 0);
	CHECK(nlost >= 1 && strstr(lost[0].why, "build id") != NULL);
	/* No ELF: lost, saying what is missing. */
	dec_elf_id = NULL;
	decode(wire, wire_len);
	CHECK_EQ(nrecs, 0);
	CHECK(nlost >= 1 && strstr(lost[0].why, "--elf") != NULL);
	free(exp);
}

int main(void)
{
	RUN(test_crc_b85);
	RUN(test_round_trip);
	RUN(test_run_size);
	RUN(test_lost_frames);
	RUN(test_corrupt_frames);
	RUN(test_cut);
	RUN(test_aborted);
	RUN(test_freed);
	RUN(test_range_cuts_block);
	RUN(test_text_stream);
	RUN(test_host_symbols);
	RUN(test_garbage);
	RUN(test_out_of_order_lines);
	free(text);
	return HTEST_DONE();
}
