// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: an interactive terminal to a ferret target that decodes the code
 * addresses it sees.
 *
 *   monitor [--port DEV [--baud N] | --qemu "ARGS" [--boot-args "ARGS"]]
 *           [--elf FILE] [-o LOG] [--no-decode]
 *
 * Keys go to the target as typed (Ctrl-C included); Ctrl-] leaves. Every
 * line the target prints is shown as it arrives; when it ends, each code
 * address in it gets a line of its own beneath it,
 *
 *	 cmd_alloc+0x5c/0x120
 *	   -> cmd_alloc (kernel/cmd_mm.c:52)
 *
 * found in the ELF's symbol table and DWARF line table (elfutils' libdw):
 * "sym+0x1c/0x80" frames (a return address is looked up one byte back, at
 * its call, as %pB does), and 0x-prefixed or register-wide hex numbers (16
 * digits, 8 for a 32-bit Arm ELF) that fall inside a function (crash report registers, pc/lr, trace lines). An address
 * inside an inlined function names it and the function it was inlined in.
 *
 * -o LOG saves the session as shown: what the target printed (without '\r')
 * and the decoded lines. The target is a serial device or a QEMU, as for
 * capture (tools/lib/target.c).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lib/elfsym.h"
#include "lib/target.h"

#define EXIT_KEY	0x1d	/* Ctrl-] */
#define LINE_MAX	4096

static struct elfsym decoder;
static bool have_elf;
static FILE *logf;
static bool colour;
static struct termios saved_tio;
static bool tio_saved;

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: monitor [--port DEV [--baud N] | --qemu \"ARGS\" [--boot-args \"ARGS\"]]\n"
		"               [--elf FILE] [-o LOG] [--no-decode]\n"
		"\n"
		"  --port DEV        serial device (e.g. /dev/ttyUSB0), raw 8N1\n"
		"  --baud N          its speed (default 115200)\n"
		"  --qemu \"ARGS\"     boot QEMU with ARGS (qemu-system-arm for a 32-bit\n"
		"                    -kernel ELF; default: this tree's\n"
		"                    %s on virt)\n"
		"  --boot-args \"S\"   kernel command line for QEMU (-append S)\n"
		"  --elf FILE        the ELF to decode addresses with (default: the one QEMU\n"
		"                    boots, else %s)\n"
		"  -o LOG            save the session (output and decoded lines) to LOG\n"
		"  --no-decode       a plain terminal\n"
		"\n"
		"Keys go to the target; Ctrl-] leaves.\n",
		DEFAULT_ELF, DEFAULT_ELF);
	exit(status);
}

/* ---- decoding ---- */

static void show(const char *s, size_t n)
{
	if (write(1, s, n) < 0)
		return;
}

static void log_text(const char *s, size_t n)
{
	for (size_t i = 0; logf && i < n; i++)
		if (s[i] != '\r')
			fputc(s[i], logf);
}

static void emit_decode(const char *token, size_t tlen, GElf_Addr lookup)
{
	char what[512], line[700];
	int n;

	if (!elfsym_describe(&decoder, lookup, what, sizeof(what)))
		return;
	n = snprintf(line, sizeof(line), "  %.*s -> %s\n", (int)tlen, token, what);
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (colour)
		show("\033[33m", 5);
	show(line, (size_t)n - 1);
	show(colour ? "\033[0m\r\n" : "\r\n", colour ? 6 : 2);
	log_text(line, (size_t)n);
}

/* Hex digits of a register as the target prints it: 16, or 8 on 32-bit Arm. */
static size_t reg_digits = 16;

