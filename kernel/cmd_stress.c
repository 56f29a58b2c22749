// SPDX-License-Identifier: GPL-2.0
/*
 * `stress`: every online core runs the allocator workload of lib/mm_stress.c
 * at once, and each core's timer interrupt runs a small one of its own, so
 * pages and objects are allocated and freed on all cores and in interrupts
 * together, and blocks allocated on one core are freed on another. Then
 * everything is given back and the run is judged: no block changed while it
 * was held, memtest finds no violation, free pages and objects in use are
 * exactly what they were before, and page_owner's records cover exactly the
 * pages in use.
 */
#include <ferret/console.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/smp.h>
#include <ferret/irq.h>
#include <ferret/mm.h>
#include <ferret/mmzone.h>
#include <ferret/slab.h>
#include <ferret/page_owner.h>
#include <ferret/mm_stress.h>
#include <ferret/vmstat.h>
#include <ferret/string.h>
#include <ferret/time.h>
#include <asm/cpu.h>

#define STRESS_BURST	256		/* operations between checks for a stop */
#define STRESS_MAX_OPS	1000000000UL
#define TICK_US		500

struct stress_cpu {
	struct mm_stress w;		/* the core's own workload */
	struct mm_stress tick;		/* its timer interrupt's */
	unsigned long target;		/* operations to do */
	u64 insns;			/* PMU instructions the core spent */
	unsigned long ticks;
	bool has_ticks;			/* the core's timer interrupts ran the tick workload */
};

static struct stress_cpu stress_cpus[NR_CPUS];
static struct mm_stress_exchange stress_xchg;
static volatile int stress_stop;
static struct stress_cpu *stress_self;	/* the share of the core that runs the command */

static void stress_tick(void)
{
	struct stress_cpu *c = &this_cpu(stress_cpus);

	c->ticks++;
	mm_stress_step(&c->tick, 2);
}

/* A burst of the core's workload; Ctrl-C or a stop request stops every core. */
static void stress_burst(struct stress_cpu *c, bool console)
{
	mm_stress_step(&c->w, STRESS_BURST);
	if (console ? console_interrupted() : smp_stop_requested())
		WRITE_ONCE(stress_stop, 1);
}

/*
 * One core's share, on that core with interrupts enabled: its timer ticks
 * run their own workload meanwhile. The core that typed the command stops
 * every core on Ctrl-C; a core asked to stop (smp_work_request_stop()) stops.
 */
static void stress_run_cpu(void *arg)
{
	struct stress_cpu *c = arg;
	bool console = arg == stress_self;
	u64 i0, end;

	c->has_ticks = !timer_tick_start(TICK_US, stress_tick);
	if (!console)
		pmu_start();	/* the command's core started its own: counting the whole run */
	i0 = pmu_instructions();
	while (mm_stress_ops(&c->w) < c->target && !READ_ONCE(stress_stop))
		stress_burst(c, console);
	/*
	 * A share done before the core's first tick (a short run, or a host that
	 * delivered this core's timer late: 8 cores on 2) goes on until a tick
	 * has allocated too, for at most a second: the point is both at once.
	 */
	end = ktime_get_ns() + NSEC_PER_SEC;
	while (c->has_ticks && !READ_ONCE(c->ticks) && !READ_ONCE(stress_stop) &&
	       ktime_get_ns() < end)
		stress_burst(c, console);
	c->insns = pmu_instructions() - i0;
	if (c->has_ticks)
		timer_tick_stop();
}

static void stress_init_cpu(unsigned int cpu, unsigned long target)
{
	struct stress_cpu *c = &stress_cpus[cpu];

	memset(c, 0, sizeof(*c));
	c->target = target;
	c->w.xchg = &stress_xchg;
	c->w.id = cpu;
	c->w.max_held = MM_STRESS_SLOTS;
	c->w.gfp = GFP_KERNEL;
	c->w.rng = 0x9e3779b97f4a7c15ULL * (cpu + 1);
	c->tick.xchg = &stress_xchg;
	c->tick.id = 0x100 + cpu;
	c->tick.max_held = 8;
	c->tick.gfp = GFP_ATOMIC;
	c->tick.rng = 0xd1b54a32d192ed03ULL * (cpu + 1);
}

static int violations(void)
{
	static char buf[512];
	struct seq_buf_ctx ctx;
	struct seq_file m;
	int bad;

	seq_init_buf(&m, &ctx, buf, sizeof(buf));
	bad = mm_check_invariants(&m) + slab_check_invariants(&m);
	if (bad)
		printk("%s", buf);	/* the first violations */
	return bad;
}

