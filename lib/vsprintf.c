// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted output: vsnprintf(), snprintf() and the formatting half of
 * seq_vprintf().
 *
 * One engine, format(), walks the format string and emits characters into a
 * struct fmt_out. A plain buffer truncates (but keeps counting, for the C99
 * return value); a seq_file buffer is flushed to its sink whenever it fills,
 * so arbitrarily long output comes out whole without any allocation.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%, the length modifiers hh h l ll z
 * t j, the flags - 0 + space #, width and precision (also as '*'), and the
 * kernel extensions %pS ("sym+0x1c/0x80"), %pB (the same for a return
 * address: looked up one byte back, so a call that ends its function still
 * names its caller) and %ps ("sym"). %n is not
 * supported; it and any unknown conversion are printed literally.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/printk.h>
#include <ferret/kallsyms.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

struct fmt_out {
	char *buf;
	size_t cap;		/* characters buf can hold (not counting a NUL) */
	size_t len;		/* characters in buf now */
	size_t total;		/* characters produced in all */
	void (*flush)(struct fmt_out *o);	/* NULL: truncate at cap */
	void *arg;
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len == o->cap && o->flush)
		o->flush(o);
	if (o->len < o->cap)
		o->buf[o->len++] = c;
	o->total++;
}

static void out_mem(struct fmt_out *o, const char *s, size_t n)
{
	while (n) {
		size_t room;

		if (o->len == o->cap && o->flush)
			o->flush(o);
		room = o->cap - o->len;
		if (!room) {
			/* Truncating: only the count goes on. */
			o->total += n;
			return;
		}
		if (room > n)
			room = n;
		memcpy(o->buf + o->len, s, room);
		o->len += room;
		o->total += room;
		s += room;
		n -= room;
	}
}

static void out_pad(struct fmt_out *o, char c, int n)
{
	for (; n > 0; n--) {
		if (o->len == o->cap && !o->flush) {
			o->total += (size_t)n;	/* truncating: just count */
			return;
		}
		out_char(o, c);
	}
}

#define F_LEFT	0x01	/* '-' */
#define F_ZERO	0x02	/* '0' */
#define F_PLUS	0x04	/* '+' */
#define F_SPACE	0x08	/* ' ' */
#define F_ALT	0x10	/* '#' */
#define F_UPPER	0x20	/* %X */
#define F_PTR	0x40	/* %p: always "0x" */

/* Widths and precisions are clamped to this: no int arithmetic can overflow. */
#define FMT_MAX_WIDTH	0x1000000

struct fmt_spec {
	unsigned int flags;
	int width;		/* 0: none */
	int prec;		/* -1: none */
};

static void out_string(struct fmt_out *o, const char *s, const struct fmt_spec *sp)
{
	size_t n = 0;
	int pad;

	if (!s)
		s = "(null)";
	/* With a precision, never look past it: s need not be terminated. */
	if (sp->prec >= 0)
		while (n < (size_t)sp->prec && s[n])
			n++;
	else
		n = strlen(s);

	pad = sp->width > 0 && (size_t)sp->width > n ? sp->width - (int)n : 0;
	if (!(sp->flags & F_LEFT))
		out_pad(o, ' ', pad);
	out_mem(o, s, n);
	if (sp->flags & F_LEFT)
		out_pad(o, ' ', pad);
}

static void out_number(struct fmt_out *o, unsigned long long num, bool neg,
		       bool is_signed, unsigned int base, const struct fmt_spec *sp)
{
	const char *digits = (sp->flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];		/* 22 octal digits hold 64 bits */
	char sign = 0;
	const char *prefix = "";
	int nd = 0, plen, zeros, pad, prec = sp->prec;

	if (is_signed) {
		if (neg)
			sign = '-';
		else if (sp->flags & F_PLUS)
			sign = '+';
		else if (sp->flags & F_SPACE)
			sign = ' ';
	}

	if (base == 16 && ((sp->flags & F_PTR) || ((sp->flags & F_ALT) && num)))
		prefix = (sp->flags & F_UPPER) ? "0X" : "0x";
	plen = prefix[0] ? 2 : 0;

	while (num) {
		tmp[nd++] = digits[num % base];
		num /= base;
	}
	/* Precision 0 and value 0 print no digits, except for %#o (and %p). */
	if (!nd && (prec != 0 || (sp->flags & F_PTR)))
		tmp[nd++] = '0';
	if (base == 8 && (sp->flags & F_ALT) && (nd == 0 || tmp[nd - 1] != '0') && prec <= nd)
		prec = nd + 1;

	zeros = prec > nd ? prec - nd : 0;
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0) {
		int used = (sign ? 1 : 0) + plen + nd;

		if (sp->width > used)
			zeros = sp->width - used;
	}

	pad = sp->width - ((sign ? 1 : 0) + plen + zeros + nd);
	if (!(sp->flags & F_LEFT))
		out_pad(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	out_mem(o, prefix, plen);
	out_pad(o, '0', zeros);
	while (nd)
		out_char(o, tmp[--nd]);
	if (sp->flags & F_LEFT)
		out_pad(o, ' ', pad);
}

