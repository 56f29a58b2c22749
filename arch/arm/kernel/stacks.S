/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every core's stacks (asm/sections.h has the layout), ABT's and UND's
 * scratch words for each core, then the panic console's own stack, entered
 * fresh after every crash report. The page below each stack is never mapped
 * (arch/arm64/mm/mmu.c): running off a stack's end faults and the crash
 * report says so.
 */
#include <asm/sections.h>
#include <asm/smp.h>

	.section .bss.stacks, "aw", %nobits
	.balign	CPU_EXC_ALIGN
	.globl	cpu_stacks, boot_stack, boot_stack_top, exception_stack, exception_stack_top
cpu_stacks:
	.skip	CPU_BOOT_STACK_OFF		@ core 0: boot stack guard
boot_stack:
	.skip	CPU_BOOT_STACK_SIZE
boot_stack_top:
	.skip	CPU_EXC_STACK_OFF - CPU_BOOT_STACK_OFF - CPU_BOOT_STACK_SIZE	@ ends in the guard
exception_stack:
	.skip	CPU_EXC_STACK_SIZE
exception_stack_top:
	.skip	CPU_STACKS_SIZE - CPU_EXC_STACK_OFF - CPU_EXC_STACK_SIZE
	.skip	CPU_STACKS_SIZE * (ARCH_NR_CPUS - 1)	@ cores 1..: the same layout

	.balign 4096
	.globl panic_stack, panic_stack_top
	.skip	4096			@ guard
panic_stack:
	.skip	16384
panic_stack_top:

	.section .bss, "aw", %nobits
	.balign	8
	.globl	cpu_mode_scratch, svc_overflow_sp
cpu_mode_scratch:			@ a core: ABT's 16 bytes, then UND's (entry.S)
	.skip	CPU_MODE_SCRATCH_SIZE * ARCH_NR_CPUS
svc_overflow_sp:			@ a core: the SVC sp that ran out (traps.c)
	.skip	4 * ARCH_NR_CPUS
