// SPDX-License-Identifier: GPL-2.0
/*
 * Cores: finding them, starting them, and calls across them (docs/SMP.md).
 *
 * Logical numbers 0..NR_CPUS-1 follow the DTB's /cpus order, the boot core
 * being 0; without a /cpus node the board's spin table (BOARD_CPU_RELEASE_ADDRS)
 * names them. smp_init() starts them one at a time (the arch's
 * arch_cpu_boot(): PSCI CPU_ON, a spin table, or the holding pen) and waits
 * for each to come online; one that does not is reported and marked failed,
 * and boot goes on. A started core runs secondary_start_kernel(): its MMU,
 * interrupt controller interface and timer, then the idle loop, which sleeps
 * in WFI and runs work placed on the core (smp_work_start(): `on`, `app run
 * --cpu`) in task context with interrupts enabled.
 *
 * Cross-core calls (smp_call_function_single, on_each_cpu) go through one
 * mailbox per target core: a caller takes the mailbox's lock, fills it and
 * sends IPI_CALL; the target runs the function in its interrupt handler
 * (interrupts masked) and marks it done. A caller waiting for anything
 * (the lock, the target) serves its own mailbox meanwhile, so two cores
 * calling each other never deadlock.
 *
 * After a crash, smp_stop_others() parks every other core (IPI_STOP: its
 * registers saved for the report); code patching holds them in
 * smp_rendezvous().
 */
#include <generated/board.h>
#include <ferret/smp.h>
#include <ferret/errno.h>
#include <ferret/boot.h>
#include <ferret/fdt.h>
#include <ferret/irq.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/console.h>
#include <ferret/sched.h>
#include <ferret/reboot.h>
#include <ferret/spinlock.h>
#include <ferret/stacktrace.h>
#include <asm/cpu.h>
#include <asm-generic/barrier.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/sections.h>
#include <asm/timex.h>

#ifndef ARCH_SECONDARY_ENTRY
#define ARCH_SECONDARY_ENTRY	0UL	/* the arch starts no secondary core */
#endif

#define BOOT_TIMEOUT_MS		1000	/* a core that is not online by then failed */

volatile unsigned long cpu_online_bits = 1;	/* the boot core */

/* Read by head.S with the MMU off: in .data (never zeroed late), cleaned to memory. */
unsigned long cpu_hwid[NR_CPUS] = { [0 ... NR_CPUS - 1] = INVALID_HWID };
unsigned long cpu_stack_tops[NR_CPUS][2];
volatile unsigned long pen_release = INVALID_HWID;

enum cpu_state { CPU_ABSENT, CPU_OFFLINE, CPU_BOOTING, CPU_ONLINE, CPU_FAILED, CPU_STOPPED };
static const char *const state_names[] = {
	[CPU_ABSENT] = "absent", [CPU_OFFLINE] = "offline", [CPU_BOOTING] = "booting",
	[CPU_ONLINE] = "online", [CPU_FAILED] = "failed-to-start", [CPU_STOPPED] = "stopped",
};

struct cpu_work {
	void (*fn)(void *arg);
	void *arg;
	const char *what;
	volatile bool busy;		/* set by the starter, cleared by the core when done */
	volatile bool stop;		/* Ctrl-C on the console while waiting: a request */
};

struct call_mailbox {
	arch_spinlock_t lock;		/* the caller filling it */
	smp_call_func_t fn;
	void *info;
	volatile bool pending;		/* filled, not yet run */
};

struct cpu_info {
	enum cpu_state state;
	struct fdt_cpu boot;		/* how it is started */
	const char *how;		/* "boot core", "psci", "spin-table", "pen" */
	const char *why;		/* failed: why */
	unsigned long entry_el;
	struct cpu_work work;
	struct call_mailbox call;
	struct pt_regs *stop_regs;	/* IPI_STOP: the interrupted registers */
	volatile bool stopped;
};

static struct cpu_info cpus[NR_CPUS];
static unsigned int nr_cpus_found = 1;

/* ---- arch hooks, weak where an arch has no secondary bring-up ---- */

