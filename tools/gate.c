// SPDX-License-Identifier: GPL-2.0
/*
 * gate: fail a firmware change that adds a leak or grows the heap past a
 * budget, the way LeakSanitizer fails a host test suite (docs/CI.md).
 *
 *   gate --scenario FILE [--baseline FILE] [--elf FILE] [--update-baseline
 *        [--headroom PCT]] [--tap FILE] [--junit FILE] [--log FILE] [--runs N]
 *        [--mem SIZE] [--cpu MODEL] [--timeout S] [--no-icount] [-v]
 *        [--port DEV [--baud N] | --qemu "ARGS"] [--boot-args "ARGS"]
 *
 * Boots the ELF in QEMU (slab_owner=on slab_debug=FZ, -icount shift=0), or
 * takes a board on a serial port, sets checkpoint 'gate', resets the heap
 * peaks, runs the scenario (tools/gate/scenario.c), then reads `leaks` and
 * `app status` and every crash, bad-free and corruption report on the
 * console. Compares with the baseline: each leak stack by its functions
 * (file:line from the ELF's DWARF), each budget. Prints the diff, writes
 * TAP and JUnit, exits 1 on any regression, 2 on bad usage or input, 0
 * otherwise. --update-baseline writes the baseline from this run instead.
 * --runs N runs the scenario N times and fails unless the figures agree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate/gate.h"

/* ---- helpers ---- */

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		tool_die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		tool_die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		tool_die("out of memory");
	return d;
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		tool_die("out of memory");
	buf_add(b, s, (size_t)n);
	free(s);
}

/* ---- main ---- */

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: gate --scenario FILE [--baseline FILE] [--elf FILE]\n"
		"            [--update-baseline [--headroom PCT]] [--tap FILE] [--junit FILE]\n"
		"            [--log FILE] [--runs N] [--mem SIZE] [--cpu MODEL] [--timeout S]\n"
		"            [--no-icount] [-v]\n"
		"            [--port DEV [--baud N] | --qemu \"ARGS\"] [--boot-args \"ARGS\"]\n"
		"\n"
		"  --scenario FILE     console commands, @expect, @wait... (docs/CI.md)\n"
		"  --baseline FILE     allowed leaks and budgets (default: the scenario's\n"
		"                      name with .baseline for its extension, .arm.baseline\n"
		"                      for a 32-bit Arm firmware)\n"
		"  --elf FILE          the firmware (default: %s); its DWARF\n"
		"                      gives inlined functions and file:line\n"
		"  --update-baseline   write the baseline from this run (it must be clean:\n"
		"                      no crash, no failed step)\n"
		"  --headroom PCT      with it: budgets PCT%% above what was measured\n"
		"  --tap FILE, --junit FILE   the checks as TAP 13 / JUnit XML\n"
		"  --log FILE          everything the console printed\n"
		"  --runs N            run N times; fail unless every run measures the same\n"
		"  --mem SIZE          QEMU RAM (default 512M; the scenario's @mem wins)\n"
		"  --cpu MODEL         QEMU CPU (default cortex-a53, cortex-a15 for a 32-bit\n"
		"                      firmware; the scenario's @cpu wins)\n"
		"  --timeout S         idle timeout in seconds (default 60)\n"
		"  --no-icount         QEMU without -icount shift=0\n"
		"  --port DEV, --baud N   a board on a serial port instead of QEMU\n"
		"  --qemu \"ARGS\"       QEMU's arguments instead of the gate's\n"
		"  --boot-args \"ARGS\"  more kernel command line\n"
		"  -v                  echo the console on stderr\n"
		"\n"
		"Exit status: 0 no regression, 1 a regression, 2 bad usage or input.\n",
		DEFAULT_ELF);
	exit(status);
}

/*
 * The scenario's name with .baseline for its extension; for a 32-bit Arm
 * firmware .arm.baseline (its heap figures are its own: 4-byte pointers,
 * newlib instead of picolibc).
 */
static char *default_baseline(const char *scenario, const char *elf)
{
	const char *slash = strrchr(scenario, '/'), *dot = strrchr(scenario, '.');
	size_t n = dot && (!slash || dot > slash + 1) ? (size_t)(dot - scenario) : strlen(scenario);
	const char *arch = elf_arch_of(elf) == ELF_ARCH_ARM ? ".arm" : "";
	char *p;

	if (asprintf(&p, "%.*s%s.baseline", (int)n, scenario, arch) < 0)
		tool_die("out of memory");
	return p;
}

static bool clean(const struct run *r)
{
	if (!r->completed || r->not_counted || !r->have_fig)
		return false;
	for (int i = 0; i < r->nresults; i++)
		if (!r->results[i].ok)
			return false;
	for (int i = 0; i < r->nreports; i++)
		if (r->reports[i].kind != REP_BAD_FREE)
			return false;
	return true;
}

