// SPDX-License-Identifier: GPL-2.0
/*
 * The owner stream (include/ferret/owner_stream.h): encoder and decoder of
 * the compact page_owner dump. Portable C, built into the kernel (encoder)
 * and into the host tools and tests (decoder): one codec for both sides.
 */
#include <ferret/owner_stream.h>
#include <ferret/string.h>

/* ---- CRC-32 (IEEE 802.3, reflected, as zlib's crc32()) ---- */

static const u32 crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

u32 ostream_crc32(u32 crc, const void *p, size_t n)
{
	const u8 *b = p;

	crc = ~crc;
	while (n--) {
		crc ^= *b++;
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

/*
 * ---- base85 (ZeroMQ's Z85 alphabet: no space, quote or backslash) ----
 *
 * Four bytes, big-endian, as five digits, most significant first. A last
 * group of n < 4 bytes is padded with zeros and sent as its first n + 1
 * digits (Ascii85's rule); the decoder pads it with the highest digit.
 * 5/4 characters a byte instead of base64's 4/3.
 */
static const char b85[] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

size_t ostream_b85_encode(char *dst, const u8 *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i += 4) {
		size_t k = n - i < 4 ? n - i : 4;
		u32 v = 0;
		char d[5];

		for (size_t j = 0; j < 4; j++)
			v = v << 8 | (j < k ? src[i + j] : 0);
		for (int j = 4; j >= 0; j--) {
			d[j] = b85[v % 85];
			v /= 85;
		}
		memcpy(dst + o, d, k + 1);
		o += k + 1;
	}
	return o;
}

static int b85_val(char c)
{
	const char *p = c ? strchr(b85, c) : NULL;

	return p ? (int)(p - b85) : -1;
}

size_t ostream_b85_decode(u8 *dst, size_t cap, const char *src, size_t n)
{
	size_t o = 0;

	if (n % 5 == 1)
		return (size_t)-1;
	for (size_t i = 0; i < n; i += 5) {
		size_t k = n - i < 5 ? n - i : 5;	/* digits: bytes + 1 */
		u64 v = 0;

		for (size_t j = 0; j < 5; j++) {
			int d = j < k ? b85_val(src[i + j]) : 84;

			if (d < 0)
				return (size_t)-1;
			v = v * 85 + (u64)d;
		}
		if (v > 0xffffffffULL + (k < 5 ? 0xffffffffULL : 0) || o + k - 1 > cap)
			return (size_t)-1;
		for (size_t j = 0; j + 1 < k; j++)
			dst[o++] = (u8)(v >> (24 - 8 * j));
	}
	{
		/* One spelling per payload: what decodes must encode back the same. */
		char again[OSTREAM_LINE_MAX];

		if (o > sizeof(again) / 5 * 4 || ostream_b85_encode(again, dst, o) != n ||
		    memcmp(again, src, n))
			return (size_t)-1;
	}
	return o;
}

/* ---- numbers ---- */

static unsigned int put_varint(u8 *p, u64 v)
{
	unsigned int n = 0;

	while (v >= 0x80) {
		p[n++] = (u8)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (u8)v;
	return n;
}

static unsigned int varint_len(u64 v)
{
	unsigned int n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static u64 zigzag(s64 v)
{
	return ((u64)v << 1) ^ (u64)(v >> 63);
}

static s64 unzigzag(u64 v)
{
	return (s64)(v >> 1) ^ -(s64)(v & 1);
}

/* Append @v in hex (lower case, no 0x) to @s; return the new end. */
static char *put_hex(char *s, u64 v)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*s++ = tmp[--n];
	return s;
}

static char *put_dec(char *s, u64 v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*s++ = tmp[--n];
	return s;
}

/* A line's CRC and end: " <crc>\n". */
static char *put_crc(char *line, char *s)
{
	u32 crc = ostream_crc32(0, line, (size_t)(s - line));
	char *e;

	*s++ = ' ';
	e = put_hex(s, (u64)crc | 1ULL << 32);	/* always 8 digits: drop the marker */
	memmove(s, s + 1, (size_t)(e - s - 1));
	s = e - 1;
	*s++ = '\n';
	return s;
}

/* ---- encoder ---- */

#define TOK_DEF		0x80	/* a chunk of a long definition */
#define TOK_TEXT_REF	0x81
#define TOK_TEXT_NEW	0x82
#define TOK_FREED	0x83
#define TOK_DEF_WHOLE	0x88	/* | kind */
#define REC_SLOT	0x07	/* the owner's place, or: */
#define REC_NEW		0x07	/* a new owner, its fields follow */
#define REC_GAP		0x08
#define REC_N_SHIFT	4	/* blocks in the run, 0: a 16-bit count follows */
#define REC_N_MAX	7
#define OWN_S		0x01	/* which fields of a new owner follow */
#define OWN_C		0x02
#define OWN_F		0x04
#define OWN_O		0x08
#define OWN_B		0x10
#define REC_WORST	(1 + 10 + 1 + 5 + 5 + 5 + 1 + 5 + 2 + 10)
#define DEF_HDR_WORST	(1 + 1 + 10 + 3 + 3 + 3)

static void enc_emit(struct ostream_enc *e, char *end)
{
	e->out(e->priv, e->line, (size_t)(end - e->line));
}

/*
 * Send the open frame (if it holds anything) covering [frame_start, @end).
 * Frames cover heads: a last block that runs past the dump's end (`--pfns`
 * cutting it) ends its frame at the dump's end.
 */
static void enc_flush(struct ostream_enc *e, unsigned long end)
{
	char *s = e->line;

	e->run_n = 0;
	if (end > e->end_pfn)
		end = e->end_pfn;
	if (!e->used)
		return;
	*s++ = '@';
	*s++ = 'F';
	*s++ = ' ';
	s = put_hex(s, e->seq++);
	*s++ = ' ';
	s = put_hex(s, e->frame_start);
	*s++ = ' ';
	s = put_hex(s, end);
	*s++ = ' ';
	s += ostream_b85_encode(s, e->buf, e->used);
	s = put_crc(e->line, s);
	enc_emit(e, s);
	e->used = 0;
	e->have_prev = false;
	e->nowners = 0;
	e->frame_start = end;
}

static void enc_room(struct ostream_enc *e, unsigned int need)
{
	if (e->used + need > OSTREAM_PAYLOAD)
		enc_flush(e, e->expect_pfn);
}

static bool bit_test_set(u32 *map, u64 bit)
{
	u32 m = 1u << (bit & 31);
	bool was = map[bit >> 5] & m;

	map[bit >> 5] |= m;
	return was;
}

/* A small round-robin set of values sent (flags, gfp masks): true if @key is in it. */
static bool cache_test_add(u32 *cache, unsigned int *next, u64 key)
{
	for (unsigned int i = 0; i < OSTREAM_FLAGS_CACHE; i++)
		if (cache[i] == key + 1)
			return true;
	cache[(*next)++ % OSTREAM_FLAGS_CACHE] = (u32)key + 1;
	return false;
}

/* Was (@kind, @key) sent in this stream? Marks it sent. */
static bool enc_sent(struct ostream_enc *e, int kind, u64 key)
{
	unsigned int i;

	switch (kind) {
	case OSTREAM_DEF_STACK:
		return key < e->stack_sent_bits && bit_test_set(e->stack_sent, key);
	case OSTREAM_DEF_CTX:
		return key < 256 && bit_test_set(e->ctx_sent, key);
	case OSTREAM_DEF_MT:
		return key < 32 && bit_test_set(&e->mt_sent, key);
	case OSTREAM_DEF_TASK:
		return key < 128 && bit_test_set(e->task_sent, key);
	case OSTREAM_DEF_FLAGS:
		return cache_test_add(e->flags_sent, &e->flags_next, key);
	case OSTREAM_DEF_GFP:
		return cache_test_add(e->gfp_sent, &e->gfp_next, key);
	case OSTREAM_DEF_FRAME:
		/* Open addressing, a few probes; a full neighbourhood resends. */
		i = (unsigned int)((key * 0x9e3779b97f4a7c15ULL) >> 54) % OSTREAM_FRAMES_SENT;
		for (unsigned int probe = 0; probe < 8; probe++) {
			u64 *slot = &e->frames_sent[(i + probe) % OSTREAM_FRAMES_SENT];

			if (*slot == key + 1)
				return true;
			if (!*slot) {
				*slot = key + 1;
				break;
			}
		}
	}
	return false;
}

static void enc_def(struct ostream_enc *e, int kind, u64 key);

/* A stack's definition into e->blob: its pcs, then the frames it shares with the last. */
static size_t enc_stack_blob(struct ostream_enc *e, u32 handle)
{
	unsigned int nr = e->stack(e->priv, handle, e->pcs, OSTREAM_STACK_MAX), own, i;
	u8 *b = (u8 *)e->blob;
	size_t n = 0;
	u64 prev = 0;

	if (nr > OSTREAM_STACK_MAX)
		nr = OSTREAM_STACK_MAX;
	if (!e->host_symbols)
		for (i = 0; i < nr; i++)
			enc_def(e, OSTREAM_DEF_FRAME, e->pcs[i]);
	/* The outer frames (boot, console, app loop) are most stacks' own: share them. */
	for (own = nr; own && nr - own < e->last_nr &&
	     e->pcs[own - 1] == e->last_pcs[e->last_nr - (nr - own) - 1]; own--)
		;
	if (nr - own < 2)
		own = nr;
	n += put_varint(b + n, own);
	for (i = 0; i < own; i++) {
		n += put_varint(b + n, zigzag((s64)(e->pcs[i] - prev)));
		prev = e->pcs[i];
	}
	n += put_varint(b + n, own < nr ? (u64)e->last_stack + 1 : 0);
	if (own < nr)
		n += put_varint(b + n, nr - own);
	memcpy(e->last_pcs, e->pcs, nr * sizeof(e->pcs[0]));
	e->last_nr = nr;
	e->last_stack = handle;
	return n;
}

static void enc_def(struct ostream_enc *e, int kind, u64 key)
{
	size_t total, off = 0;

	if (enc_sent(e, kind, key))
		return;
	if (kind == OSTREAM_DEF_STACK) {
		total = enc_stack_blob(e, (u32)key);
	} else if (kind == OSTREAM_DEF_CTX) {
		u32 gfp;
		int pid;

		e->ctx(e->priv, (u32)key, &gfp, &pid);
		enc_def(e, OSTREAM_DEF_GFP, gfp);
		enc_def(e, OSTREAM_DEF_TASK, (u64)(pid + 1));
		total = put_varint((u8 *)e->blob, gfp);
		total += put_varint((u8 *)e->blob + total, (u64)(pid + 1));
	} else {
		total = e->def(e->priv, kind, key, e->blob, sizeof(e->blob));
		if (total > sizeof(e->blob))
			total = sizeof(e->blob);
	}
	e->run_n = 0;
	enc_room(e, DEF_HDR_WORST + (total < 64 ? (unsigned int)total : 64));
	if (e->used + 1 + varint_len(key) + varint_len(total) + total <= OSTREAM_PAYLOAD) {
		e->buf[e->used++] = (u8)(TOK_DEF_WHOLE | kind);
		e->used += put_varint(e->buf + e->used, key);
		e->used += put_varint(e->buf + e->used, total);
		memcpy(e->buf + e->used, e->blob, total);
		e->used += (unsigned int)total;
		return;
	}
	do {
		size_t n;

		enc_room(e, DEF_HDR_WORST + 16);
		n = OSTREAM_PAYLOAD - e->used - DEF_HDR_WORST;
		if (n > total - off)
			n = total - off;
		e->buf[e->used++] = TOK_DEF;
		e->buf[e->used++] = (u8)kind;
		e->used += put_varint(e->buf + e->used, key);
		e->used += put_varint(e->buf + e->used, total);
		e->used += put_varint(e->buf + e->used, off);
		e->used += put_varint(e->buf + e->used, n);
		memcpy(e->buf + e->used, e->blob + off, n);
		e->used += (unsigned int)n;
		off += n;
	} while (off < total);
}

void ostream_enc_begin(struct ostream_enc *e, const char *kind, unsigned int block_order,
		       unsigned long start, unsigned long end, u64 since_us)
{
	char *s = e->line;
	size_t n = strlen(kind);

	memset(e->ctx_sent, 0, sizeof(e->ctx_sent));
	memset(e->flags_sent, 0, sizeof(e->flags_sent));
	memset(e->gfp_sent, 0, sizeof(e->gfp_sent));
	memset(e->frames_sent, 0, sizeof(e->frames_sent));
	memset(e->text_hash, 0, sizeof(e->text_hash));
	e->text_ids = 0;
	if (e->stack_sent)
		memset(e->stack_sent, 0, (e->stack_sent_bits + 31) / 32 * 4);
	e->mt_sent = 0;
	memset(e->task_sent, 0, sizeof(e->task_sent));
	e->flags_next = e->gfp_next = 0;
	e->last_nr = 0;
	e->nowners = 0;
	e->used = e->rec_at = e->run_at = e->run_n = 0;
	e->seq = e->records = 0;
	e->frame_start = e->expect_pfn = start;
	e->end_pfn = end;
	e->have_prev = false;
	if (n > 15)
		n = 15;
	memcpy(s, "@H 2 ", 5);
	s += 5;
	memcpy(s, kind, n);
	s += n;
	*s++ = ' ';
	s = put_hex(s, block_order);
	*s++ = ' ';
	s = put_hex(s, start);
	*s++ = ' ';
	s = put_hex(s, end);
	*s++ = ' ';
	s = put_hex(s, since_us);
	*s++ = ' ';
	*s++ = e->host_symbols ? 'e' : 'k';
	*s++ = ' ';
	if (!e->build_id || !e->build_id_len)
		*s++ = '-';
	for (unsigned int i = 0; e->build_id && i < e->build_id_len && i < 20; i++) {
		*s++ = "0123456789abcdef"[e->build_id[i] >> 4];
		*s++ = "0123456789abcdef"[e->build_id[i] & 15];
	}
	enc_emit(e, put_crc(e->line, s));
}

static bool owner_eq(const struct ostream_owner *a, const struct ostream_owner *b)
{
	return a->stack == b->stack && a->ctx == b->ctx && a->flags == b->flags &&
	       a->order == b->order && a->mt == b->mt;
}

/* Bring @o to the front of @list (adding it, the oldest dropping out); its old place or -1. */
static int owners_use(struct ostream_owner *list, unsigned int *n, const struct ostream_owner *o)
{
	int at = -1;
	unsigned int i;

	for (i = 0; i < *n && at < 0; i++)
		if (owner_eq(&list[i], o))
			at = (int)i;
	i = at >= 0 ? (unsigned int)at : (*n < OSTREAM_OWNERS ? (*n)++ : *n - 1);
	memmove(&list[1], &list[0], i * sizeof(*list));
	list[0] = *o;
	return at;
}

/* The freed block @r (`--since`): its own token, no run. */
static void enc_freed(struct ostream_enc *e, const struct ostream_rec *r)
{
	enc_def(e, OSTREAM_DEF_STACK, r->stack);
	enc_def(e, OSTREAM_DEF_TASK, (u64)(r->task + 1));
	e->run_n = 0;
	enc_room(e, REC_WORST);
	if (!e->have_prev)
		e->prev.ts_us = 0;
	e->buf[e->used++] = TOK_FREED;
	e->used += put_varint(e->buf + e->used, r->pfn - e->expect_pfn);
	e->buf[e->used++] = (u8)r->order;
	e->used += put_varint(e->buf + e->used, r->stack);
	e->used += put_varint(e->buf + e->used, (u64)(r->task + 1));
	e->used += put_varint(e->buf + e->used, zigzag((s64)(r->ts_us - e->prev.ts_us)));
	e->prev.ts_us = r->ts_us;
	e->have_prev = true;
	/* Freed records may nest (a stale head inside a freed block): pfn + 1. */
	e->expect_pfn = r->pfn + 1;
}

/* The next block of the open run: its time, the count grown in place. Return: false if full. */
static bool enc_run_more(struct ostream_enc *e, u64 dts)
{
	unsigned int wide = e->run_n == REC_N_MAX ? 2 : 0;

	if (e->run_n >= 0xffff || e->used + wide + varint_len(dts) > OSTREAM_PAYLOAD)
		return false;
	if (wide) {
		/* The eighth block: the count moves out of the header into 16 bits. */
		memmove(e->buf + e->run_at + 2, e->buf + e->run_at, e->used - e->run_at);
		e->used += 2;
		e->buf[e->rec_at] &= (u8)~(REC_N_MAX << REC_N_SHIFT);
	}
	e->run_n++;
	if (e->run_n <= REC_N_MAX) {
		e->buf[e->rec_at] = (u8)((e->buf[e->rec_at] & ~(REC_N_MAX << REC_N_SHIFT)) |
					 e->run_n << REC_N_SHIFT);
	} else {
		e->buf[e->run_at] = (u8)e->run_n;
		e->buf[e->run_at + 1] = (u8)(e->run_n >> 8);
	}
	e->used += put_varint(e->buf + e->used, dts);
	return true;
}

void ostream_enc_add(struct ostream_enc *e, const struct ostream_rec *r)
{
	struct ostream_owner o = { r->stack, r->ctx, r->flags, r->mt, r->order };
	struct ostream_owner first;
	unsigned int hdr, mask = 0;
	int at;

	e->records++;
	if (r->freed) {
		enc_freed(e, r);
		return;
	}
	if (e->run_n && r->pfn == e->expect_pfn && e->nowners && owner_eq(&e->owners[0], &o) &&
	    enc_run_more(e, zigzag((s64)(r->ts_us - e->prev.ts_us)))) {
		e->prev.ts_us = r->ts_us;
		e->expect_pfn = r->pfn + (1UL << r->order);
		return;
	}
	e->run_n = 0;
	enc_def(e, OSTREAM_DEF_STACK, r->stack);
	enc_def(e, OSTREAM_DEF_CTX, r->ctx);
	enc_def(e, OSTREAM_DEF_FLAGS, r->flags);
	enc_def(e, OSTREAM_DEF_MT, r->mt);
	enc_room(e, REC_WORST);
	if (!e->have_prev)
		e->prev.ts_us = 0;

	first = e->nowners ? e->owners[0] : (struct ostream_owner){ 0 };
	at = owners_use(e->owners, &e->nowners, &o);
	hdr = at >= 0 ? (unsigned int)at : REC_NEW;
	if (r->pfn != e->expect_pfn)
		hdr |= REC_GAP;
	hdr |= 1u << REC_N_SHIFT;
	e->rec_at = e->used;
	e->buf[e->used++] = (u8)hdr;
	if (at < 0) {
		bool all = e->nowners == 1;	/* nothing before it in this frame */

		mask = (all || o.stack != first.stack ? OWN_S : 0) |
		       (all || o.ctx != first.ctx ? OWN_C : 0) |
		       (all || o.flags != first.flags ? OWN_F : 0) |
		       (all || o.order != first.order ? OWN_O : 0) |
		       (all || o.mt != first.mt ? OWN_B : 0);
		e->buf[e->used++] = (u8)mask;
		if (mask & OWN_S)
			e->used += put_varint(e->buf + e->used, o.stack);
		if (mask & OWN_C)
			e->used += put_varint(e->buf + e->used, o.ctx);
		if (mask & OWN_F)
			e->used += put_varint(e->buf + e->used, o.flags);
		if (mask & OWN_O)
			e->buf[e->used++] = (u8)o.order;
		if (mask & OWN_B)
			e->used += put_varint(e->buf + e->used, o.mt);
	}
	if (hdr & REC_GAP)
		e->used += put_varint(e->buf + e->used, r->pfn - e->expect_pfn);
	e->run_at = e->used;
	e->run_n = 1;
	e->used += put_varint(e->buf + e->used, zigzag((s64)(r->ts_us - e->prev.ts_us)));
	e->prev.ts_us = r->ts_us;
	e->have_prev = true;
	e->expect_pfn = r->pfn + (1UL << r->order);
}

static u64 fnv1a(const char *s, size_t n)
{
	u64 h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= (u8)*s++;
		h *= 0x100000001b3ULL;
	}
	return h | 1;	/* never 0, the empty slot */
}

void ostream_enc_text(struct ostream_enc *e, const char *s, size_t n)
{
	while (n > OSTREAM_TEXT_PIECE) {
		ostream_enc_text(e, s, OSTREAM_TEXT_PIECE);
		s += OSTREAM_TEXT_PIECE;
		n -= OSTREAM_TEXT_PIECE;
	}
	{
		u64 h = fnv1a(s, n);
		unsigned int id = 0, i;

		/* A piece sent before: its id (a 64-bit hash names a line). */
		for (i = 0; i < e->text_ids; i++) {
			if (e->text_hash[i] == h) {
				enc_room(e, 1 + 2);
				e->buf[e->used++] = TOK_TEXT_REF;
				e->used += put_varint(e->buf + e->used, i + 1);
				e->expect_pfn++;
				e->records++;
				return;
			}
		}
		if (e->text_ids < OSTREAM_TEXT_IDS) {
			e->text_hash[e->text_ids++] = h;
			id = e->text_ids;
		}
		enc_room(e, 1 + 2 + 2 + (unsigned int)n);
		e->buf[e->used++] = TOK_TEXT_NEW;
		e->used += put_varint(e->buf + e->used, id);
		e->used += put_varint(e->buf + e->used, n);
		memcpy(e->buf + e->used, s, n);
		e->used += (unsigned int)n;
		e->expect_pfn++;
		e->records++;
	}
}

void ostream_enc_end(struct ostream_enc *e, unsigned long reached, bool aborted)
{
	char *s = e->line;

	if (aborted)
		reached = e->expect_pfn < e->end_pfn ? e->expect_pfn : e->end_pfn;
	enc_flush(e, reached);
	memcpy(s, "@E ", 3);
	s += 3;
	s = put_hex(s, e->seq);
	*s++ = ' ';
	s = put_hex(s, e->records);
	*s++ = ' ';
	s = put_hex(s, reached);
	*s++ = ' ';
	memcpy(s, aborted ? "aborted" : "done", aborted ? 7 : 4);
	s += aborted ? 7 : 4;
	enc_emit(e, put_crc(e->line, s));
}

/* ---- decoder ---- */

struct ostream_def_entry {
	u64 key;
	int kind;		/* 0: empty slot */
	bool complete;
	size_t have, total;
	char *data;		/* total + 1 bytes, NUL-terminated once complete */
};

static size_t def_slot(const struct ostream_dec *d, int kind, u64 key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL + (u64)kind) >> 20) & (d->cap_defs - 1);

	while (d->defs[i].kind && (d->defs[i].kind != kind || d->defs[i].key != key))
		i = (i + 1) & (d->cap_defs - 1);
	return i;
}

