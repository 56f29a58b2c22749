/* SPDX-License-Identifier: GPL-2.0 */
/* The GICv3 CPU interface's system registers (AArch32 CP15 encodings). */
#ifndef ASM_ARCH_GICV3_H
#define ASM_ARCH_GICV3_H

#include <asm/sysreg.h>

static inline u32 gic_read_sre(void)		{ return __cp15_read(c12, 0, c12, 5); }
static inline void gic_write_sre(u32 v)		{ __cp15_write(v, c12, 0, c12, 5); }
static inline void gic_write_pmr(u32 v)		{ __cp15_write(v, c4, 0, c6, 0); }
static inline void gic_write_grpen1(u32 v)	{ __cp15_write(v, c12, 0, c12, 7); }
static inline u32 gic_read_iar(void)		{ return __cp15_read(c12, 0, c12, 0); }
static inline void gic_write_eoir(u32 v)	{ __cp15_write(v, c12, 0, c12, 1); }

/* ICC_SGI1R: a 64-bit register, written with mcrr. */
static inline void gic_write_sgi1r(u64 v)
{
	__asm__ __volatile__("mcrr p15, 0, %Q0, %R0, c12" : : "r"(v) : "memory");
}

#endif
