/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The owner stream: a compact, checked encoding of the page_owner dump for
 * slow serial lines (docs/PAGE_OWNER.md, "The stream format").
 *
 * lib/owner_stream.c is portable C shared by the kernel (the encoder behind
 * `page_owner --format=stream`) and the host tools (the decoder in
 * tools/po_decode.c and `capture`), so both sides run the same code.
 *
 * On the wire every line is printable ASCII and ends in its CRC-32:
 *
 *	@H 1 <kind> <pageblock_order> <start pfn> <end pfn> <since ts> <crc>
 *	@F <seq> <start pfn> <end pfn> <base64 payload> <crc>
 *	@E <frames> <records> <reached pfn> done|aborted <crc>
 *
 * (numbers in hex; the CRC covers the line up to the space before it). Frame
 * <seq> covers the pfns [start, end): a lost or corrupted frame is reported
 * with that range, from its neighbours when its own header is unreadable.
 * A payload is a sequence of tokens, each frame decodable on its own given
 * the definitions sent before it:
 *
 *	0x80 kind key total offset n bytes[n]	a chunk of a definition (stack
 *						text, context, flags names...)
 *	0x81 id					text: a piece sent before
 *	0x82 id n bytes[n]			text: a new piece (id 0: not kept)
 *	0x83 gap order stack task time		a block freed since (`--since`)
 *	0b0RBOFCSP fields...			a record (bits below)
 *
 * A record's header byte says which fields repeat the previous record of the
 * frame (P: the pfn follows it; S, C, F, O, B: same stack, context, flags,
 * order, pageblock type); those that do not follow as varints. With R a
 * 16-bit count follows and the record opens a run: that many blocks at
 * consecutive pfns with everything equal but the time. Each record ends in
 * its allocation time as a zigzag varint delta from the previous one (the
 * first of a frame from 0).
 *
 * The aggregated reports (`leaks`, `page_owner_stacks`) stream their text
 * (ostream_enc_text()): each line is sent once and then referred to by its
 * id, which is what makes their repeated frames cheap. There a frame's range
 * counts output lines instead of pfns.
 */
#ifndef FERRET_OWNER_STREAM_H
#define FERRET_OWNER_STREAM_H

#include <ferret/types.h>

#define OSTREAM_VERSION		1
#define OSTREAM_PAYLOAD		384	/* binary bytes per frame (512 base64 characters) */
#define OSTREAM_LINE_MAX	(OSTREAM_PAYLOAD / 3 * 4 + 80)
#define OSTREAM_BLOB_MAX	2048	/* largest definition */
#define OSTREAM_FLAGS_CACHE	64	/* flags values remembered as sent */
#define OSTREAM_FRAMES_SENT	1024	/* frames remembered as sent (a hash set) */
#define OSTREAM_STACK_MAX	64	/* frames per stack */
#define OSTREAM_TEXT_IDS	1024	/* distinct text lines remembered */
#define OSTREAM_TEXT_PIECE	255	/* longest piece of text in one token */

/* Definition kinds: what the text of a record needs besides its numbers. */
enum ostream_def {
	OSTREAM_DEF_STACK = 1,	/* key: depot handle; its frames' keys (pcs), varints */
	OSTREAM_DEF_CTX = 2,	/* key: context index; "mask 0x..(..), pid N, tgid N (comm)\0<gfp's type>" */
	OSTREAM_DEF_FLAGS = 3,	/* key: page flags; their names as printed between the parentheses */
	OSTREAM_DEF_MT = 4,	/* key: pageblock type; its name */
	OSTREAM_DEF_FRAME = 5,	/* key: a pc; its line as printed, " f+0x../0x..\n" */
	OSTREAM_DEF_TEXT = 6,	/* key: a text piece's id (decoder side only) */
	OSTREAM_DEF_TASK = 7,	/* key: pid + 1; "pid N, tgid N (comm)" */
	OSTREAM_DEF_KINDS
};

/* One allocated block as the stream carries it. */
struct ostream_rec {
	unsigned long pfn;
	unsigned int order;
	u32 stack;		/* depot handle */
	u32 ctx;		/* the allocation's context index (gfp mask, pid) */
	u32 flags;		/* the head page's flags */
	u32 mt;			/* its pageblock's migratetype */
	u64 ts_us;		/* allocation time (freed: the free's) */
	bool freed;		/* a block freed since (`--since`): stack, task, ts of the free */
	int task;		/* the freeing context's pid (freed only) */
};

