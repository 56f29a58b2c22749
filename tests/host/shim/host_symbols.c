// SPDX-License-Identifier: GPL-2.0
/*
 * Symbols and stacks for host tests that record real stacks (page_owner,
 * leaks, trace): the test binary's own text symbols from `nm -l -S`, shifted
 * to where the PIE was loaded, become kallsyms for %pS/%pB; the text of mm/
 * and the unwinder becomes the unwinder's skip range (what linker.ld's
 * __mm_track_text_start/end are in the kernel); the calling thread's stack is
 * registered with the unwinder.
 */
#define _GNU_SOURCE
#include <ferret/compiler.h>	/* first: glibc defines __always_inline too */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ferret/stacktrace.h>
#include "host_kernel.h"

int main(void);

static int sym_cmp(const void *a, const void *b)
{
	const struct host_sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int host_load_symbols(unsigned long *track_lo, unsigned long *track_hi)
{
	char exe[512], cmd[600], line[1024];
	unsigned long main_link = 0, lo = ~0UL, hi = 0, shift;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct host_sym *syms = NULL;
	size_t nr = 0, cap = 0;
	FILE *f;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	snprintf(cmd, sizeof(cmd), "nm -l -S --defined-only '%s'", exe);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long addr, size;
		char type, name[512];

		if (sscanf(line, "%lx %lx %c %511s", &addr, &size, &type, name) != 4 ||
		    (type != 't' && type != 'T'))
			continue;
		if (nr == cap) {
			cap = cap ? 2 * cap : 1024;
			syms = realloc(syms, cap * sizeof(*syms));
			if (!syms)
				abort();
		}
		if (strstr(line, "/mm/") || strstr(line, "/lib/unwind.c:")) {
			lo = min(lo, addr);
			hi = max(hi, addr + size);
		}
		syms[nr].addr = addr;
		syms[nr].size = size;
		syms[nr].name = strdup(name);
		if (!strcmp(name, "main"))
			main_link = addr;
		nr++;
	}
	pclose(f);
	shift = main_link ? (unsigned long)&main - main_link : 0;	/* PIE load bias */
	for (size_t i = 0; i < nr; i++)
		syms[i].addr += shift;
	qsort(syms, nr, sizeof(*syms), sym_cmp);
	host_syms = syms;
	host_nr_syms = nr;
	*track_lo = lo < hi ? lo + shift : 0;
	*track_hi = lo < hi ? hi + shift : 0;
	return nr ? 0 : -1;
}

void host_register_own_stack(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	pthread_getattr_np(pthread_self(), &attr);
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	stacktrace_register_stack((unsigned long)addr, (unsigned long)addr + size, "host");
}

void host_track_stacks(void)
{
	unsigned long lo, hi;

	if (host_nr_syms)
		return;		/* once per test program */
	host_load_symbols(&lo, &hi);
	host_text_base = host_nr_syms ? host_syms[0].addr : 0;	/* compact depot records */
	stacktrace_set_skip_text(lo, hi);
	host_register_own_stack();
}
