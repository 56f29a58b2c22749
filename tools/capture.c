// SPDX-License-Identifier: GPL-2.0
/*
 * capture: run console commands on a ferret target and save the reply.
 *
 *   capture [--port DEV [--baud N] | --qemu "ARGS" [--boot-args "ARGS"]]
 *           [--timeout S] [-o FILE] [--all] [--quiet] [--stream [--elf ELF]]
 *           'command[;;command...]'
 *
 * The target is a serial device (--port: opened raw with termios, 8N1, no
 * flow control) or a QEMU started here (--qemu: qemu-system-aarch64, or
 * qemu-system-arm for a 32-bit -kernel ELF, with the given arguments plus
 * -nographic, -monitor none and the first serial port on stdio (with
 * signal=off), on a pseudo terminal; without --port or --qemu, QEMU runs
 * build/qemu-virt/ferret.elf).
 *
 * For each command: wait for the prompt "ferret> " (a serial target gets a
 * "\r" first), type the command and "\r", read until the next prompt. The
 * reply is saved with every "\r" removed, the echoed command line and the
 * closing prompt dropped: a page_owner dump comes out exactly as
 * page_owner_sort and `analyse` read it. Only the last command's reply is
 * saved (the others go to stderr) unless --all is given.
 *
 * --timeout is an idle timeout: the target must print something at least
 * every S seconds (default 30) while capture waits for a prompt. Ctrl-C
 * sends Ctrl-C to the target (stopping a long dump; what came so far is
 * kept); a second Ctrl-C gives up at once.
 *
 * --stream: the last command is `page_owner --format=stream` (the option is
 * added when missing; `leaks` and `page_owner_stacks` stream too). Its reply
 * is decoded as it arrives (the kernel's own codec, lib/owner_stream.c) and
 * saved as the text the command prints; every pfn range lost on the line (a
 * frame dropped, a CRC that fails) is asked for again with
 * `--pfns <start>-<end>` and merged in, up to three rounds (a report is asked
 * for again whole). What
 * stays lost is reported and the exit status is 1. --drop-frame N and
 * --corrupt-frame N (repeatable) damage frame N of the first reply on
 * purpose, to test that path. --elf ELF: a page_owner stream is asked for
 * with `--symbols=host` (frames as addresses, resolved here from ELF's symbol
 * table: smaller), and ELF must be the running image (its build id is checked;
 * another is refused).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "lib/po_stream.h"
#include "lib/target.h"

#define TAIL_MAX	4096

struct reply {
	FILE *out;		/* NULL: discard */
	char *line;		/* the current, unfinished line */
	size_t len, cap;
	bool echo_done;		/* the echoed command line was dropped */
	unsigned long bytes, records;
	bool blank;		/* the last complete line was empty */
	/* A dump's place: the last "PFN 0x.." seen, in RAM's pfn range (from memblock). */
	unsigned long pfn_now;
	struct po_collect *stream;	/* --stream: lines go to the decoder */
	bool damage;			/* apply --drop-frame / --corrupt-frame */
};

/* Frames to drop or corrupt on purpose (--drop-frame, --corrupt-frame). */
#define DAMAGE_MAX	64
static unsigned long drop_frames[DAMAGE_MAX], corrupt_frames[DAMAGE_MAX];
static unsigned int nr_drop, nr_corrupt;

static bool listed(const unsigned long *list, unsigned int n, unsigned long seq)
{
	for (unsigned int i = 0; i < n; i++)
		if (list[i] == seq)
			return true;
	return false;
}

/* Hand a stream line to the decoder, damaged first if the tests asked. */
static void stream_line(struct reply *r)
{
	unsigned long seq;

	if (r->damage && sscanf(r->line, "@F %lx ", &seq) == 1) {
		if (listed(drop_frames, nr_drop, seq))
			return;
		if (listed(corrupt_frames, nr_corrupt, seq) && r->len > 20)
			r->line[r->len / 2] ^= 0x01;	/* one bit, mid-payload */
	}
	po_collect_feed(r->stream, r->line, r->len);
	po_collect_feed(r->stream, "\n", 1);
}

/* RAM's pfns, from `memblock` before a page_owner dump on a terminal. */
static unsigned long ram_pfn_lo = ~0UL, ram_pfn_hi;

static bool quiet;
static double idle_timeout = 30;
static volatile sig_atomic_t sigints;
static char tail[TAIL_MAX];	/* the last bytes received, for error messages */
static size_t tail_len;

