// SPDX-License-Identifier: GPL-2.0
/*
 * analyse: read page_owner captures on the host.
 *
 *   analyse sort [--cull=KEYS] [--sort=KEYS] [-m|-t] [--pid L] [--tgid L]
 *                [--name L] [--top N] [-o OUT] capture.txt
 *   analyse diff [--threshold N] [--pid L] [--tgid L] [--name L] [-o OUT]
 *                old.txt new.txt
 *   analyse map  [--by stack|context] [--top N] [--pfn-range A-B] [--cols N]
 *                [--pages-per-cell N] -o map.svg [--png map.png] capture.txt
 *
 * Input: the `page_owner` dump (Linux's /sys/kernel/debug/page_owner format,
 * REFERENCE section 1): a "Page allocated via order ..." line, a "PFN ..."
 * line, frame lines that start with a space, a blank line. "\r" is ignored
 * and lines that belong to no record (console noise) are skipped. A
 * `page_owner_stacks` dump (frames, then "nr_base_pages: N") is read too:
 * each entry counts N pages and no blocks.
 *
 * sort  counts blocks ("times") and pages per distinct stack, like Linux's
 *       page_owner_sort --cull=stacktrace, and names the contexts that
 *       allocated them. --cull groups by other keys instead, printing
 *       page_owner_sort's own --cull format.
 * diff  pages per stack in two captures; prints the stacks whose pages
 *       changed, largest growth first.
 * map   draws physical memory: one cell per page (or per 2^n pages), coloured
 *       by the owning stack or context, free or unknown pages grey, with a
 *       legend that is a top-N table. SVG, and PNG from a built-in encoder
 *       (zlib stored blocks, CRC-32, Adler-32: no library needed).
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

#include "analyse_font.h"

static const char *prog = "analyse";

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ------------------------------------------------------------------------
 * Stacks: interned frame text, shared by every capture read, so that the
 * same stack has the same id in two captures.
 * ---------------------------------------------------------------------- */

struct stack {
	char *text;		/* frame lines, each " sym+0x../0x..\n" */
	char *top;		/* function of the first interesting frame */
};

static struct stack *stacks;
static size_t nr_stacks, stacks_cap;
static int *stack_hash;		/* open addressing: index + 1, 0 empty */
static size_t stack_hash_size;

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * Frames inside the allocator itself: the map's labels skip them to name the
 * caller (Linux's stacks start in get_page_from_freelist; ferret's already
 * start at the caller).
 */
static bool allocator_frame(const char *fn, size_t n)
{
	static const char *const internal[] = {
		"post_alloc_hook", "prep_new_page", "get_page_from_freelist",
		"__alloc_pages", "__alloc_pages_noprof", "alloc_pages", "alloc_pages_noprof",
		"__alloc_frozen_pages_noprof", "alloc_pages_mpol", "alloc_pages_mpol_noprof",
		"__folio_alloc", "__folio_alloc_noprof", "folio_alloc", "folio_alloc_noprof",
		"__get_free_pages", "__get_free_pages_noprof", "get_zeroed_page",
		"get_zeroed_page_noprof", "alloc_pages_node", "__alloc_pages_node",
		"set_page_owner", "__set_page_owner",
	};

	for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
		if (strlen(internal[i]) == n && !memcmp(internal[i], fn, n))
			return true;
	return false;
}

/* The function name of the first frame that is not the allocator's own. */
static char *stack_top(const char *text)
{
	const char *first = NULL, *line = text;

	while (*line) {
		const char *eol = strchr(line, '\n');
		const char *fn = line;
		size_t n;

		while (*fn == ' ')
			fn++;
		n = strcspn(fn, "+ \n");
		if (!first)
			first = fn;
		if (!allocator_frame(fn, n))
			return xstrndup(fn, n);
		if (!eol)
			break;
		line = eol + 1;
	}
	if (!first)
		return xstrndup("(no stack)", 10);
	return xstrndup(first, strcspn(first, "+ \n"));
}

static int stack_intern(const char *text, size_t len)
{
	uint64_t h;
	size_t i;

	if (nr_stacks * 2 >= stack_hash_size) {
		size_t size = stack_hash_size ? stack_hash_size * 2 : 1024;

		free(stack_hash);
		stack_hash = calloc(size, sizeof(*stack_hash));
		if (!stack_hash)
			die("out of memory");
		stack_hash_size = size;
		for (size_t s = 0; s < nr_stacks; s++) {
			i = fnv1a(stacks[s].text, strlen(stacks[s].text)) & (size - 1);
			while (stack_hash[i])
				i = (i + 1) & (size - 1);
			stack_hash[i] = (int)s + 1;
		}
	}
	h = fnv1a(text, len);
	for (i = h & (stack_hash_size - 1); stack_hash[i]; i = (i + 1) & (stack_hash_size - 1)) {
		struct stack *s = &stacks[stack_hash[i] - 1];

		if (strlen(s->text) == len && !memcmp(s->text, text, len))
			return stack_hash[i] - 1;
	}
	if (nr_stacks == stacks_cap) {
		stacks_cap = stacks_cap ? stacks_cap * 2 : 256;
		stacks = xrealloc(stacks, stacks_cap * sizeof(*stacks));
	}
	stacks[nr_stacks].text = xstrndup(text, len);
	stacks[nr_stacks].top = stack_top(stacks[nr_stacks].text);
	stack_hash[i] = (int)nr_stacks + 1;
	return (int)nr_stacks++;
}

/* ------------------------------------------------------------------------
 * Records
 * ---------------------------------------------------------------------- */

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