static void out_symbol(struct fmt_out *o, unsigned long addr, char kind,
		       const struct fmt_spec *sp)
{
	char sym[KSYM_SYMBOL_LEN];

	if (kind == 'S') {
		sprint_symbol(sym, sizeof(sym), addr);
	} else if (kind == 'B') {
		sprint_backtrace(sym, sizeof(sym), addr);
	} else {
		unsigned long size, off;
		const char *name = kallsyms_lookup(addr, &size, &off);

		if (name)
			strlcpy(sym, name, sizeof(sym));
		else
			snprintf(sym, sizeof(sym), "0x%lx", addr);
	}
	out_string(o, sym, sp);
}

enum fmt_len { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF,
	       LEN_INTMAX };

static int parse_uint(const char **fmtp)
{
	const char *f = *fmtp;
	int v = 0;

	while (*f >= '0' && *f <= '9') {
		if (v <= FMT_MAX_WIDTH / 10)	/* clamp silly widths, never overflow */
			v = v * 10 + (*f - '0');
		f++;
	}
	*fmtp = f;
	return v > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : v;
}

/*
 * format - the engine behind every printf-like function here.
 * The va_list is passed by pointer so the caller's copy advances.
 */
static void format(struct fmt_out *o, const char *fmt, va_list *ap)
{
	while (*fmt) {
		const char *start = fmt;
		struct fmt_spec sp = { .flags = 0, .width = 0, .prec = -1 };
		enum fmt_len len = LEN_INT;
		unsigned long long num;
		bool neg = false, is_signed = false;
		unsigned int base = 10;

		if (*fmt != '%') {
			const char *p = fmt;

			while (*p && *p != '%')
				p++;
			out_mem(o, fmt, (size_t)(p - fmt));
			fmt = p;
			continue;
		}
		fmt++;

		for (;; fmt++) {
			if (*fmt == '-')
				sp.flags |= F_LEFT;
			else if (*fmt == '0')
				sp.flags |= F_ZERO;
			else if (*fmt == '+')
				sp.flags |= F_PLUS;
			else if (*fmt == ' ')
				sp.flags |= F_SPACE;
			else if (*fmt == '#')
				sp.flags |= F_ALT;
			else
				break;
		}

		if (*fmt == '*') {
			int w = va_arg(*ap, int);

			fmt++;
			if (w < 0) {
				sp.flags |= F_LEFT;
				w = w < -FMT_MAX_WIDTH ? FMT_MAX_WIDTH : -w;
			}
			sp.width = w > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : w;
		} else {
			sp.width = parse_uint(&fmt);
		}

		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				int p = va_arg(*ap, int);

				fmt++;
				sp.prec = p < 0 ? -1 : p > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : p;
			} else {
				sp.prec = parse_uint(&fmt);
			}
		}

		switch (*fmt) {
		case 'h':
			fmt++;
			len = LEN_SHORT;
			if (*fmt == 'h') {
				fmt++;
				len = LEN_CHAR;
			}
			break;
		case 'l':
			fmt++;
			len = LEN_LONG;
			if (*fmt == 'l') {
				fmt++;
				len = LEN_LLONG;
			}
			break;
		case 'z':
			fmt++;
			len = LEN_SIZE;
			break;
		case 't':
			fmt++;
			len = LEN_PTRDIFF;
			break;
		case 'j':
			fmt++;
			len = LEN_INTMAX;
			break;
		default:
			break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'X':
			sp.flags |= F_UPPER;
			/* fall through */
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		case 'c': {
			char c = (char)va_arg(*ap, int);

			fmt++;
			if (!(sp.flags & F_LEFT))
				out_pad(o, ' ', sp.width - 1);
			out_char(o, c);
			if (sp.flags & F_LEFT)
				out_pad(o, ' ', sp.width - 1);
			continue;
		}
		case 's':
			fmt++;
			out_string(o, va_arg(*ap, const char *), &sp);
			continue;
		case 'p': {
			unsigned long addr = (unsigned long)va_arg(*ap, void *);

			fmt++;
			if (*fmt == 'S' || *fmt == 's' || *fmt == 'B') {
				out_symbol(o, addr, *fmt, &sp);
				fmt++;
				continue;
			}
			sp.flags = (sp.flags & (F_LEFT | F_ZERO)) | F_PTR;
			out_number(o, addr, false, false, 16, &sp);
			continue;
		}
		case '%':
			fmt++;
			out_char(o, '%');
			continue;
		default:
			/* Unknown, %n or a truncated spec: print it as written. */
			if (*fmt)
				fmt++;
			out_mem(o, start, (size_t)(fmt - start));
			continue;
		}
		fmt++;

		if (is_signed) {
			long long v;

			switch (len) {
			case LEN_CHAR:
				v = (signed char)va_arg(*ap, int);
				break;
			case LEN_SHORT:
				v = (short)va_arg(*ap, int);
				break;
			case LEN_LONG:
				v = va_arg(*ap, long);
				break;
			case LEN_LLONG:
				v = va_arg(*ap, long long);
				break;
			case LEN_SIZE:
			case LEN_PTRDIFF:
				v = va_arg(*ap, ptrdiff_t);
				break;
			case LEN_INTMAX:
				v = va_arg(*ap, intmax_t);
				break;
			default:
				v = va_arg(*ap, int);
				break;
			}
			neg = v < 0;
			num = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
		} else {
			switch (len) {
			case LEN_CHAR:
				num = (unsigned char)va_arg(*ap, unsigned int);
				break;
			case LEN_SHORT:
				num = (unsigned short)va_arg(*ap, unsigned int);
				break;
			case LEN_LONG:
				num = va_arg(*ap, unsigned long);
				break;
			case LEN_LLONG:
				num = va_arg(*ap, unsigned long long);
				break;
			case LEN_SIZE:
			case LEN_PTRDIFF:
				num = va_arg(*ap, size_t);
				break;
			case LEN_INTMAX:
				num = va_arg(*ap, uintmax_t);
				break;
			default:
				num = va_arg(*ap, unsigned int);
				break;
			}
		}
		out_number(o, num, neg, is_signed, base, &sp);
	}
}

