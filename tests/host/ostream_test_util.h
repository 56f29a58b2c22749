/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the owner stream host tests and the stream fuzz harness: feed a
 * captured stream to the decoder line by line, as the host tools read a
 * serial log; a made-up kernel (definitions, contexts, stacks) for the
 * encoder, and the text each record must decode to, built with printf.
 */
#ifndef OSTREAM_TEST_UTIL_H
#define OSTREAM_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

#include <ferret/owner_stream.h>

static inline void ostream_dec_lines(struct ostream_dec *d, const char *w, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(w + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (w + i)) : len - i;

		ostream_dec_line(d, w + i, l);
		i += l + 1;
	}
}

/* Definitions: made-up text, the same on both sides of the check. */
static inline size_t def_text(void *priv, int kind, u64 key, char *buf, size_t size)
{
	switch (kind) {
	case OSTREAM_DEF_GFP: {		/* key: ctx * 16 */
		int n = snprintf(buf, size, "GFP_TEST_%u", (unsigned int)key / 16);

		memcpy(buf + n + 1, key & 16 ? "Movable" : "Unmovable", key & 16 ? 7 : 9);
		return (size_t)n + 1 + (key & 16 ? 7 : 9);
	}
	case OSTREAM_DEF_FLAGS:
		return (size_t)snprintf(buf, size, "block|order=%u", (unsigned int)(key & 15));
	case OSTREAM_DEF_MT:
		return (size_t)snprintf(buf, size, "type%u", (unsigned int)key);
	case OSTREAM_DEF_TASK:
		return (size_t)snprintf(buf, size, "tgid %d (task%d)", (int)key - 1, (int)key - 1);
	case OSTREAM_DEF_FRAME:
		return (size_t)snprintf(buf, size, " func_%llx+0x%llx/0x100\n",
					(unsigned long long)key >> 8,
					(unsigned long long)key & 0xff);
	}
	return 0;
}

/* Context c: mask c * 16, pid c. */
static inline void ctx_of(void *priv, u32 ctx, u32 *gfp, int *pid)
{
	*gfp = ctx * 16;
	*pid = (int)ctx;
}

/*
 * Stack h has (h % 13) + 1 frames, pcs shared between stacks, and two
 * stacks in three end in the same 1-4 outer frames (as a console's).
 */
static inline unsigned int stack_pcs(void *priv, u32 h, u64 *pcs, unsigned int max)
{
	unsigned int n = h % 13 + 1, tail = h % 3 ? h % 4 + 1 : 0;

	for (unsigned int i = 0; i < n + tail && i < max; i++)
		pcs[i] = i < n ? 0x40080000ULL + (u64)((h + i) % 40) * 0x104 :
				 0x40090000ULL + (u64)(i - n + 4 - tail) * 0x100;
	return n + tail < max ? n + tail : max;
}

/* The text a record must decode to, built independently with printf. */
static inline size_t expected_text(char *buf, size_t size, const struct ostream_rec *r,
				   unsigned int pb_order)
{
	char frames[2048];
	u64 pcs[OSTREAM_STACK_MAX];
	unsigned int n = stack_pcs(NULL, r->stack, pcs, OSTREAM_STACK_MAX);
	size_t fl = 0;

	frames[0] = '\0';
	for (unsigned int i = 0; i < n; i++)
		fl += def_text(NULL, OSTREAM_DEF_FRAME, pcs[i], frames + fl, sizeof(frames) - fl);
	if (r->freed)
		return (size_t)snprintf(buf, size, "Page freed via order %u, pid %d, tgid %d (task%d), "
					"free_ts %llu ns\nPFN 0x%lx\n%s\n", r->order, r->task,
					r->task, r->task, (unsigned long long)r->ts_us * 1000,
					r->pfn, frames);
	return (size_t)snprintf(buf, size,
		"Page allocated via order %u, mask 0x%x(GFP_TEST_%u), pid %u, tgid %u (task%u), "
		"ts %llu ns\nPFN 0x%lx type %s Block %lu type type%u Flags 0x%x(block|order=%u)\n"
		"%s\n",
		r->order, r->ctx * 16, r->ctx, r->ctx, r->ctx, r->ctx,
		(unsigned long long)r->ts_us * 1000, r->pfn, r->ctx & 1 ? "Movable" : "Unmovable",
		r->pfn >> pb_order, r->mt, r->flags, r->flags & 15, frames);
}

/* The host's side of --symbols=host: the frame text from the pc, at most @size bytes. */
static inline size_t ostream_test_symbolize(void *priv, u64 pc, char *buf, size_t size)
{
	size_t n = def_text(priv, OSTREAM_DEF_FRAME, pc, buf, size);

	return n < size ? n : size - 1;
}

/* The GNU build id the made-up image has. */
static const u8 ostream_test_build_id[20] = {
	0xfe, 0x77, 0xe7, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd,
	0xef, 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe, 0x00
};

/*
 * A whole page_owner stream of @recs over the pfns [@start, @end) through
 * @enc (cleared here), each line handed to @out; @stack_sent: the encoder's
 * bitmap of stacks sent, @bytes long (cleared too).
 */
static inline void ostream_test_encode(struct ostream_enc *enc,
				       void (*out)(void *priv, const char *s, size_t n),
				       u32 *stack_sent, size_t bytes, bool host_symbols,
				       const struct ostream_rec *recs, size_t n,
				       unsigned long start, unsigned long end)
{
	memset(enc, 0, sizeof(*enc));
	memset(stack_sent, 0, bytes);
	enc->out = out;
	enc->def = def_text;
	enc->ctx = ctx_of;
	enc->stack = stack_pcs;
	enc->stack_sent = stack_sent;
	enc->stack_sent_bits = (u32)(bytes * 8);
	enc->host_symbols = host_symbols;
	enc->build_id = ostream_test_build_id;
	enc->build_id_len = sizeof(ostream_test_build_id);
	ostream_enc_begin(enc, "page_owner", 9, start, end, 0);
	for (size_t i = 0; i < n; i++)
		ostream_enc_add(enc, &recs[i]);
	ostream_enc_end(enc, end, false);
}

#endif
