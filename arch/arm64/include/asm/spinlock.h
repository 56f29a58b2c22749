/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlock, AArch64. A taker draws a ticket (the "next" half of the
 * lock word) with a load-acquire/store-exclusive pair and owns the lock when
 * "owner" reaches it; unlock hands it to the next ticket with a
 * store-release. Waiters sleep in WFE: their exclusive load of the lock word
 * arms the monitor, and the unlocking store clears it, which is an event.
 * Tickets serve takers in order, so no core starves.
 *
 * The uncontended take stays inline (ldaxr, add, stxr, compare). A taker
 * that must wait goes to arch_spin_lock_wait() (arch/arm64/kernel/spinlock.c),
 * which also notices a core taking a lock it already holds (the owner core
 * is recorded after each take) and a lock held for seconds, and reports both.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <ferret/types.h>
#include <asm/smp.h>

typedef struct {
	volatile u32 val;	/* bits 0..15: owner (ticket served), 16..31: next ticket */
	volatile u32 cpu;	/* the core that took it last */
} arch_spinlock_t;

#define ARCH_SPIN_LOCK_UNLOCKED { 0, 0 }
#define TICKET_SHIFT	16

void arch_spin_lock_wait(arch_spinlock_t *l, u32 ticket);

static inline void arch_spin_lock(arch_spinlock_t *l)
{
	u32 old, tmp, fail;

	__asm__ __volatile__("1:	ldaxr	%w0, %3\n"
			     "	add	%w1, %w0, %w4\n"
			     "	stxr	%w2, %w1, %3\n"
			     "	cbnz	%w2, 1b\n"
			     : "=&r"(old), "=&r"(tmp), "=&r"(fail), "+Q"(l->val)
			     : "r"(1u << TICKET_SHIFT)
			     : "memory");
	if (__builtin_expect((old >> TICKET_SHIFT) != (old & 0xffff), 0))
		arch_spin_lock_wait(l, old >> TICKET_SHIFT);
	l->cpu = arch_smp_processor_id();
}

/* Return: 1 with the lock taken, 0 when it is held (by anyone, the caller included). */
static inline int arch_spin_trylock(arch_spinlock_t *l)
{
	u32 old, tmp, busy;

	__asm__ __volatile__("1:	ldaxr	%w0, %3\n"
			     "	eor	%w2, %w0, %w0, ror #16\n"
			     "	cbnz	%w2, 2f\n"		/* held: busy != 0 */
			     "	add	%w1, %w0, %w4\n"
			     "	stxr	%w2, %w1, %3\n"
			     "	cbnz	%w2, 1b\n"		/* taken: busy == 0 */
			     "	b	3f\n"
			     "2:	clrex\n"
			     "3:\n"
			     : "=&r"(old), "=&r"(tmp), "=&r"(busy), "+Q"(l->val)
			     : "r"(1u << TICKET_SHIFT)
			     : "memory");
	if (busy)
		return 0;
	l->cpu = arch_smp_processor_id();
	return 1;
}

static inline void arch_spin_unlock(arch_spinlock_t *l)
{
	u32 owner;	/* little endian: the low half of the word */

	__asm__ __volatile__("ldrh	%w0, [%1]\n"
			     "	add	%w0, %w0, #1\n"
			     "	stlrh	%w0, [%1]"
			     : "=&r"(owner) : "r"(&l->val) : "memory");
}

static inline int arch_spin_is_locked(arch_spinlock_t *l)
{
	u32 v = l->val;

	return (v >> TICKET_SHIFT) != (v & 0xffff);
}

#endif