__weak int arch_cpu_boot(unsigned int cpu, const struct fdt_cpu *c, const char **how)
{
	*how = "none";
	return -EINVAL;
}

__weak void arch_cpu_setup(void)
{
}

__weak void arch_clean_dcache(const void *p, size_t len)
{
}

__weak void mmu_enable_secondary(void)
{
}

__weak void arch_sync_icache(void)
{
}

__weak bool arch_cpu_stacks(unsigned int cpu, struct cpu_stack_area *a)
{
	if (cpu)
		return false;
	*a = (struct cpu_stack_area){ (unsigned long)boot_stack, (unsigned long)boot_stack_top,
				      (unsigned long)exception_stack,
				      (unsigned long)exception_stack_top };
	return true;
}

const char *cpu_stack_name(unsigned int cpu, bool exception)
{
	static const char *const boot[NR_CPUS] = {
		"boot", "boot/1", "boot/2", "boot/3", "boot/4", "boot/5", "boot/6", "boot/7",
	};
	static const char *const exc[NR_CPUS] = {
		"exception", "exception/1", "exception/2", "exception/3",
		"exception/4", "exception/5", "exception/6", "exception/7",
	};

	return cpu < NR_CPUS ? (exception ? exc[cpu] : boot[cpu]) : "?";
}

unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcountl(cpu_online_bits);
}

static u64 ms_to_ticks(unsigned int ms)
{
	return arch_timer_freq() * ms / 1000;
}

/* ---- cross-core calls ---- */

static void serve_calls(void)
{
	struct call_mailbox *mb = &this_cpu(cpus).call;
	smp_call_func_t fn;
	void *info;

	if (!mb->pending)
		return;
	smp_rmb();
	fn = mb->fn;
	info = mb->info;
	fn(info);
	smp_mb();
	mb->pending = false;	/* the caller (or the next one) may go on */
}

/*
 * Waiting on another core: serve calls posted to this one meanwhile (two
 * cores calling each other would wait for ever otherwise), and yield. The
 * yield is the hint that lets an emulator run the other core: QEMU's
 * single-threaded round robin (-icount) switches cores on it, and only
 * after a 100 ms slice of guest time without it (a memtest on two cores:
 * minutes).
 */
static void serve_calls_relax(void)
{
	serve_calls();
	cpu_relax();
}

void smp_send_ipi(unsigned int cpu, enum ipi_msg ipi)
{
	irq_send_ipi(cpu, ipi);
}

/* Post @fn to @cpu's mailbox and signal it. Interrupts are masked by the caller. */
static void post_call(unsigned int cpu, smp_call_func_t fn, void *info)
{
	struct call_mailbox *mb = &cpus[cpu].call;

	while (!arch_spin_trylock(&mb->lock))
		serve_calls_relax();
	while (mb->pending)		/* the previous call (not waited for) has not run yet */
		serve_calls_relax();
	mb->fn = fn;
	mb->info = info;
	smp_wmb();
	mb->pending = true;
	arch_spin_unlock(&mb->lock);
	smp_send_ipi(cpu, IPI_CALL);
}

static void wait_call(unsigned int cpu)
{
	while (cpus[cpu].call.pending)
		serve_calls_relax();
	smp_mb();
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait)
{
	unsigned long flags;

	if (!cpu_online(cpu))
		return -EINVAL;
	flags = arch_local_irq_save();
	if (cpu == smp_processor_id()) {
		fn(info);
	} else {
		post_call(cpu, fn, info);
		if (wait)
			wait_call(cpu);
	}
	arch_local_irq_restore(flags);
	return 0;
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	unsigned int cpu, me;
	unsigned long flags = arch_local_irq_save();

	me = smp_processor_id();
	for_each_online_cpu(cpu) {
		if (cpu != me)
			post_call(cpu, fn, info);
	}
	fn(info);
	if (!wait)
		goto out;
	for_each_online_cpu(cpu) {
		if (cpu != me)
			wait_call(cpu);
	}
out:
	arch_local_irq_restore(flags);
}

/* ---- the rendezvous for code patching ---- */

