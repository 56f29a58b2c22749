/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the owner stream host tests: feed a captured stream to the
 * decoder line by line, as the host tools read a serial log.
 */
#ifndef OSTREAM_TEST_UTIL_H
#define OSTREAM_TEST_UTIL_H

#include <string.h>

#include <ferret/owner_stream.h>

static inline void ostream_dec_lines(struct ostream_dec *d, const char *w, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(w + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (w + i)) : len - i;

		ostream_dec_line(d, w + i, l);
		i += l + 1;
	}
}

#endif