static void on_sigint(int sig)
{
	(void)sig;
	sigints++;
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [--port DEV [--baud N] | --qemu \"ARGS\" [--boot-args \"ARGS\"]]\n"
		"       [--timeout S] [-o FILE] [--all] [--quiet] 'command[;;command...]'\n"
		"\n"
		"  --port DEV        serial device (e.g. /dev/ttyUSB0), raw 8N1\n"
		"  --baud N          its speed (default 115200)\n"
		"  --qemu \"ARGS\"     boot QEMU with ARGS: qemu-system-arm for a 32-bit\n"
		"                    -kernel ELF, else qemu-system-aarch64, or $QEMU\n"
		"                    (default: \"%s%s\")\n"
		"  --boot-args \"S\"   kernel command line for QEMU (-append S)\n"
		"  --timeout S       give up when the target is silent for S seconds (default 30)\n"
		"  -o FILE           save the reply here (default: stdout)\n"
		"  --all             save every command's reply, not only the last one's\n"
		"  --quiet           no progress line\n"
		"  --stream          the last command is `page_owner --format=stream`: save its\n"
		"                    decoded text, re-request pfn ranges lost on the line\n"
		"  --elf ELF         with --stream: frames travel as addresses (--symbols=host),\n"
		"                    resolved from ELF, which must be the target's image\n"
		"  --drop-frame N, --corrupt-frame N   damage frame N of it (tests)\n",
		tool_name, DEFAULT_QEMU, DEFAULT_ELF);
	exit(status);
}

static __attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s: ", !quiet && isatty(2) ? "\n" : "", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (tail_len) {
		fprintf(stderr, "%s: the target's last output:\n", tool_name);
		for (size_t i = 0; i < tail_len; i++)
			if (tail[i] != '\r')
				fputc(tail[i], stderr);
		fputc('\n', stderr);
	}
	exit(1);
}

static void keep_tail(const char *buf, size_t n)
{
	if (n >= TAIL_MAX) {
		memcpy(tail, buf + n - TAIL_MAX, TAIL_MAX);
		tail_len = TAIL_MAX;
		return;
	}
	if (tail_len + n > TAIL_MAX) {
		size_t drop = tail_len + n - TAIL_MAX;

		memmove(tail, tail + drop, tail_len - drop);
		tail_len -= drop;
	}
	memcpy(tail + tail_len, buf, n);
	tail_len += n;
}

/* ---- the reply: lines, echo, prompt ---- */

static void line_push(struct reply *r, char c)
{
	if (r->len + 1 >= r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->line = realloc(r->line, r->cap);
		if (!r->line)
			tool_die("out of memory");
	}
	r->line[r->len++] = c;
}

/* A complete line of the reply: note where a dump is, and memblock's RAM ranges. */
static void line_seen(struct reply *r)
{
	unsigned long a, b;

	line_push(r, '\0');
	r->len--;
	if (sscanf(r->line, "PFN 0x%lx ", &a) == 1 || sscanf(r->line, "@F %*x %lx ", &a) == 1)
		r->pfn_now = a;
	else if (sscanf(r->line, " memory[0x%*x] [0x%lx-0x%lx]", &a, &b) == 2 && b > a) {
		if (a >> 12 < ram_pfn_lo)
			ram_pfn_lo = a >> 12;
		if ((b >> 12) + 1 > ram_pfn_hi)
			ram_pfn_hi = (b >> 12) + 1;
	}
}

/* Feed received bytes; return true once the prompt ends the reply. */
static bool reply_feed(struct reply *r, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];

		if (c == '\r')
			continue;
		if (c != '\n') {
			line_push(r, c);
			continue;
		}
		if (!r->echo_done) {
			r->echo_done = true;	/* the echoed command */
		} else {
			line_seen(r);
			if (r->stream)
				stream_line(r);
			else if (r->out && (fwrite(r->line, 1, r->len, r->out) != r->len ||
				       fputc('\n', r->out) == EOF))
				tool_die("write: %s", strerror(errno));
			r->bytes += r->len + 1;
			if (r->len == 0 && !r->blank)
				r->records++;
			r->blank = r->len == 0;
		}
		r->len = 0;
	}
	return r->echo_done && console_is_prompt(r->line, r->len);
}

static bool show_progress(void)
{
	return !quiet && isatty(2);
}

/* The progress line: on a terminal only, for replies that take over a second. */
static bool progress(const struct reply *r, double t0, bool final)
{
	double dt = tool_now() - t0;

	if (!show_progress())
		return false;
	fprintf(stderr, "\r%s: %lu bytes, %lu records, %.1f kB/s", tool_name, r->bytes, r->records,
		dt > 0 ? r->bytes / dt / 1000 : 0.0);
	/* A page_owner dump walks RAM in pfn order: how far it is tells what is left. */
	if (!final && r->pfn_now > ram_pfn_lo && r->pfn_now < ram_pfn_hi) {
		double done = (double)(r->pfn_now - ram_pfn_lo) / (ram_pfn_hi - ram_pfn_lo);
		unsigned long left = (unsigned long)(dt * (1 - done) / done + 0.5);

		fprintf(stderr, ", %.0f%%, %lu:%02lu left", done * 100, left / 60, left % 60);
	}
	fputs(final ? "\n" : "\033[K", stderr);
	return true;
}