static struct ostream_def_entry *def_find(const struct ostream_dec *d, int kind, u64 key)
{
	struct ostream_def_entry *x;

	if (!d->cap_defs)
		return NULL;
	x = &d->defs[def_slot(d, kind, key)];
	return x->kind && x->complete ? x : NULL;
}

static void defs_free(struct ostream_dec *d)
{
	for (size_t i = 0; i < d->cap_defs; i++)
		if (d->defs[i].kind)
			d->free(d->defs[i].data);
	d->free(d->defs);
	d->defs = NULL;
	d->ndefs = d->cap_defs = 0;
}

/* The entry for (@kind, @key), created empty if new; NULL when out of memory. */
static struct ostream_def_entry *def_get(struct ostream_dec *d, int kind, u64 key)
{
	size_t i;

	if (2 * (d->ndefs + 1) > d->cap_defs) {
		size_t cap = d->cap_defs ? 2 * d->cap_defs : 256;
		struct ostream_def_entry *old = d->defs, *n = d->realloc(NULL, cap * sizeof(*n));
		size_t old_cap = d->cap_defs;

		if (!n)
			return NULL;
		memset(n, 0, cap * sizeof(*n));
		d->defs = n;
		d->cap_defs = cap;
		for (i = 0; i < old_cap; i++)
			if (old[i].kind)
				d->defs[def_slot(d, old[i].kind, old[i].key)] = old[i];
		d->free(old);
	}
	i = def_slot(d, kind, key);
	if (!d->defs[i].kind) {
		d->defs[i].kind = kind;
		d->defs[i].key = key;
		d->ndefs++;
	}
	return &d->defs[i];
}

