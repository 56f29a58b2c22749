/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot options: checking the kernel command line against the options this
 * kernel knows, and taking it in whole words.
 *
 * Every word of the command line is "name", or "name=value". A word that
 * names no known option, a value an option cannot take, a flag given a
 * value or an option missing its value is reported (one line each) and
 * ignored by every parser. A command line longer than the kernel's buffer
 * is cut before the first word that does not fit whole, and that is
 * reported too: no option is ever acted on half.
 *
 * Portable (lib/): the kernel (kernel/cmdline.c) holds the table of options;
 * the host tests and the fuzzer drive the same code.
 */
#ifndef FERRET_BOOTOPT_H
#define FERRET_BOOTOPT_H

#include <ferret/types.h>

struct seq_file;

enum bootopt_kind {
	BOOTOPT_FLAG,		/* "name" alone: a value is an error */
	BOOTOPT_BOOL,		/* "name=on|off" (also 1/0, y/n) */
	BOOTOPT_VALUE,		/* "name=<anything>": its owner's parser checks it */
};

struct bootopt {
	const char *name;
	enum bootopt_kind kind;
};

/* Command-line words are separated by spaces (bootopt_copy() turns tabs, CR, LF into spaces). */
bool bootopt_is_space(char c);

/* "on"/"1"/"y" or "off"/"0"/"n", exactly @len bytes. Return: false if neither. */
bool bootopt_parse_bool(const char *s, size_t len, bool *out);

/*
 * Copy @src into @dst (@size bytes with its NUL), whitespace as spaces. If it
 * does not fit, cut before the first word that does not fit whole (trailing
 * spaces dropped) and say so on @m (NULL: quietly).
 * Return: the number of bytes of @src left out.
 */
size_t bootopt_copy(char *dst, size_t size, const char *src, struct seq_file *m);

/*
 * Check every word of @cmdline against @opts; print one line per problem on
 * @m (NULL: quietly). Return: the number of problems.
 */
unsigned int bootopt_check(const char *cmdline, const struct bootopt *opts, size_t nr,
			   struct seq_file *m);

/*
 * Find option @name's value in @cmdline (the last occurrence wins) as a
 * pointer into @cmdline and its length (a bare name: length 0).
 * Return: true if present.
 */
bool bootopt_find(const char *cmdline, const char *name, const char **val, size_t *len);

#endif