/*
 * Read until the prompt. @r NULL: boot (or resync), discard everything and
 * wait for a prompt at the start of a line.
 */
static void read_until_prompt(struct target *t, struct reply *r, const char *what)
{
	struct reply boot = { 0 };
	double t0 = tool_now(), last = t0, shown = t0;
	bool sent_intr = false, shown_any = false;
	char buf[65536];

	if (!r) {
		r = &boot;
		r->echo_done = true;
	}
	for (;;) {
		int ms = (int)((last + idle_timeout - tool_now()) * 1000);
		ssize_t n;

		if (sigints > 1) {
			target_stop(t);
			fprintf(stderr, "\n%s: interrupted\n", tool_name);
			exit(130);
		}
		if (sigints && !sent_intr) {
			target_send(t, "\x03", 1);	/* stop the command on the target */
			sent_intr = true;
		}
		if (ms <= 0)
			fail("timeout: no output for %g s while waiting for the prompt %s", idle_timeout,
			     what);
		n = target_recv(t, buf, sizeof(buf), ms > 250 ? 250 : ms);
		if (r->out && tool_now() - shown > 0.5 && tool_now() - t0 > 1) {
			shown_any |= progress(r, t0, false);
			shown = tool_now();
		}
		if (!n)
			continue;
		if (n < 0)
			fail(t->qemu ? "QEMU exited %s" : "the serial device closed %s", what);
		last = tool_now();
		keep_tail(buf, n);
		if (reply_feed(r, buf, n)) {
			if (shown_any)
				progress(r, t0, true);
			break;
		}
	}
	free(boot.line);
	if (sent_intr) {
		target_stop(t);
		fprintf(stderr, "%s: interrupted; the reply so far was saved\n", tool_name);
		exit(130);
	}
}

/* Lost ranges closer than this (pfns) are asked for in one request. */
#define REQUEST_GAP	1024

static const struct elf_syms *stream_elf;	/* --elf */

/* Run @cmd, decoding its stream into @c. */
static void run_stream(struct target *t, const char *cmd, struct po_collect *c, bool damage)
{
	struct reply r = { .stream = c, .damage = damage };
	char what[300];

	snprintf(what, sizeof(what), "after '%s'", cmd);
	po_collect_init(c, stream_elf);
	target_send(t, cmd, strlen(cmd));
	target_send(t, "\r", 1);
	read_until_prompt(t, &r, what);
	po_collect_done(c);
	free(r.line);
	if (po_collect_elf_refused(c, stderr, tool_name))
		exit(2);
}

/*
 * --stream: the dump, then each lost range again (up to three rounds); the
 * text to @out. Return: 0, or 1 if pfns stay lost.
 */
static int capture_stream(struct target *t, const char *cmd, FILE *out)
{
	char full[300], again[400];
	struct po_collect c, fix;
	unsigned int asked = 0;

	snprintf(full, sizeof(full), "%s%s%s", cmd,
		 strstr(cmd, "--format=stream") ? "" : " --format=stream",
		 stream_elf && !strncmp(cmd, "page_owner", 10) && (!cmd[10] || cmd[10] == ' ') &&
		 !strstr(cmd, "--symbols=") ? " --symbols=host" : "");
	run_stream(t, full, &c, true);
	if (!c.dec.frames && !c.dec.have_trailer && !c.nlost)
		tool_die("no stream in the reply to '%s'", full);
	/* A report (leaks, stacks) is asked for again whole: its lines are not pfns. */
	for (int round = 0; round < 3 && c.nlost && strcmp(c.dec.kind, "page_owner"); round++) {
		po_collect_report(&c, stderr, tool_name);
		fprintf(stderr, "%s: asking again for all of it\n", tool_name);
		po_collect_free(&c);
		run_stream(t, full, &c, false);
		asked++;
	}
	for (int round = 0; round < 3 && c.nlost && !strcmp(c.dec.kind, "page_owner"); round++) {
		size_t n = 0;
		struct po_lost *lost = malloc(c.nlost * sizeof(*lost));

		if (!lost)
			tool_die("out of memory");
		po_collect_report(&c, stderr, tool_name);
		/* One request for losses close together (a lost definition loses many). */
		for (size_t i = 0; i < c.nlost; i++) {
			if (strstr(c.lost[i].why, "stopped on the target"))
				continue;	/* Ctrl-C there: nothing to repair */
			if (n && c.lost[i].start >= lost[n - 1].start &&
			    c.lost[i].start <= lost[n - 1].end + REQUEST_GAP) {
				if (c.lost[i].end > lost[n - 1].end)
					lost[n - 1].end = c.lost[i].end;
				continue;
			}
			lost[n++] = c.lost[i];
		}
		for (size_t i = 0; i < n; i++) {
			fprintf(stderr, "%s: asking again for pfns 0x%lx-0x%lx\n", tool_name,
				lost[i].start, lost[i].end);
			snprintf(again, sizeof(again), "%s --pfns 0x%lx-0x%lx", full, lost[i].start,
				 lost[i].end);
			run_stream(t, again, &fix, false);
			asked++;
			po_collect_merge(&c, &fix, lost[i].start, lost[i].end);
			po_collect_free(&fix);
		}
		free(lost);
	}
	if (po_collect_write(&c, out))
		tool_die("write: %s", strerror(errno));
	if (c.nlost) {
		fprintf(stderr, "%s: still lost after asking again:\n", tool_name);
		po_collect_report(&c, stderr, tool_name);
	} else if (asked) {
		fprintf(stderr, "%s: every lost range was sent again and decoded\n", tool_name);
	}
	{
		int status = c.nlost ? 1 : 0;

		po_collect_free(&c);
		return status;
	}
}

