// SPDX-License-Identifier: GPL-2.0
/*
 * analyse: selecting records (--pid, --tgid, --name), sort and cull keys, and
 * grouping records by keys.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyse.h"

char **split_list(const char *s, int *n)
{
	char **v = NULL;
	char *copy = xstrndup(s, strlen(s)), *tok, *save = NULL;

	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = xstrndup(tok, strlen(tok));
	}
	free(copy);
	return v;
}

static long *parse_nums(const char *s, int *n, const char *what)
{
	char **v = split_list(s, n);
	long *nums = xrealloc(NULL, *n * sizeof(*nums));

	for (int i = 0; i < *n; i++) {
		char *end;

		errno = 0;
		nums[i] = strtol(v[i], &end, 10);
		if (errno || end == v[i] || *end)
			die("bad %s list '%s'", what, s);
		free(v[i]);
	}
	free(v);
	return nums;
}

static bool selected(const struct select *sel, const struct rec *r)
{
	bool ok;

	if (sel->npids) {
		ok = false;
		for (int i = 0; i < sel->npids; i++)
			ok |= sel->pids[i] == r->pid;
		if (!ok)
			return false;
	}
	if (sel->ntgids) {
		ok = false;
		for (int i = 0; i < sel->ntgids; i++)
			ok |= sel->tgids[i] == r->tgid;
		if (!ok)
			return false;
	}
	if (sel->nnames) {
		ok = false;
		for (int i = 0; i < sel->nnames; i++)
			ok |= !strcmp(sel->names[i], r->comm);
		if (!ok)
			return false;
	}
	return true;
}

static const struct {
	const char *abbrev, *name;
	enum key key;
	bool cull;		/* may be a --cull key */
	bool down;		/* sorts decreasing unless given "+" */
} keys[] = {
	{ "p", "pid", KEY_PID, true, false },
	{ "tg", "tgid", KEY_TGID, true, false },
	{ "n", "name", KEY_NAME, true, false },
	{ "ctx", "context", KEY_NAME, true, false },
	{ "st", "stacktrace", KEY_STACK, true, false },
	{ "o", "order", KEY_ORDER, true, false },
	{ "at", "alloc_ts", KEY_ALLOC_TS, false, false },
	{ "T", "txt", KEY_TXT, false, false },
	{ "t", "times", KEY_TIMES, false, true },
	{ "m", "pages", KEY_PAGES, false, true },
};

int parse_keys(const char *s, struct sortkey *out, bool cull)
{
	int n = 0, nwords;
	char **words = split_list(s, &nwords);

	for (int w = 0; w < nwords; w++) {
		const char *k = words[w];
		int dir = 0;
		size_t i;

		if (*k == '+' || *k == '-')
			dir = *k++ == '+' ? 1 : -1;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(k, keys[i].abbrev) || !strcmp(k, keys[i].name))
				break;
		if (i == sizeof(keys) / sizeof(keys[0]) || (cull && (!keys[i].cull || dir)))
			die("unknown %s key '%s'", cull ? "--cull" : "--sort", words[w]);
		if (n == MAX_KEYS)
			die("too many keys in '%s'", s);
		out[n].key = keys[i].key;
		out[n].dir = dir ? dir : keys[i].down ? -1 : 1;
		n++;
		free(words[w]);
	}
	free(words);
	if (!n)
		die("no keys in '%s'", s);
	return n;
}

const struct sortkey *cmp_keys;
int cmp_nkeys;

static int cmp3(long long a, long long b)
{
	return a < b ? -1 : a > b;
}

static int cmp_field(const struct group *ga, const struct group *gb, const struct rec *a,
		     const struct rec *b, enum key key)
{
	switch (key) {
	case KEY_PID:
		return cmp3(a->pid, b->pid);
	case KEY_TGID:
		return cmp3(a->tgid, b->tgid);
	case KEY_NAME:
		return strcmp(a->comm, b->comm);
	case KEY_STACK:
		return a->stack == b->stack ? 0 :
		       strcmp(stacks[a->stack].text, stacks[b->stack].text);
	case KEY_ORDER:
		return cmp3(a->order, b->order);
	case KEY_ALLOC_TS:
		return ga ? (ga->ts < gb->ts ? -1 : ga->ts > gb->ts) :
		       (a->ts < b->ts ? -1 : a->ts > b->ts);
	case KEY_TIMES:
		return ga ? cmp3(ga->times, gb->times) : 0;
	case KEY_PAGES:
		return ga ? cmp3(ga->pages, gb->pages) : 0;
	case KEY_TXT:
		return strcmp(a->comm, b->comm) ? strcmp(a->comm, b->comm) :
		       a->stack == b->stack ? 0 :
		       strcmp(stacks[a->stack].text, stacks[b->stack].text);
	}
	return 0;
}

