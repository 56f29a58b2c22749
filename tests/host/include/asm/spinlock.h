/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

/* Host tests are single-threaded: the same uniprocessor lock as the target. */
#include <asm-generic/spinlock_up.h>

#endif