/*
 * Each rendezvous has a generation. A core marks its own slot with the
 * generation it arrived for and left, so a core that comes late, after its
 * rendezvous gave up waiting for it (its vCPU descheduled, its interrupts
 * masked too long), neither counts in the next one nor waits there for a
 * go that never comes: it finds its generation over and returns at once.
 * (With shared counts reset by each rendezvous, such a core waited for the
 * next one's go while the next one waited to post it its call: for ever.)
 */
static struct {
	volatile unsigned int gen, go;	/* the current generation; the last one let go */
	volatile unsigned int here[NR_CPUS], gone[NR_CPUS];
} rv;

static void rendezvous_hold(void *arg)
{
	unsigned int gen = (unsigned int)(unsigned long)arg, me = smp_processor_id();

	if (__atomic_load_n(&rv.gen, __ATOMIC_SEQ_CST) == gen) {
		__atomic_store_n(&rv.here[me], gen, __ATOMIC_SEQ_CST);
		/* Until let go, or the initiator gave up on this core and went on. */
		while (rv.go != gen && rv.gen == gen)
			cpu_relax();
	}
	arch_sync_icache();		/* the new text, seen by this core */
	__atomic_store_n(&rv.gone[me], gen, __ATOMIC_SEQ_CST);
}

/* Other online cores whose slot (@slot: rv.here or rv.gone) holds @gen. */
static unsigned int rv_count(volatile unsigned int *slot, unsigned int gen)
{
	unsigned int cpu, me = smp_processor_id(), n = 0;

	for_each_online_cpu(cpu)
		n += cpu != me && slot[cpu] == gen;
	return n;
}

int smp_rendezvous(void (*fn)(void *arg), void *arg)
{
	static arch_spinlock_t rv_lock = ARCH_SPIN_LOCK_UNLOCKED;
	unsigned long flags = arch_local_irq_save();
	unsigned int cpu, me = smp_processor_id(), others = num_online_cpus() - 1, late, gen;
	u64 deadline;

	while (!arch_spin_trylock(&rv_lock))
		serve_calls_relax();
	gen = rv.gen + 1;
	__atomic_store_n(&rv.gen, gen, __ATOMIC_SEQ_CST);
	for_each_online_cpu(cpu) {
		if (cpu != me)
			post_call(cpu, rendezvous_hold, (void *)(unsigned long)gen);
	}
	deadline = arch_counter_read() + ms_to_ticks(BOOT_TIMEOUT_MS);
	while (rv_count(rv.here, gen) < others && arch_counter_read() < deadline)
		serve_calls_relax();
	late = others - rv_count(rv.here, gen);
	fn(arg);
	smp_mb();
	rv.go = gen;
	arch_sync_icache();
	if (!late) {
		while (rv_count(rv.gone, gen) < others)
			cpu_relax();
		for_each_online_cpu(cpu) {
			if (cpu != me)
				wait_call(cpu);
		}
	}
	arch_spin_unlock(&rv_lock);
	arch_local_irq_restore(flags);
	if (late)
		pr_warn("smp: %u core%s did not come to the patching rendezvous within %d ms\n",
			late, late == 1 ? "" : "s", BOOT_TIMEOUT_MS);
	return (int)late;
}

/* ---- stopping the others after a crash ---- */

void __noreturn smp_park_this_cpu(struct pt_regs *regs)
{
	struct cpu_info *ci = &this_cpu(cpus);

	arch_local_irq_disable();
	ci->stop_regs = regs;
	smp_mb();
	ci->stopped = true;
	ci->state = CPU_STOPPED;
	for (;;)
		wait_for_interrupt();
}

static unsigned int crash_cpu = NR_CPUS;

int smp_stop_others(unsigned int timeout_ms)
{
	unsigned int cpu, me = smp_processor_id(), missing = 0;
	u64 deadline;

	crash_cpu = me;
	for_each_online_cpu(cpu) {
		if (cpu != me && !cpus[cpu].stopped)
			smp_send_ipi(cpu, IPI_STOP);
	}
	deadline = arch_counter_read() + ms_to_ticks(timeout_ms);
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		while (!cpus[cpu].stopped && arch_counter_read() < deadline)
			cpu_relax();
		if (!cpus[cpu].stopped)
			missing++;
	}
	return (int)missing;
}

