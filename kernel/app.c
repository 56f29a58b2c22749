// SPDX-License-Identifier: GPL-2.0
/*
 * Applications (docs/APPS.md): the `app` command, the runner, boot-time
 * runs (app=<name>[,<name>...] on the command line) and the kernel half of
 * the C library glue (console, clock, exit) and of <ferret/firmware.h>.
 *
 *	app list                          every application: pid, kind, state, pages, heap
 *	app run <service|all> [n]         n iterations (default 100; all: interleaved)
 *	app run <program> [arg...]        main(argc, argv) once
 *	app stop [service|all]            free what the services hold, reset them
 *	app heap [name|all] [reset]       heap statistics (reset: peaks to current)
 *
 * Applications register with FERRET_APP() into .ferret_apps.<name>, which
 * linker.ld sorts by name. Each runs in its own execution context (pid, and
 * comm = its name), switched in around each call into it, so page and object
 * owner records name it. A run that ends in exit(), abort() or a failed
 * assert() jumps back here (ferret_app_exit()) with a report; the console
 * goes on. Services are deterministic (fixed seeds, reset by stop), so the
 * same commands after boot give the same allocations.
 */
#include <ferret/app_internal.h>
#include <ferret/boot.h>
#include <ferret/console.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>
#include <ferret/time.h>
#include <ferret/uart.h>
#include <asm/sections.h>
#include <asm/processor.h>
#include <ferret/smp.h>

#define APP_DEFAULT_ITERATIONS	100
#define APP_MAX_ITERATIONS	10000000UL
#define APP_MAX_ARGS		16

struct app_state {
	int pid;			/* execution context, -1 until registered */
	unsigned long iterations;	/* since boot or the last stop */
	unsigned long runs;		/* of main() */
	bool bad;			/* refused: bad or duplicate name */
};

static struct app_state states[FERRET_MAX_APPS];
static int nr_apps = -1;	/* -1: table not checked yet */
/* Per core (`app run --cpu N` runs on another): */
static int app_cur_on[NR_CPUS] = { [0 ... NR_CPUS - 1] = -1 };	/* the application running */
static void *app_jmp_on[NR_CPUS][5];	/* __builtin_setjmp's buffer: the run in progress */
static int exit_status_on[NR_CPUS], exit_how_on[NR_CPUS];
#define app_cur		this_cpu(app_cur_on)
#define app_jmp		this_cpu(app_jmp_on)
#define exit_status	this_cpu(exit_status_on)
#define exit_how	this_cpu(exit_how_on)
/* The core (+1) each application runs on, 0 when it runs nowhere: one core at a time. */
static int app_running_on[FERRET_MAX_APPS];

static const struct ferret_app *app_at(int i)
{
	return &__ferret_apps_start[i];
}

