/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gate: the leak and heap regression gate (tools/gate.c, docs/CI.md).
 *
 *   scenario.c  the scenario file: console commands, waits, expectations
 *   session.c   one run: boot, the scenario, then `leaks` and `app status`
 *   figures.c   what a run measured: leak stacks (symbolized), heap and page
 *               figures, crash, bad-free and corruption reports
 *   baseline.c  the baseline file: read, compare, write
 *   report.c    the checks: readable diff, TAP, JUnit XML
 */
#ifndef TOOLS_GATE_H
#define TOOLS_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../lib/elfsym.h"
#include "../lib/target.h"

/* ---- small helpers (gate.c) ---- */

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growing string. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_add(struct buf *b, const char *s, size_t n);
__attribute__((format(printf, 2, 3))) void buf_printf(struct buf *b, const char *fmt, ...);

/* ---- the scenario ---- */

enum step_kind {
	STEP_CMD,		/* type a console command, wait for the prompt */
	STEP_EXPECT,		/* the last reply holds the text */
	STEP_EXPECT_NOT,	/* the last reply does not hold it */
	STEP_WAIT,		/* read until the text comes (or the timeout) */
	STEP_TIMEOUT,		/* the idle timeout from here on */
};

struct step {
	enum step_kind kind;
	char *text;
	double seconds;		/* STEP_TIMEOUT; STEP_WAIT's limit */
	int lineno;
};

struct scenario {
	const char *path;
	struct step *steps;
	int nsteps;
	char *boot_args;	/* @boot-args lines joined */
	char *mem;		/* @mem */
	char *cpu;		/* @cpu */
};

/* Parse @path; on a bad line, print "path:line: why" and return -1. */
int scenario_load(struct scenario *s, const char *path);

/* ---- one run ---- */

/* One problem the console reported: a crash, a bad free, a corruption. */
enum report_kind { REP_CRASH, REP_BAD_FREE, REP_CORRUPTION, NR_REPORT_KINDS };

struct console_report {
	enum report_kind kind;
	char *first;		/* its first line */
	char *text;		/* the whole report, frames decoded */
};

/* A frame of a leak stack, as the source names it. */
struct frame {
	char *fn;		/* function: the key */
	char *where;		/* "file:line", or NULL */
	bool inlined;		/* inlined into the next frame */
};

enum leak_kind { LEAK_PAGES, LEAK_OBJECTS, NR_LEAK_KINDS };

struct stack {
	enum leak_kind kind;
	unsigned long count;	/* blocks or objects */
	unsigned long bytes;	/* pages * 4096, or object bytes */
	char *from;		/* the contexts ("sensor", "a (3 pages), b (2 pages)") */
	struct frame *frames;
	int nframes;
	int nkey;		/* frames[0, nkey) are the key (to app_call, the firmware's entry) */
	int merged;		/* kernel stacks summed into this one (same key) */
};

/* What the firmware's heap and pages did (app status: (all)). */
enum figure {
	FIG_HEAP_PEAK_BYTES, FIG_HEAP_PEAK_BLOCKS, FIG_PAGES_PEAK, FIG_HEAP_BYTES, FIG_HEAP_BLOCKS,
	FIG_PAGES, FIG_BAD_FREES, NR_FIGURES
};
extern const char *const figure_names[NR_FIGURES];

struct step_result {
	char *name;		/* "'app run all 140' (demo.scenario:8)", "@expect ..." */
	bool ok;
	char *why;		/* failed: what happened */
};

struct run {
	struct buf console;	/* everything the target printed, without '\r' */
	struct step_result *results;
	int nresults;
	bool completed;		/* the scenario and the collection ran to the end */
	char *failure;		/* why not: timeout, QEMU exited, crash */
	char *leaks_text, *status_text;
	/* parsed */
	struct stack *stacks;
	int nstacks;
	unsigned long fig[NR_FIGURES];
	bool have_fig;
	char *not_counted;	/* the kernel's "not counted" line: the report is incomplete */
	struct console_report *reports;
	int nreports;
};

struct gate_opts {
	struct target_opts target;
	const char *elf;
	const char *mem, *cpu;
	double timeout;
	bool icount;
	bool verbose;
};

/* Boot, run the scenario, collect. Return: 0, or -1 if the target could not start. */
int session_run(const struct gate_opts *o, const struct scenario *sc, struct run *r);

/* ---- figures ---- */

/* Parse r->leaks_text, r->status_text and the console's reports; symbolize with @elf. */
void figures_parse(struct run *r, struct elfsym *elf);

/* The key of @s as one string ("pages:fn;fn;..."), for comparisons. */
char *stack_key(const struct stack *s);

/* Two runs' figures differ: describe how into @out (determinism check). */
bool figures_differ(const struct run *a, const struct run *b, struct buf *out);

/* ---- the baseline ---- */

struct bstack {
	enum leak_kind kind;
	unsigned long count, bytes;
	char **fns;
	int nfns;
	bool matched;
};

struct baseline {
	struct bstack *stacks;
	int nstacks;
	unsigned long budget[NR_FIGURES];
	bool has_budget[NR_FIGURES];
};

/* Read @path (a missing file is an empty baseline when @may_be_missing). Return 0 or -1. */
int baseline_load(struct baseline *b, const char *path, bool may_be_missing);

/* Write @r's figures as the new baseline, budgets with @headroom percent more. */
int baseline_write(const char *path, const struct run *r, unsigned int headroom);

/* ---- checks and reports ---- */

struct check {
	char *name;
	bool ok;
	char *detail;		/* why it failed, or a note; may be NULL */
};

struct checks {
	struct check *c;
	int n;
	int failed;
};

void check_add(struct checks *cs, bool ok, char *name, char *detail);

/* Every check of one run against @b. */
void compare(const struct run *r, struct baseline *b, struct checks *cs);

/* The readable diff: failures first, with frames; notes after. */
void report_text(FILE *f, const struct checks *cs, const struct run *r);
int report_tap(const char *path, const struct checks *cs);
int report_junit(const char *path, const struct checks *cs, const char *suite, double seconds);

/* A stack's frames, one per line, indented, with file:line. */
void stack_print(struct buf *b, const struct stack *s);

#endif
