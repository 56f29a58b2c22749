// SPDX-License-Identifier: GPL-2.0
/*
 * The contended half of spin_lock() (include/ferret/spinlock.h): wait for a
 * lock another core holds, counting the looks, and the counters' readers.
 */
#include <ferret/compiler.h>
#include <ferret/spinlock.h>
#include <asm/processor.h>

void spin_lock_contended(spinlock_t *l)
{
	unsigned long spins;

	/*
	 * Held by this very core: recursion, which would wait forever. The
	 * architecture's lock reports it (the uniprocessor lock at once, the
	 * ticket lock as a lockup).
	 */
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == smp_processor_id() + 1)
		arch_spin_lock(&l->raw);
	/* A ticket: takers are served in order, each waiting in WFE for its turn. */
	spins = arch_spin_lock_wait(&l->raw);
	/* Held now: the counters are ours (spin_lock() adds the acquisition). */
	l->stats.contended++;
	l->stats.spins += spins ? spins : 1;
}

struct spin_stats spin_stats_read(spinlock_t *l)
{
	/* Not under the lock, so that reading does not count: exact while it is idle. */
	return (struct spin_stats){
		.acquired = READ_ONCE(l->stats.acquired),
		.contended = READ_ONCE(l->stats.contended),
		.spins = READ_ONCE(l->stats.spins),
	};
}

void spin_stats_reset(spinlock_t *l)
{
	unsigned long flags;

	spin_lock_irqsave(l, flags);
	l->stats = (struct spin_stats){ 0 };
	spin_unlock_irqrestore(l, flags);
}
