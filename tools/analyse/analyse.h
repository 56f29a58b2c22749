/* SPDX-License-Identifier: GPL-2.0 */
/*
 * analyse: what the subcommands share (tools/analyse.c says what each does).
 *
 *   util.c     errors, memory, output files, option values
 *   capture.c  page_owner captures read into records; stacks interned once
 *   group.c    --pid/--tgid/--name selection, sort and cull keys, grouping
 *   sort.c, diff.c, map.c    the subcommands; map.c lays out the picture,
 *   map_svg.c and map_png.c draw it
 */
#ifndef ANALYSE_H
#define ANALYSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- util.c ---- */

extern const char *prog;

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
FILE *open_out(const char *path);
void close_out(FILE *f, const char *path);
bool parse_opt(int argc, char **argv, int *i, const char *name, const char **val);
unsigned long parse_count(const char *s, const char *what);

/* ---- capture.c ---- */

/* Interned frame text, shared by every capture read: one id per stack. */
struct stack {
	char *text;		/* frame lines, each " sym+0x../0x..\n" */
	char *top;		/* function of the first interesting frame */
};

extern struct stack *stacks;
extern size_t nr_stacks;

#define COMM_MAX 64

struct rec {
	long long pfn;			/* head page, -1 if the capture has no PFN line */
	unsigned long pages;		/* 2^order, or nr_base_pages */
	unsigned int blocks;		/* 1; 0 for a page_owner_stacks entry */
	int order;			/* -1: unknown */
	unsigned long mask;
	int pid, tgid;
	unsigned long long ts;
	int stack;
	char comm[COMM_MAX];
};

struct capture {
	const char *path;
	struct rec *recs;
	size_t n, cap;
};

uint64_t fnv1a(const char *s, size_t n);
void capture_read(struct capture *c, const char *path);
/* Free every interned stack; their ids in records read before are void. */
void capture_forget_stacks(void);

/* ---- group.c ---- */

struct select {
	char **names;
	int nnames;
	long *pids, *tgids;
	int npids, ntgids;
};

enum key {
	KEY_PID, KEY_TGID, KEY_NAME, KEY_STACK, KEY_ALLOC_TS, KEY_TIMES, KEY_PAGES, KEY_ORDER,
	KEY_TXT,
};

struct sortkey {
	enum key key;
	int dir;		/* 1 increasing, -1 decreasing */
};

#define MAX_KEYS 12

struct group {
	const struct rec *rep;		/* first record of the group */
	unsigned long times, pages;
	unsigned long long ts;		/* earliest allocation */
	char *comms;			/* contexts, most pages first: "netrx,httpd" */
};

/* The keys cmp_groups() sorts by (qsort has no context argument). */
extern const struct sortkey *cmp_keys;
extern int cmp_nkeys;

char **split_list(const char *s, int *n);
int parse_keys(const char *s, struct sortkey *out, bool cull);
bool parse_select_opt(int argc, char **argv, int *i, struct select *sel);
struct group *group_records(const struct capture *c, const struct select *sel,
			    const struct sortkey *cull, int ncull, size_t *ngroups);
void free_groups(struct group *g, size_t n);
int cmp_groups(const void *pa, const void *pb);

/* ---- the subcommands ---- */

int cmd_sort(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_map(int argc, char **argv);

#endif