/* Parse the "Page allocated via order ..." line. Return: true if it is one. */
static bool parse_header(const char *line, struct rec *r)
{
	const char *p, *c, *e;

	if (strncmp(line, "Page allocated via order ", 25))
		return false;
	memset(r, 0, sizeof(*r));
	r->pfn = -1;
	r->order = (int)strtol(line + 25, NULL, 10);
	if (r->order < 0 || r->order > 30)
		return false;
	r->pages = 1UL << r->order;
	r->blocks = 1;
	p = strstr(line, "mask ");
	if (p)
		r->mask = strtoul(p + 5, NULL, 16);
	p = strstr(line, ", pid ");
	if (p)
		r->pid = (int)strtol(p + 6, NULL, 10);
	p = strstr(line, ", tgid ");
	if (p) {
		r->tgid = (int)strtol(p + 7, (char **)&c, 10);
		if (c[0] == ' ' && c[1] == '(') {
			c += 2;
			/* comm may hold anything: it ends at the last "), ts". */
			e = NULL;
			for (p = c; (p = strstr(p, "), ts")); p++)
				e = p;
			if (!e)
				e = c + strcspn(c, ")");
			snprintf(r->comm, sizeof(r->comm), "%.*s", (int)(e - c), c);
			p = strstr(e, "), ts ");
			if (p)
				r->ts = strtoull(p + 6, NULL, 10);
		}
	}
	r->stack = -1;
	return true;
}

static void capture_add(struct capture *c, struct rec *r, const char *frames, size_t len)
{
	r->stack = stack_intern(frames ? frames : "", len);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->recs = xrealloc(c->recs, c->cap * sizeof(*c->recs));
	}
	c->recs[c->n++] = *r;
}

static void capture_read(struct capture *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *frames = NULL;
	size_t line_cap = 0, flen = 0, fcap = 0;
	struct rec r;
	bool in_rec = false;
	struct stat st;
	ssize_t n;

	if (!f)
		die("cannot read %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))
		die("%s is a directory, not a capture", path);
	memset(c, 0, sizeof(*c));
	c->path = path;
	while ((n = getline(&line, &line_cap, f)) >= 0) {
		/* Strip "\r" anywhere and the "\n". */
		size_t len = 0;

		for (ssize_t i = 0; i < n; i++)
			if (line[i] != '\r' && line[i] != '\n')
				line[len++] = line[i];
		line[len] = '\0';

		if (line[0] == ' ' && (in_rec || len > 1)) {
			/* A frame: of the record, or of a page_owner_stacks entry. */
			if (!in_rec && flen == 0) {
				memset(&r, 0, sizeof(r));
				r.pfn = -1;
				r.order = -1;
				r.stack = -1;
			}
			if (flen + len + 2 > fcap) {
				fcap = (flen + len + 2) * 2;
				frames = xrealloc(frames, fcap);
			}
			memcpy(frames + flen, line, len);
			flen += len;
			frames[flen++] = '\n';
			continue;
		}
		if (!in_rec && flen && !strncmp(line, "nr_base_pages: ", 15)) {
			r.pages = strtoul(line + 15, NULL, 10);
			r.blocks = 0;
			capture_add(c, &r, frames, flen);
			flen = 0;
			continue;
		}
		if (in_rec && !strncmp(line, "PFN ", 4)) {
			r.pfn = strtoll(line + 4, NULL, 0);
			continue;
		}
		/* Anything else ends a record in progress. */
		if (in_rec)
			capture_add(c, &r, frames, flen);
		in_rec = parse_header(line, &r);
		flen = 0;
	}
	if (ferror(f))
		die("cannot read %s: %s", path, strerror(errno));
	if (in_rec)
		capture_add(c, &r, frames, flen);
	if (ftell(f) == 0)
		die("%s is empty: no page_owner records to read", path);
	if (!c->n)
		fprintf(stderr, "%s: %s holds no page_owner records or page_owner_stacks entries\n",
			prog, path);
	free(line);
	free(frames);
	fclose(f);
}

/* ------------------------------------------------------------------------
 * Selection (--pid, --tgid, --name) and grouping
 * ---------------------------------------------------------------------- */

struct select {
	char **names;
	int nnames;
	long *pids, *tgids;
	int npids, ntgids;
};

static char **split_list(const char *s, int *n)
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

enum key {
	KEY_PID, KEY_TGID, KEY_NAME, KEY_STACK, KEY_ALLOC_TS, KEY_TIMES, KEY_PAGES, KEY_ORDER,
	KEY_TXT,
};

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

struct sortkey {
	enum key key;
	int dir;		/* 1 increasing, -1 decreasing */
};

#define MAX_KEYS 12

static int parse_keys(const char *s, struct sortkey *out, bool cull)
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

struct group {
	const struct rec *rep;		/* first record of the group */
	unsigned long times, pages;
	unsigned long long ts;		/* earliest allocation */
	char *comms;			/* contexts, most pages first: "netrx,httpd" */
};

static const struct sortkey *cmp_keys;
static int cmp_nkeys;

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

static int cmp_groups(const void *pa, const void *pb)
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
static struct group *group_records(const struct capture *c, const struct select *sel,
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

static void free_groups(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].comms);
	free(g);
}

static FILE *open_out(const char *path)
{
	FILE *f;

	if (!path || !strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	return f;
}

static void close_out(FILE *f, const char *path)
{
	if (fflush(f) || ferror(f) || (f != stdout && fclose(f)))
		die("write %s: %s", path ? path : "stdout", strerror(errno));
}

static bool parse_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return false;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return true;
	}
	if (argv[*i][n])
		return false;
	if (*i + 1 >= argc)
		die("%s needs a value", name);
	*val = argv[++*i];
	return true;
}

static bool parse_select_opt(int argc, char **argv, int *i, struct select *sel)
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

static unsigned long parse_count(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		die("bad %s '%s'", what, s);
	return v;
}

/* ------------------------------------------------------------------------
 * sort
 * ---------------------------------------------------------------------- */

