/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared bits of the libFuzzer harnesses (tests/fuzz/, `make fuzz`): a
 * reader that takes bytes off the input, and FUZZ_ASSERT, which aborts (a
 * finding) when a promise of the code under test is broken.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                            \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", __FILE__,   \
				__LINE__, #cond);                                    \
			abort();                                                     \
		}                                                                    \
	} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline unsigned int fuzz_u8(struct fuzz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static inline unsigned long fuzz_ulong(struct fuzz_in *in, unsigned int bytes)
{
	unsigned long v = 0;

	while (bytes--)
		v = v << 8 | fuzz_u8(in);
	return v;
}

/* The rest of the input up to a NUL (or the end) as a NUL-terminated copy; free() it. */
static inline char *fuzz_str(struct fuzz_in *in)
{
	size_t n = 0;
	char *s;

	while (n < in->left && in->p[n])
		n++;
	s = malloc(n + 1);
	memcpy(s, in->p, n);
	s[n] = '\0';
	in->p += n + (n < in->left);
	in->left -= n + (n < in->left);
	return s;
}

#endif
