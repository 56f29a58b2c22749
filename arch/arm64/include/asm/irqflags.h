/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

/* Mask IRQ and FIQ on this CPU; return the previous DAIF bits. */
static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif\n\tmsr daifset, #3" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr daif, %0" : : "r"(flags) : "memory");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #3" : : : "memory");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #3" : : : "memory");
}

static inline int arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif" : "=r"(flags));
	return (flags & (1UL << 7)) != 0;
}

#endif
