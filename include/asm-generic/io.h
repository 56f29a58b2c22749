/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MMIO accessors (Linux's names), one copy for every architecture. ferret
 * maps device windows as Device memory (nGnRE on AArch64, Device on AArch32),
 * which keeps accesses to it in program order and unmerged, and does no DMA,
 * so no barrier is needed against normal memory: an access is one volatile
 * load or store of its width. Addresses are physical = virtual (identity
 * map); an accessor takes a pointer or an unsigned long.
 */
#ifndef ASM_GENERIC_IO_H
#define ASM_GENERIC_IO_H

#include <ferret/types.h>

static inline u32 __raw_readl(const volatile void *addr)
{
	return *(const volatile u32 *)addr;
}

static inline void __raw_writel(u32 v, volatile void *addr)
{
	*(volatile u32 *)addr = v;
}

#define readl(addr)		__raw_readl((const volatile void *)(addr))
#define writel(v, addr)		__raw_writel((v), (volatile void *)(addr))

#endif
