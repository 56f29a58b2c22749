/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SECTIONS_H
#define ASM_SECTIONS_H

/*
 * Every core's two stacks, one CPU_STACKS_SIZE block a core from cpu_stacks
 * (arch/arm64/kernel/stacks.S; core 0's are boot_stack and exception_stack),
 * each stack with a never-mapped guard page just below it. The exception
 * stack starts CPU_EXC_ALIGN-aligned, so entry.S can tell from sp's low bits
 * alone whether a nested fault still has room on it.
 */
#define CPU_STACKS_SIZE		0x20000
#define CPU_BOOT_STACK_OFF	0x1000
#define CPU_BOOT_STACK_SIZE	0x10000
#define CPU_EXC_STACK_OFF	0x18000
#define CPU_EXC_STACK_SIZE	0x4000
#define CPU_EXC_ALIGN		0x8000

#ifndef __ASSEMBLY__
#include <asm-generic/sections.h>

extern char cpu_stacks[];
#endif

#endif
