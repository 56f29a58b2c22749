// SPDX-License-Identifier: GPL-2.0
/*
 * The rest of what the C library asks of its system: process ids (one
 * application runs at a time: its context's pid is not needed by the
 * library, 1 will do), signals (raise() of SIGABRT aborts, others are
 * refused), and no program break (malloc() does not use sbrk()).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <ferret/libc_glue.h>

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig)
{
	if (pid == 1 && sig == SIGABRT)
		abort();
	errno = pid == 1 ? EINVAL : ESRCH;
	return -1;
}

void *sbrk(ptrdiff_t incr)
{
	errno = ENOMEM;
	return (void *)-1;
}

pid_t _getpid(void) __attribute__((alias("getpid")));
int _kill(pid_t pid, int sig) __attribute__((alias("kill")));
void *_sbrk(ptrdiff_t incr) __attribute__((alias("sbrk")));
