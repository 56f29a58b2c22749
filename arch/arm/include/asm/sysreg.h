/* SPDX-License-Identifier: GPL-2.0 */
/* CP15 system registers, by name, and the barriers. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#define __cp15_read(crn, op1, crm, op2) ({                                      \
	unsigned long __v;                                                      \
	__asm__ __volatile__("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2  \
			     : "=r"(__v));                                      \
	__v;                                                                    \
})
#define __cp15_write(v, crn, op1, crm, op2)                                     \
	__asm__ __volatile__("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2  \
			     : : "r"((unsigned long)(v)) : "memory")

#define read_sctlr()		__cp15_read(c1, 0, c0, 0)
#define write_sctlr(v)		__cp15_write(v, c1, 0, c0, 0)
#define read_mpidr()		__cp15_read(c0, 0, c0, 5)
#define read_cntfrq()		__cp15_read(c14, 0, c0, 0)
#define read_dfsr()		__cp15_read(c5, 0, c0, 0)
#define read_ifsr()		__cp15_read(c5, 0, c0, 1)
#define read_dfar()		__cp15_read(c6, 0, c0, 0)
#define read_ifar()		__cp15_read(c6, 0, c0, 2)
#define write_ttbcr(v)		__cp15_write(v, c2, 0, c0, 2)
#define write_mair0(v)		__cp15_write(v, c10, 0, c2, 0)
#define write_mair1(v)		__cp15_write(v, c10, 0, c2, 1)
#define write_pmcr(v)		__cp15_write(v, c9, 0, c12, 0)
#define read_pmcr()		__cp15_read(c9, 0, c12, 0)
#define write_pmcntenset(v)	__cp15_write(v, c9, 0, c12, 1)
#define write_pmselr(v)		__cp15_write(v, c9, 0, c12, 5)
#define write_pmxevtyper(v)	__cp15_write(v, c9, 0, c13, 1)
#define read_pmxevcntr()	__cp15_read(c9, 0, c13, 2)
#define read_pmccntr()		__cp15_read(c9, 0, c13, 0)

#include <asm-generic/barrier.h>

/* SCTLR bits */
#define SCTLR_M		(1UL << 0)
#define SCTLR_A		(1UL << 1)
#define SCTLR_C		(1UL << 2)
#define SCTLR_Z		(1UL << 11)
#define SCTLR_I		(1UL << 12)
#define SCTLR_V		(1UL << 13)
#define SCTLR_WXN	(1UL << 19)
#define SCTLR_TE	(1UL << 30)

#endif
