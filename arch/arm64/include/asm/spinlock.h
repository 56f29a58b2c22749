/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlock, AArch64. A taker draws a ticket (the "next" half of the
 * lock word) with a load-acquire/store-exclusive pair and owns the lock when
 * "owner" reaches it; unlock hands it to the next ticket with a
 * store-release. Waiters sleep in WFE: their exclusive load of the lock word
 * arms the monitor, and the unlocking store clears it, which is an event.
 * Tickets serve takers in order, so no core starves.
 *
 * Everything is inline and calls nothing, so a lock costs its caller no
 * saved registers: the uncontended take is seven instructions, the unlock
 * three. The wait sits out of line (.subsection 1). The timer's event stream
 * (CNTKCTL_EL1.EVNTEN, set on every core) wakes a waiter now and then even
 * when no unlock comes; one that has waited 32 * CNTFRQ ticks (32 s) stops
 * with `brk #BRK_SPINLOCK_LOCKUP`, the lock's address in x16, and the crash
 * report says "spinlock lockup" (a lock never released, or taken twice by
 * the same core: its backtrace shows which).
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <ferret/types.h>

typedef struct {
	volatile u32 val;	/* bits 0..15: owner (ticket served), 16..31: next ticket */
} arch_spinlock_t;

#define ARCH_SPIN_LOCK_UNLOCKED { 0 }
#define BRK_SPINLOCK_LOCKUP	0x802

/*
 * arch_spin_lock_wait() - take the lock: draw a ticket, wait in WFE for its
 * turn, counting the looks at the lock word before it came.
 * Return: the looks (0: served at once).
 */
static inline u32 arch_spin_lock_wait(arch_spinlock_t *l)
{
	u32 old, tmp, st, looks;
	unsigned long deadline, now;

	__asm__ __volatile__("	mov	%w[n], #0\n"
			     "1:	ldaxr	%w[old], [%[l]]\n"
			     "	add	%w[tmp], %w[old], #(1 << 16)\n"
			     "	stxr	%w[st], %w[tmp], [%[l]]\n"
			     "	cbnz	%w[st], 1b\n"
			     "	eor	%w[tmp], %w[old], %w[old], ror #16\n"
			     "	cbnz	%w[tmp], 2f\n"		/* held: wait for our turn */
			     "3:\n"
			     "	.subsection 1\n"
			     "2:	mrs	%[dl], cntfrq_el0\n"
			     "	mrs	%[now], cntvct_el0\n"
			     "	add	%[dl], %[now], %[dl], lsl #5\n"
			     "	lsr	%w[old], %w[old], #16\n"	/* our ticket */
			     "	sevl\n"
			     "4:	wfe\n"
			     "	add	%w[n], %w[n], #1\n"
			     "	ldaxrh	%w[tmp], [%[l]]\n"
			     "	eor	%w[tmp], %w[tmp], %w[old]\n"
			     "	cbz	%w[tmp], 3b\n"
			     "	mrs	%[now], cntvct_el0\n"
			     "	cmp	%[now], %[dl]\n"
			     "	b.lo	4b\n"
			     "	mov	x16, %[l]\n"
			     "	brk	#0x802\n"		/* BRK_SPINLOCK_LOCKUP */
			     "	b	4b\n"
			     "	.previous\n"
			     : [old] "=&r"(old), [tmp] "=&r"(tmp), [st] "=&r"(st),
			       [dl] "=&r"(deadline), [now] "=&r"(now), [n] "=&r"(looks)
			     : [l] "r"(&l->val)
			     : "x16", "memory", "cc");
	return looks;
}

static inline void arch_spin_lock(arch_spinlock_t *l)
{
	(void)arch_spin_lock_wait(l);
}

/* Return: 1 with the lock taken, 0 when it is held (by anyone, the caller included). */
static inline int arch_spin_trylock(arch_spinlock_t *l)
{
	u32 old, tmp, busy;

	__asm__ __volatile__("1:	ldaxr	%w[old], [%[l]]\n"
			     "	eor	%w[busy], %w[old], %w[old], ror #16\n"
			     "	cbnz	%w[busy], 2f\n"		/* held: busy != 0 */
			     "	add	%w[tmp], %w[old], #(1 << 16)\n"
			     "	stxr	%w[busy], %w[tmp], [%[l]]\n"
			     "	cbnz	%w[busy], 1b\n"		/* taken: busy == 0 */
			     "	b	3f\n"
			     "2:	clrex\n"
			     "3:\n"
			     : [old] "=&r"(old), [tmp] "=&r"(tmp), [busy] "=&r"(busy)
			     : [l] "r"(&l->val)
			     : "memory");
	return !busy;
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

	return (v >> 16) != (v & 0xffff);
}

#endif
