// SPDX-License-Identifier: GPL-2.0
/* Boot options: whole words, every problem reported (include/ferret/bootopt.h). */
#include <ferret/bootopt.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

bool bootopt_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool bootopt_parse_bool(const char *s, size_t len, bool *out)
{
	if ((len == 2 && !strncmp(s, "on", 2)) || (len == 1 && (*s == '1' || *s == 'y')))
		*out = true;
	else if ((len == 3 && !strncmp(s, "off", 3)) || (len == 1 && (*s == '0' || *s == 'n')))
		*out = false;
	else
		return false;
	return true;
}

/* The next word at or after @p: its start (NULL at the end) and *@end. */
static const char *next_word(const char *p, const char **end)
{
	while (*p && bootopt_is_space(*p))
		p++;
	if (!*p)
		return NULL;
	*end = p;
	while (**end && !bootopt_is_space(**end))
		(*end)++;
	return p;
}

size_t bootopt_copy(char *dst, size_t size, const char *src, struct seq_file *m)
{
	size_t n = strlen(src), keep = n, words = 0;
	const char *w, *end;

	if (!size)
		return n;
	if (n >= size) {
		/* Keep the words that end within size - 1 bytes. */
		keep = 0;
		for (w = next_word(src, &end); w && (size_t)(end - src) < size;
		     w = next_word(end, &end))
			keep = (size_t)(end - src);
		for (; w; w = next_word(end, &end))
			words++;
	}
	for (size_t i = 0; i < keep; i++)
		dst[i] = bootopt_is_space(src[i]) ? ' ' : src[i];
	dst[keep] = '\0';
	if (keep < n && m)
		seq_printf(m, "cmdline: %zu bytes, longer than the %zu kept: the last %zu word%s "
			   "(%zu bytes) ignored\n", n, size - 1, words, words == 1 ? "" : "s",
			   n - keep);
	return n - keep;
}

static const struct bootopt *lookup(const struct bootopt *opts, size_t nr, const char *name,
				    size_t len)
{
	for (size_t i = 0; i < nr; i++)
		if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len))
			return &opts[i];
	return NULL;
}

/* The problem with one word, or NULL. */
static const char *word_problem(const struct bootopt *o, const char *eq, const char *end)
{
	size_t vlen = eq ? (size_t)(end - eq - 1) : 0;
	bool b;

	if (!o)
		return "unknown option";
	switch (o->kind) {
	case BOOTOPT_FLAG:
		return eq ? "takes no value" : NULL;
	case BOOTOPT_BOOL:
		if (!eq)
			return "needs a value: on or off";
		return bootopt_parse_bool(eq + 1, vlen, &b) ? NULL : "value is not on or off";
	case BOOTOPT_VALUE:
		return eq ? NULL : "needs a value (name=...)";
	}
	return "unknown option";
}

unsigned int bootopt_check(const char *cmdline, const struct bootopt *opts, size_t nr,
			   struct seq_file *m)
{
	unsigned int bad = 0;
	const char *w, *end;

	for (w = next_word(cmdline, &end); w; w = next_word(end, &end)) {
		const char *eq = w;
		const struct bootopt *o;
		const char *why;

		while (eq < end && *eq != '=')
			eq++;
		o = lookup(opts, nr, w, (size_t)(eq - w));
		why = word_problem(o, eq < end ? eq : NULL, end);
		if (!why)
			continue;
		bad++;
		if (!m)
			continue;
		seq_printf(m, "cmdline: '%.*s': %s, ignored\n", (int)(end - w), w, why);
	}
	return bad;
}

bool bootopt_find(const char *cmdline, const char *name, const char **val, size_t *len)
{
	size_t klen = strlen(name);
	const char *w, *end;
	bool found = false;

	for (w = next_word(cmdline, &end); w; w = next_word(end, &end)) {
		if ((size_t)(end - w) < klen || strncmp(w, name, klen) ||
		    (w + klen != end && w[klen] != '='))
			continue;
		found = true;
		*val = w + klen + (w + klen != end);
		*len = (size_t)(end - *val);
	}
	return found;
}
