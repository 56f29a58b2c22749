// SPDX-License-Identifier: GPL-2.0
/*
 * seq_file: the sink long dumps write into (see include/ferret/seq_file.h).
 * seq_vprintf() lives in lib/vsprintf.c next to the formatting engine it
 * drives; the console sink, seq_init_console(), is the kernel's.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

/**
 * seq_write - send @len bytes to the seq_file's sink
 * @m: the seq_file
 * @s: the bytes (need not be terminated)
 * @len: how many
 */
void seq_write(struct seq_file *m, const char *s, size_t len)
{
	if (!len)
		return;
	m->write(m, s, len);
	m->count += len;
}

/**
 * seq_printf - format into a seq_file
 * @m: the seq_file
 * @fmt: format string, as for snprintf()
 *
 * Output of any length arrives whole; nothing is allocated.
 */
void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

/**
 * seq_puts - write a NUL-terminated string into a seq_file
 * @m: the seq_file
 * @s: the string
 */
void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

/**
 * seq_putc - write one character into a seq_file
 * @m: the seq_file
 * @c: the character
 */
void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

/**
 * seq_check_abort - ask whether a dump should stop
 * @m: the seq_file
 *
 * Polls @m->should_abort (when set) until it says yes once; from then on
 * @m->aborted stays true. Return: @m->aborted.
 */
bool seq_check_abort(struct seq_file *m)
{
	if (!m->aborted && m->should_abort && m->should_abort(m))
		m->aborted = true;
	return m->aborted;
}

static void seq_buf_write(struct seq_file *m, const char *s, size_t len)
{
	struct seq_buf_ctx *ctx = m->private;
	size_t room;

	if (!ctx->size)
		return;
	room = ctx->size - 1 - ctx->len;
	if (len > room)
		len = room;
	memcpy(ctx->buf + ctx->len, s, len);
	ctx->len += len;
	ctx->buf[ctx->len] = '\0';
}

/**
 * seq_init_buf - make @m append into a fixed buffer
 * @m: the seq_file to set up
 * @ctx: state for the buffer; must live as long as @m
 * @buf: the buffer
 * @size: its size; output beyond @size - 1 bytes is dropped
 *
 * The buffer always holds a NUL-terminated string; @ctx->len is its length
 * and @m->count the number of bytes offered (which may be more).
 */
void seq_init_buf(struct seq_file *m, struct seq_buf_ctx *ctx, char *buf, size_t size)
{
	memset(m, 0, sizeof(*m));
	m->write = seq_buf_write;
	m->private = ctx;
	ctx->buf = buf;
	ctx->size = size;
	ctx->len = 0;
	if (size)
		buf[0] = '\0';
}
