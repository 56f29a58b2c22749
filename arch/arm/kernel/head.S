/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AArch32 entry. A boot loader (QEMU's -kernel, a Pi's firmware) jumps here
 * in HYP or SVC mode, MMU off, on every core; r2 holds the DTB when it
 * follows Linux's convention. Core 0 goes on, the others park.
 *
 * HYP is left for SVC once the counters are opened to PL1 (CNTHCTL) and the
 * virtual offset is zeroed (CNTVOFF). The kernel then runs in SYS mode on
 * the boot stack; every exception is handled in SVC mode on the exception
 * stack (entry.S moves there from the mode the exception arrives in), so no
 * other mode needs a stack of its own: ABT and UND get two words of
 * scratch (entry.S's check of the exception stack's room).
 */
#include <asm/ptrace.h>

	.section .text.boot, "ax"
	.arm
	.globl	_start
	.type	_start, %function
_start:
	cpsid	aif
	mov	r8, r2				@ DTB (Linux convention), or garbage
	mrc	p15, 0, r0, c0, c0, 5		@ MPIDR
	ands	r0, r0, #0xff
	bne	park
	mcr	p15, 0, r0, c13, c0, 4		@ TPIDRPRW = 0: smp_processor_id() (asm/smp.h)
	mrs	r0, cpsr
	and	r0, r0, #0x1f
	mov	r9, #1				@ "EL1": SVC
	cmp	r0, #MODE_HYP
	bne	1f
	mov	r9, #2				@ "EL2": HYP
	mrc	p15, 4, r0, c14, c1, 0		@ CNTHCTL: PL1 reads both counters,
	orr	r0, r0, #3			@ and uses the physical timer
	mcr	p15, 4, r0, c14, c1, 0
	mov	r0, #0
	mov	r1, #0
	mcrr	p15, 4, r0, r1, c14		@ CNTVOFF = 0
	mcr	p15, 4, r0, c1, c1, 0		@ HCR = 0: nothing trapped to HYP
	mcr	p15, 4, r0, c1, c1, 3		@ HSTR = 0
	mrc	p15, 4, r0, c1, c1, 2		@ HCPTR: no coprocessor traps
	bic	r0, r0, #(3 << 10)
	mcr	p15, 4, r0, c1, c1, 2
	mov	r0, #(MODE_SVC | 0x1c0)		@ SVC, A, I and F masked
	msr	spsr_cxsf, r0			@ Hyp's own SPSR (SPSR_hyp is not banked-accessible here)
	adr	r0, 1f
	msr	elr_hyp, r0
	eret
1:	mrc	p15, 0, r0, c1, c0, 0		@ SCTLR: MMU, caches, alignment
	bic	r0, r0, #0x7			@   checks off; low vectors (V),
	bic	r0, r0, #(1 << 13)		@   exceptions in ARM state (TE)
	bic	r0, r0, #(1 << 30)
	mcr	p15, 0, r0, c1, c0, 0
	isb
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	mrc	p15, 0, r0, c1, c0, 2		@ CPACR: cp10/cp11 for the C library
	orr	r0, r0, #(0xf << 20)
	mcr	p15, 0, r0, c1, c0, 2
	isb
	cps	#MODE_SVC
	ldr	sp, =exception_stack_top
	cps	#MODE_ABT			@ the abort and undefined entries' scratch
	ldr	sp, =abt_scratch		@   words (entry.S, svc_stack_check)
	cps	#MODE_UND
	ldr	sp, =und_scratch
	cps	#MODE_SYS
	ldr	sp, =boot_stack_top

	ldr	r0, =__bss_start		@ zero BSS (boot stack included)
	ldr	r1, =_end
	mov	r2, #0
2:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	2b

	mov	fp, #0				@ terminal frame record { 0, 0 }
	mov	lr, #0
	push	{fp, lr}
	add	fp, sp, #4
	mov	r0, r8
	mov	r1, r9
	bl	start_kernel
	/* A typed, sized function: host tools (addr2line, pprof) name its frames by it. */
	.size	_start, . - _start
park:
	wfe
	b	park

	/*
	 * A 4 KiB page below each stack is never mapped (the MMU code): running
	 * off a stack's end faults and the crash report says so.
	 */
	.section .bss.stacks, "aw", %nobits
	.balign 4096
	.globl boot_stack, boot_stack_top, exception_stack, exception_stack_top
	.skip	4096			@ boot stack guard
boot_stack:
	.skip	65536
boot_stack_top:
	.skip	4096			@ exception stack guard
exception_stack:
	.skip	16384
exception_stack_top:

	.section .bss, "aw", %nobits
	.balign	8
abt_scratch:
	.skip	8
und_scratch:
	.skip	8
	.globl	svc_overflow_sp			@ traps.c
svc_overflow_sp:
	.skip	4