/**
 * vsnprintf - format a string into a buffer
 * @buf: destination; may be NULL when @size is 0
 * @size: size of @buf in bytes, including the terminating NUL
 * @fmt: format string (see the top of this file)
 * @ap: arguments
 *
 * Never writes more than @size bytes and always NUL-terminates when @size is
 * not 0. Return: the length the full output has (C99), not counting the NUL;
 * a return value >= @size means the output was truncated.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = {
		.buf = buf,
		.cap = size ? size - 1 : 0,
	};
	va_list aq;

	va_copy(aq, ap);
	format(&o, fmt, &aq);
	va_end(aq);
	if (size)
		buf[o.len] = '\0';
	return o.total > 0x7fffffff ? 0x7fffffff : (int)o.total;
}

/**
 * snprintf - format a string into a buffer
 * @buf: destination; may be NULL when @size is 0
 * @size: size of @buf in bytes, including the terminating NUL
 * @fmt: format string
 *
 * Return: as vsnprintf().
 */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void seq_flush(struct fmt_out *o)
{
	seq_write(o->arg, o->buf, o->len);
	o->len = 0;
}

/**
 * seq_vprintf - format into a seq_file
 * @m: the seq_file
 * @fmt: format string
 * @ap: arguments
 *
 * Formats through a small stack buffer that is handed to the sink each time
 * it fills, so output of any length arrives whole and nothing is allocated.
 * A record that fits the buffer reaches the sink in one write.
 */
void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	char buf[256];
	struct fmt_out o = {
		.buf = buf,
		.cap = sizeof(buf),
		.flush = seq_flush,
		.arg = m,
	};
	va_list aq;

	va_copy(aq, ap);
	format(&o, fmt, &aq);
	va_end(aq);
	if (o.len)
		seq_flush(&o);
}
