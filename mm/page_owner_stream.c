// SPDX-License-Identifier: GPL-2.0
/*
 * `page_owner --format=stream`: the page_owner dump as the compact, checked
 * stream of include/ferret/owner_stream.h, for slow serial lines. The codec
 * is lib/owner_stream.c (shared with the host decoder); this file feeds it
 * the blocks (page_owner_walk()) and the definitions a record's text needs:
 * the stack's frames as `page_owner` prints them (or, with --symbols=host,
 * only their pcs, for the host to resolve from the ELF: the header carries
 * the image's build id), a context's gfp mask and pid, the mask's names, the
 * task's tgid and comm, the flags' names and the pageblock type's name, each
 * sent once per stream.
 *
 * `leaks --format=stream` and `page_owner_stacks --format=stream` stream
 * their text instead (page_owner_text_stream()): each distinct line once,
 * then by its id.
 *
 * Never allocates: the encoder and the bitmap of stacks sent are static
 * (one stream at a time: the console runs one command at a time).
 */
#include <ferret/build_id.h>
#include <ferret/gfp.h>
#include <ferret/mm.h>
#include <ferret/mmzone.h>
#include <ferret/owner_stream.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>
#include <ferret/sched.h>
#include <ferret/seq_file.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>

static struct ostream_enc enc;
/* A handle is a word index in the depot's pool. */
static u32 stack_sent[STACK_DEPOT_POOL_SIZE / 4 / 32];

struct po_stream {
	struct seq_file *m;
	u64 since_us;
	unsigned long sent;
};

static void stream_out(void *priv, const char *s, size_t n)
{
	struct po_stream *ps = priv;

	seq_write(ps->m, s, n);
}

static const char *stream_mt_name(int mt)
{
	return mt >= 0 && mt < MIGRATE_TYPES ? migratetype_names[mt] : "Unknown";
}

/* Definition (@kind, @key)'s text as the text dump prints it (print_page_owner()). */
static size_t stream_def(void *priv, int kind, u64 key, char *buf, size_t size)
{
	const struct task_ctx *t;
	size_t n;
	int pid;

	switch (kind) {
	case OSTREAM_DEF_FRAME:
		/* As stack_depot_print_seq() prints each frame. */
		return strnlen(buf, (size_t)snprintf(buf, size, " %pB\n", (void *)(unsigned long)key));
	case OSTREAM_DEF_GFP: {
		/* The mask's names, then the migratetype it asks for. */
		const char *mt = stream_mt_name(gfp_migratetype((gfp_t)key));

		gfp_format(buf, size, (gfp_t)key);
		n = strlen(buf);
		if (n + 1 + strlen(mt) >= size)
			return n;
		strlcpy(buf + n + 1, mt, size - n - 1);
		return n + 1 + strlen(mt);
	}
	case OSTREAM_DEF_FLAGS:
		page_flags_format(buf, size, (u32)key);
		return strlen(buf);
	case OSTREAM_DEF_MT:
		return strlcpy(buf, stream_mt_name((int)key), size);
	case OSTREAM_DEF_TASK:	/* key: pid + 1 */
		pid = (int)key - 1;
		t = pid >= 0 ? task_ctx_get(pid) : NULL;
		n = (size_t)snprintf(buf, size, "tgid %d (%s)", t ? t->tgid : -1,
				     t ? t->comm : "unknown");
		return n < size ? n : size - 1;
	}
	return 0;
}

static void stream_ctx(void *priv, u32 ctx, u32 *gfp, int *pid)
{
	gfp_t mask;

	page_owner_actx(ctx, &mask, pid);
	*gfp = mask;
}

static unsigned int stream_stack(void *priv, u32 handle, u64 *pcs, unsigned int max)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
	unsigned int nr = stack_depot_fetch(handle, entries, ARRAY_SIZE(entries));

	for (unsigned int i = 0; i < nr && i < max; i++)
		pcs[i] = entries[i];
	return nr < max ? nr : max;
}

static bool stream_batch(void *arg, const struct po_record *r, unsigned int n)
{
	struct po_stream *ps = arg;

	for (unsigned int i = 0; i < n; i++) {
		struct ostream_rec o = {
			.pfn = r[i].pfn, .order = r[i].order, .stack = r[i].handle,
			.ctx = r[i].actx, .flags = r[i].page_flags,
			.mt = (u32)r[i].pageblock_mt, .ts_us = r[i].ts_us,
		};

		if (r[i].freed) {
			o.freed = true;
			o.stack = r[i].free_handle;
			o.task = r[i].free_pid;
			o.ts_us = r[i].free_ts_us;
		}
		ostream_enc_add(&enc, &o);
		ps->sent++;
	}
	return !seq_check_abort(ps->m);
}

static void stream_setup(struct po_stream *ps, bool host_symbols)
{
	enc.out = stream_out;
	enc.def = stream_def;
	enc.ctx = stream_ctx;
	enc.host_symbols = host_symbols;
	enc.build_id = build_id_get(&enc.build_id_len);
	enc.stack = stream_stack;
	enc.priv = ps;
	enc.stack_sent = stack_sent;
	enc.stack_sent_bits = sizeof(stack_sent) * 8;
}

unsigned long page_owner_stream(struct seq_file *m, unsigned long start, unsigned long end,
				u64 since_us, bool host_symbols)
{
	struct po_stream ps = { .m = m, .since_us = since_us };
	unsigned long reached;

	start = max(start, mem_map_pfn_base);
	end = min(end, mem_map_pfn_base + max_mapnr);
	if (start > end)
		start = end;
	stream_setup(&ps, host_symbols);
	ostream_enc_begin(&enc, "page_owner", pageblock_order, start, end, since_us);
	reached = page_owner_walk(start, end, since_us, stream_batch, &ps);
	ostream_enc_end(&enc, reached, m->aborted);
	return ps.sent;
}

/* A seq_file that cuts what is written into lines for the encoder. */
struct text_stream {
	struct seq_file m;	/* first: the seq_file callbacks get this */
	struct seq_file *out;
	size_t len;
	char line[OSTREAM_TEXT_PIECE];
};

static void text_stream_write(struct seq_file *m, const char *s, size_t n)
{
	struct text_stream *ts = (struct text_stream *)m;

	for (size_t i = 0; i < n; i++) {
		ts->line[ts->len++] = s[i];
		if (s[i] == '\n' || ts->len == sizeof(ts->line)) {
			ostream_enc_text(&enc, ts->line, ts->len);
			ts->len = 0;
		}
	}
}

static bool text_stream_abort(struct seq_file *m)
{
	return seq_check_abort(((struct text_stream *)m)->out);
}

void page_owner_text_stream(struct seq_file *out, const char *kind,
			    void (*fn)(struct seq_file *m, void *arg), void *arg)
{
	struct po_stream ps = { .m = out };
	struct text_stream ts = {
		.m = { .write = text_stream_write, .should_abort = text_stream_abort },
		.out = out,
	};

	stream_setup(&ps, false);
	ostream_enc_begin(&enc, kind, 0, 0, ~0UL, 0);
	fn(&ts.m, arg);
	if (ts.len)
		ostream_enc_text(&enc, ts.line, ts.len);
	ostream_enc_end(&enc, enc.expect_pfn, ts.m.aborted || out->aborted);
}
