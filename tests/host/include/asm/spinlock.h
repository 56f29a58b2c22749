/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build: a real lock, so threads playing cores (asm/smp.h) exclude
 * each other. A test-and-set word with __atomic builtins: acquire on the
 * take, release on the release. A take by the thread that holds it already
 * is caught by spin_lock() (include/ferret/spinlock.h, the owner field) and
 * reported here as the uniprocessor lock reports it.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

typedef struct {
	unsigned int locked;
} arch_spinlock_t;

#define ARCH_SPIN_LOCK_UNLOCKED { 0 }

void arch_spin_lock_recursion(arch_spinlock_t *l) __attribute__((noreturn, cold));
int sched_yield(void);

/* Return: 1 with the lock taken, 0 when it is held. */
static inline int arch_spin_trylock(arch_spinlock_t *l)
{
	return !__atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline int arch_spin_is_locked(arch_spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

/*
 * Raw takes (slab.c's cache locks, under masked interrupts): spin. A raw
 * take cannot know its owner; spin_lock() catches recursion before it.
 */
static inline void arch_spin_lock(arch_spinlock_t *l)
{
	while (!arch_spin_trylock(l))
		sched_yield();
}

/* The contended take (spin_lock_contended()). Return: the failed looks. */
static inline unsigned int arch_spin_lock_wait(arch_spinlock_t *l)
{
	unsigned int looks = 0;

	while (!arch_spin_trylock(l)) {
		looks++;
		sched_yield();
	}
	return looks;
}

static inline void arch_spin_unlock(arch_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