static bool name_ok(const char *s)
{
	size_t n = 0;

	for (; s && s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
			return false;
	return n && n <= FERRET_APP_NAME_MAX;
}

/* Check the table once: names, kinds, duplicates, size. Return: how many. */
static int apps_count(void)
{
	int n = (int)(__ferret_apps_end - __ferret_apps_start);

	if (nr_apps >= 0)
		return nr_apps;
	if (n > FERRET_MAX_APPS) {
		printk(KERN_ERR "app: %d applications linked in, %d used (FERRET_MAX_APPS)\n", n,
		       FERRET_MAX_APPS);
		n = FERRET_MAX_APPS;
	}
	for (int i = 0; i < n; i++) {
		const struct ferret_app *a = app_at(i);

		states[i].pid = -1;
		if (!name_ok(a->name)) {
			printk(KERN_ERR "app: '%s' is not a valid name (1 to %d of a-z A-Z 0-9 _ -): "
			       "not registered\n", a->name ? a->name : "(null)",
			       FERRET_APP_NAME_MAX);
			states[i].bad = true;
		} else if (!a->main && !a->iterate) {
			printk(KERN_ERR "app: %s has neither main nor iterate: not registered\n",
			       a->name);
			states[i].bad = true;
		} else if (a->iterate && !a->stop) {
			printk(KERN_ERR "app: service %s has no stop(): not registered\n", a->name);
			states[i].bad = true;
		} else if (i && !strcmp(a->name, app_at(i - 1)->name)) {
			printk(KERN_ERR "app: two applications called %s: the second is ignored\n",
			       a->name);
			states[i].bad = true;
		}
	}
	nr_apps = n;
	return n;
}

int app_find(const char *name)
{
	int n = apps_count();

	for (int i = 0; i < n; i++)
		if (!states[i].bad && !strcmp(app_at(i)->name, name))
			return i;
	return -1;
}

int app_current_index(void)
{
	return app_cur;
}

const char *ferret_app_current(void)
{
	return app_cur >= 0 ? app_at(app_cur)->name : "";
}

static bool is_service(const struct ferret_app *a)
{
	return a->iterate != NULL;
}

static void app_register_ctx(int i)
{
	struct app_state *st = &states[i];

	if (st->pid < 0) {
		st->pid = task_ctx_register(app_at(i)->name);
		if (st->pid < 0)
			printk("app: no free execution context for %s, it runs as %s\n",
			       app_at(i)->name, current_task()->comm);
	}
}

/* ---- thread-local storage of the C library (linker.ld) ---- */

#define APP_TLS_SIZE	512

static u8 app_tls_on[NR_CPUS][APP_TLS_SIZE] __aligned(64);	/* each core's own */

/* Once a core: the TLS block from its template, TPIDR_EL0 at it. Return: false if it does not fit. */
static bool app_tls_init(void)
{
	static int done_on[NR_CPUS];	/* 1: ready, -1: does not fit */
	u8 *app_tls = this_cpu(app_tls_on);
	int *done_p = &this_cpu(done_on);
#define done (*done_p)
	size_t align = (size_t)__tls_align, tdata = (size_t)(__tdata_end - __tdata_start);
	size_t tbss = (size_t)__tbss_size, off;

	if (done)
		return done > 0;
	if (align < 1)
		align = 1;
	off = ALIGN((size_t)16, align);		/* the TCB, then the block */
	if (align > 64 || off + tdata + tbss > APP_TLS_SIZE) {
		printk(KERN_ERR "app: the C library's thread-local data (%zu + %zu bytes, "
		       "aligned to %zu) does not fit in %d bytes\n", tdata, tbss, align,
		       APP_TLS_SIZE);
		done = -1;
		return false;
	}
	memcpy(app_tls + off, __tdata_start, tdata);
	memset(app_tls + off + tdata, 0, tbss);
	set_thread_pointer(app_tls);
	done = 1;
	return true;
#undef done
}

/* ---- calling into an application ---- */

enum app_call { CALL_MAIN, CALL_ITERATE, CALL_STOP };

/* lib/libc/start.c's runtime, if the C library glue is linked in. */
extern const struct ferret_libc_runtime __ferret_libc_start[], __ferret_libc_end[];

static const struct ferret_libc_runtime *libc_runtime(void)
{
	return &__ferret_libc_end[0] > &__ferret_libc_start[0] ? __ferret_libc_start : NULL;
}

/*
 * Call @i's main, iterate or stop in its context. Return: true if the call
 * came back normally, false if it ended in exit()/abort() (reported).
 */
static bool __noinline app_call(int i, enum app_call what, int argc, char **argv)
{
	const struct ferret_app *a = app_at(i);
	int prev_app = app_cur, prev_ctx;
	bool normal = true;

	if (!app_tls_init())
		return false;
	app_register_ctx(i);
	prev_ctx = states[i].pid >= 0 ? task_ctx_switch(states[i].pid) : -1;
	app_cur = i;
	if (__builtin_setjmp(app_jmp) == 0) {
		if (what == CALL_MAIN) {
			/* The C library's start: exit(main(argc, argv)), never returns. */
			libc_runtime()->start(a->main, argc, argv);
		} else if (what == CALL_ITERATE) {
			a->iterate();
		} else {
			a->stop();
		}
	} else {
		normal = false;
	}
	app_cur = prev_app;
	if (prev_ctx >= 0)
		task_ctx_switch(prev_ctx);
	return normal;
}

static void print_heap_held(int i, const char *prefix)
{
	struct ferret_heap_stats st;

	app_heap_stats(i, &st);
	printk("%s%lu heap blocks (%lu bytes) and %lu pages held\n", prefix,
	       st.current_blocks, st.current_bytes, st.pages_held);
}

void ferret_app_exit(int status, int how)
{
	char prefix[48];

	if (app_cur < 0) {
		printk(KERN_ERR "%s outside an application (in %s): nothing to end\n",
		       how == FERRET_EXIT_ABORT ? "abort()" : "exit()", current_task()->comm);
		dump_stack();
		/* Nothing to return to but the console. */
		console_run();
	}
	if (how == FERRET_EXIT_ABORT) {
		printk(KERN_ERR "app %s: abort()\n", app_at(app_cur)->name);
		dump_stack();
	} else if (how == FERRET_EXIT_EXIT) {
		printk("app %s: exit(%d)\n", app_at(app_cur)->name, status);
	}
	exit_status = status;
	exit_how = how;
	snprintf(prefix, sizeof(prefix), "app %s: ended, ", app_at(app_cur)->name);
	if (how != FERRET_EXIT_RETURN)
		print_heap_held(app_cur, prefix);
	__builtin_longjmp(app_jmp, 1);
}

/* ---- console, clock ---- */

void ferret_console_write(const char *buf, size_t len)
{
	console_write(buf, len);	/* whole lines when several cores print */
}

/* stdin: through the console's type-ahead buffer, so nothing typed early is lost. */
int ferret_console_getc(void)
{
	return console_read_char();
}

unsigned long long ferret_clock_ns(void)
{
	return ktime_get_ns();
}

void ferret_delay_ns(unsigned long long ns)
{
	u64 end = ktime_get_ns() + ns;

	while (ktime_get_ns() < end)
		cpu_relax();
}

/* ---- <ferret/firmware.h> ---- */

int ferret_checkpoint(const char *name)
{
	u64 ts;

	return page_owner_checkpoint(name, &ts) ? -1 : 0;
}

long ferret_leaks_dump_since(const char *checkpoint)
{
	struct seq_file m;

	seq_init_console(&m);
	return page_owner_leaks(&m, checkpoint, 0, PAGE_OWNER_FMT_TEXT);
}

long ferret_leaks_dump(void)
{
	return ferret_leaks_dump_since(NULL);
}

static int stats_target(const char *app)
{
	if (!app)
		return app_cur;
	if (!strcmp(app, "*"))
		return FERRET_HEAP_ALL;
	return app_find(app);
}

int ferret_heap_get_stats(const char *app, struct ferret_heap_stats *st)
{
	int i = stats_target(app);

	if (i == -1 && app)
		return -1;
	app_heap_stats(i, st);
	return 0;
}

int ferret_heap_reset_peak(const char *app)
{
	int i = stats_target(app);

	if (i == -1 && app)
		return -1;
	app_heap_reset_peak(i);
	return 0;
}

/* ---- the console command ---- */

/* Services selected by name ("all" or NULL: every service). Return: a bitmask, 0 if none. */
static u32 app_select(const char *name, bool services_only)
{
	int n = apps_count(), i;
	u32 mask = 0;

	if (!name || !strcmp(name, "all")) {
		for (i = 0; i < n; i++)
			if (!states[i].bad && is_service(app_at(i)))
				mask |= 1u << i;
		return mask;
	}
	i = app_find(name);
	if (i >= 0 && (!services_only || is_service(app_at(i))))
		return 1u << i;
	if (i >= 0)
		printk("app: %s is a program, not a service (app run %s [args])\n", name, name);
	else
		printk("app: no application called '%s' (app list shows them)\n", name);
	return 0;
}

/* What `app run @name` runs ("all": every service); 0, silently, for nothing. */
static u32 app_named(const char *name)
{
	int i;

	if (!strcmp(name, "all"))
		return app_select(name, true);
	i = app_find(name);
	return i >= 0 ? 1u << i : 0;
}

static const char *app_kind(const struct ferret_app *a)
{
	return a->iterate ? (a->main ? "both" : "service") : "program";
}

static int app_list(void)
{
	int n = apps_count();

	printk("%-15s %4s %-7s %-8s %10s %10s %10s  %s\n", "name", "pid", "kind", "state",
	       "iterations", "pages held", "heap bytes", "what");
	for (int i = 0; i < n; i++) {
		const struct ferret_app *a = app_at(i);
		struct ferret_heap_stats st;
		const char *state;

		if (states[i].bad)
			continue;
		app_register_ctx(i);
		app_heap_stats(i, &st);
		if (!is_service(a))
			state = states[i].runs ? "ran" : "-";
		else
			state = states[i].iterations || st.pages_held ? "paused" : "stopped";
		printk("%-15s %4d %-7s %-8s %10lu %10lu %10lu  %s\n", a->name, states[i].pid,
		       app_kind(a), state, states[i].iterations, st.pages_held, st.current_bytes,
		       a->what ? a->what : "");
	}
	return 0;
}

static void app_print_summary(int i, const struct ferret_heap_stats *before,
			      unsigned long iterations)
{
	const struct ferret_app *a = app_at(i);
	struct ferret_heap_stats st;
	char extra[128] = "";

	if (a->summary)
		a->summary(extra, sizeof(extra));
	app_heap_stats(i, &st);
	printk("%s: %lu iterations, %lu allocs, %lu frees, %lu failed, %lu pages held, "
	       "%lu heap bytes in %lu blocks%s%s%s\n", a->name, iterations,
	       st.allocs + st.page_allocs - before->allocs - before->page_allocs,
	       st.frees + st.page_frees - before->frees - before->page_frees,
	       st.failed + st.page_failed - before->failed - before->page_failed,
	       st.pages_held, st.current_bytes, st.current_blocks,
	       extra[0] ? " (" : "", extra, extra[0] ? ")" : "");
}

/* Claim @mask's applications for @cpu. Return: 0, or -1 (said) when one runs on another. */
static int app_claim_on(u32 mask, unsigned int cpu)
{
	int me = (int)cpu + 1, n = apps_count();

	for (int i = 0; i < n; i++) {
		int was = 0;

		if (!(mask & (1u << i)) ||
		    __atomic_compare_exchange_n(&app_running_on[i], &was, me, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED) || was == me)
			continue;
		printk("app: %s runs on CPU%d now ('app wait' waits for it)\n", app_at(i)->name,
		       was - 1);
		while (--i >= 0)
			if (mask & (1u << i))
				__atomic_store_n(&app_running_on[i], 0, __ATOMIC_RELEASE);
		return -1;
	}
	return 0;
}

static int app_claim(u32 mask)
{
	return app_claim_on(mask, smp_processor_id());
}

static void app_release(u32 mask)
{
	for (int i = 0; i < FERRET_MAX_APPS; i++)
		if (mask & (1u << i))
			__atomic_store_n(&app_running_on[i], 0, __ATOMIC_RELEASE);
}

static int app_run_services(u32 mask, unsigned long iterations)
{
	struct ferret_heap_stats before[FERRET_MAX_APPS];
	unsigned long done = 0, ran[FERRET_MAX_APPS] = { 0 };
	int n = apps_count();
	u64 t0 = ktime_get_ns(), us;

	for (int i = 0; i < n; i++)
		if (mask & (1u << i))
			app_heap_stats(i, &before[i]);
	while (done < iterations && mask && !console_interrupted()) {
		for (int i = 0; i < n; i++) {
			if (!(mask & (1u << i)))
				continue;
			if (!app_call(i, CALL_ITERATE, 0, NULL)) {
				printk("app %s: stopped running (app stop %s resets it)\n",
				       app_at(i)->name, app_at(i)->name);
				mask &= ~(1u << i);
			}
			states[i].iterations++;
			ran[i]++;
		}
		done++;
	}
	us = (ktime_get_ns() - t0) / NSEC_PER_USEC;
	for (int i = 0; i < n; i++)
		if (ran[i])
			app_print_summary(i, &before[i], ran[i]);
	printk("app: %lu of %lu iterations in %llu.%03llu ms%s\n", done, iterations,
	       (unsigned long long)(us / 1000), (unsigned long long)(us % 1000),
	       done < iterations ? " (interrupted)" : "");
	return done < iterations ? -1 : 0;
}

/* Run program @i: main(argc, argv). Return: its exit status. */
static int app_run_program(int i, int argc, char **argv)
{
	const struct ferret_app *a = app_at(i);
	char *av[APP_MAX_ARGS + 1];

	if (!libc_runtime()) {
		printk(KERN_ERR "app: the C library glue is not linked in\n");
		return -1;
	}
	if (argc > APP_MAX_ARGS) {
		printk("app: at most %d arguments\n", APP_MAX_ARGS - 1);
		return -1;
	}
	memcpy(av, argv, argc * sizeof(*av));
	av[argc] = NULL;
	argv = av;
	exit_status = 0;
	exit_how = FERRET_EXIT_RETURN;
	states[i].runs++;
	app_call(i, CALL_MAIN, argc, argv);
	if (exit_how == FERRET_EXIT_RETURN) {
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "app %s: main returned %d, ", a->name,
			 exit_status);
		print_heap_held(i, prefix);
	}
	return exit_status;
}

