/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the long-descriptor (LPAE) table code (arch/arm64/mm/mmu.c, shared)
 * needs of AArch32: ARMv7 with LPAE walks the very same 4 KiB-granule tables
 * as AArch64 (1 GiB, 2 MiB and 4 KiB levels, the same descriptor bits), from
 * a first level of 4 entries covering the 32-bit address space (TTBCR.EAE,
 * T0SZ = 0). MAIR is split in MAIR0/MAIR1, TTBR0 is written with mcrr.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <ferret/types.h>
#include <asm/sysreg.h>

#define MMU_VA_BITS	32

/* Drop the line holding @p from the data cache (DCIMVAC). */
static inline void mmu_dcache_inval_line(unsigned long p)
{
	__asm__ __volatile__("mcr p15, 0, %0, c7, c6, 1" : : "r"(p) : "memory");
}

/* Write the line holding @p back to memory and drop it (DCCIMVAC). */
static inline void mmu_dcache_clean_inval_line(unsigned long p)
{
	__asm__ __volatile__("mcr p15, 0, %0, c7, c14, 1\n\tdsb sy" : : "r"(p) : "memory");
}

static inline void mmu_tlb_flush_all(void)
{
	__asm__ __volatile__("dsb ishst\n\t"
			     "mcr p15, 0, %0, c8, c3, 0\n\t"	/* TLBIALLIS: every core's */
			     "mcr p15, 0, %0, c7, c1, 6\n\t"	/* BPIALLIS */
			     "dsb ish\n\tisb" : : "r"(0) : "memory");
}

#define TTBCR_EAE		(1UL << 31)
#define TTBCR_IRGN0_WBWA	(1UL << 8)
#define TTBCR_ORGN0_WBWA	(1UL << 10)
#define TTBCR_SH0_INNER		(3UL << 12)
#define TTBCR_EPD1		(1UL << 23)

/* Point TTBR0 at @table with memory attributes @mair; MMU and caches on. */
static inline void mmu_enable_tables(u64 table, u64 mair)
{
	unsigned long sctlr;

	write_mair0((u32)mair);
	write_mair1((u32)(mair >> 32));
	write_ttbcr(TTBCR_EAE | TTBCR_IRGN0_WBWA | TTBCR_ORGN0_WBWA | TTBCR_SH0_INNER |
		    TTBCR_EPD1);
	__asm__ __volatile__("mcrr p15, 0, %Q0, %R0, c2" : : "r"(table) : "memory");	/* TTBR0 */
	isb();
	__asm__ __volatile__("mcr p15, 0, %0, c8, c7, 0\n\t"	/* TLBIALL */
			     "mcr p15, 0, %0, c7, c5, 0\n\t"	/* ICIALLU */
			     "dsb nsh\n\tisb" : : "r"(0) : "memory");
	sctlr = read_sctlr();
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z;
	sctlr &= ~(SCTLR_A | SCTLR_WXN);
	write_sctlr(sctlr);
	isb();
}

#endif