void smp_print_stopped_cpus(void)
{
	unsigned int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu) {
		struct cpu_info *ci = &cpus[cpu];

		if (cpu == me)
			continue;
		if (!ci->stopped) {
			printk(KERN_EMERG "CPU: %u (MPIDR 0x%lx) did not stop within 1000 ms: "
			       "no registers\n", cpu, cpu_hwid[cpu]);
			continue;
		}
		printk(KERN_EMERG "CPU: %u (MPIDR 0x%lx) stopped, running %s:\n", cpu,
		       cpu_hwid[cpu], cpu == console_cpu ? "the console" :
		       ci->work.busy && ci->work.what ? ci->work.what : "idle");
		if (ci->stop_regs) {
			show_regs(ci->stop_regs);
			dump_backtrace(ci->stop_regs);
		}
	}
}

/* ---- interrupts between cores ---- */

/* IPI_CALL: the registers it interrupted, while the posted calls run. */
static struct pt_regs *call_regs[NR_CPUS];

struct pt_regs *smp_call_regs(void)
{
	return this_cpu(call_regs);
}

void smp_handle_ipi(unsigned int ipi, struct pt_regs *regs)
{
	this_cpu(cpu_ipis)++;
	switch (ipi) {
	case IPI_CALL:
		this_cpu(call_regs) = regs;
		serve_calls();
		this_cpu(call_regs) = NULL;
		break;
	case IPI_STOP:
		smp_park_this_cpu(regs);
		break;
	default:		/* IPI_WAKE: the WFI it ends was all it was for */
		break;
	}
}

/* ---- work in task context ---- */

int smp_work_start(unsigned int cpu, void (*fn)(void *arg), void *arg, const char *what)
{
	struct cpu_work *w;

	if (!cpu_online(cpu) || cpu == 0)	/* core 0 runs the console */
		return -EINVAL;
	w = &cpus[cpu].work;
	if (w->busy)
		return -EBUSY;
	w->fn = fn;
	w->arg = arg;
	w->what = what;
	w->stop = false;
	smp_wmb();
	w->busy = true;
	smp_send_ipi(cpu, IPI_WAKE);
	return 0;
}

bool smp_work_busy(unsigned int cpu)
{
	return cpu < NR_CPUS && cpus[cpu].work.busy;
}

void smp_work_request_stop(unsigned int cpu)
{
	if (cpu < NR_CPUS)
		cpus[cpu].work.stop = true;
}

bool smp_stop_requested(void)
{
	touch_softlockup_watchdog();	/* polled: this core is not hung */
	return this_cpu(cpus).work.stop;
}

void smp_work_wait(unsigned int cpu)
{
	while (smp_work_busy(cpu)) {
		if (smp_processor_id() == 0 && console_interrupted())
			smp_work_request_stop(cpu);
		cpu_relax();
	}
	smp_mb();
}

static void __noreturn idle_loop(void)
{
	struct cpu_work *w = &this_cpu(cpus).work;

	for (;;) {
		touch_softlockup_watchdog();
		arch_local_irq_disable();
		if (!w->busy) {
			wait_for_interrupt();	/* wakes on a pending interrupt, masked or not */
			arch_local_irq_enable();
			continue;
		}
		arch_local_irq_enable();
		smp_rmb();
		w->fn(w->arg);
		smp_mb();
		w->busy = false;
	}
}

/* ---- bring-up ---- */

void __noreturn secondary_start_kernel(unsigned int cpu, unsigned long entry_el)
{
	struct cpu_info *ci = &cpus[cpu];

	mmu_enable_secondary();		// the boot core's tables, caches on
	arch_cpu_setup();
	ci->entry_el = entry_el;
	task_ctx_set_current(CTX_PID_BOOT);
	if (irq_init_cpu())		// this core's interrupt interface, timer
		pr_warn("smp: CPU%u: no interrupts on this core\n", cpu);
	smp_mb();
	ci->state = CPU_ONLINE;
	__atomic_fetch_or(&cpu_online_bits, 1UL << cpu, __ATOMIC_SEQ_CST);
	idle_loop();
}