static int cmd_sort(int argc, char **argv)
{
	struct sortkey cull[MAX_KEYS], sort[MAX_KEYS];
	int ncull = 0, nsort = 0;
	const char *in = NULL, *outpath = NULL, *v;
	unsigned long top = 0;
	struct select sel = { 0 };
	bool show_st = false, show_pid = false, show_tgid = false, show_name = false;
	bool show_order = false;
	struct capture c;
	struct group *g;
	size_t ng;
	FILE *out;

	for (int i = 1; i < argc; i++) {
		if (parse_opt(argc, argv, &i, "--cull", &v))
			ncull = parse_keys(v, cull, true);
		else if (parse_opt(argc, argv, &i, "--sort", &v))
			nsort = parse_keys(v, sort, false);
		else if (!strcmp(argv[i], "-m"))
			nsort = parse_keys("pages,times", sort, false);
		else if (!strcmp(argv[i], "-t"))
			nsort = parse_keys("times,pages", sort, false);
		else if (!strcmp(argv[i], "-a"))
			nsort = parse_keys("alloc_ts", sort, false);
		else if (!strcmp(argv[i], "-p"))
			nsort = parse_keys("pid", sort, false);
		else if (!strcmp(argv[i], "-P"))
			nsort = parse_keys("tgid", sort, false);
		else if (!strcmp(argv[i], "-n"))
			nsort = parse_keys("name", sort, false);
		else if (!strcmp(argv[i], "-s"))
			nsort = parse_keys("stacktrace", sort, false);
		else if (parse_select_opt(argc, argv, &i, &sel))
			;
		else if (parse_opt(argc, argv, &i, "--top", &v))
			top = parse_count(v, "--top");
		else if (parse_opt(argc, argv, &i, "-o", &v))
			outpath = v;
		else if (argv[i][0] == '-' && argv[i][1])
			die("sort: unknown option '%s'", argv[i]);
		else if (in)
			die("sort: one capture only");
		else
			in = argv[i];
	}
	if (!in)
		die("usage: analyse sort [--cull=KEYS] [--sort=KEYS] [-m|-t] [--pid L] [--tgid L] "
		    "[--name L] [--top N] [-o OUT] capture.txt");
	if (!nsort)
		nsort = parse_keys("pages,times", sort, false);

	capture_read(&c, in);
	g = group_records(&c, &sel, ncull ? cull : (struct sortkey[]){ { KEY_STACK, 1 } },
			  ncull ? ncull : 1, &ng);
	cmp_keys = sort;
	cmp_nkeys = nsort;
	qsort(g, ng, sizeof(*g), cmp_groups);

	for (int k = 0; k < ncull; k++) {
		show_st |= cull[k].key == KEY_STACK;
		show_pid |= cull[k].key == KEY_PID;
		show_tgid |= cull[k].key == KEY_TGID;
		show_name |= cull[k].key == KEY_NAME;
		show_order |= cull[k].key == KEY_ORDER;
	}
	out = open_out(outpath);
	for (size_t i = 0; i < ng && (!top || i < top); i++) {
		const struct rec *r = g[i].rep;

		fprintf(out, "%lu times, %lu pages", g[i].times, g[i].pages);
		if (!ncull) {
			fprintf(out, ", allocated by %s:\n%s\n", g[i].comms,
				stacks[r->stack].text);
			continue;
		}
		/* page_owner_sort's --cull format (filters show their field too). */
		if (show_pid || sel.npids)
			fprintf(out, ", PID %d", r->pid);
		if (show_tgid || sel.ntgids)
			fprintf(out, ", TGID %d", r->tgid);
		if (show_name || sel.nnames)
			fprintf(out, ", task_comm_name: %s", r->comm);
		if (show_order)
			fprintf(out, ", order %d", r->order);
		if (show_st)
			fprintf(out, ":\n%s", stacks[r->stack].text);
		fprintf(out, "\n");
	}
	close_out(out, outpath);
	free_groups(g, ng);
	return 0;
}

/* ------------------------------------------------------------------------
 * diff
 * ---------------------------------------------------------------------- */

struct delta {
	int stack;
	unsigned long pages[2], times[2];
	char *comms;
	long d;
};

static int cmp_delta(const void *pa, const void *pb)
{
	const struct delta *a = pa, *b = pb;

	if (a->d != b->d)
		return a->d > b->d ? -1 : 1;
	return strcmp(stacks[a->stack].text, stacks[b->stack].text);
}

static int cmd_diff(int argc, char **argv)
{
	const char *in[2] = { NULL, NULL }, *outpath = NULL, *v;
	unsigned long threshold = 1, total[2] = { 0, 0 };
	struct select sel = { 0 };
	struct capture c[2];
	struct delta *d;
	size_t nd = 0, changed = 0;
	int nin = 0;
	FILE *out;

	for (int i = 1; i < argc; i++) {
		if (parse_opt(argc, argv, &i, "--threshold", &v))
			threshold = parse_count(v, "--threshold");
		else if (parse_select_opt(argc, argv, &i, &sel))
			;
		else if (parse_opt(argc, argv, &i, "-o", &v))
			outpath = v;
		else if (argv[i][0] == '-' && argv[i][1])
			die("diff: unknown option '%s'", argv[i]);
		else if (nin == 2)
			die("diff: two captures only");
		else
			in[nin++] = argv[i];
	}
	if (nin != 2)
		die("usage: analyse diff [--threshold N] [--pid L] [--tgid L] [--name L] "
		    "[-o OUT] old.txt new.txt");

	for (int k = 0; k < 2; k++)
		capture_read(&c[k], in[k]);
	d = calloc(nr_stacks ? nr_stacks : 1, sizeof(*d));
	if (!d)
		die("out of memory");
	for (size_t s = 0; s < nr_stacks; s++)
		d[s].stack = (int)s;
	for (int k = 0; k < 2; k++) {
		size_t ng;
		struct group *g = group_records(&c[k], &sel,
						(struct sortkey[]){ { KEY_STACK, 1 } }, 1, &ng);

		for (size_t i = 0; i < ng; i++) {
			struct delta *e = &d[g[i].rep->stack];

			e->pages[k] = g[i].pages;
			e->times[k] = g[i].times;
			total[k] += g[i].pages;
			if (k == 1 || !e->comms) {
				free(e->comms);
				e->comms = g[i].comms;
				g[i].comms = NULL;
			}
		}
		free_groups(g, ng);
	}
	for (size_t s = 0; s < nr_stacks; s++) {
		long delta = (long)d[s].pages[1] - (long)d[s].pages[0];

		if (delta == 0)
			continue;
		changed++;
		if ((unsigned long)labs(delta) < threshold)
			continue;
		d[nd] = d[s];
		d[nd++].d = delta;
	}
	qsort(d, nd, sizeof(*d), cmp_delta);

	out = open_out(outpath);
	for (size_t i = 0; i < nd; i++)
		fprintf(out, "%+ld pages, %lu -> %lu pages, %lu -> %lu times, allocated by %s:\n%s\n",
			d[i].d, d[i].pages[0], d[i].pages[1], d[i].times[0], d[i].times[1],
			d[i].comms ? d[i].comms : "", stacks[d[i].stack].text);
	fprintf(out, "total: %lu -> %lu pages (%+ld), %zu stacks changed, %zu shown\n", total[0],
		total[1], (long)total[1] - (long)total[0], changed, nd);
	close_out(out, outpath);
	return 0;
}

