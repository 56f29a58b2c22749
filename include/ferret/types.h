/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types shared by the kernel and the host builds of mm/ and lib/.
 * Freestanding: only the compiler's own headers are used.
 */
#ifndef FERRET_TYPES_H
#define FERRET_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
/* int, not uint32_t: bare-metal Arm compilers make uint32_t a long. */
typedef unsigned int u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int s32;
typedef int64_t s64;

typedef unsigned long phys_addr_t;

#define BITS_PER_LONG	(__SIZEOF_LONG__ * 8)

#endif
