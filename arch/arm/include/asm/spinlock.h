/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

/* One CPU today: the uniprocessor lock. SMP fills in a ticket lock here. */
#include <asm-generic/spinlock_up.h>

#endif
