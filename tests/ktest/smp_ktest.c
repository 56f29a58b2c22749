// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP suite for several cores: cross-core calls land on the core asked and
 * in interrupt context there, on_each_cpu() reaches every online core once,
 * the ticket lock keeps a counter exact under contention from every core,
 * execution contexts are per core, and static keys and entry diversions
 * flip while the other cores run through the patched code. With one core
 * online the same cases run on it alone.
 */
#include <ferret/ktest.h>
#include <ferret/smp.h>
#include <ferret/sched.h>
#include <ferret/spinlock.h>
#include <ferret/jump_label.h>
#include <ferret/time.h>
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/irqflags.h>

/* Run @fn on every idle secondary core (task context), then on this one; wait. Return: cores. */
static unsigned int run_everywhere(void (*fn)(void *), void *arg)
{
	unsigned int cpu, n = 1;

	for_each_online_cpu(cpu) {
		if (cpu != smp_processor_id() && !smp_work_start(cpu, fn, arg, "ktest smp"))
			n++;
	}
	fn(arg);
	for_each_online_cpu(cpu) {
		if (cpu != smp_processor_id())
			smp_work_wait(cpu);
	}
	return n;
}

struct where {
	unsigned int cpu;
	bool irq;
	int calls;
};

static void note_where(void *arg)
{
	struct where *w = arg;

	w->cpu = smp_processor_id();
	w->irq = in_interrupt() || arch_irqs_disabled();
	w->calls++;
}

static void call_single(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct where w = { NR_CPUS, false, 0 };

		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, note_where, &w, true), 0);
		KTEST_EXPECT_EQ(t, w.cpu, cpu);
		KTEST_EXPECT_EQ(t, w.calls, 1);
		KTEST_EXPECT_TRUE(t, w.irq);	/* interrupts masked, as Linux runs them */
	}
	KTEST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS, note_where, NULL, true), -22);
}

static unsigned long hits[NR_CPUS];

