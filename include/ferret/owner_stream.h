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
 *	@H 2 <kind> <pageblock_order> <start pfn> <end pfn> <since ts> <frames> <build id> <crc>
 *	@F <seq> <start pfn> <end pfn> <base85 payload> <crc>
 *	@E <frames> <records> <reached pfn> done|aborted <crc>
 *
 * (numbers in hex; the CRC covers the line up to the space before it).
 * <frames> says how stack frames travel: "k", as text the kernel resolved
 * (" func+0x../0x..", each sent once), or "e", as addresses that the host
 * resolves from the ELF whose GNU build id is <build id> (40 hex digits; "-"
 * when the image has none); a decoder refuses an ELF with another build id.
 * Frame <seq> covers the pfns [start, end): a lost or corrupted frame is
 * reported with that range, from its neighbours when its own header is
 * unreadable. A payload is a sequence of tokens, each frame decodable on its
 * own given the definitions sent before it:
 *
 *	0x80 kind key total offset n bytes[n]	a chunk of a long definition
 *	0x88|kind key n bytes[n]		a whole definition (kind 1..7)
 *	0x81 id					text: a piece sent before
 *	0x82 id n bytes[n]			text: a new piece (id 0: not kept)
 *	0x83 gap order stack pid+1 time		a block freed since (`--since`)
 *	0b0NNNGTTT ...				blocks (below)
 *
 * Blocks: an owner is (stack, context, flags, order, pageblock type); each
 * frame keeps its last 7 owners, most recent first. TTT is the owner's place
 * there, or 7 for a new one: then a byte says which of its fields follow
 * (bits S C F O B: 1, 2, 4, 8, 16; the others are those of the most recent
 * owner). G: the pfn is not the one after the previous block, a varint gap
 * from it follows. NNN: that many blocks (1..7) at consecutive pfns, or 0: a
 * 16-bit count follows. Then each block's allocation time, a zigzag varint
 * delta from the previous block's (the first of a frame from 0).
 *
 * Definitions are keyed by what the kernel knows them by: a stack by its
 * depot handle, a context by its index, a gfp mask, a pid, page flags, a
 * pageblock type, a pc. A stack is its own frames' pcs, each a zigzag varint
 * delta from the one before (the first from 0), then the key + 1 of a stack
 * sent before whose last frames it shares and how many (0: none). A context
 * is its gfp mask and pid + 1 (varints), whose texts come as definitions of
 * their own: a gfp mask's names and migratetype, a task's "tgid N (comm)".
 *
 * The aggregated reports (`leaks`, `page_owner_stacks`, `slab
 * alloc_traces`) stream their text (ostream_enc_text()): each line is sent
 * once and then referred to by its id, which is what makes their repeated
 * frames cheap. There a frame's range counts output lines instead of pfns.
 */
#ifndef FERRET_OWNER_STREAM_H
#define FERRET_OWNER_STREAM_H

#include <ferret/types.h>

#define OSTREAM_VERSION		2
#define OSTREAM_PAYLOAD		384	/* binary bytes per frame (480 base85 characters) */
#define OSTREAM_LINE_MAX	(OSTREAM_PAYLOAD / 4 * 5 + 80)
#define OSTREAM_BLOB_MAX	2048	/* largest definition */
#define OSTREAM_FLAGS_CACHE	64	/* flags values remembered as sent */
#define OSTREAM_FRAMES_SENT	1024	/* frames remembered as sent (a hash set) */
#define OSTREAM_OWNERS		7	/* owners a frame remembers */
#define OSTREAM_STACK_MAX	64	/* frames per stack */
#define OSTREAM_TEXT_IDS	1024	/* distinct text lines remembered */
#define OSTREAM_TEXT_PIECE	255	/* longest piece of text in one token */

