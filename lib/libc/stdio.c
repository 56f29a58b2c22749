// SPDX-License-Identifier: GPL-2.0
/*
 * Files for the C library: stdin, stdout and stderr are the console, and
 * open() knows two devices, "/dev/console" and "/dev/null", so fopen(),
 * fprintf() and fclose() work (the FILE and its buffer are malloc()ed by the
 * C library, with the application's stack as owner).
 *
 * picolibc's stdio (tinystdio) reads and writes stdin/stdout/stderr through
 * the FILE below, a character at a time; other FILEs, and newlib's stdio
 * (32-bit Arm, docs/PORTING.md), go through read() and write() on file
 * descriptors: 0, 1 and 2 are the console there too. newlib's underscore
 * names are aliases.
 *
 * Console input: bytes as typed, CR as '\n', echoed (printable bytes,
 * newline, backspace), Ctrl-C and Ctrl-D as end of file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <ferret/libc_glue.h>

#define MAX_FDS		16
#define CTRL_C		3
#define CTRL_D		4

enum fd_kind { FD_CLOSED, FD_CONSOLE, FD_NULL };

static unsigned char fds[MAX_FDS] = { FD_CONSOLE, FD_CONSOLE, FD_CONSOLE };

/* One byte of console input, echoed; -1 at end of file. */
static int console_in(void)
{
	int c = ferret_console_getc();

	if (c == CTRL_C || c == CTRL_D)
		return -1;
	if (c == '\r')
		c = '\n';
	if (c == 0x7f)
		c = '\b';
	if (c == '\b')
		ferret_console_write("\b \b", 3);
	else if (c == '\n' || (c >= ' ' && c < 0x7f))
		ferret_console_write((char *)&c, 1);
	return c;
}

#ifdef TINY_STDIO
static int con_put(char c, FILE *f)
{
	ferret_console_write(&c, 1);
	return (unsigned char)c;
}

static int con_get(FILE *f)
{
	int c = console_in();

	return c < 0 ? _FDEV_EOF : c;
}

static FILE console = FDEV_SETUP_STREAM(con_put, con_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
#endif

static int fd_kind(int fd)
{
	return fd >= 0 && fd < MAX_FDS ? fds[fd] : FD_CLOSED;
}

int open(const char *path, int flags, ...)
{
	int kind;

	if (!strcmp(path, "/dev/console") || !strcmp(path, "/dev/tty"))
		kind = FD_CONSOLE;
	else if (!strcmp(path, "/dev/null"))
		kind = FD_NULL;
	else {
		errno = ENOENT;
		return -1;
	}
	for (int fd = 0; fd < MAX_FDS; fd++) {
		if (fds[fd] == FD_CLOSED) {
			fds[fd] = (unsigned char)kind;
			return fd;
		}
	}
	errno = EMFILE;
	return -1;
}

int close(int fd)
{
	if (fd_kind(fd) == FD_CLOSED) {
		errno = EBADF;
		return -1;
	}
	if (fd > 2)
		fds[fd] = FD_CLOSED;
	return 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	switch (fd_kind(fd)) {
	case FD_CONSOLE:
		ferret_console_write(buf, n);
		return (ssize_t)n;
	case FD_NULL:
		return (ssize_t)n;
	default:
		errno = EBADF;
		return -1;
	}
}

ssize_t read(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;

	switch (fd_kind(fd)) {
	case FD_CONSOLE:
		/* A line at a time, as a terminal in canonical mode gives it. */
		while (got < n) {
			int c = console_in();

			if (c < 0)
				break;
			p[got++] = (char)c;
			if (c == '\n')
				break;
		}
		return (ssize_t)got;
	case FD_NULL:
		return 0;
	default:
		errno = EBADF;
		return -1;
	}
}

off_t lseek(int fd, off_t offset, int whence)
{
	if (fd_kind(fd) == FD_CLOSED)
		errno = EBADF;
	else if (fd_kind(fd) == FD_NULL)
		return 0;
	else
		errno = ESPIPE;
	return -1;
}

int fstat(int fd, struct stat *st)
{
	if (fd_kind(fd) == FD_CLOSED) {
		errno = EBADF;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0666;
	return 0;
}

int isatty(int fd)
{
	if (fd_kind(fd) == FD_CONSOLE)
		return 1;
	errno = fd_kind(fd) == FD_CLOSED ? EBADF : ENOTTY;
	return 0;
}

/* newlib's names for the same calls. */
int _open(const char *path, int flags, ...) __attribute__((alias("open")));
int _close(int fd) __attribute__((alias("close")));
ssize_t _write(int fd, const void *buf, size_t n) __attribute__((alias("write")));
ssize_t _read(int fd, void *buf, size_t n) __attribute__((alias("read")));
off_t _lseek(int fd, off_t offset, int whence) __attribute__((alias("lseek")));
int _fstat(int fd, struct stat *st) __attribute__((alias("fstat")));
int _isatty(int fd) __attribute__((alias("isatty")));