/* ------------------------------------------------------------------------
 * map: owners, grid, SVG, PNG
 * ---------------------------------------------------------------------- */

static const uint32_t palette[] = {
	0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7,
	0x9c755f, 0x1f77b4, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94,
	0xf7b6d2, 0xdbdb8d, 0x9edae5, 0x17becf,
};
#define MAX_TOP		((int)(sizeof(palette) / sizeof(palette[0])))
#define COLOR_OTHER	0x555555
#define COLOR_FREE	0xdddddd
#define COLOR_BG	0xffffff
#define COLOR_TEXT	0x000000

struct owner {
	char *label;
	unsigned long pages, blocks;
	int key;		/* stack id, or index of the context name */
};

struct map {
	unsigned long long start, end;	/* pfn range [start, end) */
	unsigned long pages_per_cell;
	unsigned long cols, rows, ncells;
	int *cell;			/* owner rank per cell: 0..top-1, top other, -1 free */
	struct owner *owners;		/* top first, then "other" */
	int nowners, top;
	unsigned long allocated;	/* pages in range */
	bool by_stack;
	unsigned long dropped;		/* pages outside the range */
	unsigned long duplicates;	/* pages a record claims that an earlier one did */
};

static bool owners_by_stack;

static int cmp_owner(const void *pa, const void *pb)
{
	const struct owner *a = pa, *b = pb;

	if (a->pages != b->pages)
		return a->pages > b->pages ? -1 : 1;
	if (owners_by_stack)
		return strcmp(stacks[a->key].text, stacks[b->key].text);
	return strcmp(a->label, b->label);
}

static uint32_t owner_color(const struct map *m, int rank)
{
	if (rank < 0)
		return COLOR_FREE;
	return rank < m->top ? palette[rank] : COLOR_OTHER;
}

/* Frame @i of @text ("sym+0x1/0x2"), without the leading space; "" past the end. */
static void frame_at(const char *text, int i, char *buf, size_t size)
{
	while (i-- > 0 && *text) {
		text = strchr(text, '\n');
		text = text ? text + 1 : "";
	}
	while (*text == ' ')
		text++;
	snprintf(buf, size, "%.*s", (int)strcspn(text, "\n"), text);
}

/*
 * Labels of the shown stacks: the first caller outside the allocator, and
 * where two shown stacks share it, the first frame that tells them apart;
 * then the context that allocated most of the stack's pages.
 */
static void label_stacks(struct owner *o, int n, const struct capture *c)
{
	struct sortkey by[2] = { { KEY_STACK, 1 }, { KEY_NAME, 1 } };
	unsigned long *best = calloc(nr_stacks ? nr_stacks : 1, sizeof(*best));
	const char **who = calloc(nr_stacks ? nr_stacks : 1, sizeof(*who));
	struct group *g;
	size_t ng;

	if (!best || !who)
		die("out of memory");
	g = group_records(c, NULL, by, 2, &ng);
	for (size_t i = 0; i < ng; i++) {
		int s = g[i].rep->stack;

		if (g[i].pages > best[s]) {
			best[s] = g[i].pages;
			who[s] = g[i].rep->comm;
		}
	}
	for (int a = 0; a < n; a++) {
		const char *ta = stacks[o[a].key].text;
		int differ = -1;
		char buf[512], fa[200], fb[200];

		for (int b = 0; b < n; b++) {
			const char *tb = stacks[o[b].key].text;

			if (b == a || strcmp(stacks[o[a].key].top, stacks[o[b].key].top))
				continue;
			for (int i = 0;; i++) {
				frame_at(ta, i, fa, sizeof(fa));
				frame_at(tb, i, fb, sizeof(fb));
				if (strcmp(fa, fb) || !fa[0]) {
					if (i > differ)
						differ = i;
					break;
				}
			}
		}
		if (differ >= 0) {
			frame_at(ta, differ, fa, sizeof(fa));
			snprintf(buf, sizeof(buf), "%s..%s (%s)", stacks[o[a].key].top,
				 fa[0] ? fa : "end", who[o[a].key] ? who[o[a].key] : "");
		} else {
			snprintf(buf, sizeof(buf), "%s (%s)", stacks[o[a].key].top,
				 who[o[a].key] ? who[o[a].key] : "");
		}
		free(o[a].label);
		o[a].label = xstrndup(buf, strlen(buf));
	}
	free_groups(g, ng);
	free(best);
	free(who);
}