static bool is_ident(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

/* A pc, not a return address: the line says so ("pc :", "ELR:"). */
static bool line_is_pc(const char *l)
{
	while (*l == ' ')
		l++;
	return !strncmp(l, "pc ", 3) || !strncmp(l, "ELR", 3);
}

/* Decode every code address in one complete line. */
static void decode_line(const char *l, size_t len)
{
	bool pc = line_is_pc(l);
	size_t i = 0;

	while (i < len) {
		/* "sym+0xOFF/0xSIZE": a frame, by its return address. */
		if (is_ident((unsigned char)l[i]) && (i == 0 || !is_ident((unsigned char)l[i - 1]))) {
			size_t s = i, e = i;
			unsigned long long off;
			char *end;

			while (e < len && is_ident((unsigned char)l[e]))
				e++;
			if (e + 3 < len && l[e] == '+' && l[e + 1] == '0' && l[e + 2] == 'x') {
				off = strtoull(l + e + 3, &end, 16);
				if (*end == '/' && end[1] == '0' && end[2] == 'x') {
					size_t tend = (size_t)(end - l) + 3;
					GElf_Addr base;

					while (tend < len && isxdigit((unsigned char)l[tend]))
						tend++;
					base = elfsym_address(&decoder, l + s, e - s, 0);
					if (base)
						emit_decode(l + s, tend - s,
							    base + off - (pc || !off ? 0 : 1));
					i = tend;
					continue;
				}
			}
			/* A register's width of hex digits without 0x: registers, sp, page= */
			if (e - s == reg_digits) {
				bool hex = true;

				for (size_t k = s; k < e; k++)
					hex &= isxdigit((unsigned char)l[k]) != 0;
				if (hex)
					emit_decode(l + s, e - s, strtoull(l + s, NULL, 16));
			}
			if (e - s >= 2 && l[s] == '0' && l[s + 1] == 'x' && e - s > 2)
				emit_decode(l + s, e - s, strtoull(l + s, NULL, 16));
			i = e;
			continue;
		}
		i++;
	}
}

/* ---- the session ---- */

static void restore_tty(void)
{
	if (tio_saved)
		tcsetattr(0, TCSANOW, &saved_tio);
}

static void raw_tty(void)
{
	struct termios tio;

	if (!isatty(0) || tcgetattr(0, &saved_tio))
		return;
	tio_saved = true;
	atexit(restore_tty);
	tio = saved_tio;
	cfmakeraw(&tio);
	tcsetattr(0, TCSANOW, &tio);
}

static int run(struct target *t, bool decode)
{
	char line[LINE_MAX];
	size_t llen = 0;
	bool stdin_open = true;

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = t->fd, .events = POLLIN },
			{ .fd = stdin_open ? 0 : -1, .events = POLLIN },
		};
		char buf[4096];
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			tool_die("poll: %s", strerror(errno));
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				stdin_open = false;	/* input ended: keep showing output */
			} else {
				char *k = memchr(buf, EXIT_KEY, (size_t)n);

				if (k) {
					target_send(t, buf, (size_t)(k - buf));
					return 0;
				}
				target_send(t, buf, (size_t)n);
			}
		}
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(t->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			restore_tty();
			fprintf(stderr, "\r\n%s: %s\n", tool_name,
				t->qemu ? "QEMU exited" : "the serial device closed");
			return 0;
		}
		/* Each line as it came, then its decoded addresses beneath it. */
		for (ssize_t i = 0, from = 0; i < n; i++) {
			if (buf[i] == '\n' || i == n - 1) {
				show(buf + from, (size_t)(i + 1 - from));
				log_text(buf + from, (size_t)(i + 1 - from));
				from = i + 1;
			}
			if (buf[i] == '\n') {
				if (decode)
					decode_line(line, llen);
				llen = 0;
			} else if (buf[i] != '\r' && llen < sizeof(line) - 1) {
				line[llen++] = buf[i];
				line[llen] = '\0';
			}
		}
		if (logf)
			fflush(logf);
	}
}

int main(int argc, char **argv)
{
	const char *elf = NULL, *logname = NULL, *default_elf = DEFAULT_ELF;
	struct target_opts o = { 0 };
	struct target t = { .fd = -1 };
	bool decode = true;
	char *qargs = NULL;
	int ret;

	tool_name = "monitor";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_v = i + 1 < argc;

		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage(0);
		else if (!strcmp(a, "--no-decode"))
			decode = false;
		else if (target_parse_opt(&o, argc, argv, &i))
			continue;
		else if (!has_v)
			usage(2);
		else if (!strcmp(a, "--elf"))
			elf = argv[++i];
		else if (!strcmp(a, "-o"))
			logname = argv[++i];
		else
			usage(2);
	}
	if (o.port && (o.qemu || o.boot_args))
		usage(2);
	if (!o.port && !o.qemu)
		qargs = target_default_qemu_args(&default_elf);
	if (o.qemu) {		/* the ELF QEMU boots decodes, unless --elf says otherwise */
		int n;
		char **qv = split_args(o.qemu, &n);

		for (int i = 0; i + 1 < n; i++)
			if (!strcmp(qv[i], "-kernel"))
				default_elf = qv[i + 1];
	}
	if (decode) {
		if (!elf)
			elf = default_elf;
		if (access(elf, R_OK))
			tool_die("cannot read %s (give the ELF with --elf, or --no-decode): %s", elf,
				 strerror(errno));
		elfsym_open(&decoder, elf);
		have_elf = true;
		if (elf_arch_of(elf) == ELF_ARCH_ARM)
			reg_digits = 8;
	}
	if (logname && !(logf = fopen(logname, "w")))
		tool_die("cannot write %s: %s", logname, strerror(errno));
	colour = isatty(1) && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
	signal(SIGPIPE, SIG_IGN);
	target_stop_at_exit(&t);
	target_open(&t, &o, qargs);
	fprintf(stderr, "%s: %s%s; Ctrl-] leaves\r\n", tool_name, o.port ? "on " : "QEMU",
		o.port ? o.port : "");
	raw_tty();
	ret = run(&t, decode);
	restore_tty();
	target_stop(&t);
	if (logf && fclose(logf))
		tool_die("write %s: %s", logname, strerror(errno));
	if (have_elf)
		elfsym_close(&decoder);
	return ret;
}
