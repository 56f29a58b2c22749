// SPDX-License-Identifier: GPL-2.0
/* The target of capture and monitor: a serial port or a QEMU (target.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "target.h"

const char *tool_name = "tool";
static volatile pid_t qemu_pid;	/* for the signal handler */
static struct target *exit_target;

void tool_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

double tool_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- argument splitting for --qemu: spaces, '...', "...", backslash ---- */

char **split_args(const char *s, int *argc)
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
			tool_die("out of memory");
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
			tool_die("unbalanced %c in QEMU arguments", quote);
		*w = '\0';
		if (*word || any) {
			argv = realloc(argv, (n + 2) * sizeof(*argv));
			if (!argv)
				tool_die("out of memory");
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

bool has_arg(char **argv, const char *a)
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
	tool_die("unsupported baud rate %lu (a serial port takes 9600, 19200, 38400, 57600, "
		 "115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, 3000000 or 4000000)",
		 baud);
}

void target_open_port(struct target *t, const char *dev, unsigned long baud)
{
	struct termios tio;
	speed_t speed = baud_to_speed(baud);

	t->fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0)
		tool_die("cannot open %s: %s", dev, strerror(errno));
	if (tcgetattr(t->fd, &tio))
		tool_die("%s is not a terminal: %s", dev, strerror(errno));
	cfmakeraw(&tio);
	tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
	tio.c_cflag |= CLOCAL | CREAD | CS8;
	tio.c_iflag &= ~(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, speed);
	cfsetospeed(&tio, speed);
	if (tcsetattr(t->fd, TCSANOW, &tio))
		tool_die("cannot configure %s: %s", dev, strerror(errno));
	tcflush(t->fd, TCIOFLUSH);
	t->serial = true;
	t->qemu = 0;
}

enum elf_arch elf_arch_of(const char *path)
{
	unsigned char h[20];
	FILE *f = path ? fopen(path, "rb") : NULL;
	size_t n = f ? fread(h, 1, sizeof(h), f) : 0;

	if (f)
		fclose(f);
	/* e_ident: magic, class (1: 32-bit, 2: 64-bit), data (1: little endian); e_machine at 18 */
	if (n < sizeof(h) || memcmp(h, "\177ELF", 4) || h[5] != 1)
		return ELF_ARCH_OTHER;
	if (h[4] == 1 && (h[18] | h[19] << 8) == 40)		/* EM_ARM */
		return ELF_ARCH_ARM;
	if (h[4] == 2 && (h[18] | h[19] << 8) == 183)		/* EM_AARCH64 */
		return ELF_ARCH_ARM64;
	return ELF_ARCH_OTHER;
}

const char *target_qemu_for(const char *path)
{
	return elf_arch_of(path) == ELF_ARCH_ARM ? "qemu-system-arm" : "qemu-system-aarch64";
}

const char *target_cpu_for(const char *path)
{
	return elf_arch_of(path) == ELF_ARCH_ARM ? "cortex-a15" : "cortex-a53";
}

/* The value of @opt in @argv, or NULL. */
static const char *arg_value(char **argv, const char *opt)
{
	for (int i = 0; argv[i]; i++)
		if (!strcmp(argv[i], opt))
			return argv[i + 1];
	return NULL;
}

