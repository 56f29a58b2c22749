/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the trace and contig host tests: real stacks on the host.
 * Symbols come from `nm -l` of the test program itself (shifted to where
 * main() really is, for PIE), and the text of mm/ and the unwinder becomes
 * the stack-skip range, as linker.ld's __mm_track_text_* range does in the
 * kernel, so recorded stacks start at the caller of the mm/ entry point.
 */
#ifndef TRACE_TEST_UTIL_H
#define TRACE_TEST_UTIL_H

#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ferret/compiler.h>
#include <ferret/stacktrace.h>

#include "host_kernel.h"

int main(void);

/* Load symbols, set the skip range, register this thread's stack. */
static void tu_host_stacks(void)
{
	unsigned long lo, hi;

	if (!host_load_symbols(&lo, &hi) && lo < hi)
		stacktrace_set_skip_text(lo, hi);
	host_register_own_stack();
}

#endif
