/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlock, ARMv7-A. A taker draws a ticket (the "next" half of the
 * lock word) with LDREX/STREX and owns the lock when "owner" reaches it; a
 * DMB then orders its critical section after the take. Unlock is a DMB, the
 * store of the next owner, then DSB and SEV: on ARMv7 a store does not wake
 * a WFE (clearing the monitor is no event before ARMv8), the SEV does.
 * Tickets serve takers in order, so no core starves.
 *
 * Everything is inline and calls nothing, so a lock costs its caller no
 * saved registers: the uncontended take is nine instructions, the unlock
 * six. The wait sits out of line (.subsection 1). The timer's event stream
 * (CNTKCTL.EVNTEN, set on every core: arch/arm/kernel/smp.c) wakes a waiter
 * now and then even when no unlock comes; one that has waited 32 * CNTFRQ
 * ticks (32 s; the low word of the counter, so CNTFRQ below 134 MHz) stops
 * with `udf #BRK_SPINLOCK_LOCKUP`, the lock's address in r12, and the crash
 * report says "spinlock lockup" (a lock never released, or taken twice by
 * the same core: its backtrace shows which). The same API as AArch64's.
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
	u32 old, tmp, st, start, looks;

	__asm__ __volatile__("	mov	%[n], #0\n"
			     "1:	ldrex	%[old], [%[l]]\n"
			     "	add	%[tmp], %[old], #(1 << 16)\n"
			     "	strex	%[st], %[tmp], [%[l]]\n"
			     "	teq	%[st], #0\n"
			     "	bne	1b\n"
			     "	eors	%[tmp], %[old], %[old], ror #16\n"
			     "	bne	2f\n"			/* held: wait for our turn */
			     "3:	dmb	ish\n"
			     "	.subsection 1\n"
			     "2:	lsr	%[old], %[old], #16\n"	/* our ticket */
			     "	mrrc	p15, 1, %[start], %[st], c14\n"	/* CNTVCT */
			     "4:	wfe\n"
			     "	add	%[n], %[n], #1\n"
			     "	ldrh	%[tmp], [%[l]]\n"
			     "	cmp	%[tmp], %[old]\n"
			     "	beq	3b\n"
			     "	mrrc	p15, 1, %[tmp], %[st], c14\n"
			     "	sub	%[tmp], %[tmp], %[start]\n"	/* ticks waited */
			     "	mrc	p15, 0, %[st], c14, c0, 0\n"	/* CNTFRQ */
			     "	cmp	%[tmp], %[st], lsl #5\n"
			     "	blo	4b\n"
			     "	mov	r12, %[l]\n"
			     "	udf	#0x802\n"		/* BRK_SPINLOCK_LOCKUP */
			     "	b	4b\n"
			     "	.previous\n"
			     : [old] "=&r"(old), [tmp] "=&r"(tmp), [st] "=&r"(st),
			       [start] "=&r"(start), [n] "=&r"(looks)
			     : [l] "r"(&l->val)
			     : "r12", "memory", "cc");
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

	__asm__ __volatile__("1:	ldrex	%[old], [%[l]]\n"
			     "	eors	%[busy], %[old], %[old], ror #16\n"
			     "	bne	2f\n"			/* held: busy != 0 */
			     "	add	%[tmp], %[old], #(1 << 16)\n"
			     "	strex	%[busy], %[tmp], [%[l]]\n"
			     "	teq	%[busy], #0\n"
			     "	bne	1b\n"			/* taken: busy == 0 */
			     "	dmb	ish\n"
			     "	b	3f\n"
			     "2:	clrex\n"
			     "3:\n"
			     : [old] "=&r"(old), [tmp] "=&r"(tmp), [busy] "=&r"(busy)
			     : [l] "r"(&l->val)
			     : "memory", "cc");
	return !busy;
}

static inline void arch_spin_unlock(arch_spinlock_t *l)
{
	u32 owner;	/* little endian: the low half of the word */

	__asm__ __volatile__("ldrh	%0, [%1]\n"
			     "	add	%0, %0, #1\n"
			     "	dmb	ish\n"
			     "	strh	%0, [%1]\n"
			     "	dsb	ishst\n"
			     "	sev"
			     : "=&r"(owner) : "r"(&l->val) : "memory");
}

static inline int arch_spin_is_locked(arch_spinlock_t *l)
{
	u32 v = l->val;

	return (v >> 16) != (v & 0xffff);
}

#endif
