// SPDX-License-Identifier: GPL-2.0
/*
 * The leak scan from the console (mm/kmemleak.c, docs/KMEMLEAK.md):
 *
 *   kmemleak [scan]                    scan; report each unreferenced block and
 *                                      object in Linux's kmemleak format
 *   kmemleak count                     scan; only the counts
 *   kmemleak clear                     later scans report only new suspects
 *   kmemleak mark <kind> <addr> [size] add an exception (kinds below)
 *   kmemleak unmark <addr>             remove the exceptions made at <addr>
 *   kmemleak marks                     list the exceptions
 *
 * `leaks --unreferenced` (kernel/cmd_page_owner.c) runs the same scan and
 * aggregates what it finds per stack.
 *
 * The roots are the kernel image's data and bss (without the stacks'
 * section) and the live part of the boot stack, on which the console and
 * the applications run: kmemleak_scan_kernel() forces every register its callers
 * may still hold into its own frame (__builtin_unwind_init()) and hands
 * the stack from that frame up as a root, so a pointer held only in a
 * register or a local variable of a caller counts (firmware that scans
 * from its own code). The console's commands start the stack root at the
 * console's frames instead (KMEMLEAK_CALLER_FRAME()): an address typed in
 * an earlier command, left in a stack slot of the command's frames, would
 * otherwise hide that object. The exception stack holds nothing live
 * while the console runs; neither does the panic stack. Every other online
 * core's kernel stack is a root too, from the sp a cross-core call found
 * there (other_core_roots()).
 */
#include <ferret/console.h>
#include <ferret/errno.h>
#include <ferret/firmware.h>
#include <ferret/kmemleak.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/slab_owner.h>
#include <ferret/string.h>
#include <ferret/smp.h>
#include <ferret/time.h>
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm-generic/barrier.h>

#include "../mm/owner_track.h"

/*
 * The data root ends at _edata: what follows up to the bss is read-only
 * (.tdata, the applications' TLS image, and the symbol table, whose name
 * strings read as addresses wherever RAM starts at 0).
 */
extern char __data_start[], _edata[], __stacks_end[], __bss_end[];

static bool scan_interrupted(void *arg)
{
	return console_interrupted();
}

/*
 * Another core's stack depth at one moment: the sp a call in its interrupt
 * found. Static: a core that does not answer in time may still write it.
 */
static struct core_sample {
	unsigned long sp;
	bool posted;		/* a call is on its way */
	volatile bool done;	/* ... and has run */
} samples[NR_CPUS];

#define SAMPLE_WAIT_NS	(100 * 1000 * 1000ULL)

static void sample_core(void *arg)
{
	struct core_sample *s = arg;
	struct pt_regs *regs = smp_call_regs();

	s->sp = regs ? regs->sp : 0;
	smp_wmb();
	s->done = true;
}

/*
 * The live part of every other online core's kernel stack, as roots: from
 * the sp its interrupt found, up (its registers are not: as Linux's scan,
 * which reads a running task's stack only, and stale values there would
 * hide leaks). A core that does not answer within 100 ms, or was not on its
 * kernel stack, has the whole stack scanned (stale words may then hide a
 * leak; nothing is reported that is referenced). The cores run on meanwhile: a pointer that
 * moves into a new frame below the sampled sp after the sample is not seen,
 * as in Linux's scan of running tasks.
 */
static unsigned int other_core_roots(struct kmemleak_range *roots, unsigned int self)
{
	unsigned int cpu, n = 0;
	struct cpu_stack_area a;

	for_each_online_cpu(cpu) {
		struct core_sample *s = &samples[cpu];
		unsigned long lo;
		u64 t0;

		if (cpu == self || !arch_cpu_stacks(cpu, &a))
			continue;
		lo = a.boot;
		if (!s->posted || s->done) {	/* not one still owed from an earlier scan */
			s->sp = 0;
			s->done = false;
			smp_wmb();
			s->posted = !smp_call_function_single(cpu, sample_core, s, false);
			if (s->posted) {
				t0 = ktime_get_ns();
				while (!s->done && ktime_get_ns() - t0 < SAMPLE_WAIT_NS)
					cpu_relax();
			}
			smp_rmb();
			if (s->done && s->sp >= a.boot && s->sp < a.boot_top)
				lo = s->sp;
		}
		roots[n++] = (struct kmemleak_range){ lo, a.boot_top, cpu_stack_name(cpu, false) };
	}
	return n;
}