static void map_build(struct map *m, const struct capture *c, bool by_stack, int top,
		      long long range_start, long long range_end, unsigned long cols,
		      unsigned long ppc)
{
	char **ctx_names = NULL;
	int nctx = 0, nkeys;
	struct owner *all;
	int *rank_of_key;
	int *page_owner;
	unsigned long long span;

	memset(m, 0, sizeof(*m));
	m->by_stack = by_stack;
	/* Extent: the records' pages, or the range asked for. */
	if (range_start >= 0) {
		m->start = range_start;
		m->end = range_end;
	} else {
		bool any = false;

		for (size_t i = 0; i < c->n; i++) {
			const struct rec *r = &c->recs[i];

			if (r->pfn < 0)
				continue;
			if (!any || (unsigned long long)r->pfn < m->start)
				m->start = r->pfn;
			if (!any || r->pfn + r->pages > m->end)
				m->end = r->pfn + r->pages;
			any = true;
		}
		if (!any)
			die("map: %s has no record with a PFN line", c->path);
	}
	span = m->end - m->start;
	if (span > (1ULL << 28))
		die("map: PFN range of %llu pages is too large (use --pfn-range)", span);

	/* Owners: per stack, or per context name. */
	for (size_t i = 0; i < c->n; i++) {
		int j;

		for (j = 0; j < nctx; j++)
			if (!strcmp(ctx_names[j], c->recs[i].comm))
				break;
		if (j == nctx) {
			ctx_names = xrealloc(ctx_names, (nctx + 1) * sizeof(*ctx_names));
			ctx_names[nctx++] = (char *)c->recs[i].comm;
		}
	}
	nkeys = by_stack ? (int)nr_stacks : nctx;
	all = calloc(nkeys ? nkeys : 1, sizeof(*all));
	rank_of_key = calloc(nkeys ? nkeys : 1, sizeof(*rank_of_key));
	page_owner = malloc(span * sizeof(*page_owner));
	if (!all || !rank_of_key || !page_owner)
		die("out of memory");
	for (int k = 0; k < nkeys; k++)
		all[k].key = k;
	for (unsigned long long p = 0; p < span; p++)
		page_owner[p] = -1;
	for (size_t i = 0; i < c->n; i++) {
		const struct rec *r = &c->recs[i];
		int key = r->stack;
		unsigned long in = 0;

		if (!by_stack)
			for (key = 0; strcmp(ctx_names[key], r->comm); key++)
				;
		if (r->pfn < 0)
			continue;
		for (unsigned long p = 0; p < r->pages; p++) {
			unsigned long long pfn = r->pfn + p;

			if (pfn < m->start || pfn >= m->end)
				continue;
			if (page_owner[pfn - m->start] >= 0) {
				/* The same block twice (a capture pasted twice): count it once. */
				m->duplicates++;
				continue;
			}
			page_owner[pfn - m->start] = key;
			in++;
		}
		m->dropped += r->pages - in;	/* outside the range, or already claimed */
		all[key].pages += in;
		all[key].blocks += in > 0;
		m->allocated += in;
	}
	/* Labels: a context's name; a stack's first caller outside the allocator. */
	for (int k = 0; k < nkeys; k++) {
		const char *base = by_stack ? stacks[k].top : ctx_names[k];

		all[k].label = xstrndup(base, strlen(base));
	}
	owners_by_stack = by_stack;
	qsort(all, nkeys, sizeof(*all), cmp_owner);
	while (nkeys > 0 && all[nkeys - 1].pages == 0)
		free(all[--nkeys].label);
	m->top = top < nkeys ? top : nkeys;
	if (by_stack)
		label_stacks(all, m->top, c);
	for (int r = 0; r < nkeys; r++)
		rank_of_key[all[r].key] = r < m->top ? r : m->top;
	m->owners = xrealloc(NULL, (m->top + 1) * sizeof(*m->owners));
	memcpy(m->owners, all, m->top * sizeof(*all));
	m->owners[m->top] = (struct owner){ .label = xstrndup("other", 5) };
	for (int r = m->top; r < nkeys; r++) {
		m->owners[m->top].pages += all[r].pages;
		m->owners[m->top].blocks += all[r].blocks;
		free(all[r].label);
	}
	m->nowners = m->top + (nkeys > m->top);

	/* Grid: @cols cells a row, 2^n pages a cell so that at most 256 rows. */
	m->cols = cols ? cols : 128;
	m->pages_per_cell = ppc ? ppc : 1;
	if (!ppc)
		while ((span + m->pages_per_cell * m->cols - 1) / (m->pages_per_cell * m->cols) > 256)
			m->pages_per_cell *= 2;
	m->ncells = (span + m->pages_per_cell - 1) / m->pages_per_cell;
	if (m->ncells < m->cols)
		m->cols = m->ncells ? m->ncells : 1;
	m->rows = (m->ncells + m->cols - 1) / m->cols;
	if (m->ncells > (1UL << 22))
		die("map: %lu cells is too many (use --pages-per-cell)", m->ncells);
	m->cell = xrealloc(NULL, (m->ncells ? m->ncells : 1) * sizeof(*m->cell));
	for (unsigned long cell = 0; cell < m->ncells; cell++) {
		unsigned long count[MAX_TOP + 1] = { 0 }, best = 0;
		int rank = -1;

		for (unsigned long p = cell * m->pages_per_cell;
		     p < (cell + 1) * m->pages_per_cell && p < span; p++)
			if (page_owner[p] >= 0)
				count[rank_of_key[page_owner[p]]]++;
		/* The owner of most of the cell's allocated pages; free if none. */
		for (int r = 0; r <= m->top; r++)
			if (count[r] > best) {
				best = count[r];
				rank = r;
			}
		m->cell[cell] = rank;
	}
	free(page_owner);
	free(rank_of_key);
	free(all);
	free(ctx_names);
}

static unsigned long free_pages_in_range(const struct map *m)
{
	return (unsigned long)(m->end - m->start) - m->allocated;
}

/* ---- SVG ---- */

static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
				fputc(*s, f);
			else
				fprintf(f, "&#%u;", (unsigned char)*s);
		}
	}
}

