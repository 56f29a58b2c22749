/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SECTIONS_H
#define ASM_SECTIONS_H

/*
 * Every core's two stacks, one CPU_STACKS_SIZE block a core from cpu_stacks
 * (arch/arm/kernel/stacks.S; core 0's are boot_stack and exception_stack),
 * each stack with a never-mapped guard page just below it: the same layout
 * as AArch64's. entry.S finds the running core's exception stack from
 * TPIDRPRW and CPU_STACKS_SHIFT.
 */
#define CPU_STACKS_SHIFT	17
#define CPU_STACKS_SIZE		(1 << CPU_STACKS_SHIFT)
#define CPU_BOOT_STACK_OFF	0x1000
#define CPU_BOOT_STACK_SIZE	0x10000
#define CPU_EXC_STACK_OFF	0x18000
#define CPU_EXC_STACK_SIZE	0x4000
#define CPU_EXC_ALIGN		0x8000
/* ABT's and UND's scratch words a core (entry.S, svc_stack_check): 16 bytes each. */
#define CPU_MODE_SCRATCH_SIZE	32

#ifndef __ASSEMBLY__
#include <asm-generic/sections.h>

extern char cpu_stacks[];
#endif

#endif
