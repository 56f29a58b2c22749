// SPDX-License-Identifier: GPL-2.0
/*
 * malloc() and its kin for applications: ferret's heap (kernel/app_heap.c),
 * so every block, the C library's own included (strdup, asprintf, fopen's
 * FILE and buffer), is a kmalloc object or a block of pages with an owner.
 *
 * These functions sit in the tracking-code range (section .text.ferret_track,
 * which linker.ld places between __mm_track_text_start and _end), so owner
 * stacks start at their caller: the application, or the C library function
 * it called.
 *
 * Compiled with the C library's headers: picolibc on AArch64, newlib on
 * AArch32 (docs/PORTING.md). newlib calls the reentrant _malloc_r() family
 * itself; they are here for both and take the reentrancy structure as an
 * opaque pointer (ferret runs one application at a time).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <ferret/libc_glue.h>

#define __track	__attribute__((section(".text.ferret_track"), noinline))

struct _reent;	/* newlib's reentrancy structure, opaque here; picolibc has none */

static int pow2(size_t n)
{
	return n && !(n & (n - 1));
}

/* Alignment @a asked for: a power of two up to FERRET_HEAP_MAX_ALIGN. */
static void *aligned(size_t a, size_t size)
{
	void *p;

	if (!pow2(a) || a > FERRET_HEAP_MAX_ALIGN) {
		errno = EINVAL;
		return NULL;
	}
	p = ferret_heap_alloc(size, a);
	if (!p)
		errno = ENOMEM;
	return p;
}

__track void *malloc(size_t size)
{
	void *p = ferret_heap_alloc(size, 0);

	if (!p)
		errno = ENOMEM;
	return p;
}

__track void free(void *p)
{
	ferret_heap_free(p);
}

__track void *calloc(size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	p = ferret_heap_alloc(bytes, 0);
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	return memset(p, 0, bytes);
}

__track void *realloc(void *p, size_t size)
{
	void *q = ferret_heap_realloc(p, size);

	if (!q)
		errno = ENOMEM;
	return q;
}

/* OpenBSD's: realloc() of n * size, NULL when that overflows. */
__track void *reallocarray(void *p, size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, bytes);
}

__track void *memalign(size_t align, size_t size)
{
	return aligned(align, size);
}

/* C11: the alignment must be a power of two (any size is accepted, as glibc does). */
__track void *aligned_alloc(size_t align, size_t size)
{
	return aligned(align, size);
}

__track int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (!pow2(align) || align % sizeof(void *) || align > FERRET_HEAP_MAX_ALIGN)
		return EINVAL;
	p = ferret_heap_alloc(size, align);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

__track void *valloc(size_t size)
{
	return aligned(4096, size);
}

__track void *pvalloc(size_t size)
{
	return aligned(4096, (size + 4095) & ~(size_t)4095);
}

size_t malloc_usable_size(void *p)
{
	return ferret_heap_usable_size(p);
}

/* newlib's reentrant family: the reentrancy structure is not needed. */
__track void *_malloc_r(struct _reent *reent, size_t size)
{
	return malloc(size);
}

__track void _free_r(struct _reent *reent, void *p)
{
	free(p);
}

__track void *_calloc_r(struct _reent *reent, size_t n, size_t size)
{
	return calloc(n, size);
}

__track void *_realloc_r(struct _reent *reent, void *p, size_t size)
{
	return realloc(p, size);
}

__track void *_memalign_r(struct _reent *reent, size_t align, size_t size)
{
	return memalign(align, size);
}

size_t _malloc_usable_size_r(struct _reent *reent, void *p)
{
	return malloc_usable_size(p);
}