static double pct(unsigned long part, unsigned long whole)
{
	return whole ? 100.0 * part / whole : 0.0;
}

#define SVG_CELL	6
#define SVG_LEFT	90
#define SVG_TOP		50

static void write_svg(const struct map *m, const char *path, const char *title)
{
	FILE *f = open_out(path);
	unsigned long cs = SVG_CELL;
	unsigned long gw, gh, lx, width, height, legend_rows = m->nowners + 1;

	while (cs > 2 && m->cols * cs > 1600)
		cs--;
	gw = m->cols * cs;
	gh = m->rows * cs;
	lx = SVG_LEFT + gw + 30;
	width = lx + 560;
	height = SVG_TOP + (gh > legend_rows * 18 + 40 ? gh : legend_rows * 18 + 40) + 40;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%lu\" height=\"%lu\" "
		"viewBox=\"0 0 %lu %lu\" font-family=\"monospace\" font-size=\"12\">\n",
		width, height, width, height);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#%06x\"/>\n", COLOR_BG);
	fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">");
	xml_escape(f, title);
	fprintf(f, "</text>\n");
	fprintf(f, "<text x=\"10\" y=\"38\">PFN 0x%llx-0x%llx: %llu pages, %lu per cell, "
		"%lu allocated, coloured by %s</text>\n", m->start, m->end - 1,
		m->end - m->start, m->pages_per_cell, m->allocated,
		m->by_stack ? "stack" : "context");

	/* Free background: full rows, then the last partial row. */
	fprintf(f, "<g fill=\"#%06x\"><title>free or not in the capture</title>\n", COLOR_FREE);
	if (m->ncells / m->cols)
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%lu\" height=\"%lu\"/>\n", SVG_LEFT,
			SVG_TOP, gw, m->ncells / m->cols * cs);
	if (m->ncells % m->cols)
		fprintf(f, "<rect x=\"%d\" y=\"%lu\" width=\"%lu\" height=\"%lu\"/>\n", SVG_LEFT,
			SVG_TOP + m->ncells / m->cols * cs, m->ncells % m->cols * cs, cs);
	fprintf(f, "</g>\n");

	/* One group per owner; a rect per run of equal cells in a row. */
	for (int o = 0; o < m->nowners; o++) {
		fprintf(f, "<g fill=\"#%06x\"><title>", owner_color(m, o));
		xml_escape(f, m->owners[o].label);
		fprintf(f, ": %lu pages</title>\n", m->owners[o].pages);
		for (unsigned long row = 0; row < m->rows; row++) {
			unsigned long first = row * m->cols, last = first + m->cols;

			if (last > m->ncells)
				last = m->ncells;
			for (unsigned long cell = first; cell < last;) {
				unsigned long run = cell;

				while (run < last && m->cell[run] == o)
					run++;
				if (run > cell) {
					fprintf(f, "<rect x=\"%lu\" y=\"%lu\" width=\"%lu\" "
						"height=\"%lu\"/>\n", SVG_LEFT + (cell - first) * cs,
						SVG_TOP + row * cs, (run - cell) * cs, cs);
					cell = run;
				} else {
					cell++;
				}
			}
		}
		fprintf(f, "</g>\n");
	}

	/* Row labels: the first PFN of every 16th row. */
	for (unsigned long row = 0; row < m->rows; row += m->rows > 32 ? 16 : 4)
		fprintf(f, "<text x=\"%d\" y=\"%lu\" text-anchor=\"end\" font-size=\"10\">"
			"0x%llx</text>\n", SVG_LEFT - 6, SVG_TOP + row * cs + 8,
			m->start + (unsigned long long)row * m->cols * m->pages_per_cell);

	/* Legend and top-N table. */
	fprintf(f, "<g font-weight=\"bold\"><text x=\"%lu\" y=\"%d\">%s</text>"
		"<text x=\"%lu\" y=\"%d\" text-anchor=\"end\">pages</text>"
		"<text x=\"%lu\" y=\"%d\" text-anchor=\"end\">%% alloc</text></g>\n",
		lx + 18, SVG_TOP + 10, m->by_stack ? "stack (context)" : "context",
		lx + 470, SVG_TOP + 10, lx + 540, SVG_TOP + 10);
	for (int o = 0; o <= m->nowners; o++) {
		bool is_free = o == m->nowners;
		unsigned long y = SVG_TOP + 18 + o * 18;
		unsigned long pages = is_free ? free_pages_in_range(m) : m->owners[o].pages;
		const char *label = is_free ? "free / not in capture" : m->owners[o].label;
		char shown[52];

		snprintf(shown, sizeof(shown), "%s", label);
		fprintf(f, "<rect x=\"%lu\" y=\"%lu\" width=\"12\" height=\"12\" fill=\"#%06x\" "
			"stroke=\"#000\" stroke-width=\"0.5\"/>\n", lx, y,
			is_free ? COLOR_FREE : owner_color(m, o));
		fprintf(f, "<text x=\"%lu\" y=\"%lu\"><title>", lx + 18, y + 10);
		xml_escape(f, label);
		fprintf(f, "</title>");
		xml_escape(f, shown);
		fprintf(f, "</text><text x=\"%lu\" y=\"%lu\" text-anchor=\"end\">%lu</text>",
			lx + 470, y + 10, pages);
		if (!is_free)
			fprintf(f, "<text x=\"%lu\" y=\"%lu\" text-anchor=\"end\">%.1f</text>",
				lx + 540, y + 10, pct(pages, m->allocated));
		fprintf(f, "\n");
	}
	fprintf(f, "</svg>\n");
	close_out(f, path);
}

