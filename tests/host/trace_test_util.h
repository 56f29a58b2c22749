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

static struct host_sym *tu_syms;
static size_t tu_nr_syms;

static int tu_sym_cmp(const void *a, const void *b)
{
	const struct host_sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Load symbols, set the skip range, register this thread's stack. */
static void tu_host_stacks(void)
{
	char exe[512], cmd[600], line[1024];
	unsigned long main_link = 0, lo = ~0UL, hi = 0, shift;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t cap = 0;
	pthread_attr_t attr;
	void *stack;
	size_t size;
	FILE *f;

	if (n <= 0)
		return;
	exe[n] = '\0';
	snprintf(cmd, sizeof(cmd), "nm -l -S --defined-only '%s'", exe);
	f = popen(cmd, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long addr, sz;
		char type, name[512];

		if (sscanf(line, "%lx %lx %c %511s", &addr, &sz, &type, name) != 4 ||
		    (type != 't' && type != 'T'))
			continue;
		if (tu_nr_syms == cap) {
			cap = cap ? 2 * cap : 1024;
			tu_syms = realloc(tu_syms, cap * sizeof(*tu_syms));
		}
		if (strstr(line, "/mm/") || strstr(line, "/arch/arm64/kernel/unwind.c:")) {
			lo = min(lo, addr);
			hi = max(hi, addr + sz);
		}
		tu_syms[tu_nr_syms].addr = addr;
		tu_syms[tu_nr_syms].size = sz;
		tu_syms[tu_nr_syms].name = strdup(name);
		if (!strcmp(name, "main"))
			main_link = addr;
		tu_nr_syms++;
	}
	pclose(f);
	shift = main_link ? (unsigned long)&main - main_link : 0;
	for (size_t i = 0; i < tu_nr_syms; i++)
		tu_syms[i].addr += shift;
	qsort(tu_syms, tu_nr_syms, sizeof(*tu_syms), tu_sym_cmp);
	host_syms = tu_syms;
	host_nr_syms = tu_nr_syms;
	if (lo < hi)
		stacktrace_set_skip_text(lo + shift, hi + shift);

	pthread_getattr_np(pthread_self(), &attr);
	pthread_attr_getstack(&attr, &stack, &size);
	pthread_attr_destroy(&attr);
	stacktrace_register_stack((unsigned long)stack, (unsigned long)stack + size, "host");
}

#endif