int main(int argc, char **argv)
{
	const char *scenario_path = NULL, *baseline_path = NULL, *tap = NULL, *junit = NULL;
	const char *log = NULL;
	struct gate_opts o = { .mem = "512M", .timeout = 60, .icount = true };
	bool update = false, have_elf = false;
	unsigned int headroom = 0;
	int runs = 1;
	struct scenario sc;
	struct baseline base;
	struct checks cs = { 0 };
	struct elfsym elf;
	struct run *r;
	double t0;

	tool_name = "gate";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage(0);
		else if (!strcmp(a, "--update-baseline"))
			update = true;
		else if (!strcmp(a, "--no-icount"))
			o.icount = false;
		else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			o.verbose = true;
		else if (target_parse_opt(&o.target, argc, argv, &i))
			continue;
		else if (!v)
			usage(2);
		else if (!strcmp(a, "--scenario"))
			scenario_path = argv[++i];
		else if (!strcmp(a, "--baseline"))
			baseline_path = argv[++i];
		else if (!strcmp(a, "--elf"))
			o.elf = argv[++i];
		else if (!strcmp(a, "--tap"))
			tap = argv[++i];
		else if (!strcmp(a, "--junit"))
			junit = argv[++i];
		else if (!strcmp(a, "--log"))
			log = argv[++i];
		else if (!strcmp(a, "--mem"))
			o.mem = argv[++i];
		else if (!strcmp(a, "--cpu"))
			o.cpu = argv[++i];
		else if (!strcmp(a, "--headroom")) {
			char *end;
			unsigned long h = strtoul(argv[++i], &end, 10);

			if (*end || h > 1000)
				usage(2);
			headroom = (unsigned int)h;
		} else if (!strcmp(a, "--runs")) {
			char *end;
			long n = strtol(argv[++i], &end, 10);

			if (*end || n < 1 || n > 100)
				usage(2);
			runs = (int)n;
		} else if (!strcmp(a, "--timeout")) {
			char *end;

			o.timeout = strtod(argv[++i], &end);
			if (*end || o.timeout <= 0)
				usage(2);
		} else {
			usage(2);
		}
	}
	if (!scenario_path || (o.target.port && (o.target.qemu || o.target.boot_args)))
		usage(2);
	if (!o.elf)
		target_default_qemu_args(&o.elf);
	if (!baseline_path)
		baseline_path = default_baseline(scenario_path, o.elf);
	if (!o.cpu)
		o.cpu = target_cpu_for(o.elf);
	if (scenario_load(&sc, scenario_path))
		return 2;
	if (baseline_load(&base, baseline_path, update))
		return 2;
	if (!o.target.port && !o.target.qemu && access(o.elf, R_OK)) {
		fprintf(stderr, "%s: cannot read the firmware %s: %s\n", tool_name, o.elf,
			strerror(errno));
		return 2;
	}
	if (!access(o.elf, R_OK)) {
		elfsym_open(&elf, o.elf);
		have_elf = true;
	} else {
		fprintf(stderr, "%s: no ELF at %s: stacks by kallsyms names, without file:line\n",
			tool_name, o.elf);
	}

	t0 = tool_now();
	r = xmalloc(runs * sizeof(*r));
	for (int i = 0; i < runs; i++) {
		if (runs > 1)
			fprintf(stderr, "%s: run %d of %d\n", tool_name, i + 1, runs);
		session_run(&o, &sc, &r[i]);
		figures_parse(&r[i], have_elf ? &elf : NULL);
		if (log) {
			FILE *f = fopen(log, i ? "a" : "w");

			if (!f || fwrite(r[i].console.s, 1, r[i].console.len, f) != r[i].console.len ||
			    fclose(f))
				fprintf(stderr, "%s: cannot write %s\n", tool_name, log);
		}
		if (!r[i].completed)
			break;	/* a failure: the runs after it would not tell more */
	}
	for (int i = 1; i < runs && r[i - 1].completed; i++) {
		struct buf d = { 0 };

		if (!r[i].completed)
			break;
		char *name;

		if (asprintf(&name, "deterministic: run %d measures what run 1 did", i + 1) < 0)
			tool_die("out of memory");
		check_add(&cs, !figures_differ(&r[0], &r[i], &d), name, d.s);
	}

	if (update) {
		bool ok = cs.failed == 0;

		for (int i = 0; i < runs && ok; i++)
			ok = clean(&r[i]);
		if (!ok) {
			compare(&r[0], &base, &cs);
			report_text(stdout, &cs, &r[0]);
			fprintf(stderr, "%s: the run is not clean (crash, corruption, a failed step, "
				"figures that vary): %s not written\n", tool_name, baseline_path);
			return 1;
		}
		if (baseline_write(baseline_path, &r[0], headroom))
			return 2;
		printf("%s: wrote %s: %d leak stacks, budgets%s\n", tool_name, baseline_path,
		       r[0].nstacks, headroom ? " with headroom" : " as measured");
		return 0;
	}
	compare(&r[0], &base, &cs);
	printf("%s: %s against %s\n\n", tool_name, scenario_path, baseline_path);
	report_text(stdout, &cs, &r[0]);
	printf("\n%s: %d checks, %d failed: %s\n", tool_name, cs.n, cs.failed,
	       cs.failed ? "REGRESSION" : "no regression");
	if ((tap && report_tap(tap, &cs)) ||
	    (junit && report_junit(junit, &cs, scenario_path, tool_now() - t0)))
		return 2;
	if (have_elf)
		elfsym_close(&elf);
	return cs.failed ? 1 : 0;
}