/* ---- PNG: 8-bit palette, zlib stored blocks ---- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc_update(uint32_t crc, const unsigned char *p, size_t n)
{
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void png_chunk(FILE *f, const char *type, const unsigned char *data, size_t len)
{
	unsigned char hdr[8], crc[4];
	uint32_t c;

	put_be32(hdr, (uint32_t)len);
	memcpy(hdr + 4, type, 4);
	c = crc_update(0xffffffffu, hdr + 4, 4);
	c = crc_update(c, data, len) ^ 0xffffffffu;
	put_be32(crc, c);
	fwrite(hdr, 1, 8, f);
	fwrite(data, 1, len, f);
	fwrite(crc, 1, 4, f);
}

/*
 * png_write - @w x @h pixels of palette indices (@pix, row-major), @pal of
 * @npal RGB colours. The image data is a zlib stream of stored (uncompressed)
 * deflate blocks of at most 65535 bytes, each row led by filter byte 0.
 */
static void png_write(const char *path, const unsigned char *pix, unsigned int w, unsigned int h,
		      const uint32_t *pal, int npal)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t raw_len = (size_t)(w + 1) * h, nblocks = (raw_len + 65534) / 65535;
	size_t zlen = 2 + nblocks * 5 + raw_len + 4, zpos = 0, done = 0;
	unsigned char *z = xrealloc(NULL, zlen), ihdr[13], plte[3 * 256];
	uint32_t s1 = 1, s2 = 0;
	FILE *f = open_out(path);

	crc_init();
	put_be32(ihdr, w);
	put_be32(ihdr + 4, h);
	ihdr[8] = 8;		/* bit depth */
	ihdr[9] = 3;		/* colour type: palette */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	for (int i = 0; i < npal; i++) {
		plte[3 * i] = pal[i] >> 16;
		plte[3 * i + 1] = pal[i] >> 8;
		plte[3 * i + 2] = pal[i];
	}

	z[zpos++] = 0x78;	/* CM 8 (deflate), 32K window */
	z[zpos++] = 0x01;	/* no dictionary, fastest; (0x7801 % 31 == 0) */
	while (done < raw_len) {
		size_t n = raw_len - done > 65535 ? 65535 : raw_len - done;

		z[zpos++] = done + n == raw_len;	/* BFINAL, BTYPE 00 */
		z[zpos++] = n & 0xff;
		z[zpos++] = n >> 8;
		z[zpos++] = ~n & 0xff;
		z[zpos++] = (~n >> 8) & 0xff;
		for (size_t i = 0; i < n; i++, done++) {
			size_t row = done / (w + 1), col = done % (w + 1);
			unsigned char b = col ? pix[row * w + col - 1] : 0;

			z[zpos++] = b;
			s1 = (s1 + b) % 65521;
			s2 = (s2 + s1) % 65521;
		}
	}
	put_be32(z + zpos, (s2 << 16) | s1);
	zpos += 4;

	fwrite(sig, 1, 8, f);
	png_chunk(f, "IHDR", ihdr, 13);
	png_chunk(f, "PLTE", plte, 3 * npal);
	png_chunk(f, "IDAT", z, zpos);
	png_chunk(f, "IEND", NULL, 0);
	close_out(f, path);
	free(z);
}

struct canvas {
	unsigned char *pix;
	unsigned int w, h;
};

static void fill(struct canvas *c, unsigned int x, unsigned int y, unsigned int w, unsigned int h,
		 unsigned char color)
{
	for (unsigned int j = y; j < y + h && j < c->h; j++)
		for (unsigned int i = x; i < x + w && i < c->w; i++)
			c->pix[(size_t)j * c->w + i] = color;
}

/* Text in the built-in 5x7 font, @scale pixels per font dot. Return: its width. */
static unsigned int draw_text(struct canvas *c, unsigned int x, unsigned int y, const char *s,
			      unsigned char color, unsigned int scale)
{
	unsigned int x0 = x;

	for (; *s; s++, x += (FONT_W + 1) * scale) {
		unsigned char ch = (unsigned char)*s;
		const unsigned char *g = font_glyph(ch);

		for (int row = 0; row < FONT_H; row++)
			for (int col = 0; col < FONT_W; col++)
				if (g[row] & (0x10 >> col))
					fill(c, x + col * scale, y + row * scale, scale, scale, color);
	}
	return x - x0;
}

enum { PAL_BG, PAL_TEXT, PAL_FREE, PAL_OTHER, PAL_OWNERS };