__noinline long kmemleak_scan_kernel(struct kmemleak_scan *sc,
				     long (*fn)(struct kmemleak_scan *sc, void *arg), void *arg)
{
	unsigned long fp, below, lo, hi;
	struct cpu_stack_area a;

	/* Every callee-saved register of every caller, into this frame. */
	__builtin_unwind_init();
	fp = (unsigned long)__builtin_frame_address(0);
	/*
	 * The frame's lowest word: AArch64 keeps the saved registers above
	 * x29, AArch32 (fp at the saved lr) below fp, above the locals.
	 */
	below = (unsigned long)&below;
	fp = below < fp ? below : fp;
	/* The live stack is the kernel stack of the core the scan runs on (`on 2 kmemleak`). */
	if (!arch_cpu_stacks(smp_processor_id(), &a))
		return -EINVAL;
	lo = a.boot;
	hi = a.boot_top;
	if (fp < lo || fp >= hi)
		return -EINVAL;
	sc->roots[0] = (struct kmemleak_range){ (unsigned long)__data_start,
						(unsigned long)_edata, "data" };
	sc->roots[1] = (struct kmemleak_range){ (unsigned long)__stacks_end,
						(unsigned long)__bss_end, "bss" };
	if (sc->stack_from > fp && sc->stack_from < hi)
		fp = sc->stack_from;
	sc->roots[2] = (struct kmemleak_range){ fp, hi, "stack" };
	sc->nr_roots = 3 + other_core_roots(&sc->roots[3], smp_processor_id());
	sc->should_stop = scan_interrupted;
	return fn(sc, arg);
}

static const char *scan_error(long err)
{
	switch (err) {
	case -ENOMEM:
		return "no memory for the scan state (16 KiB pieces of the page allocator)";
	case -EINTR:
		return "interrupted: nothing reported, nothing changed";
	case -EBUSY:
		return "a scan is already running";
	case -EINVAL:
		return "not on the boot stack";
	default:
		return "failed";
	}
}

static void kmemleak_print_stats(struct seq_file *m, const struct kmemleak_stats *st, u64 insns)
{
	seq_printf(m, "kmemleak: %lu new suspected memory leaks (%lu blocks of %lu pages, "
		   "%lu objects of %lu bytes)\n",
		   st->leaked_blocks + st->leaked_objects, st->leaked_blocks, st->leaked_pages,
		   st->leaked_objects, st->leaked_bytes);
	seq_printf(m, "kmemleak: 2 passes over %lu blocks and %lu objects, %lu KiB scanned",
		   st->blocks, st->objects, st->scanned_bytes / 1024);
	/* The PMU counts instructions on hardware and under QEMU's -icount only. */
	if (insns)
		seq_printf(m, ", %llu instructions", (unsigned long long)insns);
	seq_printf(m, "; scan state %lu KiB, given back\n", st->state_bytes / 1024);
	if (st->late)
		seq_printf(m, "kmemleak: %lu blocks allocated while the scan ran were not examined\n",
			   st->late);
	if (st->cleared)
		seq_printf(m, "kmemleak: %lu older suspects not shown (allocated before "
			   "`kmemleak clear`)\n", st->cleared);
	if (st->no_owner)
		seq_printf(m, "kmemleak: %lu reported without an owner record: boot with "
			   "page_owner=on slab_owner=on for their stacks\n", st->no_owner);
}

/* The scan, with the instructions it took (0 where the PMU does not count them). */
static long measured_scan(struct kmemleak_scan *sc,
			  long (*fn)(struct kmemleak_scan *sc, void *arg), void *arg, u64 *insns)
{
	long ret;

	pmu_start();
	*insns = pmu_instructions();
	ret = kmemleak_scan_kernel(sc, fn, arg);
	*insns = pmu_instructions() - *insns;
	return ret;
}

struct print_args {
	struct seq_file *m;
	bool quiet;
	u64 now_us;
};

static void print_one(void *arg, const struct kmemleak_object *o)
{
	struct print_args *a = arg;

	if (!a->quiet)
		kmemleak_print_object(a->m, o, a->now_us);
}

static long do_scan(struct kmemleak_scan *sc, void *arg)
{
	sc->report = print_one;
	sc->arg = arg;
	return kmemleak_scan(sc);
}

static int cmd_scan(struct seq_file *m, bool quiet, unsigned long stack_from)
{
	struct print_args a = { .m = m, .quiet = quiet, .now_us = now_us() };
	struct kmemleak_scan sc = { .stack_from = stack_from };
	u64 insns;
	long ret = measured_scan(&sc, do_scan, &a, &insns);

	if (ret) {
		seq_printf(m, "kmemleak: %s\n", scan_error(ret));
		return -1;
	}
	kmemleak_print_stats(m, &sc.st, insns);
	return 0;
}

long ferret_kmemleak_scan(void)
{
	struct seq_file m;
	struct print_args a = { .m = &m, .now_us = now_us() };
	struct kmemleak_scan sc = { 0 };	/* the stack from here: the caller's frames count */
	u64 insns;
	long ret;

	seq_init_console(&m);
	ret = measured_scan(&sc, do_scan, &a, &insns);
	if (ret) {
		seq_printf(&m, "kmemleak: %s\n", scan_error(ret));
		return -1;
	}
	kmemleak_print_stats(&m, &sc.st, insns);
	return (long)(sc.st.leaked_blocks + sc.st.leaked_objects);
}

