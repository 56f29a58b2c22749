// SPDX-License-Identifier: GPL-2.0
/*
 * The console's input path on the host: received bytes go through the
 * type-ahead buffer (lib/typeahead.c) into the line editor
 * (lib/lineedit.c), with Tab completion over a fixed word list, as
 * kernel/console.c does. Promises checked: the cursor stays in the line, a
 * finished line is exactly its length, the editor draws with printable bytes,
 * space, backspace and newline only, and the type-ahead buffer never holds
 * more than its size nor gives out a byte it was not given.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/lineedit.h>
#include <ferret/typeahead.h>

#include "fuzz.h"

static const char *const words[] = {
	"page_owner", "page_owner_stacks", "pagetypeinfo", "poweroff", "--format=pprof",
	"--format=folded", "filter", "filter", "x", "",
};

static void complete(struct lineedit *le, const char *line, unsigned int len)
{
	FUZZ_ASSERT(len <= le->len);
	for (unsigned int i = 0; i < ARRAY_SIZE(words); i++)
		lineedit_candidate(le, words[i], strlen(words[i]));
}

static void term_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT((s[i] >= 0x20 && s[i] < 0x7f) || s[i] == '\b' || s[i] == '\n');
}

static struct lineedit le;
static struct typeahead ta;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	lineedit_init(&le, term_write, complete);
	memset(&ta, 0, sizeof(ta));
	lineedit_start(&le, "ferret> ");
	while (in.left) {
		/* A byte's top bits say how many bytes arrive before the console reads. */
		unsigned int burst = fuzz_u8(&in) % 8;
		int c;

		for (unsigned int i = 0; i <= burst && in.left; i++) {
			typeahead_put(&ta, (int)fuzz_u8(&in));
			FUZZ_ASSERT(typeahead_len(&ta) <= TYPEAHEAD_SIZE);
		}
		while ((c = typeahead_get(&ta)) >= 0) {
			enum lineedit_result r = lineedit_feed(&le, c);

			FUZZ_ASSERT(c >= 0 && c < 256);
			FUZZ_ASSERT(le.pos <= le.len && le.len <= LINEEDIT_MAX - 1);
			if (r == LINEEDIT_DONE)
				FUZZ_ASSERT(strlen(le.buf) == le.len);
			if (r != LINEEDIT_MORE)
				lineedit_start(&le, "ferret> ");
		}
	}
	(void)typeahead_take_dropped(&ta);
	return 0;
}
