// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario file: one console command a line, and directives that start
 * with '@' (docs/CI.md):
 *
 *   # a comment; blank lines are skipped
 *   @boot-args slab_debug=FZ app=init    more kernel command line (before the first command)
 *   @mem 1G                              the QEMU RAM size (default 512M)
 *   @cpu cortex-a72                      the QEMU CPU model (default cortex-a53)
 *   @timeout 60                          the idle timeout from here on, seconds
 *   app run all 140                      a command: typed, then its reply read to the prompt
 *   @expect 140 of 140 iterations        the last reply (or the boot log) holds this text
 *   @expect-not leaked?                  ... does not hold it
 *   @wait sensor: ready [20]             read until this text has come (limit in seconds)
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"

static void add_step(struct scenario *s, enum step_kind kind, const char *text, double sec,
		     int lineno)
{
	s->steps = xrealloc(s->steps, (s->nsteps + 1) * sizeof(*s->steps));
	s->steps[s->nsteps++] = (struct step){ kind, xstrdup(text), sec, lineno };
}

/* "text [seconds]": the trailing number, if any, is the limit. */
static double split_limit(char *text, double dflt)
{
	char *sp = strrchr(text, ' '), *end;
	double v;

	if (!sp)
		return dflt;
	errno = 0;
	v = strtod(sp + 1, &end);
	if (errno || *end || end == sp + 1 || v <= 0)
		return dflt;
	*sp = '\0';
	return v;
}

/* The QEMU -m forms: a number with an optional K, M, G suffix. */
static bool valid_mem(const char *m)
{
	size_t n = strspn(m, "0123456789");

	return n && (!m[n] || (strchr("KkMmGg", m[n]) && !m[n + 1]));
}

int scenario_load(struct scenario *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	bool commands = false;
	struct buf boot = { 0 };

	memset(s, 0, sizeof(*s));
	s->path = path;
	if (!f) {
		fprintf(stderr, "%s: cannot read the scenario %s: %s\n", tool_name, path,
			strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *p = line, *arg;

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
			       line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		for (char *c = p; *c; c++)
			if ((unsigned char)*c < ' ' && *c != '\t')
				goto bad_char;
		if (*p != '@') {
			if (strlen(p) > 255)
				goto too_long;
			add_step(s, STEP_CMD, p, 0, lineno);
			commands = true;
			continue;
		}
		arg = p + strcspn(p, " \t");
		if (*arg)
			*arg++ = '\0';
		while (*arg == ' ' || *arg == '\t')
			arg++;
		if (!strcmp(p, "@expect") || !strcmp(p, "@expect-not")) {
			if (!*arg)
				goto no_arg;
			add_step(s, p[7] ? STEP_EXPECT_NOT : STEP_EXPECT, arg, 0, lineno);
		} else if (!strcmp(p, "@wait")) {
			double limit;

			if (!*arg)
				goto no_arg;
			limit = split_limit(arg, 0);
			add_step(s, STEP_WAIT, arg, limit, lineno);
		} else if (!strcmp(p, "@timeout")) {
			char *end;
			double v = strtod(arg, &end);

			if (!*arg || *end || v <= 0 || v > 86400) {
				fprintf(stderr, "%s:%d: @timeout takes seconds (0 < s <= 86400), not '%s'\n",
					path, lineno, arg);
				goto fail;
			}
			add_step(s, STEP_TIMEOUT, "", v, lineno);
		} else if (!strcmp(p, "@boot-args") || !strcmp(p, "@mem") || !strcmp(p, "@cpu")) {
			if (commands) {
				fprintf(stderr, "%s:%d: %s comes before the first command (it sets up the boot)\n",
					path, lineno, p);
				goto fail;
			}
			if (!*arg)
				goto no_arg;
			if (p[1] == 'c') {
				if (strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
				    strlen(arg)) {
					fprintf(stderr, "%s:%d: @cpu takes a QEMU CPU model (cortex-a72), not '%s'\n",
						path, lineno, arg);
					goto fail;
				}
				free(s->cpu);
				s->cpu = xstrdup(arg);
			} else if (p[1] == 'm') {
				if (!valid_mem(arg)) {
					fprintf(stderr, "%s:%d: @mem takes a QEMU size (512M, 1G), not '%s'\n",
						path, lineno, arg);
					goto fail;
				}
				free(s->mem);
				s->mem = xstrdup(arg);
			} else {
				buf_printf(&boot, "%s%s", boot.len ? " " : "", arg);
			}
		} else {
			fprintf(stderr, "%s:%d: unknown directive '%s' (@boot-args, @mem, @timeout, "
				"@cpu, @expect, @expect-not, @wait)\n", path, lineno, p);
			goto fail;
		}
	}
	fclose(f);
	free(line);
	s->boot_args = boot.s;
	if (!commands) {
		fprintf(stderr, "%s: the scenario %s has no command\n", tool_name, path);
		return -1;
	}
	return 0;

bad_char:
	fprintf(stderr, "%s:%d: a control character in the line\n", path, lineno);
	goto fail;
too_long:
	fprintf(stderr, "%s:%d: a command longer than the console's 255 characters\n", path,
		lineno);
	goto fail;
no_arg:
	fprintf(stderr, "%s:%d: %s needs an argument\n", path, lineno, line);
fail:
	fclose(f);
	free(line);
	free(boot.s);
	return -1;
}