static void count_hit(void *arg)
{
	__atomic_fetch_add(&hits[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
}

static void each_cpu(struct ktest *t)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		hits[cpu] = 0;
	for (int i = 0; i < 50; i++)
		on_each_cpu(count_hit, NULL, true);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		KTEST_EXPECT_EQ(t, hits[cpu], cpu_online(cpu) ? 50 : 0);
}

#define LOCK_ROUNDS	2000
static DEFINE_SPINLOCK(test_lock);
static unsigned long shared_count;	/* plain load and store: only the lock keeps it exact */
static unsigned long trylock_won;

static void hammer_lock(void *arg)
{
	unsigned long flags;

	for (int i = 0; i < LOCK_ROUNDS; i++) {
		spin_lock_irqsave(&test_lock, flags);
		shared_count = shared_count + 1;
		spin_unlock_irqrestore(&test_lock, flags);
		flags = arch_local_irq_save();
		if (arch_spin_trylock(&test_lock.raw)) {
			shared_count = shared_count + 1;
			trylock_won++;
			arch_spin_unlock(&test_lock.raw);
		}
		arch_local_irq_restore(flags);
	}
}

static void ticket_lock(struct ktest *t)
{
	unsigned int cores;

	shared_count = trylock_won = 0;
	KTEST_EXPECT_TRUE(t, !spin_is_locked(&test_lock));
	KTEST_EXPECT_TRUE(t, arch_spin_trylock(&test_lock.raw));
	KTEST_EXPECT_TRUE(t, spin_is_locked(&test_lock));
	KTEST_EXPECT_TRUE(t, !arch_spin_trylock(&test_lock.raw));	/* held, even by us */
	arch_spin_unlock(&test_lock.raw);
	KTEST_EXPECT_TRUE(t, !spin_is_locked(&test_lock));
	cores = run_everywhere(hammer_lock, NULL);
	KTEST_EXPECT_EQ(t, shared_count, (unsigned long)cores * LOCK_ROUNDS + trylock_won);
	KTEST_EXPECT_TRUE(t, !spin_is_locked(&test_lock));
}

static int seen_pid[NR_CPUS];

static void switch_context(void *arg)
{
	int prev = task_ctx_switch(*(int *)arg);

	seen_pid[smp_processor_id()] = current_pid();
	task_ctx_switch(prev);
}

static void per_cpu_context(struct ktest *t)
{
	int pid = task_ctx_register("ktest-smp"), mine = current_pid();
	unsigned int cpu;

	KTEST_ASSERT_TRUE(t, pid >= 0);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		seen_pid[cpu] = -1;
	for_each_online_cpu(cpu) {
		if (cpu != smp_processor_id() && !smp_work_start(cpu, switch_context, &pid, "ktest"))
			smp_work_wait(cpu);
	}
	for_each_online_cpu(cpu) {
		if (cpu != smp_processor_id())
			KTEST_EXPECT_EQ(t, seen_pid[cpu], pid);
	}
	KTEST_EXPECT_EQ(t, current_pid(), mine);	/* theirs did not become ours */
}

/* Static keys flipped while the other cores run through both kinds of site. */
static DEFINE_STATIC_KEY_FALSE(smp_key);

static int __noinline smp_branch_site(void)
{
	if (static_branch_unlikely(&smp_key))
		return 1;
	return 0;
}

static int __noinline smp_divert_target(int x)
{
	return x + 100;
}

static __noipa int smp_divert_site(int x);
DEFINE_STATIC_DIVERT(smp_key, smp_divert_site, smp_divert_target);

static __noipa int smp_divert_site(int x)
{
	static_divert(smp_key, smp_divert_target(x));
	return x + 1;
}

static volatile bool flipping;
static unsigned long runs[NR_CPUS], bad[NR_CPUS], seen_on[NR_CPUS];

static void run_sites(void *arg)
{
	unsigned int me = smp_processor_id();

	while (flipping) {
		int r = smp_divert_site(1), b = smp_branch_site();

		if (r != 2 && r != 101)
			bad[me]++;
		seen_on[me] += (unsigned long)b;
		runs[me]++;
	}
}

static void key_rendezvous(struct ktest *t)
{
	unsigned int cpu, busy = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		runs[cpu] = bad[cpu] = seen_on[cpu] = 0;
	flipping = true;
	for_each_online_cpu(cpu) {
		if (cpu != smp_processor_id() && !smp_work_start(cpu, run_sites, NULL, "ktest keys"))
			busy++;
	}
	for (int i = 0; i < 20; i++) {
		static_key_enable(&smp_key);
		KTEST_EXPECT_EQ(t, smp_divert_site(1), 101);
		static_key_disable(&smp_key);
		KTEST_EXPECT_EQ(t, smp_divert_site(1), 2);
	}
	flipping = false;
	for_each_online_cpu(cpu) {
		if (cpu != smp_processor_id()) {
			smp_work_wait(cpu);
			KTEST_EXPECT_EQ(t, bad[cpu], 0);
			KTEST_EXPECT_TRUE(t, runs[cpu] > 0);
		}
	}
	KTEST_EXPECT_EQ(t, smp_branch_site(), 0);
	KTEST_EXPECT_EQ(t, busy, num_online_cpus() - 1);
}

/*
 * A core deaf to interrupts until told (or 5 s), so longer than a rendezvous
 * waits for it however slowly the host runs the cores.
 */
static volatile bool deaf, hear;

static void deaf_until_told(void *arg)
{
	unsigned long flags = arch_local_irq_save();
	u64 end = ktime_get_ns() + 5000 * 1000000ULL;

	deaf = true;
	while (!READ_ONCE(hear) && ktime_get_ns() < end)
		cpu_relax();
	arch_local_irq_restore(flags);
}

static void rv_nothing(void *arg)
{
}

/*
 * The rendezvous gives up on a late core after 1000 ms; the next one must
 * neither count that core's late arrival nor leave it waiting for ever (it
 * once did: the next rendezvous then waited on it to post its call).
 */
static void rendezvous_after_a_late_core(struct ktest *t)
{
	unsigned int cpu;
	int first, second, third;

	if (num_online_cpus() < 2)
		return;		/* nothing to be late */
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu != smp_processor_id() && cpu_online(cpu))
			break;
	deaf = hear = false;
	KTEST_ASSERT_TRUE(t, smp_work_start(cpu, deaf_until_told, NULL, "ktest deaf") == 0);
	while (!deaf)
		cpu_relax();
	first = smp_rendezvous(rv_nothing, NULL);	/* gives up on it after 1000 ms */
	WRITE_ONCE(hear, true);
	second = smp_rendezvous(rv_nothing, NULL);	/* while it wakes up late */
	third = smp_rendezvous(rv_nothing, NULL);
	smp_work_wait(cpu);
	KTEST_EXPECT_TRUE(t, first >= 1);
	KTEST_EXPECT_TRUE(t, second >= 0);
	KTEST_EXPECT_EQ(t, third, 0);
}

static const struct ktest_case smp_cases[] = {
	KTEST_CASE(call_single),
	KTEST_CASE(each_cpu),
	KTEST_CASE(ticket_lock),
	KTEST_CASE(per_cpu_context),
	KTEST_CASE(key_rendezvous),
	KTEST_CASE(rendezvous_after_a_late_core),
};
KTEST_SUITE(smp, smp_cases);