void target_start_qemu(struct target *t, const char *args, const char *boot_args)
{
	const char *qemu = getenv("QEMU");
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
		tool_die("out of memory");
	if (!qemu)
		qemu = target_qemu_for(arg_value(uargv, "-kernel"));
	argv[argc++] = (char *)qemu;
	for (int i = 0; i < uargc; i++)
		argv[argc++] = uargv[i];
	if (boot_args) {
		if (has_arg(uargv, "-append"))
			tool_die("--boot-args and an -append in --qemu: give one of them");
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
		tool_die("cannot create a pseudo terminal: %s", strerror(errno));
	slave = open(slave_name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		tool_die("cannot open %s: %s", slave_name, strerror(errno));
	/* Raw from the start: no echo or CR/LF mapping before QEMU sets its own mode. */
	if (!tcgetattr(slave, &tio)) {
		cfmakeraw(&tio);
		tcsetattr(slave, TCSANOW, &tio);
	}
	fflush(NULL);
	t->qemu = fork();
	if (t->qemu < 0)
		tool_die("fork: %s", strerror(errno));
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
		fprintf(stderr, "%s: cannot run %s: %s\n", tool_name, argv[0], strerror(errno));
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

void target_stop(struct target *t)
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

void target_send(struct target *t, const char *s, size_t n)
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
			tool_die("write to the target: %s", strerror(errno));
		s += w;
		n -= w;
		if (t->serial)
			usleep(1000);
	}
	if (t->serial)
		tcdrain(t->fd);
}

ssize_t target_recv(struct target *t, char *buf, size_t size, int ms)
{
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) < 0) {
		if (errno == EINTR)
			return 0;
		tool_die("poll: %s", strerror(errno));
	}
	if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	n = read(t->fd, buf, size);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	/* QEMU writes the UART a byte at a time: let a few arrive before the next read. */
	if (n < 256 && !t->serial)
		usleep(500);
	return n;
}

bool console_is_prompt(const char *line, size_t len)
{
	return (len == strlen(PROMPT) && !memcmp(line, PROMPT, len)) ||
	       (len == strlen(PANIC_PROMPT) && !memcmp(line, PANIC_PROMPT, len));
}

/*
 * The default QEMU arguments: the kernel built in this tree, found from the
 * tool's own place (build/host/tools/<tool>), else from the working directory.
 */
char *target_default_qemu_args(const char **elf_out)
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
	if (elf_out)
		*elf_out = elf;
	/* Quoted for split_args(): the path may hold spaces. */
	snprintf(buf, sizeof(buf), "%s'%s'", DEFAULT_QEMU, elf);
	return buf;
}


/*
 * --baud: the target's rate, as its console= option or DTB stdout-path gives
 * it ("921600" or "921600n8": ferret's console is always 8N1).
 */
static unsigned long parse_baud(const char *v)
{
	char *end;
	unsigned long baud = strtoul(v, &end, 10);

	if (end == v || *v == '-' || (*end && strcmp(end, "n") && strcmp(end, "n8")))
		tool_die("--baud '%s': give the target's rate in bits per second, e.g. 921600 "
			 "(or 921600n8, as in console=ttyAMA0,921600n8)", v);
	baud_to_speed(baud);	/* dies on a rate the port cannot be set to */
	return baud;
}

bool target_parse_opt(struct target_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;

	if (!o->baud)
		o->baud = 115200;
	if (!v)
		return false;
	if (!strcmp(a, "--port"))
		o->port = v;
	else if (!strcmp(a, "--baud"))
		o->baud = parse_baud(v);
	else if (!strcmp(a, "--qemu"))
		o->qemu = v;
	else if (!strcmp(a, "--boot-args"))
		o->boot_args = v;
	else
		return false;
	(*i)++;
	return true;
}

void target_open(struct target *t, const struct target_opts *o, const char *default_args)
{
	if (o->port && (o->qemu || o->boot_args))
		tool_die("--port goes without --qemu and --boot-args");
	if (o->port)
		target_open_port(t, o->port, o->baud ? o->baud : 115200);
	else
		target_start_qemu(t, o->qemu ? o->qemu : default_args, o->boot_args);
}

static void stop_at_exit(void)
{
	if (exit_target)
		target_stop(exit_target);
}

/* SIGTERM, SIGHUP: take QEMU down too. */
static void on_sigterm(int sig)
{
	if (qemu_pid > 0)
		kill(qemu_pid, SIGKILL);
	_exit(128 + sig);
}

void target_stop_at_exit(struct target *t)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigterm;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (!exit_target)
		atexit(stop_at_exit);
	exit_target = t;
}
