// SPDX-License-Identifier: GPL-2.0
/*
 * capture: run console commands on a ferret target and save the reply.
 *
 *   capture [--port DEV [--baud N] | --qemu "ARGS" [--boot-args "ARGS"]]
 *           [--timeout S] [-o FILE] [--all] [--quiet] 'command[;;command...]'
 *
 * The target is a serial device (--port: opened raw with termios, 8N1, no
 * flow control) or a QEMU started here (--qemu: qemu-system-aarch64 with the
 * given arguments plus -nographic, -monitor none and the first serial port on
 * stdio (with signal=off), on a pseudo terminal; without --port or --qemu,
 * QEMU runs build/qemu-virt/ferret.elf).
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

#define PROMPT		"ferret> "
#define PANIC_PROMPT	"panic: ferret> "
#define DEFAULT_QEMU	"-M virt -cpu cortex-a53 -m 512M -kernel "
#define DEFAULT_ELF	"build/qemu-virt/ferret.elf"
#define TAIL_MAX	4096

struct target {
	int fd;
	pid_t qemu;		/* 0: serial port */
	bool serial;
};

struct reply {
	FILE *out;		/* NULL: discard */
	char *line;		/* the current, unfinished line */
	size_t len, cap;
	bool echo_done;		/* the echoed command line was dropped */
	unsigned long bytes, records;
	bool blank;		/* the last complete line was empty */
};

static const char *prog = "capture";
static bool quiet;
static double idle_timeout = 30;
static volatile sig_atomic_t sigints;
static char tail[TAIL_MAX];	/* the last bytes received, for error messages */
static size_t tail_len;

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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile pid_t qemu_pid;	/* for the signal handlers */

static void on_sigint(int sig)
{
	(void)sig;
	sigints++;
}

/* SIGTERM, SIGHUP: take QEMU down too. */
static void on_sigterm(int sig)
{
	if (qemu_pid > 0)
		kill(qemu_pid, SIGKILL);
	_exit(128 + sig);
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [--port DEV [--baud N] | --qemu \"ARGS\" [--boot-args \"ARGS\"]]\n"
		"       [--timeout S] [-o FILE] [--all] [--quiet] 'command[;;command...]'\n"
		"\n"
		"  --port DEV        serial device (e.g. /dev/ttyUSB0), raw 8N1\n"
		"  --baud N          its speed (default 115200)\n"
		"  --qemu \"ARGS\"     boot qemu-system-aarch64 ARGS (default: \"%s%s\")\n"
		"  --boot-args \"S\"   kernel command line for QEMU (-append S)\n"
		"  --timeout S       give up when the target is silent for S seconds (default 30)\n"
		"  -o FILE           save the reply here (default: stdout)\n"
		"  --all             save every command's reply, not only the last one's\n"
		"  --quiet           no progress line\n",
		prog, DEFAULT_QEMU, DEFAULT_ELF);
	exit(status);
}

/* ---- argument splitting for --qemu: spaces, '...', "...", backslash ---- */

static char **split_args(const char *s, int *argc)
{
	char **argv = NULL;
	int n = 0;

	while (*s) {
		char *word, *w;
		bool any = false;
		char quote = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		word = w = malloc(strlen(s) + 1);
		if (!word)
			die("out of memory");
		for (; *s; s++) {
			if (quote) {
				if (*s == quote)
					quote = 0;
				else if (*s == '\\' && quote == '"' && s[1])
					*w++ = *++s;
				else
					*w++ = *s;
			} else if (*s == '\'' || *s == '"') {
				quote = *s;
				any = true;
			} else if (*s == '\\' && s[1]) {
				*w++ = *++s;
			} else if (*s == ' ' || *s == '\t' || *s == '\n') {
				break;
			} else {
				*w++ = *s;
			}
		}
		if (quote)
			die("unbalanced %c in QEMU arguments", quote);
		*w = '\0';
		if (*word || any) {
			argv = realloc(argv, (n + 2) * sizeof(*argv));
			if (!argv)
				die("out of memory");
			argv[n++] = word;
		} else {
			free(word);
		}
	}
	if (!argv)
		argv = calloc(1, sizeof(*argv));
	argv[n] = NULL;
	*argc = n;
	return argv;
}