static int cmp_recs(const void *pa, const void *pb)
{
	const struct rec *a = *(const struct rec *const *)pa, *b = *(const struct rec *const *)pb;

	for (int i = 0; i < cmp_nkeys; i++) {
		int c = cmp_field(NULL, NULL, a, b, cmp_keys[i].key);

		if (c)
			return c;
	}
	return 0;
}

int cmp_groups(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	for (int i = 0; i < cmp_nkeys; i++) {
		int c = cmp_field(a, b, a->rep, b->rep, cmp_keys[i].key);

		if (c)
			return c * cmp_keys[i].dir;
	}
	/* Deterministic output: then by stack text, context, pid. */
	for (enum key k = KEY_STACK;; k = k == KEY_STACK ? KEY_NAME : KEY_PID) {
		int c = cmp_field(a, b, a->rep, b->rep, k);

		if (c || k == KEY_PID)
			return c;
	}
}

struct comm_count {
	const char *comm;
	unsigned long pages;
};

static int cmp_comm_count(const void *pa, const void *pb)
{
	const struct comm_count *a = pa, *b = pb;

	if (a->pages != b->pages)
		return a->pages > b->pages ? -1 : 1;
	return strcmp(a->comm, b->comm);
}

/* "a,b,c": the distinct contexts of @recs[0..n), most pages first. */
static char *join_comms(const struct rec *const *recs, size_t n)
{
	struct comm_count *cc = xrealloc(NULL, n * sizeof(*cc));
	size_t ncc = 0, len = 0;
	char *s;

	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < ncc; j++)
			if (!strcmp(cc[j].comm, recs[i]->comm))
				break;
		if (j == ncc)
			cc[ncc++] = (struct comm_count){ recs[i]->comm, 0 };
		cc[j].pages += recs[i]->pages;
	}
	qsort(cc, ncc, sizeof(*cc), cmp_comm_count);
	for (size_t j = 0; j < ncc; j++)
		len += strlen(cc[j].comm) + 1;
	s = xrealloc(NULL, len + 1);
	s[0] = '\0';
	for (size_t j = 0; j < ncc; j++) {
		if (j)
			strcat(s, ",");
		strcat(s, cc[j].comm);
	}
	free(cc);
	return s;
}

/*
 * Group the selected records of @c by the @ncull keys (records equal in all
 * of them share a group). Return: the groups, *@ngroups of them, unsorted.
 */
struct group *group_records(const struct capture *c, const struct select *sel,
				   const struct sortkey *cull, int ncull, size_t *ngroups)
{
	const struct rec **v = xrealloc(NULL, c->n * sizeof(*v));
	struct group *g = xrealloc(NULL, c->n * sizeof(*g));
	size_t n = 0, ng = 0;

	for (size_t i = 0; i < c->n; i++)
		if (!sel || selected(sel, &c->recs[i]))
			v[n++] = &c->recs[i];
	cmp_keys = cull;
	cmp_nkeys = ncull;
	qsort(v, n, sizeof(*v), cmp_recs);
	for (size_t i = 0, start = 0; i < n; i++) {
		if (ng == 0 || cmp_recs(&v[i], &g[ng - 1].rep)) {
			if (ng)
				g[ng - 1].comms = join_comms(v + start, i - start);
			start = i;
			g[ng++] = (struct group){ .rep = v[i], .ts = v[i]->ts };
		}
		g[ng - 1].times += v[i]->blocks;
		g[ng - 1].pages += v[i]->pages;
		if (v[i]->ts < g[ng - 1].ts)
			g[ng - 1].ts = v[i]->ts;
		if (i + 1 == n)
			g[ng - 1].comms = join_comms(v + start, n - start);
	}
	free(v);
	*ngroups = ng;
	return g;
}

void free_groups(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].comms);
	free(g);
}

bool parse_select_opt(int argc, char **argv, int *i, struct select *sel)
{
	const char *v;

	if (parse_opt(argc, argv, i, "--pid", &v))
		sel->pids = parse_nums(v, &sel->npids, "pid");
	else if (parse_opt(argc, argv, i, "--tgid", &v))
		sel->tgids = parse_nums(v, &sel->ntgids, "tgid");
	else if (parse_opt(argc, argv, i, "--name", &v))
		sel->names = split_list(v, &sel->nnames);
	else
		return false;
	return true;
}
