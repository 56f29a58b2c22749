// SPDX-License-Identifier: GPL-2.0
/*
 * One run of the gate: boot the firmware (or take a board on a serial
 * port), set the checkpoint and reset the heap peaks, run the scenario's
 * steps, then ask for `leaks` and `app status`. Everything the target
 * prints is kept (struct run .console) for the reports of figures.c.
 *
 * A step ends at the prompt. The panic console's prompt ends the run: the
 * firmware crashed. So does an idle timeout (nothing printed for the
 * timeout while a step waits) and the target going away.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate.h"

/* The gate's own checkpoint: leaks count from here. */
#define GATE_CHECKPOINT	"gate"
/* What the gate always boots with: owners of pages and objects, slab checks. */
#define GATE_BOOT_ARGS	"slab_owner=on slab_debug=FZ"
/* The most of a reply a failed @expect shows. */
#define REPLY_SHOWN	4000

struct session {
	struct target t;
	struct run *r;
	const struct gate_opts *o;
	double timeout;
	size_t reply_from, reply_to;	/* the last reply (the boot log at first) */
	size_t cmd_from;		/* where the last command's output began */
	bool panic;
};

static __attribute__((format(printf, 2, 3))) void run_fail(struct session *s, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;
	char tmp[1024];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	buf_add(&b, tmp, strlen(tmp));
	if (!s->r->failure)
		s->r->failure = b.s;
	else
		free(b.s);
}

/* Read what came within @ms; false when the target went away. */
static bool receive(struct session *s, int ms)
{
	char raw[65536];
	ssize_t n = target_recv(&s->t, raw, sizeof(raw), ms);

	if (n < 0)
		return false;
	for (ssize_t i = 0; i < n; i++)
		if (raw[i] != '\r')
			buf_add(&s->r->console, raw + i, 1);
	if (n > 0 && s->o->verbose)
		fwrite(raw, 1, (size_t)n, stderr);
	return true;
}

/* The console ends with a prompt at the start of a line (after @from). */
static bool at_prompt(struct session *s, size_t from)
{
	const struct buf *c = &s->r->console;
	size_t start = c->len;

	while (start > from && c->s[start - 1] != '\n')
		start--;
	if (start == c->len || !console_is_prompt(c->s + start, c->len - start))
		return false;
	s->panic = !strcmp(c->s + start, PANIC_PROMPT);
	s->reply_to = start;
	return true;
}

/* Wait for the prompt; false (the run failed, said why) on a timeout or exit. */
static bool wait_prompt(struct session *s, size_t from, const char *what)
{
	double last = tool_now();

	for (;;) {
		size_t before = s->r->console.len;
		int ms = (int)((last + s->timeout - tool_now()) * 1000);

		if (at_prompt(s, from))
			return true;
		if (ms <= 0) {
			run_fail(s, "no output for %g s %s (@timeout raises the limit)", s->timeout,
				 what);
			return false;
		}
		if (!receive(s, ms > 250 ? 250 : ms)) {
			run_fail(s, "%s %s", s->t.qemu ? "QEMU exited" : "the serial device closed",
				 what);
			return false;
		}
		if (s->r->console.len != before)
			last = tool_now();
	}
}

/* Type @cmd and read its reply. False: the run cannot go on. */
static bool command(struct session *s, const char *cmd, const char *what)
{
	const struct buf *c = &s->r->console;
	const char *nl;

	s->cmd_from = c->len;
	target_send(&s->t, cmd, strlen(cmd));
	target_send(&s->t, "\r", 1);
	if (!wait_prompt(s, c->len, what))
		return false;
	/* The reply starts after the echoed command line. */
	nl = memchr(c->s + s->cmd_from, '\n', c->len - s->cmd_from);
	s->reply_from = nl ? (size_t)(nl + 1 - c->s) : s->reply_to;
	if (s->reply_from > s->reply_to)
		s->reply_from = s->reply_to;
	if (s->panic) {
		run_fail(s, "the firmware crashed %s", what);
		return false;
	}
	return true;
}

static char *last_reply(const struct session *s)
{
	return xstrndup(s->r->console.s + s->reply_from, s->reply_to - s->reply_from);
}

static bool reply_has(const struct session *s, const char *text)
{
	char *reply = last_reply(s);
	bool has = strstr(reply, text) != NULL;

	free(reply);
	return has;
}

/* @wait: @text after the last command began, reading until @limit seconds have passed. */
static bool wait_text(struct session *s, const char *text, double limit)
{
	double end = tool_now() + limit;

	for (;;) {
		struct buf *c = &s->r->console;

		buf_add(c, "", 0);	/* NUL-terminated */
		if (strstr(c->s + s->cmd_from, text))
			return true;
		if (tool_now() >= end)
			return false;
		if (!receive(s, 100))
			return false;
	}
}

