// SPDX-License-Identifier: GPL-2.0
/*
 * The parsers console commands use for their arguments: kstrtoul() (every
 * number), gfp_parse() (alloc's gfp), trace_event_parse() (trace on|off).
 * A gfp mask that parses must print (gfp_format()) as something that parses
 * back to the same mask; 0 prints as nothing, as Linux's "gfp_mask 0x0()".
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/string.h>
#include <ferret/gfp.h>
#include <ferret/trace.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	char *s = fuzz_str(&in), names[512];
	unsigned long v;
	gfp_t gfp, back;

	for (unsigned int base = 0; base <= 16; base += 8)
		if (!kstrtoul(s, base, &v))
			FUZZ_ASSERT(s[0] != '\0' && s[0] != '-');
	if (!gfp_parse(s, &gfp) && gfp) {
		gfp_format(names, sizeof(names), gfp);
		FUZZ_ASSERT(!gfp_parse(names, &back));
		FUZZ_ASSERT(back == gfp);
	}
	(void)trace_event_parse(s);
	free(s);
	return 0;
}
