/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the long-descriptor table code (arch/arm64/mm/mmu.c, which AArch32
 * with LPAE shares) needs of AArch64: 39-bit addresses from TTBR0_EL1.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <ferret/types.h>
#include <asm/sysreg.h>

#define MMU_VA_BITS	39

static inline void mmu_dcache_inval_line(unsigned long p)
{
	__asm__ __volatile__("dc ivac, %0" : : "r"(p) : "memory");
}

static inline void mmu_dcache_clean_inval_line(unsigned long p)
{
	__asm__ __volatile__("dc civac, %0\n\tdsb sy" : : "r"(p) : "memory");
}

static inline void mmu_tlb_flush_all(void)
{
	__asm__ __volatile__("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
}

#define TCR_T0SZ(n)	((unsigned long)(n) << 0)
#define TCR_IRGN0_WBWA	(1UL << 8)
#define TCR_ORGN0_WBWA	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_TG0_4K	(0UL << 14)
#define TCR_EPD1	(1UL << 23)
#define TCR_IPS_SHIFT	32

/* Point TTBR0_EL1 at @table with memory attributes @mair; MMU and caches on. */
static inline void mmu_enable_tables(u64 table, u64 mair)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf, sctlr;

	if (parange > 5)
		parange = 5;	/* 48 bits is all a 4 KiB granule without LPA needs */
	write_sysreg(mair, mair_el1);
	write_sysreg(TCR_T0SZ(64 - MMU_VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
		     TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1 | (parange << TCR_IPS_SHIFT), tcr_el1);
	write_sysreg(table, ttbr0_el1);
	isb();
	__asm__ __volatile__("tlbi vmalle1\n\tdsb nsh\n\tic iallu\n\tdsb nsh" ::: "memory");
	isb();
	sctlr = read_sysreg(sctlr_el1);
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
	sctlr &= ~(SCTLR_A | SCTLR_SA);
	write_sysreg(sctlr, sctlr_el1);
	isb();
}

#endif
