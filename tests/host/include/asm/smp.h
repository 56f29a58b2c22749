/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

/*
 * Host build: a thread plays a core. Each thread's number is its own
 * (host_smp_cpu, 0 unless the test sets it), so threaded tests can run the
 * per-cpu paths of several cores at once.
 */
extern __thread unsigned int host_smp_cpu;

static inline unsigned int arch_smp_processor_id(void)
{
	return host_smp_cpu;
}

#endif
