/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spinlocks that also mask interrupts on the local CPU. ferret runs on one
 * CPU today, but all shared allocator state sits behind these so SMP can be
 * added by filling in arch_spin_lock.
 */
#ifndef FERRET_SPINLOCK_H
#define FERRET_SPINLOCK_H

#include <ferret/types.h>
#include <asm/irqflags.h>
#include <asm/spinlock.h>

typedef struct {
	arch_spinlock_t raw;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { ARCH_SPIN_LOCK_UNLOCKED }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l)
{
	l->raw = (arch_spinlock_t)ARCH_SPIN_LOCK_UNLOCKED;
}

#define spin_lock_irqsave(l, flags)                 \
	do {                                        \
		(flags) = arch_local_irq_save();    \
		arch_spin_lock(&(l)->raw);          \
	} while (0)

#define spin_unlock_irqrestore(l, flags)            \
	do {                                        \
		arch_spin_unlock(&(l)->raw);        \
		arch_local_irq_restore(flags);      \
	} while (0)

static inline bool spin_is_locked(spinlock_t *l)
{
	return arch_spin_is_locked(&l->raw);
}

#endif