static int cmd_stress(int argc, char **argv)
{
	unsigned long total = 1000000, free0, objs0, free1, objs1, owned = 0, in_use = 0;
	unsigned long ops = 0, irq_ops = 0, remote = 0, failures = 0, corrupt = 0, ticks = 0;
	unsigned int cpu, self = smp_processor_id(), ncpu = 0, started = 0;
	unsigned long cores = 0;
	u64 t0, ns, i0;
	struct spin_stats lk0, lk1;
	int bad;

	if (argc > 2 || (argc == 2 && (parse_ulong(argv[1], &total) || total == 0 ||
				       total > STRESS_MAX_OPS)))
		return console_usage(argv[0]);
	mm_stress_settle();
	free0 = normal_zone.nr_free_pages;
	objs0 = mm_stress_active_objects();
	memset(&stress_xchg, 0, sizeof(stress_xchg));
	WRITE_ONCE(stress_stop, 0);
	/*
	 * The cores that take part: this one, and every other online core that
	 * takes work (not core 0: it runs the console) and is not busy.
	 */
	for_each_online_cpu(cpu)
		if (cpu == self || (cpu != 0 && !smp_work_busy(cpu)))
			cores |= 1UL << cpu, ncpu++;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cores >> cpu & 1)
			stress_init_cpu(cpu, total / ncpu + (started++ < total % ncpu));
	printk("stress: %u core%s, %lu operations, timer interrupts allocating every %u us\n",
	       ncpu, ncpu == 1 ? "" : "s", total, TICK_US);
	stress_self = &stress_cpus[self];
	lk0 = zone_lock_stats();
	pmu_start();
	i0 = pmu_instructions();
	t0 = ktime_get_ns();
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu != self && (cores >> cpu & 1) &&
		    smp_work_start(cpu, stress_run_cpu, &stress_cpus[cpu], "stress"))
			cores &= ~(1UL << cpu);	/* taken meanwhile: its share is not done */
	stress_run_cpu(stress_self);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu != self && (cores >> cpu & 1)) {
			if (READ_ONCE(stress_stop))
				smp_work_request_stop(cpu);
			smp_work_wait(cpu);
		}
	ns = ktime_get_ns() - t0;
	i0 = pmu_instructions() - i0;
	lk1 = zone_lock_stats();

	/*
	 * page_owner while the blocks are still held: settled (no free page
	 * on a per-cpu list, no empty slab), every page in use is in a block
	 * with a record.
	 */
	if (page_owner_inited) {
		mm_stress_settle();
		owned = mm_stress_owned_pages();
		in_use = normal_zone.managed_pages - normal_zone.nr_free_pages;
	}
	/* Every block back, from this core: the last of the remote frees. */
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cores >> cpu & 1) {
			mm_stress_release(&stress_cpus[cpu].w);
			mm_stress_release(&stress_cpus[cpu].tick);
		}
	mm_stress_drain_exchange(&stress_self->w);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct stress_cpu *c = &stress_cpus[cpu];
		unsigned long n;

		if (!(cores >> cpu & 1))
			continue;
		n = mm_stress_ops(&c->w) + mm_stress_ops(&c->tick);

		printk("stress: cpu%u: %lu operations (pages %lu/%lu, objects %lu/%lu allocated/freed), "
		       "%lu in %lu interrupts, %lu freed remotely, %lu failed, %lu corrupt, "
		       "%llu instructions%s\n", cpu, n,
		       c->w.page_allocs + c->tick.page_allocs, c->w.page_frees + c->tick.page_frees,
		       c->w.obj_allocs + c->tick.obj_allocs, c->w.obj_frees + c->tick.obj_frees,
		       mm_stress_ops(&c->tick), c->ticks, c->w.remote_frees + c->tick.remote_frees,
		       c->w.failures + c->tick.failures, c->w.corrupt + c->tick.corrupt,
		       (unsigned long long)c->insns, c->has_ticks ? "" : " (no timer interrupts)");
		ops += n;
		irq_ops += mm_stress_ops(&c->tick);
		remote += c->w.remote_frees + c->tick.remote_frees;
		failures += c->w.failures + c->tick.failures;
		corrupt += c->w.corrupt + c->tick.corrupt;
		ticks += c->ticks;
	}
	mm_stress_settle();
	free1 = normal_zone.nr_free_pages;
	objs1 = mm_stress_active_objects();
	bad = violations();
	printk("stress: %lu operations%s in %llu ms, %lu freed remotely, %lu in %lu interrupts, "
	       "%lu failed, %lu corrupt\n", ops, READ_ONCE(stress_stop) ? " (stopped)" : "",
	       (unsigned long long)(ns / 1000000), remote, irq_ops, ticks, failures, corrupt);
	if (i0)
		printk("stress: %llu instructions counted on cpu%u from start to end "
		       "(under QEMU -icount: every core's)\n", (unsigned long long)i0, self);
	printk("stress: zone lock: %lu acquired, %lu contended, %lu spins\n",
	       lk1.acquired - lk0.acquired, lk1.contended - lk0.contended, lk1.spins - lk0.spins);
	printk("stress: free pages %lu before, %lu after; objects in use %lu before, %lu after\n",
	       free0, free1, objs0, objs1);
	if (page_owner_inited)
		printk("stress: page_owner: %lu pages in use, %lu in blocks with an owner "
		       "(the blocks still held)\n",
		       in_use, owned);
	printk("stress: memtest: %d violations\n", bad);
	bad += corrupt != 0 || free1 != free0 || objs1 != objs0 || owned != in_use;
	printk("stress: %s\n", bad ? "FAILED" : "passed");
	return bad ? -1 : 0;
}
CONSOLE_CMD("stress", "[ops]", "allocate and free pages and objects on every core and in interrupts at once, then check",
	    cmd_stress,
	.args = "<ops>\toperations in total, shared by the cores (default 1000000,\n"
		"\tat most 1000000000); each core's timer interrupt adds its own.\n"
		"\tEnds with the checks: blocks intact, memtest, free pages and\n"
		"\tobjects back to where they were, page_owner covering the pages in use",
	.example = "stress 10000000");