/* The cores from the DTB's /cpus, else the board's spin table. Return: how many. */
static int find_cpus(struct fdt_cpu *found, int max, bool *from_dtb)
{
	const void *fdt = (const void *)boot_params.dtb;
	int n = fdt ? fdt_get_cpus(fdt, found, max) : -FDT_ERR_NOTFOUND;
	unsigned long rel[4] = { 0 };
	int nrel = 0;
	char buf[64], *p = buf;

	*from_dtb = n > 0;
	if (n > 0)
		return n;
	strlcpy(buf, BOARD_CPU_RELEASE_ADDRS, sizeof(buf));
	while (*p && nrel < 4) {
		char *tok = p;

		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		if (*tok && !kstrtoul(tok, 0, &rel[nrel]))
			nrel++;
	}
	if (!nrel)
		return 0;
	/* MPIDR.Aff0 = the index, in the boot core's cluster (BCM2836: Aff1 0xf). */
	for (int i = 0; i < nrel && i < max; i++)
		found[i] = (struct fdt_cpu){ .hwid = (arch_cpu_hwid() & ~0xffUL) | (u64)i,
					     .release_addr = rel[i],
					     .method = BOARD_CPU_RELEASE_MAILBOX ?
						       FDT_CPU_METHOD_MAILBOX : FDT_CPU_METHOD_SPIN };
	return nrel;
}

static int maxcpus_param(void)
{
	char buf[8];
	unsigned long v;

	if (!cmdline_get("maxcpus", buf, sizeof(buf)))
		return NR_CPUS;
	if (kstrtoul(buf, 0, &v) || v > NR_CPUS) {
		pr_err("cmdline: 'maxcpus=%s': expected 0 to %d, ignored\n", buf, NR_CPUS);
		return NR_CPUS;
	}
	return v ? (int)v : 1;
}

/* The boot core first, then the others in the tree's order. */
static void assign_numbers(struct fdt_cpu *found, int n, int limit)
{
	unsigned long me = arch_cpu_hwid();
	unsigned int next = 1;

	cpu_hwid[0] = me;
	arch_cpu_setup();		/* the boot core's share of the per-core setup */
	cpus[0].state = CPU_ONLINE;
	cpus[0].how = "boot core";
	cpus[0].entry_el = (unsigned long)boot_entry_el;
	for (int i = 0; i < n; i++) {
		if (found[i].hwid == me)
			continue;
		if (next >= (unsigned int)limit) {
			pr_info("smp: core MPIDR 0x%llx left parked (%s)\n",
				(unsigned long long)found[i].hwid,
				limit < NR_CPUS ? "maxcpus=" : "more cores than NR_CPUS");
			continue;
		}
		cpus[next].boot = found[i];
		cpus[next].state = found[i].disabled ? CPU_OFFLINE : CPU_BOOTING;
		next++;
	}
	nr_cpus_found = next;
}

static void boot_one(unsigned int cpu)
{
	struct cpu_info *ci = &cpus[cpu];
	struct cpu_stack_area a;
	u64 deadline;
	int err;

	if (!arch_cpu_stacks(cpu, &a) || !ARCH_SECONDARY_ENTRY) {
		ci->state = CPU_FAILED;
		ci->why = "no secondary bring-up on this architecture";
		return;
	}
	cpu_hwid[cpu] = (unsigned long)ci->boot.hwid;
	cpu_stack_tops[cpu][0] = a.boot_top;
	cpu_stack_tops[cpu][1] = a.exc_top;
	arch_clean_dcache(cpu_hwid, sizeof(cpu_hwid));
	arch_clean_dcache(cpu_stack_tops, sizeof(cpu_stack_tops));
	stacktrace_register_stack(a.boot, a.boot_top, cpu_stack_name(cpu, false));
	stacktrace_register_stack(a.exc, a.exc_top, cpu_stack_name(cpu, true));

	err = arch_cpu_boot(cpu, &ci->boot, &ci->how);
	if (err) {
		ci->state = CPU_FAILED;
		ci->why = ci->how;
		pr_err("smp: CPU%u (MPIDR 0x%lx) failed to start: %s (error %d)\n", cpu,
		       cpu_hwid[cpu], ci->why, err);
		return;
	}
	deadline = arch_counter_read() + ms_to_ticks(BOOT_TIMEOUT_MS);
	while (ci->state != CPU_ONLINE && arch_counter_read() < deadline)
		cpu_relax();
	if (ci->state != CPU_ONLINE) {
		ci->state = CPU_FAILED;
		ci->why = "no answer within 1000 ms";
		pr_err("smp: CPU%u (MPIDR 0x%lx, %s) failed to start: no answer within %d ms\n",
		       cpu, cpu_hwid[cpu], ci->how, BOOT_TIMEOUT_MS);
	}
}

