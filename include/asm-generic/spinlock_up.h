/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Uniprocessor spinlock, shared by the target and the host build: with
 * interrupts masked by the caller nothing else can run, so taking the lock only records ownership and catches recursion (a
 * recursive take is a bug that would deadlock on SMP).
 */
#ifndef ASM_GENERIC_SPINLOCK_UP_H
#define ASM_GENERIC_SPINLOCK_UP_H

typedef struct {
	volatile unsigned int locked;
} arch_spinlock_t;

#define ARCH_SPIN_LOCK_UNLOCKED { 0 }

void arch_spin_lock_recursion(arch_spinlock_t *l) __attribute__((noreturn, cold));

static inline void arch_spin_lock(arch_spinlock_t *l)
{
	if (l->locked)
		arch_spin_lock_recursion(l);
	l->locked = 1;
	__asm__ __volatile__("" ::: "memory");
}

/* Return: 1 with the lock taken, 0 when it is held (on one CPU: by the caller's own context). */
static inline int arch_spin_trylock(arch_spinlock_t *l)
{
	if (l->locked)
		return 0;
	l->locked = 1;
	__asm__ __volatile__("" ::: "memory");
	return 1;
}

static inline void arch_spin_unlock(arch_spinlock_t *l)
{
	__asm__ __volatile__("" ::: "memory");
	l->locked = 0;
}

static inline int arch_spin_is_locked(arch_spinlock_t *l)
{
	return l->locked != 0;
}

#endif