static int app_stop(u32 mask)
{
	int n = apps_count();

	for (int i = 0; i < n; i++) {
		struct ferret_heap_stats before, after;

		if (!(mask & (1u << i)))
			continue;
		app_heap_stats(i, &before);
		app_call(i, CALL_STOP, 0, NULL);
		app_heap_stats(i, &after);
		printk("%s: stopped after %lu iterations, freed %lu pages and %lu heap blocks\n",
		       app_at(i)->name, states[i].iterations,
		       before.pages_held - after.pages_held, after.frees - before.frees);
		if (after.pages_held || after.current_blocks)
			printk("app: %s still holds %lu pages and %lu heap blocks (%lu bytes) "
			       "after stop: leaked?\n", app_at(i)->name, after.pages_held,
			       after.current_blocks, after.current_bytes);
		states[i].iterations = 0;
	}
	return 0;
}

static void heap_show(const char *name, const struct ferret_heap_stats *s)
{
	printk("%-15s %10lu %10lu %7lu %9lu %9lu %9lu %6lu %6lu\n", name, s->current_bytes,
	       s->peak_bytes, s->current_blocks, s->footprint_bytes, s->allocs, s->frees,
	       s->failed, s->pages_held);
}

/*
 * The application @name names for heap and status: its index, FERRET_HEAP_ALL
 * for none or "all", or -2 (reported) when no application has that name.
 */
