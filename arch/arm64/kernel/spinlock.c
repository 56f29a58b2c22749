// SPDX-License-Identifier: GPL-2.0
/*
 * The ticket lock's wait (asm/spinlock.h): sleep in WFE until the owner
 * half reaches our ticket. The timer's event stream (CNTKCTL_EL1.EVNTEN,
 * set for every core by kernel/irq.c) wakes a waiter now and then even when
 * no unlock comes, so two bugs are caught instead of hanging silently:
 *  - recursion: the lock's last taker is this very core and nobody has been
 *    served for a second: the core waits for itself;
 *  - lockup: nobody has been served for LOCKUP_SECONDS.
 * Both are reported (BUG: ...) and end in a crash report.
 */
#include <ferret/printk.h>
#include <asm/spinlock.h>
#include <asm/timex.h>

#define LOCKUP_SECONDS	30	/* generous: an emulated core may wait long for its host */
#define RECURSION_MS	1000

void arch_spin_lock_recursion(arch_spinlock_t *l) __attribute__((noreturn, cold));

static u16 owner_acquire(arch_spinlock_t *l)
{
	u32 v;

	/* The exclusive load arms the monitor: the unlocking store is an event. */
	__asm__ __volatile__("ldaxrh	%w0, [%1]" : "=r"(v) : "r"(&l->val) : "memory");
	return (u16)v;
}

static void __attribute__((noreturn, cold)) lockup(arch_spinlock_t *l, void *caller)
{
	printk(KERN_EMERG "BUG: spinlock lockup suspected on CPU#%u, lock %p held by CPU#%u, "
	       "called from %pS\n", arch_smp_processor_id(), (void *)l, l->cpu, caller);
	__asm__ __volatile__("brk #0x801");
	__builtin_unreachable();
}

void arch_spin_lock_wait(arch_spinlock_t *l, u32 ticket)
{
	u16 last = owner_acquire(l), now;
	u64 since = arch_counter_read_fast(), freq = arch_timer_freq();

	__asm__ __volatile__("sevl" ::: "memory");
	for (;;) {
		__asm__ __volatile__("wfe" ::: "memory");
		now = owner_acquire(l);
		if (now == (u16)ticket)
			break;
		if (now != last) {		/* someone was served: start again */
			last = now;
			since = arch_counter_read_fast();
			continue;
		}
		if (arch_counter_read_fast() - since < freq / 1000 * RECURSION_MS)
			continue;
		if (l->cpu == arch_smp_processor_id())
			arch_spin_lock_recursion(l);	/* a second waiting on ourselves */
		if (arch_counter_read_fast() - since > freq * LOCKUP_SECONDS)
			lockup(l, __builtin_return_address(0));
	}
	__asm__ __volatile__("clrex" ::: "memory");
}