static bool has_arg(char **argv, const char *a)
{
	for (; *argv; argv++)
		if (!strcmp(*argv, a))
			return true;
	return false;
}

/* ---- targets ---- */

static speed_t baud_to_speed(unsigned long baud)
{
	static const struct {
		unsigned long baud;
		speed_t speed;
	} rates[] = {
		{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
		{ 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 },
		{ 921600, B921600 }, { 1000000, B1000000 }, { 1500000, B1500000 },
		{ 2000000, B2000000 }, { 3000000, B3000000 }, { 4000000, B4000000 },
	};

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		if (rates[i].baud == baud)
			return rates[i].speed;
	die("unsupported baud rate %lu", baud);
}

static void open_port(struct target *t, const char *dev, unsigned long baud)
{
	struct termios tio;
	speed_t speed = baud_to_speed(baud);

	t->fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0)
		die("cannot open %s: %s", dev, strerror(errno));
	if (tcgetattr(t->fd, &tio))
		die("%s is not a terminal: %s", dev, strerror(errno));
	cfmakeraw(&tio);
	tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
	tio.c_cflag |= CLOCAL | CREAD | CS8;
	tio.c_iflag &= ~(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, speed);
	cfsetospeed(&tio, speed);
	if (tcsetattr(t->fd, TCSANOW, &tio))
		die("cannot configure %s: %s", dev, strerror(errno));
	tcflush(t->fd, TCIOFLUSH);
	t->serial = true;
	t->qemu = 0;
}

static void start_qemu(struct target *t, const char *args, const char *boot_args)
{
	const char *qemu = getenv("QEMU") ? getenv("QEMU") : "qemu-system-aarch64";
	/* signal=off: a Ctrl-C typed to the target reaches it instead of ending QEMU. */
	static const char *const fixed[] = {
		"-nographic", "-chardev", "stdio,id=ferret_console,signal=off",
		"-serial", "chardev:ferret_console", "-monitor", "none",
	};
	int uargc, argc = 0, master, slave;
	char **uargv = split_args(args, &uargc);
	char **argv = calloc(uargc + 12, sizeof(*argv));
	struct termios tio;
	char *slave_name;

	if (!argv)
		die("out of memory");
	argv[argc++] = (char *)qemu;
	for (int i = 0; i < uargc; i++)
		argv[argc++] = uargv[i];
	if (boot_args) {
		if (has_arg(uargv, "-append"))
			die("--boot-args and an -append in --qemu: give one of them");
		argv[argc++] = "-append";
		argv[argc++] = (char *)boot_args;
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[argc++] = (char *)fixed[i];
	/* Debian's QEMU looks for a NIC ROM it does not ship: no NIC unless asked. */
	if (!has_arg(uargv, "-nic") && !has_arg(uargv, "-netdev") && !has_arg(uargv, "-net")) {
		argv[argc++] = "-nic";
		argv[argc++] = "none";
	}
	argv[argc] = NULL;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) || unlockpt(master) || !(slave_name = ptsname(master)))
		die("cannot create a pseudo terminal: %s", strerror(errno));
	slave = open(slave_name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		die("cannot open %s: %s", slave_name, strerror(errno));
	/* Raw from the start: no echo or CR/LF mapping before QEMU sets its own mode. */
	if (!tcgetattr(slave, &tio)) {
		cfmakeraw(&tio);
		tcsetattr(slave, TCSANOW, &tio);
	}
	fflush(NULL);
	t->qemu = fork();
	if (t->qemu < 0)
		die("fork: %s", strerror(errno));
	if (t->qemu == 0) {
		setsid();
		/* QEMU goes when capture goes, however it ends. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run %s: %s\n", prog, argv[0], strerror(errno));
		_exit(127);
	}
	qemu_pid = t->qemu;
	close(slave);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	t->fd = master;
	t->serial = false;
	for (int i = 0; i < uargc; i++)
		free(uargv[i]);
	free(uargv);
	free(argv);
}

static void stop_target(struct target *t)
{
	if (t->qemu > 0) {
		int status;

		kill(t->qemu, SIGTERM);
		for (int i = 0; i < 100; i++) {
			if (waitpid(t->qemu, &status, WNOHANG) == t->qemu) {
				t->qemu = 0;
				break;
			}
			usleep(10000);
		}
		if (t->qemu > 0) {
			kill(t->qemu, SIGKILL);
			waitpid(t->qemu, &status, 0);
			t->qemu = 0;
		}
		qemu_pid = 0;
	}
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

static struct target *cleanup_target;

/* Every exit path (die() included) stops QEMU. */
static void cleanup(void)
{
	if (cleanup_target)
		stop_target(cleanup_target);
}

static __attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s: ", !quiet && isatty(2) ? "\n" : "", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (tail_len) {
		fprintf(stderr, "%s: the target's last output:\n", prog);
		for (size_t i = 0; i < tail_len; i++)
			if (tail[i] != '\r')
				fputc(tail[i], stderr);
		fputc('\n', stderr);
	}
	exit(1);
}

