/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#define read_sysreg(r) ({                                        \
	unsigned long __v;                                       \
	__asm__ __volatile__("mrs %0, " #r : "=r"(__v));         \
	__v;                                                     \
})

#define write_sysreg(v, r) do {                                  \
	unsigned long __v = (unsigned long)(v);                  \
	__asm__ __volatile__("msr " #r ", %0" : : "r"(__v));     \
} while (0)

#include <asm-generic/barrier.h>

/* SCTLR_EL1 bits */
#define SCTLR_M		(1UL << 0)
#define SCTLR_A		(1UL << 1)
#define SCTLR_C		(1UL << 2)
#define SCTLR_SA	(1UL << 3)
#define SCTLR_I		(1UL << 12)
#define SCTLR_EL1_RES1	((1UL << 11) | (1UL << 20) | (1UL << 22) | (1UL << 23) | \
			 (1UL << 28) | (1UL << 29))

#endif
