// SPDX-License-Identifier: GPL-2.0
/* The kernel command line: DTB /chosen/bootargs, or the board's default. */
#include <ferret/boot.h>
#include <ferret/string.h>

const char *cmdline_get(const char *key, char *buf, size_t size)
{
	const char *p = boot_params.cmdline;
	size_t klen = strlen(key);

	while (*p) {
		const char *end;

		while (*p == ' ')
			p++;
		end = p;
		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) >= klen && !strncmp(p, key, klen) &&
		    (p[klen] == '=' || p + klen == end)) {
			const char *v = p + klen + (p[klen] == '=');
			size_t n = (size_t)(end - v);

			if (size) {
				if (n >= size)
					n = size - 1;
				memcpy(buf, v, n);
				buf[n] = '\0';
			}
			return buf;
		}
		p = end;
	}
	return NULL;
}
