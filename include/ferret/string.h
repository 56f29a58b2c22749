/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FERRET_STRING_H
#define FERRET_STRING_H

#include <ferret/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
/* Copy at most size-1 bytes and always terminate. Return: strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* C strncpy: pads with NULs, does not terminate when src fills @n. */
char *strncpy(char *dst, const char *src, size_t n);

/*
 * kstrtoul - parse an unsigned number: decimal, 0x hex, 0 octal (base 0), or
 * in @base. The whole string must be consumed. Return: 0, or -1 on bad input
 * or overflow.
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);

#endif
