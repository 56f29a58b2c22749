/* SPDX-License-Identifier: GPL-2.0 */
/* Hooks the host shim gives test programs. */
#ifndef HOST_KERNEL_H
#define HOST_KERNEL_H

#include <ferret/types.h>

#define HOST_LOG_SIZE (1 << 20)
extern char host_log[HOST_LOG_SIZE];	/* everything printk/console_write printed */
extern size_t host_log_len;
extern bool host_quiet;			/* true: keep printk out of stdout */
void host_log_clear(void);

extern u64 host_fake_time_ns;
extern __thread int host_irq_disable_depth;

/*
 * host_smp_run() - run @fn(cpu, @arg) on @n threads at once, each playing
 * core cpu (0 .. @n - 1, online meanwhile; cross-core calls reach it when
 * it unmasks interrupts). Returns when all have finished; the calling
 * thread is core 0 again, alone online.
 */
void host_smp_run(unsigned int n, void (*fn)(unsigned int cpu, void *arg), void *arg);

struct host_sym {
	unsigned long addr, size;
	const char *name;
};
extern const struct host_sym *host_syms;
extern size_t host_nr_syms;
extern unsigned long host_text_base;

/*
 * host_load_symbols - this binary's text symbols as kallsyms (host_syms);
 * @lo and @hi get the text range of mm/ and the unwinder (the skip range).
 * Return: 0, or -1 when nm could not be run.
 */
int host_load_symbols(unsigned long *lo, unsigned long *hi);
/* Let the unwinder read the calling thread's stack. */
void host_register_own_stack(void);

/*
 * host_track_stacks() - what tests that record real stacks need, once:
 * symbols (host_load_symbols()), mm/ as the skip range, this thread's stack.
 */
void host_track_stacks(void);

/*
 * host_mm_init() - mm over @ram (the "RAM" at physical @phys, @size bytes,
 * its first MiB reserved as the image) from scratch: memblock, page_ext and
 * the depot reset, then mm_init(@cmdline). Return: mm_init()'s.
 */
int host_mm_init(void *ram, unsigned long phys, unsigned long size, const char *cmdline);

/*
 * host_slab_ram() - @size bytes of "RAM" for host_mm_init(), aligned in the
 * mapping as slabs are in RAM (32 KiB: the largest slab, mm/slab.c), not
 * committed until touched. Return: the memory, or NULL.
 */
char *host_slab_ram(unsigned long size);

#endif