void smp_init(void)
{
	struct fdt_cpu found[NR_CPUS * 2];
	bool from_dtb;
	int n = find_cpus(found, ARRAY_SIZE(found), &from_dtb), limit = maxcpus_param();

	if (!irq_available() && n > 1) {
		pr_info("smp: no interrupts (entered %s): no calls between cores, the other %d "
			"core%s stay parked\n", arch_entry_mode(), n - 1, n == 2 ? "" : "s");
		n = 0;
	}
	if (n > (int)ARRAY_SIZE(found))
		pr_info("smp: %d cores in the DTB, the first %zu looked at\n", n,
			ARRAY_SIZE(found));
	if (n > (int)ARRAY_SIZE(found))
		n = ARRAY_SIZE(found);
	assign_numbers(found, n, limit);
	for (unsigned int cpu = 1; cpu < nr_cpus_found; cpu++)
		if (cpus[cpu].state == CPU_BOOTING)
			boot_one(cpu);
	pr_info("smp: %u of %u core%s online (%s)\n", num_online_cpus(), nr_cpus_found,
		nr_cpus_found == 1 ? "" : "s",
		n <= 0 ? "no other core to start" :
		from_dtb ? "from the DTB's /cpus" : BOARD_CPU_RELEASE_MAILBOX ?
		"from the board's mailboxes" : "from the board's spin table");
}

/* ---- console ---- */

static int cmd_cpus(int argc, char **argv)
{
	if (argc > 1)
		return console_usage(argv[0]);
	printk("%-5s %-12s %-16s %-11s %-5s %10s %10s %8s  %s\n", "CPU", "MPIDR", "state",
	       "started by", "entry", "irqs", "ticks", "ipis", "running");
	for (unsigned int cpu = 0; cpu < nr_cpus_found; cpu++) {
		struct cpu_info *ci = &cpus[cpu];
		char el[8] = "-";

		if (ci->entry_el)
			snprintf(el, sizeof(el), "EL%lu", ci->entry_el);
		printk("%-4u%c 0x%-10lx %-16s %-11s %-5s %10llu %10llu %8llu  %s%s%s\n", cpu,
		       cpu == smp_processor_id() ? '*' : ' ',
		       cpu_hwid[cpu] != INVALID_HWID ? cpu_hwid[cpu] : (unsigned long)ci->boot.hwid,
		       state_names[ci->state], ci->how ? ci->how : "-", el,
		       (unsigned long long)cpu_irqs[cpu], (unsigned long long)cpu_ticks[cpu],
		       (unsigned long long)cpu_ipis[cpu],
		       cpu == console_cpu ? "console" : ci->work.busy ? ci->work.what : "idle",
		       ci->why ? ": " : "", ci->why ? ci->why : "");
	}
	printk("%u online, NR_CPUS %d; * marks the core this runs on\n", num_online_cpus(), NR_CPUS);
	return 0;
}
CONSOLE_CMD_PANIC("cpus", "", "list the cores: MPIDR, state, how each started, interrupts, work",
	    cmd_cpus,
	.args = "(none)\tone line a core: logical number, MPIDR affinity, state (online,\n"
		"\toffline, failed-to-start, stopped), how it was started (psci,\n"
		"\tspin-table, pen), its entry EL, interrupts, timer ticks and IPIs\n"
		"\ttaken, and what it runs now (idle, or the command placed on it)",
	.example = "cpus");

