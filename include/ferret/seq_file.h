/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sink for long dumps (page_owner, statistics). mm/ writes records into a
 * seq_file; the console points it at the UART, host tests at a buffer.
 * A dump loop calls seq_check_abort() between records: it returns true once
 * the user asked to stop (Ctrl-C) and the dump must end early.
 */
#ifndef FERRET_SEQ_FILE_H
#define FERRET_SEQ_FILE_H

#include <ferret/types.h>
#include <ferret/compiler.h>

struct seq_file {
	void (*write)(struct seq_file *m, const char *s, size_t len);
	bool (*should_abort)(struct seq_file *m);	/* may be NULL */
	void *private;
	size_t count;		/* bytes written so far */
	bool aborted;
};

__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const char *s, size_t len);
bool seq_check_abort(struct seq_file *m);

/* A seq_file that appends into a fixed buffer (truncating, always NUL-terminated). */
struct seq_buf_ctx {
	char *buf;
	size_t size;
	size_t len;
};
void seq_init_buf(struct seq_file *m, struct seq_buf_ctx *ctx, char *buf, size_t size);

/* A seq_file that prints to the console (printk without levels). */
void seq_init_console(struct seq_file *m);

#endif
