// SPDX-License-Identifier: GPL-2.0
/*
 * The frame-pointer unwinder (lib/unwind.c) over a stack of
 * random words: whatever the records say (loops, pointers out of the stack,
 * misaligned or descending chains), the walk reads only the registered stack
 * (ASan: the stack is a heap block of exactly its size), stores at most what
 * it has room for, and ends.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/stacktrace.h>

#include "fuzz.h"

#define WORDS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned long *stk = malloc(WORDS * sizeof(*stk)), store[16];
	unsigned long lo = (unsigned long)stk, hi = lo + WORDS * sizeof(*stk), fp;
	unsigned int n, room;
	struct unwind_state st;

	stacktrace_reset();
	FUZZ_ASSERT(!stacktrace_register_stack(lo, hi, "fuzz"));
	/* Each word: a pointer into the stack (most), a small number, or raw. */
	for (unsigned int i = 0; i < WORDS; i++) {
		unsigned int kind = fuzz_u8(&in);

		if (kind < 160)
			stk[i] = lo + (fuzz_u8(&in) % (WORDS + 4)) * 8 - (kind & 7);
		else if (kind < 220)
			stk[i] = fuzz_u8(&in);
		else
			stk[i] = fuzz_ulong(&in, 8);
	}
	room = 1 + fuzz_u8(&in) % ARRAY_SIZE(store);
	fp = lo + (fuzz_u8(&in) % (WORDS + 8)) * 8 - 32;
	n = unwind_from(fp, store, room, fuzz_u8(&in) % 4, &st);
	FUZZ_ASSERT(n <= room);
	n = unwind_from(fuzz_ulong(&in, 8), store, room, 0, NULL);
	FUZZ_ASSERT(n <= room);
	stacktrace_reset();
	free(stk);
	return 0;
}
