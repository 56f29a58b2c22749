/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build: no interrupts; a depth counter per thread (a thread plays a
 * core, asm/smp.h) lets tests check balance.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

extern __thread int host_irq_disable_depth;

static inline unsigned long arch_local_irq_save(void)
{
	return (unsigned long)host_irq_disable_depth++;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_irq_disable_depth = (int)flags;
}

static inline void arch_local_irq_enable(void)
{
	host_irq_disable_depth = 0;
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
