/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spinlocks that also mask interrupts on the local core, and count how they
 * are taken. Every piece of shared allocator state sits behind one of these
 * (docs/LOCKING.md has the list and the order they nest in); the lock itself
 * is the architecture's (asm/spinlock.h: a ticket lock on Arm, __atomic
 * builtins on the host).
 *
 * spin_lock_irqsave() tries the lock once; when that fails the lock was
 * contended, and the wait draws a ticket (arch_spin_lock_wait(): served in
 * order, waiting in WFE), counting each look at the lock before its turn.
 * The counters change only while the lock is held, so they are exact
 * without atomics: acquisitions, contended acquisitions, spins. Taking a
 * lock the core already holds (recursion: a deadlock on SMP) is caught
 * through the owner field and left to the architecture's lock to report.
 */
#ifndef FERRET_SPINLOCK_H
#define FERRET_SPINLOCK_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/smp.h>
#include <asm/irqflags.h>
#include <asm/spinlock.h>

/* How a lock was taken since boot or spin_stats_reset(). */
struct spin_stats {
	unsigned long acquired;		/* times taken */
	unsigned long contended;	/* ... of which it was held at the first try */
	unsigned long spins;		/* looks at the lock while waiting, in all */
};

typedef struct {
	arch_spinlock_t raw;
	unsigned int owner;		/* holding core + 1; 0: free (or taken raw) */
	struct spin_stats stats;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { ARCH_SPIN_LOCK_UNLOCKED, 0, { 0, 0, 0 } }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l)
{
	*l = (spinlock_t)SPIN_LOCK_UNLOCKED;
}

/* The wait, out of line: counts the spins. Context: interrupts masked. */
void spin_lock_contended(spinlock_t *l);

/* Take @l with interrupts already masked. */
static inline void spin_lock(spinlock_t *l)
{
	if (unlikely(!arch_spin_trylock(&l->raw)))
		spin_lock_contended(l);
	/* Read by other cores' waits (a recursion test): an atomic store, a plain one on Arm. */
	__atomic_store_n(&l->owner, smp_processor_id() + 1, __ATOMIC_RELAXED);
	l->stats.acquired++;
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	arch_spin_unlock(&l->raw);
}

#define spin_lock_irqsave(l, flags)                 \
	do {                                        \
		(flags) = arch_local_irq_save();    \
		spin_lock(l);                       \
	} while (0)

#define spin_unlock_irqrestore(l, flags)            \
	do {                                        \
		spin_unlock(l);                     \
		arch_local_irq_restore(flags);      \
	} while (0)

static inline bool spin_is_locked(spinlock_t *l)
{
	return arch_spin_is_locked(&l->raw);
}

/* @l's counters, read without taking it (exact while no core takes it). */
struct spin_stats spin_stats_read(spinlock_t *l);

/* Zero @l's counters (under the lock: the reset's own take is not counted). */
void spin_stats_reset(spinlock_t *l);

#endif
