/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#define PSR_I_BIT	(1UL << 7)
#define PSR_F_BIT	(1UL << 6)

/* Mask IRQ and FIQ on this CPU; return the previous CPSR. */
static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, cpsr\n\tcpsid if" : "=r"(flags) : : "memory", "cc");
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr cpsr_c, %0" : : "r"(flags) : "memory", "cc");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("cpsie if" : : : "memory", "cc");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cpsid if" : : : "memory", "cc");
}

static inline int arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, cpsr" : "=r"(flags));
	return (flags & PSR_I_BIT) != 0;
}

#endif
