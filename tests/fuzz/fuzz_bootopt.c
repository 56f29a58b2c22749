// SPDX-License-Identifier: GPL-2.0
/*
 * Boot options (lib/bootopt.c) on arbitrary command lines and buffer sizes:
 * the copy is a whole-word prefix of the input (whitespace as spaces) that
 * fits, what it reports left out adds up, and checking and finding options
 * never read outside the line.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/bootopt.h>
#include <ferret/seq_file.h>

#include "fuzz.h"

static const struct bootopt opts[] = {
	{ .name = "page_owner", .kind = BOOTOPT_BOOL },
	{ .name = "semihosting", .kind = BOOTOPT_FLAG },
	{ .name = "slab_debug", .kind = BOOTOPT_VALUE },
	{ .name = "", .kind = BOOTOPT_VALUE },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	size_t bufsize = fuzz_u8(&in) % 80;
	char *src = fuzz_str(&in), *dst = malloc(bufsize ? bufsize : 1), report[512];
	struct seq_buf_ctx ctx;
	struct seq_file m;
	size_t cut, n = strlen(src), kept;
	const char *v;
	size_t vlen;

	memset(&m, 0, sizeof(m));
	seq_init_buf(&m, &ctx, report, sizeof(report));
	cut = bootopt_copy(dst, bufsize, src, &m);
	FUZZ_ASSERT(cut <= n);
	if (bufsize) {
		kept = strlen(dst);
		FUZZ_ASSERT(kept + cut == n && kept < bufsize);
		for (size_t i = 0; i < kept; i++)
			FUZZ_ASSERT(dst[i] == (bootopt_is_space(src[i]) ? ' ' : src[i]));
		/* Cut only between words: what follows the kept part starts with a space. */
		if (cut)
			FUZZ_ASSERT(!kept || bootopt_is_space(src[kept]));
		(void)bootopt_check(dst, opts, ARRAY_SIZE(opts), &m);
		for (unsigned int i = 0; i < ARRAY_SIZE(opts); i++)
			if (bootopt_find(dst, opts[i].name, &v, &vlen))
				FUZZ_ASSERT(v >= dst && v + vlen <= dst + kept);
	}
	free(src);
	free(dst);
	return 0;
}