/*
 * The encoder. It never allocates: the caller provides it (static in the
 * kernel: about 6 KiB) and the bitmap of stacks already sent.
 */
struct ostream_enc {
	/* Set by the caller before ostream_enc_begin(). */
	void (*out)(void *priv, const char *s, size_t n);	/* one whole line at a time */
	/* Fill @buf with definition (@kind, @key); return its length (at most @size). */
	size_t (*def)(void *priv, int kind, u64 key, char *buf, size_t size);
	/* The pcs of stack @handle into @pcs; return how many (at most @max). */
	unsigned int (*stack)(void *priv, u32 handle, u64 *pcs, unsigned int max);
	void *priv;
	u32 *stack_sent;	/* bitmap, stack_sent_bits bits; stacks past it are sent each time */
	u32 stack_sent_bits;

	/* The encoder's own. */
	u32 ctx_sent[8], mt_sent, task_sent[4];
	u32 flags_sent[OSTREAM_FLAGS_CACHE];
	u64 frames_sent[OSTREAM_FRAMES_SENT];	/* pc + 1, 0: empty */
	u64 pcs[OSTREAM_STACK_MAX];
	u64 text_hash[OSTREAM_TEXT_IDS];	/* FNV-1a of piece id - 1, 0: empty */
	unsigned int text_ids;
	unsigned int flags_next;
	u8 buf[OSTREAM_PAYLOAD];
	unsigned int used;
	unsigned int rec_at;	/* offset of the open record's header byte */
	unsigned int run_at;	/* where its count goes (its first time) */
	unsigned int run_n;	/* blocks in it, 0: no open record */
	unsigned long seq, records, frame_start, expect_pfn, end_pfn;
	bool have_prev;
	struct ostream_rec prev;
	char line[OSTREAM_LINE_MAX];
	char blob[OSTREAM_BLOB_MAX];
};

/*
 * Start a stream of @kind ("page_owner") covering the pfns [@start, @end):
 * writes the header line. @since_us: the checkpoint (0: all).
 */
void ostream_enc_begin(struct ostream_enc *e, const char *kind, unsigned int block_order,
		       unsigned long start, unsigned long end, u64 since_us);
/* Add a block; blocks come in increasing pfn order. */
void ostream_enc_add(struct ostream_enc *e, const struct ostream_rec *r);
/*
 * Text streams: after ostream_enc_begin() (@start 0, @end ~0UL), one piece of
 * text, usually a line with its "\n"; pieces longer than OSTREAM_TEXT_PIECE
 * are split. A frame's range then counts pieces.
 */
void ostream_enc_text(struct ostream_enc *e, const char *s, size_t n);
/* End the stream: the last frame and the trailer. @reached: where the walk stopped. */
void ostream_enc_end(struct ostream_enc *e, unsigned long reached, bool aborted);

/* ---- decoder (host tools and tests; allocates through @alloc) ---- */

struct ostream_def_entry;

struct ostream_dec {
	/* Set by the caller. */
	void *(*realloc)(void *p, size_t n);	/* like realloc(); NULL result: out of memory */
	void (*free)(void *p);
	/* A decoded record: its text exactly as the console's text dump prints it. */
	void (*record)(void *priv, unsigned long pfn, unsigned int order, const char *text,
		       size_t len);
	/* Pfns [@start, @end) could not be decoded; @why says why. */
	void (*lost)(void *priv, unsigned long start, unsigned long end, const char *why);
	void *priv;

	/* The decoder's own. */
	bool in_stream, have_trailer, oom;
	unsigned int block_order;
	unsigned long start, end, since_us;
	unsigned long next_seq, last_end, frames, records, bad_lines, lost_frames;
	struct ostream_def_entry *defs;
	size_t ndefs, cap_defs;
	char *text;
	size_t text_cap;
	char kind[16];
};

/* Feed one line (without or with its "\n" / "\r"); lines not of the stream are ignored. */
void ostream_dec_line(struct ostream_dec *d, const char *line, size_t len);
/* Input over: reports a missing trailer; frees the definitions. */
void ostream_dec_finish(struct ostream_dec *d);

/* Shared helpers (also used by the tests). */
u32 ostream_crc32(u32 crc, const void *p, size_t n);
size_t ostream_b64_encode(char *dst, const u8 *src, size_t n);
/* Return: bytes decoded, or (size_t)-1 on a character outside the alphabet. */
size_t ostream_b64_decode(u8 *dst, size_t cap, const char *src, size_t n);

#endif