struct cursor {
	const u8 *p, *end;
	bool bad;
};

static u64 get_varint(struct cursor *c)
{
	u64 v = 0;

	for (unsigned int shift = 0; shift < 64; shift += 7) {
		u8 b;

		if (c->p >= c->end) {
			c->bad = true;
			return 0;
		}
		b = *c->p++;
		v |= (u64)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

static u8 get_byte(struct cursor *c)
{
	if (c->p >= c->end) {
		c->bad = true;
		return 0;
	}
	return *c->p++;
}

/* Store a definition chunk. Chunks arrive in order; one out of place restarts it. */
static void dec_def_chunk(struct ostream_dec *d, struct cursor *c)
{
	int kind = get_byte(c);
	u64 key = get_varint(c), total = get_varint(c), off = get_varint(c), n = get_varint(c);
	struct ostream_def_entry *x;

	if (c->bad || kind <= 0 || kind >= OSTREAM_DEF_KINDS || total > OSTREAM_BLOB_MAX ||
	    off + n > total || n > (u64)(c->end - c->p)) {
		c->bad = true;
		return;
	}
	x = def_get(d, kind, key);
	if (!x) {
		d->oom = true;
		c->bad = true;
		return;
	}
	if (off == 0) {
		char *data = d->realloc(x->data, (size_t)total + 1);

		if (!data) {
			d->oom = true;
			c->bad = true;
			return;
		}
		x->data = data;
		x->total = (size_t)total;
		x->have = 0;
		x->complete = false;
	}
	if (off == x->have && x->data && total == x->total) {
		memcpy(x->data + off, c->p, (size_t)n);
		x->have += (size_t)n;
		if (x->have == x->total) {
			x->data[x->total] = '\0';
			x->complete = true;
		}
	}
	c->p += n;
}

static bool text_room(struct ostream_dec *d, size_t need)
{
	if (need <= d->text_cap)
		return true;
	{
		size_t cap = need * 2;
		char *t = d->realloc(d->text, cap);

		if (!t) {
			d->oom = true;
			return false;
		}
		d->text = t;
		d->text_cap = cap;
	}
	return true;
}

static char *put_str(char *s, const char *str, size_t n)
{
	memcpy(s, str, n);
	return s + n;
}

#define PUT_LIT(s, lit)	put_str(s, lit, sizeof(lit) - 1)

/* A whole definition (0x88 | kind): stored as a chunk that is all of it. */
static void dec_def_whole(struct ostream_dec *d, struct cursor *c, int kind)
{
	u64 key = get_varint(c), n = get_varint(c);
	struct ostream_def_entry *x;
	char *data;

	if (c->bad || kind <= 0 || kind >= OSTREAM_DEF_KINDS || n > OSTREAM_BLOB_MAX ||
	    n > (u64)(c->end - c->p)) {
		c->bad = true;
		return;
	}
	x = def_get(d, kind, key);
	data = x ? d->realloc(x->data, (size_t)n + 1) : NULL;
	if (!data) {
		d->oom = true;
		c->bad = true;
		return;
	}
	x->data = data;
	memcpy(x->data, c->p, (size_t)n);
	x->data[n] = '\0';
	x->total = x->have = (size_t)n;
	x->complete = true;
	c->p += n;
}

/*
 * Stack @handle's pcs into @pcs: its own, then the last ones of the stack it
 * shares them with (and so on, as many links as there are definitions).
 * Return: how many, or -1 if a definition is missing or malformed.
 */
static int dec_stack_pcs(const struct ostream_dec *d, u32 handle, u64 *pcs)
{
	unsigned int nr = 0;
	u64 need = ~0ULL;	/* all the frames of the first */
	size_t links = 0;

	for (;;) {
		const struct ostream_def_entry *st = def_find(d, OSTREAM_DEF_STACK, handle);
		struct cursor c, body;
		u64 own, tail, tail_n = 0, take, pc = 0;

		if (!st || ++links > d->ndefs)
			return -1;
		c = (struct cursor){ (const u8 *)st->data, (const u8 *)st->data + st->total, false };
		own = get_varint(&c);
		if (c.bad || own > OSTREAM_STACK_MAX)
			return -1;
		body = c;
		for (u64 i = 0; i < own; i++)
			get_varint(&c);
		tail = get_varint(&c);
		if (tail)
			tail_n = get_varint(&c);
		if (c.bad || c.p != c.end ||
		    (tail && (!tail_n || tail_n > OSTREAM_STACK_MAX || tail - 1 > 0xffffffffULL)))
			return -1;
		if (need == ~0ULL)
			need = own + tail_n;
		if (need > own + tail_n)
			return -1;
		/* Of its frames (own, then tail_n shared) the last @need: */
		take = need > tail_n ? need - tail_n : 0;
		if (nr + take > OSTREAM_STACK_MAX)
			return -1;
		for (u64 i = 0; i < own; i++) {
			pc += (u64)unzigzag(get_varint(&body));
			if (i >= own - take)
				pcs[nr++] = pc;
		}
		need -= take;
		if (!need)
			return (int)nr;
		handle = (u32)(tail - 1);
	}
}

/*
 * Stack @handle's frame lines, as stack_depot_print_seq() prints them, at
 * @off in d->text (grown as needed). Return: the offset after them, or -1.
 */
static long dec_frames(struct ostream_dec *d, u32 handle, size_t off)
{
	u64 pcs[OSTREAM_STACK_MAX];
	int nr = dec_stack_pcs(d, handle, pcs);

	if (nr < 0)
		return -1;
	for (int i = 0; i < nr; i++) {
		const struct ostream_def_entry *f;

		if (d->host_symbols) {
			if (!d->symbolize || d->elf_mismatch || !text_room(d, off + 320))
				return -1;
			off += d->symbolize(d->priv, pcs[i], d->text + off, 300);
			continue;
		}
		f = def_find(d, OSTREAM_DEF_FRAME, pcs[i]);
		if (!f || !text_room(d, off + f->total + 1))
			return -1;
		memcpy(d->text + off, f->data, f->total);
		off += f->total;
	}
	return (long)off;
}

/* Why a record's text could not be made. */
static const char *dec_why(const struct ostream_dec *d)
{
	if (d->host_symbols && d->elf_mismatch)
		return "the ELF given is not the image that sent the stream (build id)";
	if (d->host_symbols && !d->symbolize)
		return "its frames are addresses: decode with the kernel's ELF (--elf)";
	return "a definition it needs was in a lost frame";
}

static char *put_int(char *s, int v)
{
	if (v < 0) {
		*s++ = '-';
		return put_dec(s, (u64)-(s64)v);
	}
	return put_dec(s, (u64)v);
}

/* A block freed since the checkpoint, as print_page_freed() (mm/page_owner.c) prints it. */
static void dec_emit_freed(struct ostream_dec *d, const struct ostream_rec *r)
{
	const struct ostream_def_entry *task = def_find(d, OSTREAM_DEF_TASK, (u64)(r->task + 1));
	long end;
	char *s;

	if (!task || !text_room(d, 120 + task->total)) {
		d->lost(d->priv, r->pfn, r->pfn + (1UL << r->order), dec_why(d));
		return;
	}
	s = d->text;
	s = PUT_LIT(s, "Page freed via order ");
	s = put_dec(s, r->order);
	s = PUT_LIT(s, ", pid ");
	s = put_int(s, r->task);
	s = PUT_LIT(s, ", ");
	s = put_str(s, task->data, task->total);
	s = PUT_LIT(s, ", free_ts ");
	s = put_dec(s, r->ts_us * 1000);
	s = PUT_LIT(s, " ns\nPFN 0x");
	s = put_hex(s, r->pfn);
	*s++ = '\n';
	end = dec_frames(d, r->stack, (size_t)(s - d->text));
	if (end < 0 || !text_room(d, (size_t)end + 1)) {
		d->lost(d->priv, r->pfn, r->pfn + (1UL << r->order), dec_why(d));
		return;
	}
	d->text[end++] = '\n';
	d->records++;
	d->record(d->priv, r->pfn, r->order, d->text, (size_t)end);
}

/*
 * The text of one record, as print_page_owner() (mm/page_owner.c) prints it:
 * tests/qemu/test_stream.py checks the two byte for byte.
 */
static void dec_emit(struct ostream_dec *d, const struct ostream_rec *r)
{
	const struct ostream_def_entry *cx = def_find(d, OSTREAM_DEF_CTX, r->ctx);
	const struct ostream_def_entry *fl = def_find(d, OSTREAM_DEF_FLAGS, r->flags);
	const struct ostream_def_entry *mt = def_find(d, OSTREAM_DEF_MT, r->mt);
	const struct ostream_def_entry *gfp = NULL, *task = NULL;
	size_t names_len = 0, gfp_mt_len;
	const char *gfp_mt = "";
	u64 mask = 0, pid1 = 0;
	long end = -1;
	char *s;

	if (cx) {
		struct cursor c = { (const u8 *)cx->data, (const u8 *)cx->data + cx->total, false };

		mask = get_varint(&c);
		pid1 = get_varint(&c);
		if (!c.bad && c.p == c.end && mask <= 0xffffffffULL && pid1 <= 0x80000000ULL) {
			gfp = def_find(d, OSTREAM_DEF_GFP, mask);
			task = def_find(d, OSTREAM_DEF_TASK, pid1);
		}
	}
	if (gfp) {
		names_len = strlen(gfp->data);
		gfp_mt = names_len < gfp->total ? gfp->data + names_len + 1 : "";
	}
	gfp_mt_len = strlen(gfp_mt);
	if (gfp && task && fl && mt &&
	    text_room(d, 200 + names_len + task->total + gfp_mt_len + mt->total + fl->total)) {
		s = d->text;
		s = PUT_LIT(s, "Page allocated via order ");
		s = put_dec(s, r->order);
		s = PUT_LIT(s, ", mask 0x");
		s = put_hex(s, mask);
		*s++ = '(';
		s = put_str(s, gfp->data, names_len);
		s = PUT_LIT(s, "), pid ");
		s = put_int(s, (int)(pid1 - 1));
		s = PUT_LIT(s, ", ");
		s = put_str(s, task->data, task->total);
		s = PUT_LIT(s, ", ts ");
		s = put_dec(s, r->ts_us * 1000);
		s = PUT_LIT(s, " ns\nPFN 0x");
		s = put_hex(s, r->pfn);
		s = PUT_LIT(s, " type ");
		s = put_str(s, gfp_mt, gfp_mt_len);
		s = PUT_LIT(s, " Block ");
		s = put_dec(s, r->pfn >> d->block_order);
		s = PUT_LIT(s, " type ");
		s = put_str(s, mt->data, mt->total);
		s = PUT_LIT(s, " Flags 0x");
		s = put_hex(s, r->flags);
		*s++ = '(';
		s = put_str(s, fl->data, fl->total);
		s = PUT_LIT(s, ")\n");
		end = dec_frames(d, r->stack, (size_t)(s - d->text));
	}
	if (end < 0 || !text_room(d, (size_t)end + 1)) {
		d->lost(d->priv, r->pfn, r->pfn + (1UL << r->order), dec_why(d));
		return;
	}
	d->text[end++] = '\n';
	d->records++;
	d->record(d->priv, r->pfn, r->order, d->text, (size_t)end);
}

/* A piece of text: emitted, and kept under its id when new. Return: false if malformed. */
static bool dec_text(struct ostream_dec *d, struct cursor *c, bool is_new, unsigned long at)
{
	u64 id = get_varint(c), n;
	struct ostream_def_entry *x;

	if (!is_new) {
		x = c->bad ? NULL : def_find(d, OSTREAM_DEF_TEXT, id);
		if (!x) {
			if (!c->bad)
				d->lost(d->priv, at, at + 1, "a definition it needs was in a lost frame");
			return !c->bad;
		}
		d->records++;
		d->record(d->priv, at, 0, x->data, x->total);
		return true;
	}
	n = get_varint(c);
	if (c->bad || n > (u64)(c->end - c->p) || n > OSTREAM_TEXT_PIECE)
		return false;
	if (id) {
		x = def_get(d, OSTREAM_DEF_TEXT, id);
		if (!x || !(x->data = d->realloc(x->data, (size_t)n + 1))) {
			d->oom = true;
			return false;
		}
		memcpy(x->data, c->p, (size_t)n);
		x->data[n] = '\0';
		x->total = x->have = (size_t)n;
		x->complete = true;
	}
	d->records++;
	d->record(d->priv, at, 0, (const char *)c->p, (size_t)n);
	c->p += n;
	return true;
}

/* The tokens of one frame whose pfns start at @start. Return: false if malformed. */
static bool dec_payload(struct ostream_dec *d, const u8 *p, size_t n, unsigned long start,
			unsigned long end)
{
	struct cursor c = { p, p + n, false };
	struct ostream_owner owners[OSTREAM_OWNERS];
	unsigned int nowners = 0;
	struct ostream_rec r = { 0 };
	unsigned long expect = start;

	while (c.p < c.end && !c.bad) {
		unsigned int hdr = get_byte(&c), count;
		struct ostream_owner o;

		if (hdr == TOK_DEF) {
			dec_def_chunk(d, &c);
			continue;
		}
		if ((hdr & ~7u) == TOK_DEF_WHOLE) {
			dec_def_whole(d, &c, (int)(hdr & 7));
			continue;
		}
		if (hdr == TOK_FREED) {
			struct ostream_rec f = { .freed = true };

			f.pfn = expect + get_varint(&c);
			f.order = get_byte(&c);
			f.stack = (u32)get_varint(&c);
			f.task = (int)get_varint(&c) - 1;
			r.ts_us += (u64)unzigzag(get_varint(&c));
			if (c.bad || f.order > 20 || f.pfn >= end || f.pfn < expect)
				return false;
			f.ts_us = r.ts_us;
			dec_emit_freed(d, &f);
			expect = f.pfn + 1;
			continue;
		}
		if (hdr == TOK_TEXT_REF || hdr == TOK_TEXT_NEW) {
			if (expect >= end || !dec_text(d, &c, hdr == TOK_TEXT_NEW, expect))
				return false;
			expect++;
			continue;
		}
		if (hdr & 0x80)
			return false;
		if ((hdr & REC_SLOT) == REC_NEW) {
			unsigned int mask = get_byte(&c);

			o = nowners ? owners[0] : (struct ostream_owner){ 0 };
			if (mask & ~0x1fu || (!nowners && mask != 0x1f))
				return false;
			if (mask & OWN_S)
				o.stack = (u32)get_varint(&c);
			if (mask & OWN_C)
				o.ctx = (u32)get_varint(&c);
			if (mask & OWN_F)
				o.flags = (u32)get_varint(&c);
			if (mask & OWN_O)
				o.order = get_byte(&c);
			if (mask & OWN_B)
				o.mt = (u32)get_varint(&c);
		} else {
			if ((hdr & REC_SLOT) >= nowners)
				return false;
			o = owners[hdr & REC_SLOT];
		}
		owners_use(owners, &nowners, &o);
		r.pfn = expect + (hdr & REC_GAP ? get_varint(&c) : 0);
		count = (hdr >> REC_N_SHIFT) & REC_N_MAX;
		if (!count) {
			count = get_byte(&c);
			count |= (unsigned int)get_byte(&c) << 8;
		}
		r.stack = o.stack;
		r.ctx = o.ctx;
		r.flags = o.flags;
		r.order = o.order;
		r.mt = o.mt;
		if (c.bad || !count || r.order > 20 || r.pfn < expect)
			return false;
		for (unsigned int i = 0; i < count; i++) {
			r.ts_us += (u64)unzigzag(get_varint(&c));
			/* A head in the frame (its block may run past a --pfns end). */
			if (c.bad || r.pfn >= end)
				return false;
			dec_emit(d, &r);
			r.pfn += 1UL << r.order;
		}
		expect = r.pfn;
	}
	return !c.bad;
}

/* Split @line into at most @max space-separated fields. Return: how many. */
static int split_fields(const char *line, size_t len, const char **f, size_t *fl, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && line[j] != ' ')
			j++;
		if (n == max || j == i)
			return -1;
		f[n] = line + i;
		fl[n++] = j - i;
		i = j + 1;
		if (j == len - 1 && line[j] == ' ')
			return -1;
	}
	return n;
}

