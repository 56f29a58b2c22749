// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel provides to mm/ and lib/ (printk, time, contexts, the lock
 * recursion hook), implemented for host test programs. printk output goes to
 * stdout and is also kept in host_log so tests can check messages.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ferret/printk.h>
#include <ferret/sched.h>
#include <ferret/time.h>
#include <ferret/kallsyms.h>
#include <ferret/build_id.h>
#include <asm/spinlock.h>
#include <ferret/smp.h>
#include <ferret/errno.h>

#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/stackdepot.h>
#include "host_kernel.h"

__thread int host_irq_disable_depth;
int console_loglevel = 7;
bool host_quiet;

char host_log[HOST_LOG_SIZE];
size_t host_log_len;

void host_log_clear(void)
{
	host_log_len = 0;
	host_log[0] = '\0';
}

/* Threads playing cores print at once (tests/host/shim/host_smp.c): one at a time. */
static pthread_mutex_t console_mutex = PTHREAD_MUTEX_INITIALIZER;

void console_write(const char *s, size_t len)
{
	size_t room, n;

	pthread_mutex_lock(&console_mutex);
	room = sizeof(host_log) - 1 - host_log_len;
	n = len < room ? len : room;
	memcpy(host_log + host_log_len, s, n);
	host_log_len += n;
	host_log[host_log_len] = '\0';
	if (!host_quiet)
		fwrite(s, 1, len, stdout);
	pthread_mutex_unlock(&console_mutex);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	if (printk_get_level(&fmt) > console_loglevel)
		return 0;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	console_write(buf, strlen(buf));
	return n;
}

u64 host_fake_time_ns;	/* when non-zero, ktime_get_ns() returns it */

u64 ktime_get_ns(void)
{
	struct timespec ts;

	if (host_fake_time_ns)
		return host_fake_time_ns;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

void arch_spin_lock_recursion(arch_spinlock_t *l)
{
	fprintf(stderr, "BUG: spinlock recursion on %p\n", (void *)l);
	abort();
}

/* Symbols: tests may install a table; otherwise nothing resolves. */
const struct host_sym *host_syms;
size_t host_nr_syms;

const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset)
{
	for (size_t i = 0; i < host_nr_syms; i++) {
		const struct host_sym *s = &host_syms[i];

		if (addr >= s->addr && addr < s->addr + s->size) {
			*size = s->size;
			*offset = addr - s->addr;
			return s->name;
		}
	}
	return NULL;
}

unsigned long host_text_base;

unsigned long kallsyms_text_base(void)
{
	return host_text_base;
}

unsigned long host_text_size = 1UL << 30;

unsigned long kallsyms_text_size(void)
{
	return host_text_size;
}

/* The symbols tests load, as the kernel exports its table for a later boot. */
size_t kallsyms_export_size(void)
{
	size_t names = 0;

	for (size_t i = 0; i < host_nr_syms; i++)
		names += strlen(host_syms[i].name) + 1;
	return host_nr_syms ? sizeof(struct ksym_table) + 12 * host_nr_syms + names : 0;
}

int kallsyms_export(void *buf, size_t size)
{
	struct ksym_table *t = buf;
	u32 *w = (u32 *)(t + 1), n = (u32)host_nr_syms, at = 0;
	char *names = (char *)(w + 3 * n);

	if (!n || size < kallsyms_export_size())
		return -1;
	t->num = n;
	t->text_base = host_text_base;
	t->text_size = host_text_size;
	for (u32 i = 0; i < n; i++) {
		w[i] = (u32)(host_syms[i].addr - host_text_base);
		w[n + i] = (u32)host_syms[i].size;
		w[2 * n + i] = at;
		strcpy(names + at, host_syms[i].name);
		at += (u32)strlen(host_syms[i].name) + 1;
	}
	t->names_bytes = at;
	return 0;
}

/* The host's printk keeps no ring: a kept log is the test's own buffer. */
char *host_kept_log;
size_t host_kept_log_size;
u64 host_kept_log_head;

size_t printk_log_size(void)
{
	return host_kept_log_size;
}

int printk_log_relocate(char *buf, size_t size)
{
	if (size != host_kept_log_size)
		return -1;
	host_kept_log = buf;
	return 0;
}

void printk_log_state(u64 *head, u64 *size)
{
	*head = host_kept_log_head;
	*size = host_kept_log_size;
}

int host_mm_init(void *ram, unsigned long phys, unsigned long size, const char *cmdline)
{
	memblock_reset();
	page_ext_reset();
	stack_depot_reset();
	mm_set_virt_offset((unsigned long)ram - phys);
	memblock_add(phys, size);
	memblock_reserve(phys, 1UL << 20, "image");
	return mm_init(cmdline);
}

/* The host build is no image: no build id (kernel/build_id.c reads the kernel's). */
const u8 *build_id_get(unsigned int *len)
{
	*len = 0;
	return NULL;
}

char *host_slab_ram(unsigned long size)
{
	const unsigned long align = 32UL << 10;
	char *ram = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return ram == MAP_FAILED ? NULL : (char *)ALIGN((unsigned long)ram, align);
}

