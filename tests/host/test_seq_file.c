// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/seq_file.c and seq_vprintf(): the buffer sink truncates
 * safely, long formatted output reaches a sink whole (in pieces, never
 * allocated), short records arrive in one write, and seq_check_abort().
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

#include "htest.h"

/* A sink that records everything and counts the write calls. */
struct rec {
	char data[20000];
	size_t len;
	int calls;
	size_t largest;
};

static void rec_write(struct seq_file *m, const char *s, size_t len)
{
	struct rec *r = m->private;

	if (r->len + len < sizeof(r->data)) {
		memcpy(r->data + r->len, s, len);
		r->len += len;
		r->data[r->len] = '\0';
	}
	r->calls++;
	if (len > r->largest)
		r->largest = len;
}

static void rec_init(struct seq_file *m, struct rec *r)
{
	memset(m, 0, sizeof(*m));
	memset(r, 0, sizeof(*r));
	m->write = rec_write;
	m->private = r;
}

static void test_buf_sink(void)
{
	struct seq_file m;
	struct seq_buf_ctx ctx;
	char buf[16];

	memset(buf, 'x', sizeof(buf));
	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	CHECK_EQ(buf[0], '\0');
	seq_puts(&m, "abc");
	seq_putc(&m, '-');
	seq_printf(&m, "%d", 42);
	CHECK_EQ(strcmp(buf, "abc-42"), 0);
	CHECK_EQ(ctx.len, 6);
	CHECK_EQ(m.count, 6);
	seq_write(&m, "0123456789ABCDEF", 16);	/* overflows: truncates */
	CHECK_EQ(ctx.len, 15);
	CHECK_EQ(strcmp(buf, "abc-42012345678"), 0);
	CHECK_EQ(m.count, 22);
	seq_puts(&m, "more");			/* full: nothing changes */
	CHECK_EQ(ctx.len, 15);
	CHECK_EQ(buf[15], '\0');
	CHECK_EQ(m.count, 26);
	CHECK(!m.aborted);
}

static void test_buf_sink_tiny(void)
{
	struct seq_file m;
	struct seq_buf_ctx ctx;
	char buf[4] = { 'x', 'x', 'x', 'x' };

	seq_init_buf(&m, &ctx, buf, 0);		/* size 0: never touched */
	seq_puts(&m, "abc");
	CHECK_EQ(buf[0], 'x');
	seq_init_buf(&m, &ctx, buf, 1);		/* room for the NUL only */
	seq_printf(&m, "%s", "abc");
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(buf[1], 'x');
}

static void test_long_output_whole(void)
{
	static struct rec r;
	struct seq_file m;
	static char big[5001];
	static char want[20000];
	size_t n = 0;

	for (size_t i = 0; i < 5000; i++)
		big[i] = (char)('a' + i % 26);
	big[5000] = '\0';

	rec_init(&m, &r);
	seq_printf(&m, "<%s|%3000d|%-2000x>", big, 7, 0xabcu);

	want[n++] = '<';
	memcpy(want + n, big, 5000);
	n += 5000;
	want[n++] = '|';
	memset(want + n, ' ', 2999);
	n += 2999;
	want[n++] = '7';
	want[n++] = '|';
	memcpy(want + n, "abc", 3);
	n += 3;
	memset(want + n, ' ', 1997);
	n += 1997;
	want[n++] = '>';
	want[n] = '\0';

	CHECK_EQ(r.len, n);
	CHECK_EQ(m.count, n);
	CHECK_EQ(strcmp(r.data, want), 0);
	CHECK(r.calls > 1);		/* it came in pieces ... */
	CHECK(r.largest <= 256);	/* ... of the stack buffer's size */
}

static void test_short_record_one_write(void)
{
	static struct rec r;
	struct seq_file m;

	rec_init(&m, &r);
	seq_printf(&m, "PFN %lu type %s order %d\n", 123456UL, "Movable", 3);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(strcmp(r.data, "PFN 123456 type Movable order 3\n"), 0);
	seq_printf(&m, "%s", "");		/* empty output: no write at all */
	CHECK_EQ(r.calls, 1);
	seq_write(&m, "z", 0);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(m.count, strlen(r.data));
}

static int polls;

static bool abort_on_third(struct seq_file *m)
{
	return ++polls >= 3;
}

static void test_abort(void)
{
	static struct rec r;
	struct seq_file m;

	rec_init(&m, &r);
	CHECK(!seq_check_abort(&m));		/* no should_abort: never */
	CHECK(!m.aborted);

	m.should_abort = abort_on_third;
	polls = 0;
	CHECK(!seq_check_abort(&m));
	CHECK(!seq_check_abort(&m));
	CHECK(seq_check_abort(&m));
	CHECK(m.aborted);
	CHECK(seq_check_abort(&m));		/* sticky, without polling again */
	CHECK_EQ(polls, 3);
}

static void test_mixed(void)
{
	/* Mixed conversions, and a string snprintf built just before. */
	static struct rec r;
	struct seq_file m;
	char buf[32];

	rec_init(&m, &r);
	snprintf(buf, sizeof(buf), "%s=%d", "x", 5);
	seq_printf(&m, "[%s] %05d %c %%", buf, -12, 'k');
	CHECK_EQ(strcmp(r.data, "[x=5] -0012 k %"), 0);
}

int main(void)
{
	RUN(test_buf_sink);
	RUN(test_buf_sink_tiny);
	RUN(test_long_output_whole);
	RUN(test_short_record_one_write);
	RUN(test_abort);
	RUN(test_mixed);
	return HTEST_DONE();
}