struct leaks_args {
	struct seq_file *m;
	unsigned long threshold;
	enum page_owner_format fmt;
};

static long do_leaks(struct kmemleak_scan *sc, void *arg)
{
	struct leaks_args *a = arg;

	return page_owner_leaks_unreferenced(a->m, sc, a->threshold, a->fmt);
}

long kmemleak_leaks(struct seq_file *m, unsigned long threshold, enum page_owner_format fmt,
		    unsigned long stack_from)
{
	struct leaks_args a = { m, threshold, fmt };
	struct kmemleak_scan sc = { .stack_from = stack_from };
	u64 insns;
	long ret = measured_scan(&sc, do_leaks, &a, &insns);

	if (ret < 0)
		seq_printf(m, "leaks --unreferenced: %s\n", scan_error(ret));
	else if (fmt == PAGE_OWNER_FMT_TEXT)
		kmemleak_print_stats(m, &sc.st, insns);
	return ret;
}

static int cmd_mark(struct seq_file *m, int argc, char **argv)
{
	unsigned long addr, size = 1;
	int kind, ret;

	if (argc < 4 || argc > 5)
		return console_usage(argv[0]);
	for (kind = 0; kind < NR_KMEMLEAK_MARKS; kind++)
		if (!strcmp(argv[2], kmemleak_mark_name(kind)))
			break;
	if (kind == NR_KMEMLEAK_MARKS) {
		seq_printf(m, "kmemleak: unknown mark '%s' (not_leak, ignore, no_scan, root, "
			   "ignore_range, no_scan_range)\n", argv[2]);
		return -1;
	}
	if (parse_ulong(argv[3], &addr) || (argc == 5 && parse_ulong(argv[4], &size)))
		return -1;
	if (kind >= KMEMLEAK_ROOT && argc != 5) {
		seq_printf(m, "kmemleak: %s needs a size\n", argv[2]);
		return -1;
	}
	if (kind < KMEMLEAK_ROOT && argc == 5) {
		seq_printf(m, "kmemleak: %s marks one object: no size\n", argv[2]);
		return -1;
	}
	ret = kmemleak_mark(kind, addr, size, false);
	if (ret == -ENOSPC)
		seq_printf(m, "kmemleak: the mark table is full (%d): unmark one first\n",
			   KMEMLEAK_MARKS);
	else if (ret)
		seq_printf(m, "kmemleak: bad range 0x%lx + %lu\n", addr, size);
	return ret ? -1 : 0;
}

static int cmd_kmemleak(int argc, char **argv)
{
	unsigned long addr, console = KMEMLEAK_CALLER_FRAME();
	struct seq_file m;

	seq_init_console(&m);
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "scan")))
		return cmd_scan(&m, false, console);
	if (argc == 2 && !strcmp(argv[1], "count"))
		return cmd_scan(&m, true, console);
	if (argc == 2 && !strcmp(argv[1], "clear")) {
		seq_printf(&m, "kmemleak: suspects allocated up to ts %llu ns are not reported "
			   "again%s\n", (unsigned long long)kmemleak_clear() * 1000,
			   page_owner_inited || slab_objects_tracked() ? "" :
			   " (no owner records: nothing has an age to tell, so nothing is left out)");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "marks")) {
		kmemleak_show_marks(&m);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "mark"))
		return cmd_mark(&m, argc, argv);
	if (argc == 3 && !strcmp(argv[1], "unmark")) {
		if (parse_ulong(argv[2], &addr))
			return -1;
		if (!kmemleak_unmark(addr)) {
			seq_printf(&m, "kmemleak: no mark at 0x%lx (kmemleak marks lists them)\n", addr);
			return -1;
		}
		return 0;
	}
	return console_usage(argv[0]);
}
CONSOLE_CMD("kmemleak", "[scan|count|clear|marks|mark <kind> <addr> [size]|unmark <addr>]",
	    "blocks and objects nothing points to (a conservative scan)", cmd_kmemleak,
	.args = "scan\t(default) scan twice from the roots (data, bss, the live stack and\n"
		"\tregisters) and report what stayed unreferenced, Linux's format\n"
		"count\tthe same scan; only the counts\n"
		"clear\tleave what is allocated now out of later reports: only new\n"
		"\tsuspects (needs page_owner=on or slab_owner=on for the ages)\n"
		"marks\tlist the exceptions\n"
		"mark not_leak|ignore|no_scan <addr>\tthe object at <addr>: never reported;\n"
		"\tneither reported nor scanned; not scanned\n"
		"mark root|ignore_range|no_scan_range <addr> <size>\ta range: scanned as a\n"
		"\troot; its blocks and objects neither reported nor scanned (DMA,\n"
		"\tdevice buffers); never scanned\n"
		"unmark <addr>\tremove the exceptions made at <addr>",
	.example = "app run all 100\nkmemleak\nkmemleak mark ignore_range 0x48000000 0x100000\n"
		   "leaks --unreferenced");