static int app_pick(const char *name)
{
	int i;

	if (!name || !strcmp(name, "all"))
		return FERRET_HEAP_ALL;
	i = app_find(name);
	if (i < 0) {
		printk("app: no application called '%s' (app list shows them)\n", name);
		return -1;
	}
	return i;
}

static int app_heap(const char *name, bool reset)
{
	int n = apps_count(), one = app_pick(name);
	struct ferret_heap_stats st;

	if (one == -1)
		return -1;
	if (reset) {
		app_heap_reset_peak(one >= 0 ? one : FERRET_HEAP_ALL);
		printk("app: heap peaks reset to current values\n");
		return 0;
	}
	printk("%-15s %10s %10s %7s %9s %9s %9s %6s %6s\n", "app", "bytes", "peak", "blocks",
	       "footprint", "allocs", "frees", "failed", "pages");
	for (int i = 0; i < n; i++) {
		if (states[i].bad || (one >= 0 && i != one))
			continue;
		app_heap_stats(i, &st);
		heap_show(app_at(i)->name, &st);
	}
	app_heap_stats(one >= 0 ? one : FERRET_HEAP_ALL, &st);
	if (one < 0)
		heap_show("(all)", &st);
	printk("largest free block %lu bytes, free memory %lu bytes\n", st.largest_free_block,
	       st.free_bytes);
	return 0;
}