static void write_png(const struct map *m, const char *path, const char *title)
{
	unsigned int cs = 4, left = 10 * (FONT_W + 1) + 10, top = 40, gw, gh, lx, rowh = 14;
	unsigned int legend_h = (m->nowners + 2) * rowh + 10;
	uint32_t pal[PAL_OWNERS + MAX_TOP];
	struct canvas c;
	char line[160];

	while (cs > 1 && m->cols * cs > 1600)
		cs--;
	gw = m->cols * cs;
	gh = m->rows * cs;
	lx = left + gw + 20;
	c.w = lx + 14 + 62 * (FONT_W + 1) + 10;
	c.h = top + (gh > legend_h ? gh : legend_h) + 20;
	c.pix = calloc((size_t)c.w * c.h, 1);
	if (!c.pix)
		die("out of memory");
	pal[PAL_BG] = COLOR_BG;
	pal[PAL_TEXT] = COLOR_TEXT;
	pal[PAL_FREE] = COLOR_FREE;
	pal[PAL_OTHER] = COLOR_OTHER;
	for (int i = 0; i < MAX_TOP; i++)
		pal[PAL_OWNERS + i] = palette[i];

	draw_text(&c, 8, 6, title, PAL_TEXT, 2);
	snprintf(line, sizeof(line), "PFN 0x%llx-0x%llx, %lu pages per cell, by %s", m->start,
		 m->end - 1, m->pages_per_cell, m->by_stack ? "stack" : "context");
	draw_text(&c, 8, 24, line, PAL_TEXT, 1);
	for (unsigned long cell = 0; cell < m->ncells; cell++) {
		int o = m->cell[cell];
		unsigned char color = o < 0 ? PAL_FREE : o < m->top ? PAL_OWNERS + o : PAL_OTHER;

		fill(&c, left + (cell % m->cols) * cs, top + (cell / m->cols) * cs, cs, cs, color);
	}
	for (unsigned long row = 0; row < m->rows; row += m->rows > 32 ? 16 : 4) {
		snprintf(line, sizeof(line), "0x%llx",
			 m->start + (unsigned long long)row * m->cols * m->pages_per_cell);
		draw_text(&c, left - 4 - strlen(line) * (FONT_W + 1), top + row * cs, line,
			  PAL_TEXT, 1);
	}
	snprintf(line, sizeof(line), "%-44s %8s %7s", m->by_stack ? "stack (context)" : "context",
		 "pages", "% alloc");
	draw_text(&c, lx + 14, top, line, PAL_TEXT, 1);
	for (int o = 0; o <= m->nowners; o++) {
		bool is_free = o == m->nowners;
		unsigned long pages = is_free ? free_pages_in_range(m) : m->owners[o].pages;
		unsigned int y = top + (o + 1) * rowh;
		unsigned char color = is_free ? PAL_FREE : o < m->top ? PAL_OWNERS + o : PAL_OTHER;

		fill(&c, lx, y - 1, 9, 9, PAL_TEXT);
		fill(&c, lx + 1, y, 7, 7, color);
		snprintf(line, sizeof(line), "%-44.44s %8lu", is_free ? "free / not in capture" :
			 m->owners[o].label, pages);
		if (!is_free)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " %6.1f%%",
				 pct(pages, m->allocated));
		draw_text(&c, lx + 14, y, line, PAL_TEXT, 1);
	}
	png_write(path, c.pix, c.w, c.h, pal, PAL_OWNERS + MAX_TOP);
	free(c.pix);
}

static int cmd_map(int argc, char **argv)
{
	const char *in = NULL, *svg = NULL, *png = NULL, *v, *by = "stack";
	long long rs = -1, re = -1;
	unsigned long top = 10, cols = 0, ppc = 0;
	struct capture c;
	struct map m;
	char title[256];

	for (int i = 1; i < argc; i++) {
		if (parse_opt(argc, argv, &i, "-o", &v))
			svg = v;
		else if (parse_opt(argc, argv, &i, "--png", &v))
			png = v;
		else if (parse_opt(argc, argv, &i, "--by", &v))
			by = v;
		else if (parse_opt(argc, argv, &i, "--top", &v))
			top = parse_count(v, "--top");
		else if (parse_opt(argc, argv, &i, "--cols", &v))
			cols = parse_count(v, "--cols");
		else if (parse_opt(argc, argv, &i, "--pages-per-cell", &v))
			ppc = parse_count(v, "--pages-per-cell");
		else if (parse_opt(argc, argv, &i, "--pfn-range", &v)) {
			char *end;

			rs = strtoll(v, &end, 0);
			if (*end != '-' || rs < 0)
				die("--pfn-range wants START-END, e.g. 0x40000-0x60000");
			re = strtoll(end + 1, &end, 0);
			if (*end || re <= rs)
				die("--pfn-range wants START-END with START < END");
		} else if (argv[i][0] == '-' && argv[i][1])
			die("map: unknown option '%s'", argv[i]);
		else if (in)
			die("map: one capture only");
		else
			in = argv[i];
	}
	if (!in || (!svg && !png))
		die("usage: analyse map [--by stack|context] [--top N] [--pfn-range A-B] "
		    "[--cols N] [--pages-per-cell N] -o map.svg [--png map.png] capture.txt");
	if (strcmp(by, "stack") && strcmp(by, "context"))
		die("--by is stack or context");
	if (top < 1 || top > (unsigned long)MAX_TOP)
		die("--top is 1..%d", MAX_TOP);
	if (cols > 4096 || (ppc && (ppc & (ppc - 1))))
		die("--cols is at most 4096, --pages-per-cell a power of two");

	capture_read(&c, in);
	map_build(&m, &c, !strcmp(by, "stack"), (int)top, rs, re, cols, ppc);
	snprintf(title, sizeof(title), "ferret physical memory: %s", in);
	if (svg)
		write_svg(&m, svg, title);
	if (png)
		write_png(&m, png, title);
	fprintf(stderr, "%s: %zu records, %lu of %llu pages allocated, %lu x %lu cells of %lu "
		"pages%s%s%s%s\n", prog, c.n, m.allocated, m.end - m.start, m.cols, m.rows,
		m.pages_per_cell, svg ? " -> " : "", svg ? svg : "", png ? " -> " : "",
		png ? png : "");
	if (m.duplicates)
		fprintf(stderr, "%s: %lu pages are claimed by more than one record: each counted "
			"once, for the first record\n", prog, m.duplicates);
	return 0;
}

/* ------------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: analyse sort [--cull=KEYS] [--sort=KEYS] [-m|-t|-a|-p|-P|-n|-s]\n"
		"                    [--pid L] [--tgid L] [--name L] [--top N] [-o OUT] capture.txt\n"
		"       analyse diff [--threshold N] [--pid L] [--tgid L] [--name L] [-o OUT]\n"
		"                    old.txt new.txt\n"
		"       analyse map [--by stack|context] [--top N] [--pfn-range START-END]\n"
		"                   [--cols N] [--pages-per-cell N] -o map.svg [--png map.png]\n"
		"                   capture.txt\n"
		"\n"
		"cull keys: pid (p), tgid (tg), name (n, context, ctx), stacktrace (st), order (o)\n"
		"sort keys: those, alloc_ts (at), txt (T), times (t), pages (m);\n"
		"           [+|-]key: increasing / decreasing (times and pages default to -)\n"
		"L: comma-separated list. Default: --cull=stacktrace, sorted by pages.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "sort"))
		return cmd_sort(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "map"))
		return cmd_map(argc - 1, argv + 1);
	usage(stderr);
	return 2;
}
