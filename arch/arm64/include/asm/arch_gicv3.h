/* SPDX-License-Identifier: GPL-2.0 */
/* The GICv3 CPU interface's system registers (AArch64 encodings). */
#ifndef ASM_ARCH_GICV3_H
#define ASM_ARCH_GICV3_H

#include <ferret/types.h>

#define gic_sysreg_rd(enc) ({                                          \
	unsigned long __v;                                             \
	__asm__ __volatile__("mrs %0, " enc : "=r"(__v));              \
	(u32)__v;                                                      \
})
#define gic_sysreg_wr(enc, v)                                          \
	__asm__ __volatile__("msr " enc ", %0" : : "r"((unsigned long)(v)))

static inline u32 gic_read_sre(void)		{ return gic_sysreg_rd("S3_0_C12_C12_5"); }
static inline void gic_write_sre(u32 v)		{ gic_sysreg_wr("S3_0_C12_C12_5", v); }
static inline void gic_write_pmr(u32 v)		{ gic_sysreg_wr("S3_0_C4_C6_0", v); }
static inline void gic_write_grpen1(u32 v)	{ gic_sysreg_wr("S3_0_C12_C12_7", v); }
static inline u32 gic_read_iar(void)		{ return gic_sysreg_rd("S3_0_C12_C12_0"); }
static inline void gic_write_eoir(u32 v)	{ gic_sysreg_wr("S3_0_C12_C12_1", v); }
static inline void gic_write_sgi1r(u64 v)	{ gic_sysreg_wr("S3_0_C12_C11_5", v); }

#endif