static void send_bytes(struct target *t, const char *s, size_t n)
{
	while (n) {
		/* A real UART FIFO is 16 bytes: pace the typing on a serial line. */
		size_t chunk = t->serial ? 1 : n;
		ssize_t w = write(t->fd, s, chunk);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd p = { .fd = t->fd, .events = POLLOUT };

			poll(&p, 1, 100);
			continue;
		}
		if (w < 0)
			fail("write to the target: %s", strerror(errno));
		s += w;
		n -= w;
		if (t->serial)
			usleep(1000);
	}
	if (t->serial)
		tcdrain(t->fd);
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
			die("out of memory");
	}
	r->line[r->len++] = c;
}

static bool is_prompt(const struct reply *r)
{
	return (r->len == strlen(PROMPT) && !memcmp(r->line, PROMPT, r->len)) ||
	       (r->len == strlen(PANIC_PROMPT) && !memcmp(r->line, PANIC_PROMPT, r->len));
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
			if (r->out && (fwrite(r->line, 1, r->len, r->out) != r->len ||
				       fputc('\n', r->out) == EOF))
				die("write: %s", strerror(errno));
			r->bytes += r->len + 1;
			if (r->len == 0 && !r->blank)
				r->records++;
			r->blank = r->len == 0;
		}
		r->len = 0;
	}
	return r->echo_done && is_prompt(r);
}

/* The progress line: on a terminal only, for replies that take over a second. */
static bool progress(const struct reply *r, double t0, bool final)
{
	double dt = now() - t0;

	if (quiet || !isatty(2))
		return false;
	fprintf(stderr, "\r%s: %lu bytes, %lu records, %.1f kB/s%s", prog, r->bytes, r->records,
		dt > 0 ? r->bytes / dt / 1000 : 0.0, final ? "\n" : "   ");
	return true;
}

/*
 * Read until the prompt. @r NULL: boot (or resync), discard everything and
 * wait for a prompt at the start of a line.
 */
