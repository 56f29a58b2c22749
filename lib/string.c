// SPDX-License-Identifier: GPL-2.0
/*
 * The string and memory functions of include/ferret/string.h.
 *
 * The kernel is freestanding, so these are the only memcpy/memset it has; gcc
 * still emits calls to them for structure copies. Their loops must therefore
 * never be turned back into calls to memcpy/memset: the kernel builds with
 * -fno-tree-loop-distribute-patterns, and the functions below also carry it as
 * an attribute so the code stays correct under any other flags (the host
 * tests build at a different optimisation level).
 *
 * memcpy, memmove and memset move whole words when source and destination
 * share their alignment; every access stays aligned (the kernel runs with
 * -mstrict-align and may touch Device memory before the MMU is on).
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/string.h>

#if defined(__clang__)
#define __no_libcall
#else
#define __no_libcall __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

typedef unsigned long __attribute__((may_alias)) word_t;
#define WSIZE	sizeof(word_t)
#define WMASK	(WSIZE - 1)

/**
 * memcpy - copy @n bytes from @src to @dst; the areas must not overlap
 * @dst: destination
 * @src: source
 * @n: number of bytes
 *
 * Return: @dst.
 */
__no_libcall void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n >= WSIZE && !(((uintptr_t)d ^ (uintptr_t)s) & WMASK)) {
		word_t *dw;
		const word_t *sw;

		while ((uintptr_t)d & WMASK) {
			*d++ = *s++;
			n--;
		}
		dw = (word_t *)d;
		sw = (const word_t *)s;
		while (n >= 4 * WSIZE) {
			dw[0] = sw[0];
			dw[1] = sw[1];
			dw[2] = sw[2];
			dw[3] = sw[3];
			dw += 4;
			sw += 4;
			n -= 4 * WSIZE;
		}
		while (n >= WSIZE) {
			*dw++ = *sw++;
			n -= WSIZE;
		}
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/**
 * memmove - copy @n bytes from @src to @dst; the areas may overlap
 * @dst: destination
 * @src: source
 * @n: number of bytes
 *
 * Return: @dst.
 */
__no_libcall void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || !n)
		return dst;
	if ((uintptr_t)d < (uintptr_t)s || (uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dst, src, n);	/* forward copy is safe */

	/* dst overlaps the end of src: copy backwards. */
	d += n;
	s += n;
	if (n >= WSIZE && !(((uintptr_t)d ^ (uintptr_t)s) & WMASK)) {
		word_t *dw;
		const word_t *sw;

		while ((uintptr_t)d & WMASK) {
			*--d = *--s;
			n--;
		}
		dw = (word_t *)d;
		sw = (const word_t *)s;
		while (n >= WSIZE) {
			*--dw = *--sw;
			n -= WSIZE;
		}
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*--d = *--s;
	return dst;
}

/**
 * memset - fill @n bytes at @s with the byte @c
 * @s: destination
 * @c: value (converted to unsigned char)
 * @n: number of bytes
 *
 * Return: @s.
 */
__no_libcall void *memset(void *s, int c, size_t n)
{
	unsigned char *d = s;
	unsigned char b = (unsigned char)c;

	if (n >= WSIZE) {
		word_t pat = (word_t)b * (~(word_t)0 / 0xff);	/* b in every byte */
		word_t *dw;

		while ((uintptr_t)d & WMASK) {
			*d++ = b;
			n--;
		}
		dw = (word_t *)d;
		while (n >= 4 * WSIZE) {
			dw[0] = pat;
			dw[1] = pat;
			dw[2] = pat;
			dw[3] = pat;
			dw += 4;
			n -= 4 * WSIZE;
		}
		while (n >= WSIZE) {
			*dw++ = pat;
			n -= WSIZE;
		}
		d = (unsigned char *)dw;
	}
	while (n--)
		*d++ = b;
	return s;
}

/**
 * memcmp - compare two memory areas bytewise (as unsigned char)
 * @a: first area
 * @b: second area
 * @n: number of bytes
 *
 * Return: <0, 0 or >0 as @a sorts before, equal to or after @b.
 */
__no_libcall int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/**
 * strlen - length of a NUL-terminated string
 * @s: the string
 *
 * Return: the number of bytes before the NUL.
 */
__no_libcall size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

/**
 * strnlen - length of a string, reading at most @max bytes
 * @s: the string (need not be terminated within @max bytes)
 * @max: bytes to look at
 *
 * Return: strlen(@s) if it is less than @max, else @max.
 */
__no_libcall size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/**
 * strcmp - compare two strings (as unsigned char)
 * @a: first string
 * @b: second string
 *
 * Return: <0, 0 or >0 as @a sorts before, equal to or after @b.
 */
int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

/**
 * strncmp - compare at most @n bytes of two strings
 * @a: first string
 * @b: second string
 * @n: maximum number of bytes to compare
 *
 * Return: <0, 0 or >0 as @a sorts before, equal to or after @b.
 */
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			break;
	}
	return 0;
}