static bool parse_hex(const char *s, size_t n, u64 *out)
{
	u64 v = 0;

	if (!n || n > 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		int c = s[i], x;

		if (c >= '0' && c <= '9')
			x = c - '0';
		else if (c >= 'a' && c <= 'f')
			x = c - 'a' + 10;
		else
			return false;
		v = v << 4 | (u64)x;
	}
	*out = v;
	return true;
}

/* "frames A-B lost or corrupted" into @buf. */
static const char *frames_why(char *buf, unsigned long a, unsigned long b, const char *what)
{
	char *s = buf;

	s = PUT_LIT(s, "frame");
	if (b != a)
		*s++ = 's';
	*s++ = ' ';
	s = put_dec(s, a);
	if (b != a) {
		*s++ = '-';
		s = put_dec(s, b);
	}
	*s++ = ' ';
	s = put_str(s, what, strlen(what));
	*s = '\0';
	return buf;
}

/*
 * Frames [next_seq, @seq) are missing: report the pfns between their
 * neighbours. @strict: a frame's start must also be the last one's end (a
 * trailer's pfn need not be: no frame is sent for a stretch without blocks).
 */
static void dec_gap(struct ostream_dec *d, unsigned long seq, unsigned long upto, bool strict)
{
	char why[96];

	if (seq > d->next_seq || (strict && upto > d->last_end)) {
		if (seq > d->next_seq)
			d->lost_frames += seq - d->next_seq;
		d->lost(d->priv, d->last_end, upto,
			seq > d->next_seq ?
			frames_why(why, d->next_seq, seq - 1, "lost or corrupted") :
			"pfns skipped between frames");
	}
}