static void read_until_prompt(struct target *t, struct reply *r, const char *what)
{
	struct reply boot = { 0 };
	double t0 = now(), last = t0, shown = t0;
	bool sent_intr = false, shown_any = false;
	char buf[65536];

	if (!r) {
		r = &boot;
		r->echo_done = true;
	}
	for (;;) {
		struct pollfd p = { .fd = t->fd, .events = POLLIN };
		int ms = (int)((last + idle_timeout - now()) * 1000);
		ssize_t n;

		if (sigints > 1) {
			stop_target(t);
			fprintf(stderr, "\n%s: interrupted\n", prog);
			exit(130);
		}
		if (sigints && !sent_intr) {
			send_bytes(t, "\x03", 1);	/* stop the command on the target */
			sent_intr = true;
		}
		if (ms <= 0)
			fail("timeout: no output for %g s while waiting for the prompt %s", idle_timeout,
			     what);
		if (poll(&p, 1, ms > 250 ? 250 : ms) < 0) {
			if (errno == EINTR)
				continue;
			fail("poll: %s", strerror(errno));
		}
		if (r->out && now() - shown > 0.5 && now() - t0 > 1) {
			shown_any |= progress(r, t0, false);
			shown = now();
		}
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(t->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		/*
		 * QEMU writes the UART a byte at a time: let a few arrive
		 * before the next read rather than read them one by one.
		 */
		if (n > 0 && n < 256 && !t->serial)
			usleep(500);
		if (n <= 0)
			fail(t->qemu ? "QEMU exited %s" : "the serial device closed %s", what);
		last = now();
		keep_tail(buf, n);
		if (reply_feed(r, buf, n)) {
			if (shown_any)
				progress(r, t0, true);
			break;
		}
	}
	free(boot.line);
	if (sent_intr) {
		stop_target(t);
		fprintf(stderr, "%s: interrupted; the reply so far was saved\n", prog);
		exit(130);
	}
}

/*
 * The default QEMU arguments: the kernel built in this tree, found from the
 * tool's own place (build/host/tools/capture), else from the working directory.
 */
static char *default_qemu_args(void)
{
	static char buf[8192 + 256];
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *elf = DEFAULT_ELF;

	if (n > 0) {
		exe[n] = '\0';
		for (int up = 0; up < 4; up++) {
			char *slash = strrchr(exe, '/');

			if (!slash)
				break;
			*slash = '\0';
			if (up == 3) {
				static char path[4096 + 64];

				snprintf(path, sizeof(path), "%s/%s", exe, DEFAULT_ELF);
				if (!access(path, R_OK))
					elf = path;
			}
		}
	}
	/* Quoted for split_args(): the path may hold spaces. */
	snprintf(buf, sizeof(buf), "%s'%s'", DEFAULT_QEMU, elf);
	return buf;
}

int main(int argc, char **argv)
{
	const char *port = NULL, *qemu = NULL, *boot_args = NULL, *outfile = NULL, *cmds = NULL;
	unsigned long baud = 115200;
	struct target t = { .fd = -1 };
	bool all = false;
	FILE *out = stdout;
	char *list, *cmd, *next;
	struct sigaction sa;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage(0);
		else if (!strcmp(a, "--all"))
			all = true;
		else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
			quiet = true;
		else if (a[0] == '-' && a[1] && !v)
			usage(2);
		else if (!strcmp(a, "--port"))
			port = argv[++i];
		else if (!strcmp(a, "--baud"))
			baud = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(a, "--qemu"))
			qemu = argv[++i];
		else if (!strcmp(a, "--boot-args"))
			boot_args = argv[++i];
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
	if (!cmds || (port && (qemu || boot_args)) || idle_timeout <= 0)
		usage(2);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_sigterm;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (outfile) {
		out = fopen(outfile, "w");
		if (!out)
			die("cannot write %s: %s", outfile, strerror(errno));
	}
	cleanup_target = &t;
	atexit(cleanup);
	if (port) {
		open_port(&t, port, baud);
		send_bytes(&t, "\x15\r", 2);	/* Ctrl-U: drop any half-typed line */
	} else {
		start_qemu(&t, qemu ? qemu : default_qemu_args(), boot_args);
	}
	read_until_prompt(&t, NULL, port ? "(is ferret running on the port?)" : "after boot");

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
		snprintf(what, sizeof(what), "after '%s'", cmd);
		send_bytes(&t, cmd, strlen(cmd));
		send_bytes(&t, "\r", 1);
		read_until_prompt(&t, &r, what);
		free(r.line);
	}
	free(list);
	stop_target(&t);
	if (fflush(out) || (out != stdout && fclose(out)))
		die("write %s: %s", outfile ? outfile : "stdout", strerror(errno));
	return 0;
}
