/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build: no interrupts; a depth counter per thread (a thread plays a
 * core, asm/smp.h) lets tests check balance.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

extern __thread int host_irq_disable_depth;
/* Bit n: a cross-core call waits for core n (tests/host/shim/host_smp.c). */
extern unsigned long host_ipi_pending;
/* Run the calls waiting for this thread's core, as its interrupt handler would. */
void host_ipi_poll(void);

/* Interrupts back on: a waiting call is taken now, as on a core. */
static inline void host_irqs_on(void)
{
	if (__atomic_load_n(&host_ipi_pending, __ATOMIC_RELAXED))
		host_ipi_poll();
}

static inline unsigned long arch_local_irq_save(void)
{
	return (unsigned long)host_irq_disable_depth++;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_irq_disable_depth = (int)flags;
	if (!flags)
		host_irqs_on();
}

static inline void arch_local_irq_enable(void)
{
	host_irq_disable_depth = 0;
	host_irqs_on();
}

static inline void arch_local_irq_disable(void)
{
	host_irq_disable_depth++;
}

static inline int arch_irqs_disabled(void)
{
	return host_irq_disable_depth > 0;
}

#endif