/* Definition kinds: what the text of a record needs besides its numbers. */
enum ostream_def {
	OSTREAM_DEF_STACK = 1,	/* key: depot handle; its pcs (above) */
	OSTREAM_DEF_CTX = 2,	/* key: context index; gfp mask, pid + 1 (varints) */
	OSTREAM_DEF_FLAGS = 3,	/* key: page flags; their names as printed between the parentheses */
	OSTREAM_DEF_MT = 4,	/* key: pageblock type; its name */
	OSTREAM_DEF_FRAME = 5,	/* key: a pc; its line as printed, " f+0x../0x..\n" ("k" only) */
	OSTREAM_DEF_GFP = 6,	/* key: gfp mask; "<names>\0<migratetype name>" */
	OSTREAM_DEF_TASK = 7,	/* key: pid + 1; "tgid N (comm)" */
	OSTREAM_DEF_KINDS,
	OSTREAM_DEF_TEXT = OSTREAM_DEF_KINDS,	/* a text piece's id (decoder side only) */
};

/* Who owns a run of blocks: what a record repeats from an earlier one. */
struct ostream_owner {
	u32 stack, ctx, flags, mt;
	unsigned int order;
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
	/*
	 * Fill @buf with the text of definition (@kind, @key), for FLAGS, MT,
	 * FRAME, GFP and TASK; return its length (at most @size).
	 */
	size_t (*def)(void *priv, int kind, u64 key, char *buf, size_t size);
	/* Context @ctx's gfp mask and pid. */
	void (*ctx)(void *priv, u32 ctx, u32 *gfp, int *pid);
	/* The pcs of stack @handle into @pcs; return how many (at most @max). */
	unsigned int (*stack)(void *priv, u32 handle, u64 *pcs, unsigned int max);
	void *priv;
	u32 *stack_sent;	/* bitmap, stack_sent_bits bits; stacks past it are sent each time */
	u32 stack_sent_bits;
	bool host_symbols;	/* frames as pcs for the host to resolve ("e"), not text ("k") */
	const u8 *build_id;	/* the image's GNU build id (NULL: none) */
	unsigned int build_id_len;

	/* The encoder's own. */
	u32 ctx_sent[8], mt_sent, task_sent[4];
	u32 gfp_sent[OSTREAM_FLAGS_CACHE];
	unsigned int gfp_next;
	u32 flags_sent[OSTREAM_FLAGS_CACHE];
	u64 frames_sent[OSTREAM_FRAMES_SENT];	/* pc + 1, 0: empty */
	u64 pcs[OSTREAM_STACK_MAX];
	u64 last_pcs[OSTREAM_STACK_MAX];	/* the last stack sent, for shared frames */
	unsigned int last_nr;
	u32 last_stack;
	struct ostream_owner owners[OSTREAM_OWNERS];	/* this frame's, most recent first */
	unsigned int nowners;
	u64 text_hash[OSTREAM_TEXT_IDS];	/* FNV-1a of piece id - 1, 0: empty */
	unsigned int text_ids;
	unsigned int flags_next;
	u8 buf[OSTREAM_PAYLOAD];
	unsigned int used;
	unsigned int rec_at;	/* offset of the open record's header byte */
	unsigned int run_at;	/* where a 16-bit count goes (before its first time) */
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
	/*
	 * For "e" streams: @pc's frame line as the kernel prints it (" f+0x../0x..\n")
	 * into @buf; its length. NULL: no ELF, such streams' records are lost.
	 */
	size_t (*symbolize)(void *priv, u64 pc, char *buf, size_t size);
	const char *elf_build_id;	/* the ELF's, in hex (NULL: none given) */
	void *priv;

	/* The decoder's own. */
	bool in_stream, have_trailer, oom;
	bool host_symbols;	/* this stream's frames are pcs */
	bool elf_mismatch;	/* ... and the ELF given is another image's */
	char build_id[41];	/* the stream's, hex, "" if none */
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
size_t ostream_b85_encode(char *dst, const u8 *src, size_t n);
/* Return: bytes decoded, or (size_t)-1 on a character outside the alphabet. */
size_t ostream_b85_decode(u8 *dst, size_t cap, const char *src, size_t n);

#endif