static void dec_end_stream(struct ostream_dec *d)
{
	if (d->in_stream && !d->have_trailer && d->last_end < d->end) {
		d->lost(d->priv, d->last_end, d->end,
			"the stream ends without its trailer: the rest was cut off");
	}
	d->in_stream = false;
}

void ostream_dec_line(struct ostream_dec *d, const char *line, size_t len)
{
	const char *f[10];
	size_t fl[10];
	u64 v[6], crc;
	int n;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	/* A console may prefix the stream with the tail of its prompt line: find the '@'. */
	if (len < 2 || line[0] != '@')
		return;
	n = split_fields(line, len, f, fl, 10);
	if (n < 3 || fl[n - 1] != 8 || !parse_hex(f[n - 1], 8, &crc) ||
	    ostream_crc32(0, line, (size_t)(f[n - 1] - 1 - line)) != crc) {
		d->bad_lines++;
		return;
	}
	if (fl[0] == 2 && !memcmp(f[0], "@H", 2) && n == 10) {
		if (fl[2] >= sizeof(d->kind) || !parse_hex(f[3], fl[3], &v[0]) ||
		    !parse_hex(f[4], fl[4], &v[1]) || !parse_hex(f[5], fl[5], &v[2]) ||
		    !parse_hex(f[6], fl[6], &v[3]) || fl[1] != 1 || f[1][0] != '2' || v[0] > 30 ||
		    fl[7] != 1 || (f[7][0] != 'k' && f[7][0] != 'e') ||
		    !(fl[8] == 1 ? f[8][0] == '-' : fl[8] == 40 && parse_hex(f[8], 16, &v[4]) &&
		      parse_hex(f[8] + 16, 16, &v[4]) && parse_hex(f[8] + 32, 8, &v[4]))) {
			d->bad_lines++;
			return;
		}
		dec_end_stream(d);
		if (d->defs)
			defs_free(d);
		memcpy(d->kind, f[2], fl[2]);
		d->kind[fl[2]] = '\0';
		d->block_order = (unsigned int)v[0];
		d->start = d->last_end = (unsigned long)v[1];
		d->end = (unsigned long)v[2];
		d->since_us = (unsigned long)v[3];
		d->host_symbols = f[7][0] == 'e';
		d->build_id[0] = '\0';
		if (fl[8] == 40) {
			memcpy(d->build_id, f[8], 40);
			d->build_id[40] = '\0';
		}
		/* An ELF given must be the image's, whichever way frames travel. */
		d->elf_mismatch = d->elf_build_id && strcmp(d->elf_build_id, d->build_id);
		d->next_seq = 0;
		d->in_stream = true;
		d->have_trailer = false;
		return;
	}
	if (!d->in_stream)
		return;
	if (fl[0] == 2 && !memcmp(f[0], "@F", 2) && n == 6) {
		u8 payload[OSTREAM_PAYLOAD];
		size_t got;

		if (!parse_hex(f[1], fl[1], &v[0]) || !parse_hex(f[2], fl[2], &v[1]) ||
		    !parse_hex(f[3], fl[3], &v[2]) || v[2] < v[1] || v[1] < d->start ||
		    v[2] > d->end) {
			d->bad_lines++;
			return;
		}
		if (v[0] < d->next_seq)	/* a repeat */
			return;
		if (v[1] < d->last_end) {	/* frames never overlap: not this stream's */
			d->bad_lines++;
			return;
		}
		got = ostream_b85_decode(payload, sizeof(payload), f[4], fl[4]);
		if (got == (size_t)-1) {
			d->bad_lines++;
			return;
		}
		dec_gap(d, (unsigned long)v[0], (unsigned long)v[1], true);
		if (!dec_payload(d, payload, got, (unsigned long)v[1], (unsigned long)v[2])) {
			char why[96];

			d->lost(d->priv, (unsigned long)v[1], (unsigned long)v[2],
				frames_why(why, (unsigned long)v[0], (unsigned long)v[0],
					   "is malformed (its CRC matched)"));
		}
		d->frames++;
		d->next_seq = (unsigned long)v[0] + 1;
		d->last_end = (unsigned long)v[2];
		return;
	}
	if (fl[0] == 2 && !memcmp(f[0], "@E", 2) && n == 6) {
		if (!parse_hex(f[1], fl[1], &v[0]) || !parse_hex(f[2], fl[2], &v[1]) ||
		    !parse_hex(f[3], fl[3], &v[2]) || v[2] < d->last_end || v[2] > d->end) {
			/* (the walk cannot have stopped before a frame sent, or past the end) */
			d->bad_lines++;
			return;
		}
		dec_gap(d, (unsigned long)v[0], (unsigned long)v[2], false);
		d->have_trailer = true;
		d->last_end = (unsigned long)v[2];
		if (fl[4] == 7 && !memcmp(f[4], "aborted", 7) && d->last_end < d->end)
			d->lost(d->priv, d->last_end, d->end, "the dump was stopped on the target");
		dec_end_stream(d);
		return;
	}
	d->bad_lines++;
}

void ostream_dec_finish(struct ostream_dec *d)
{
	dec_end_stream(d);
	if (d->defs)
		defs_free(d);
	d->free(d->text);
	d->text = NULL;
	d->text_cap = 0;
}