/*
 * app status: every figure of an application's heap and pages, one
 * "Name:\tvalue" line each as /proc/<pid>/status prints them, for tools.
 */
static void status_show(const char *name, int pid, const struct ferret_heap_stats *s)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
#define F(key, field) { key, __builtin_offsetof(struct ferret_heap_stats, field) }
		F("HeapBytes", current_bytes), F("HeapPeakBytes", peak_bytes),
		F("HeapBlocks", current_blocks), F("HeapPeakBlocks", peak_blocks),
		F("HeapFootprint", footprint_bytes), F("HeapAllocs", allocs),
		F("HeapFrees", frees), F("HeapFailed", failed), F("HeapBadFrees", bad_frees),
		F("Pages", pages_held), F("PagesPeak", peak_pages), F("PageAllocs", page_allocs),
		F("PageFrees", page_frees), F("PageFailed", page_failed),
#undef F
	};

	printk("Name:\t%s\n", name);
	if (pid >= 0)
		printk("Pid:\t%d\n", pid);
	for (size_t k = 0; k < ARRAY_SIZE(fields); k++)
		printk("%s:\t%lu\n", fields[k].key,
		       *(const unsigned long *)((const char *)s + fields[k].off));
	printk("\n");
}

static int app_status(const char *name)
{
	int n = apps_count(), one = app_pick(name);
	struct ferret_heap_stats st;

	if (one == -1)
		return -1;
	for (int i = 0; i < n; i++) {
		if (states[i].bad || (one >= 0 && i != one))
			continue;
		app_heap_stats(i, &st);
		status_show(app_at(i)->name, states[i].pid, &st);
	}
	if (one < 0) {
		app_heap_stats(FERRET_HEAP_ALL, &st);
		status_show("(all)", -1, &st);
	}
	return 0;
}