static void result(struct run *r, const struct scenario *sc, const struct step *st, bool ok,
		   char *why)
{
	static const char *const kinds[] = {
		[STEP_CMD] = "", [STEP_EXPECT] = "@expect ", [STEP_EXPECT_NOT] = "@expect-not ",
		[STEP_WAIT] = "@wait ", [STEP_TIMEOUT] = "@timeout ",
	};
	const char *base = strrchr(sc->path, '/');
	struct buf name = { 0 };

	buf_printf(&name, "%s'%s' (%s:%d)", kinds[st->kind], st->text, base ? base + 1 : sc->path,
		   st->lineno);
	r->results = xrealloc(r->results, (r->nresults + 1) * sizeof(*r->results));
	r->results[r->nresults++] = (struct step_result){ name.s, ok, why };
}

static bool run_steps(struct session *s, const struct scenario *sc)
{
	char what[400];

	for (int i = 0; i < sc->nsteps; i++) {
		const struct step *st = &sc->steps[i];
		struct buf why = { 0 };

		switch (st->kind) {
		case STEP_CMD:
			snprintf(what, sizeof(what), "after '%s' (%s:%d)", st->text, sc->path,
				 st->lineno);
			if (!command(s, st->text, what)) {
				result(s->r, sc, st, false, xstrdup(s->r->failure));
				return false;
			}
			result(s->r, sc, st, true, NULL);
			break;
		case STEP_EXPECT:
		case STEP_EXPECT_NOT:
			if (reply_has(s, st->text) != (st->kind == STEP_EXPECT)) {
				char *reply = last_reply(s);
				size_t n = strlen(reply);

				/* A long reply: its end, where a command's verdict usually is. */
				buf_printf(&why, "the reply %s '%s'; it was%s:\n%s",
					   st->kind == STEP_EXPECT ? "lacks" : "holds", st->text,
					   n > REPLY_SHOWN ? " (its end)" : "",
					   reply + (n > REPLY_SHOWN ? n - REPLY_SHOWN : 0));
				free(reply);
			}
			result(s->r, sc, st, !why.s, why.s);
			break;
		case STEP_WAIT:
			if (!wait_text(s, st->text, st->seconds > 0 ? st->seconds : s->timeout))
				buf_printf(&why, "'%s' did not come in %g s", st->text,
					   st->seconds > 0 ? st->seconds : s->timeout);
			result(s->r, sc, st, !why.s, why.s);
			break;
		case STEP_TIMEOUT:
			s->timeout = st->seconds;
			break;
		}
	}
	return true;
}

/* Copy the text of the last reply into @out. */
static bool collect(struct session *s, const char *cmd, char **out)
{
	char what[64];

	snprintf(what, sizeof(what), "after the gate's '%s'", cmd);
	if (!command(s, cmd, what))
		return false;
	*out = last_reply(s);
	return true;
}

int session_run(const struct gate_opts *o, const struct scenario *sc, struct run *r)
{
	struct session s = { .t = { .fd = -1 }, .r = r, .o = o, .timeout = o->timeout };
	struct buf qemu = { 0 }, boot = { 0 };
	char *junk = NULL;
	size_t boot_end;

	memset(r, 0, sizeof(*r));
	buf_add(&r->console, "", 0);
	if (!o->target.port) {
		if (o->target.qemu)
			buf_printf(&qemu, "%s", o->target.qemu);
		else
			buf_printf(&qemu, "-M virt -cpu %s -m %s -kernel '%s'%s",
				   sc->cpu ? sc->cpu : o->cpu, sc->mem ? sc->mem : o->mem, o->elf,
				   o->icount ? " -icount shift=0" : "");
		buf_printf(&boot, "%s%s%s%s%s", GATE_BOOT_ARGS, sc->boot_args ? " " : "",
			   sc->boot_args ? sc->boot_args : "", o->target.boot_args ? " " : "",
			   o->target.boot_args ? o->target.boot_args : "");
		target_stop_at_exit(&s.t);
		target_start_qemu(&s.t, qemu.s, boot.s);
	} else {
		target_stop_at_exit(&s.t);
		target_open_port(&s.t, o->target.port, o->target.baud ? o->target.baud : 115200);
		target_send(&s.t, "\x15\r", 2);	/* Ctrl-U: drop any half-typed line */
	}
	free(qemu.s);
	free(boot.s);
	if (!wait_prompt(&s, 0, o->target.port ? "from the board (is ferret running?)" :
			 "while booting"))
		goto out;
	if (s.panic) {
		run_fail(&s, "the firmware crashed while booting");
		goto out;
	}
	boot_end = s.reply_to;
	if (!collect(&s, "checkpoint " GATE_CHECKPOINT, &junk))
		goto out;
	free(junk);
	if (!collect(&s, "app heap all reset", &junk))
		goto out;
	free(junk);
	/* Before the first command, @expect looks at the boot log. */
	s.reply_from = 0;
	s.reply_to = boot_end;
	s.cmd_from = 0;
	if (run_steps(&s, sc) && collect(&s, "leaks", &r->leaks_text) &&
	    collect(&s, "app status", &r->status_text))
		r->completed = true;
out:
	target_stop(&s.t);
	return 0;
}