/* `on`: a console command on another core, waited for or in the background. */
struct on_work {
	char line[256];
	char what[64];		/* `cpus` shows it: line is cut into words as it runs */
	int ret;
};
static struct on_work on_works[NR_CPUS];

static void on_run(void *arg)
{
	struct on_work *w = arg;

	w->ret = console_execute(w->line);
}

/* Join argv into one console line (an argument with a space in quotes). Return: 0 or -1. */
static int join_line(char *line, size_t size, int argc, char **argv)
{
	size_t len = 0;

	line[0] = '\0';
	for (int i = 0; i < argc; i++) {
		bool quote = strchr(argv[i], ' ') != NULL;
		int n = snprintf(line + len, size - len, "%s%s%s%s", i ? " " : "",
				 quote ? "\"" : "", argv[i], quote ? "\"" : "");

		if (n < 0 || (size_t)n >= size - len) {
			printk("on: the command is longer than %zu characters\n", size - 1);
			return -1;
		}
		len += (size_t)n;
	}
	return 0;
}

int smp_run_command(unsigned int cpu, int argc, char **argv, bool wait)
{
	struct on_work *w;
	int err;

	if (cpu >= NR_CPUS || !cpu_online(cpu)) {
		printk("on: CPU%u is not online ('cpus' lists them)\n", cpu);
		return -1;
	}
	if (cpu != smp_processor_id() && smp_work_busy(cpu)) {
		printk("on: CPU%u is busy running '%s' ('on %u --wait' waits for it)\n", cpu,
		       cpus[cpu].work.what, cpu);
		return -1;
	}
	w = &on_works[cpu];
	if (join_line(w->line, sizeof(w->line), argc, argv))
		return -1;
	if (cpu == smp_processor_id())
		return console_execute(w->line);
	strlcpy(w->what, w->line, sizeof(w->what));
	err = smp_work_start(cpu, on_run, w, w->what);
	if (err) {
		printk("on: CPU%u cannot take work (error %d)\n", cpu, err);
		return -1;
	}
	if (!wait)
		return 0;
	smp_work_wait(cpu);
	return w->ret;
}

int smp_wait_command(unsigned int cpu)
{
	if (cpu >= NR_CPUS || !cpu_online(cpu)) {
		printk("on: CPU%u is not online ('cpus' lists them)\n", cpu);
		return -1;
	}
	if (!smp_work_busy(cpu))
		return cpu ? on_works[cpu].ret : 0;
	smp_work_wait(cpu);
	return on_works[cpu].ret;
}

static int cmd_on(int argc, char **argv)
{
	unsigned long cpu;
	bool wait = true;

	if (argc < 3 || parse_ulong(argv[1], &cpu))
		return console_usage(argv[0]);
	if (!strcmp(argv[2], "--wait")) {
		if (argc != 3)
			return console_usage(argv[0]);
		return smp_wait_command((unsigned int)min(cpu, (unsigned long)NR_CPUS));
	}
	if (!strcmp(argv[2], "--nowait")) {
		if (argc < 4)
			return console_usage(argv[0]);
		if (cpu == smp_processor_id()) {
			printk("on: --nowait needs another core than the console's\n");
			return -1;
		}
		wait = false;
		argc--;
		argv++;
	}
	return smp_run_command((unsigned int)min(cpu, (unsigned long)NR_CPUS), argc - 2, argv + 2,
			       wait);
}
CONSOLE_CMD("on", "<cpu> [--nowait] <command...> | <cpu> --wait",
	    "run a console command on another core: wait for it, or in the background",
	    cmd_on,
	.args = "<cpu>\tthe logical core number ('cpus'); the console core (0) runs it here\n"
		"<command...>\tany console command with its arguments; its output comes\n"
		"\tfrom that core (whole lines); Ctrl-C asks it to stop\n"
		"--nowait\tstart it and come back at once: 'cpus' shows it running,\n"
		"\tthe console stays usable\n"
		"--wait\twait for what runs on <cpu> to finish (Ctrl-C asks it to stop)",
	.example = "on 1 echo hello\non 2 kmalloc 64\non 3 --nowait ticktest 2000\non 3 --wait\n"
		   "on 2 crash null");