int main(int argc, char **argv)
{
	const char *outfile = NULL, *cmds = NULL;
	struct target_opts o = { 0 };
	struct target t = { .fd = -1 };
	bool all = false, stream = false;
	const char *elf_name = NULL;
	FILE *out = stdout;
	int status = 0;
	char *list, *cmd, *next;
	struct sigaction sa;

	tool_name = "capture";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage(0);
		else if (!strcmp(a, "--all"))
			all = true;
		else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
			quiet = true;
		else if (!strcmp(a, "--stream"))
			stream = true;
		else if (!strcmp(a, "--elf") && v)
			elf_name = argv[++i];
		else if (target_parse_opt(&o, argc, argv, &i))
			continue;
		else if (a[0] == '-' && a[1] && !v)
			usage(2);
		else if (!strcmp(a, "--drop-frame") && nr_drop < DAMAGE_MAX)
			drop_frames[nr_drop++] = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(a, "--corrupt-frame") && nr_corrupt < DAMAGE_MAX)
			corrupt_frames[nr_corrupt++] = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(a, "--timeout"))
			idle_timeout = atof(argv[++i]);
		else if (!strcmp(a, "-o"))
			outfile = argv[++i];
		else if (a[0] == '-' && a[1])
			usage(2);
		else if (cmds)
			usage(2);
		else
			cmds = a;
	}
	if (!cmds || (o.port && (o.qemu || o.boot_args)) || idle_timeout <= 0 ||
	    (elf_name && !stream))
		usage(2);
	if (elf_name) {
		static struct elf_syms elf;
		char err[512];

		if (elf_syms_open(&elf, elf_name, err, sizeof(err)))
			tool_die("%s", err);
		stream_elf = &elf;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (outfile) {
		out = fopen(outfile, "w");
		if (!out)
			tool_die("cannot write %s: %s", outfile, strerror(errno));
	}
	target_stop_at_exit(&t);
	target_open(&t, &o, o.port ? NULL : target_default_qemu_args(NULL));
	if (o.port)
		target_send(&t, "\x15\r", 2);	/* Ctrl-U: drop any half-typed line */
	read_until_prompt(&t, NULL, o.port ? "(is ferret running on the port?)" : "after boot");

	list = strdup(cmds);
	for (cmd = list; cmd; cmd = next) {
		struct reply r = { 0 };
		char what[300];

		next = strstr(cmd, ";;");
		if (next) {
			*next = '\0';
			next += 2;
		}
		while (*cmd == ' ')
			cmd++;
		for (char *e = cmd + strlen(cmd); e > cmd && e[-1] == ' ';)
			*--e = '\0';
		if (!*cmd)
			continue;
		r.out = (all || !next) ? out : (quiet ? NULL : stderr);
		if (show_progress() && !strcmp(cmd, "page_owner") && !ram_pfn_hi) {
			/* RAM's extent first, for the dump's time left. */
			struct reply mb = { 0 };

			target_send(&t, "memblock\r", 9);
			read_until_prompt(&t, &mb, "after 'memblock'");
			free(mb.line);
		}
		if (stream && !next) {
			status = capture_stream(&t, cmd, out);
			continue;
		}
		snprintf(what, sizeof(what), "after '%s'", cmd);
		target_send(&t, cmd, strlen(cmd));
		target_send(&t, "\r", 1);
		read_until_prompt(&t, &r, what);
		free(r.line);
	}
	free(list);
	target_stop(&t);
	if (fflush(out) || (out != stdout && fclose(out)))
		tool_die("write %s: %s", outfile ? outfile : "stdout", strerror(errno));
	return status;
}