/**
 * strchr - find the first @c in @s
 * @s: the string
 * @c: the character (converted to char); '\0' finds the terminator
 *
 * Return: a pointer to it, or NULL.
 */
char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/**
 * strrchr - find the last @c in @s
 * @s: the string
 * @c: the character (converted to char); '\0' finds the terminator
 *
 * Return: a pointer to it, or NULL.
 */
char *strrchr(const char *s, int c)
{
	char ch = (char)c;
	const char *last = NULL;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/**
 * strstr - find the first occurrence of @needle in @hay
 * @hay: the string to search
 * @needle: the string to find; the empty string matches at @hay
 *
 * Return: a pointer into @hay, or NULL.
 */
char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return (char *)hay;
	for (; *hay; hay++)
		if (*hay == *needle && !strncmp(hay, needle, n))
			return (char *)hay;
	return NULL;
}

/**
 * strlcpy - copy a string into a sized buffer
 * @dst: destination
 * @src: source string
 * @size: size of @dst; when not 0, @dst is always NUL-terminated
 *
 * Copies at most @size - 1 bytes. Return: strlen(@src); a value >= @size
 * means the copy was truncated.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/**
 * strncpy - copy at most @n bytes of a string, padding with NULs
 * @dst: destination (exactly @n bytes are written)
 * @src: source string
 * @n: size of @dst
 *
 * As in C, @dst is not terminated when strlen(@src) >= @n; prefer strlcpy().
 * Return: @dst.
 */
__no_libcall char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Digits only (no sign); the prefix rules of kstrtoul(). */
static int parse_unsigned(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long v = 0;

	if (base == 1 || base > 36)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && (base == 0 || base == 16)) {
		base = 16;
		s += 2;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	if (!*s)
		return -1;	/* empty, or "0x" with no digits */
	for (; *s; s++) {
		unsigned int d = (unsigned int)digit_value(*s);

		if (d >= base)
			return -1;
		if (v > (~0UL - d) / base)
			return -1;	/* overflow */
		v = v * base + d;
	}
	*res = v;
	return 0;
}

/**
 * kstrtoul - parse an unsigned long
 * @s: the string: an optional '+', then digits; nothing may follow
 * @base: 2..36, or 0 for automatic: "0x" hex, "0" octal, else decimal
 *	  (base 16 also accepts a "0x" prefix)
 * @res: where the value goes; untouched on error
 *
 * Return: 0, or -1 on an empty string, a bad character, a bad base or overflow.
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	if (*s == '+')
		s++;
	return parse_unsigned(s, base, res);
}

/**
 * kstrtol - parse a long
 * @s: the string: an optional '+' or '-', then digits as for kstrtoul()
 * @base: as for kstrtoul()
 * @res: where the value goes; untouched on error
 *
 * Return: 0, or -1 on bad input or a value outside the range of long.
 */
int kstrtol(const char *s, unsigned int base, long *res)
{
	const unsigned long lmax = ~0UL >> 1;
	bool neg = false;
	unsigned long v;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (parse_unsigned(s, base, &v))
		return -1;
	if (neg) {
		if (v > lmax + 1)
			return -1;
		*res = v ? -(long)(v - 1) - 1 : 0;
	} else {
		if (v > lmax)
			return -1;
		*res = (long)v;
	}
	return 0;
}
