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
extern int host_irq_disable_depth;

struct host_sym {
	unsigned long addr, size;
	const char *name;
};
extern const struct host_sym *host_syms;
extern size_t host_nr_syms;
extern unsigned long host_text_base;

#endif