/* app wait [cpu]: join what `app run --cpu` started there (default: every core). */
static int app_wait(const char *cpu_s)
{
	unsigned long cpu;
	unsigned int c;
	int ret = 0;

	if (cpu_s) {
		if (parse_ulong(cpu_s, &cpu))
			return -1;
		return smp_wait_command((unsigned int)min(cpu, (unsigned long)NR_CPUS));
	}
	for_each_online_cpu(c) {
		if (c != smp_processor_id() && smp_work_busy(c) && smp_wait_command(c))
			ret = -1;
	}
	return ret;
}

/* `--cpu N` anywhere after the subcommand: taken out of argv. Return: N, -1 without, -2 bad. */
static long take_cpu_option(int *argc, char **argv)
{
	unsigned long cpu;

	for (int i = 2; i + 1 < *argc; i++) {
		if (strcmp(argv[i], "--cpu"))
			continue;
		if (parse_ulong(argv[i + 1], &cpu))
			return -2;
		for (int j = i; j + 2 <= *argc; j++)
			argv[j] = argv[j + 2];
		*argc -= 2;
		return (long)cpu;
	}
	return -1;
}

static int cmd_app(int argc, char **argv)
{
	unsigned long iterations = APP_DEFAULT_ITERATIONS;
	long cpu;
	u32 mask;
	int i, ret;

	cpu = argc >= 3 && !strcmp(argv[1], "run") ? take_cpu_option(&argc, argv) : -1;
	if (cpu == -2)
		return -1;
	if (cpu >= 0 && (unsigned long)cpu != smp_processor_id()) {
		unsigned int c = (unsigned int)min((unsigned long)cpu, (unsigned long)NR_CPUS);

		/*
		 * Claimed for that core here, before it starts: a command typed
		 * next finds them taken. What this cannot name is left to the
		 * command there, which says why.
		 */
		mask = argc >= 3 ? app_named(argv[2]) : 0;
		if (mask && app_claim_on(mask, c))
			return -1;
		/* In the background there: the console stays usable. */
		if (smp_run_command(c, argc, argv, false)) {
			app_release(mask);
			return -1;
		}
		printk("app: running on CPU%ld ('cpus' shows it, 'app wait %ld' waits for it)\n",
		       cpu, cpu);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "list"))
		return app_list();
	if (argc >= 3 && !strcmp(argv[1], "run")) {
		i = strcmp(argv[2], "all") ? app_find(argv[2]) : -1;
		if (i >= 0 && !is_service(app_at(i))) {
			int ret;

			if (app_claim(1u << i))
				return -1;
			ret = app_run_program(i, argc - 2, argv + 2) ? -1 : 0;
			app_release(1u << i);
			return ret;
		}
		if (argc > 4)
			return console_usage(argv[0]);
		mask = app_select(argv[2], true);
		if (!mask)
			return -1;
		if (argc == 4 && (parse_ulong(argv[3], &iterations) ||
				  iterations > APP_MAX_ITERATIONS)) {
			printk("app: iterations must be 0..%lu\n", APP_MAX_ITERATIONS);
			return -1;
		}
		if (app_claim(mask))
			return -1;
		ret = app_run_services(mask, iterations);
		app_release(mask);
		return ret;
	}
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "stop")) {
		mask = app_select(argc == 3 ? argv[2] : NULL, true);
		if (!mask || app_claim(mask))
			return -1;
		ret = app_stop(mask);
		app_release(mask);
		return ret;
	}
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "wait"))
		return app_wait(argc == 3 ? argv[2] : NULL);
	if (argc >= 2 && argc <= 4 && !strcmp(argv[1], "heap")) {
		bool reset = argc >= 3 && !strcmp(argv[argc - 1], "reset");

		if (argc == 4 && !reset)
			return console_usage(argv[0]);
		return app_heap(argc - reset >= 3 ? argv[2] : NULL, reset);
	}
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "status"))
		return app_status(argc == 3 ? argv[2] : NULL);
	return console_usage(argv[0]);
}
CONSOLE_CMD("app", "list|run|stop|heap|status|wait [name|all] [n|args...] [--cpu N]",
	    "applications: the demo firmware (one leaks pages, one objects) and your own",
	    cmd_app,
	.args = "list\teach application: pid, kind, state, iterations, pages and heap held\n"
		"run <service|all> [n]\tn iterations (default 100; all: the services\n"
		"\tinterleaved); Ctrl-C stops\n"
		"run <program> [arg...]\tmain(argc, argv) once\n"
		"--cpu N\t(with run) run it on core N in the background: the console\n"
		"\tstays usable, 'cpus' shows it; one core at a time per application\n"
		"wait [cpu]\twait for what 'app run --cpu' started (default: every core)\n"
		"stop [service|all]\tfree what the service holds and reset it (default all)\n"
		"heap [name|all] [reset]\theap statistics: bytes, peak, blocks, footprint,\n"
		"\tallocs, frees, pages; reset: peaks to current values\n"
		"status [name|all]\tevery heap and page figure, peaks and bad frees\n"
		"\tincluded, one 'Name:<tab>value' line each (default all, then (all))",
	.example = "app run all 140\napp stop sensor\napp run hello world\napp heap\n"
		   "app run sensor 1000 --cpu 2\napp wait 2\n"
		   "app status httpd");

/*
 * apps_boot() - run the applications app=<name>[,<name>...] names, in order:
 * a program's main() with no arguments, a service's 100 iterations.
 */
void apps_boot(void)
{
	char list[128], *p, *name;

	if (!cmdline_get("app", list, sizeof(list)))
		return;
	for (p = list; p; p = name) {
		int i;

		name = strchr(p, ',');
		if (name)
			*name++ = '\0';
		i = app_find(p);
		if (i < 0) {
			printk(KERN_ERR "app=: no application called '%s'\n", p);
			continue;
		}
		printk("app=: running %s\n", p);
		if (is_service(app_at(i)))
			app_run_services(1u << i, APP_DEFAULT_ITERATIONS);
		else
			app_run_program(i, 1, (char *[]){ (char *)app_at(i)->name, NULL });
	}
}
