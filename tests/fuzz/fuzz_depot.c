// SPDX-License-Identifier: GPL-2.0
/*
 * The stack depot (mm/stackdepot.c) with a small pool, so the fuzzer reaches
 * "depot full": every stack saved comes back exactly (its first
 * STACK_DEPOT_MAX_FRAMES frames) or the save says FULL; the same stack gets
 * the same handle; iteration visits each record once.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/stackdepot.h>

#include "fuzz.h"

#define POOL_WORDS	1024
#define HASH_BITS	4

static u32 pool[POOL_WORDS], buckets[1 << HASH_BITS];
static struct stack_depot depot;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned long entries[STACK_DEPOT_MAX_FRAMES + 8], back[STACK_DEPOT_MAX_FRAMES + 8];
	unsigned int saved = 0, walked = 0;

	stack_depot_init(&depot, pool, sizeof(pool), buckets, HASH_BITS);
	while (in.left) {
		unsigned int nr = fuzz_u8(&in) % (STACK_DEPOT_MAX_FRAMES + 8), kept, got;
		depot_stack_handle_t h, again;

		/* Frames from few distinct values, so stacks repeat and share prefixes. */
		for (unsigned int i = 0; i < nr; i++)
			entries[i] = 0xffff000000080000UL + 4 * (fuzz_u8(&in) % 16);
		h = __stack_depot_save(&depot, entries, nr);
		if (!nr) {
			FUZZ_ASSERT(h == 0);
			continue;
		}
		FUZZ_ASSERT(h != 0);
		if (h == STACK_DEPOT_HANDLE_FULL)
			continue;
		kept = nr < STACK_DEPOT_MAX_FRAMES ? nr : STACK_DEPOT_MAX_FRAMES;
		got = __stack_depot_fetch(&depot, h, back, ARRAY_SIZE(back));
		FUZZ_ASSERT(got == kept);
		FUZZ_ASSERT(!memcmp(back, entries, kept * sizeof(back[0])));
		again = __stack_depot_save(&depot, entries, nr);
		FUZZ_ASSERT(again == h);
		saved++;
		/* A handle made up from the input fetches nothing or a whole record. */
		got = __stack_depot_fetch(&depot, (depot_stack_handle_t)fuzz_ulong(&in, 4), back,
					  ARRAY_SIZE(back));
		FUZZ_ASSERT(got <= STACK_DEPOT_MAX_FRAMES);
	}
	for (depot_stack_handle_t h = __stack_depot_next(&depot, 0); h;
	     h = __stack_depot_next(&depot, h)) {
		FUZZ_ASSERT(walked++ <= POOL_WORDS);
		FUZZ_ASSERT(__stack_depot_fetch(&depot, h, back, ARRAY_SIZE(back)) > 0);
	}
	FUZZ_ASSERT(walked <= saved);
	return 0;
}
