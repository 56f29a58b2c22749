/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception vectors. The kernel runs in SYS mode; an exception arrives in
 * its own mode (UND, ABT, IRQ...), and its entry moves at once to SVC mode
 * on the exception stack: srsdb stores the return address and SPSR there,
 * then the rest of a struct pt_regs is saved. An exception inside a handler
 * (already in SVC mode) nests on the same stack.
 *
 * An abort or undefined instruction in a handler whose exception stack has
 * no room left for the registers (it ran into its guard page, or is about
 * to) would fault again at srsdb, forever: svc_stack_check moves SVC's sp to
 * the panic stack first, so the report ("Kernel stack overflow") is made.
 *
 * Each entry links a frame record { interrupted fp, interrupted pc + 4 }
 * below pt_regs and points fp at it (fp at the record's lr word, as GCC
 * does), so a backtrace from the handler continues into the interrupted
 * code. Every frame is then a return address: the printers (%pB) and the
 * host tools look up the byte before it, which is in the interrupted
 * instruction, so an interrupt at a function's first instruction names that
 * function, not the one before it.
 */
#include <asm/ptrace.h>
#include <asm/sections.h>

#define KIND_SYNC	0
#define KIND_IRQ	1
#define KIND_FIQ	2
#define KIND_UNDEF	4
#define KIND_PABT	5
#define KIND_DABT	6
#define KIND_SVC	7
#define KIND_BAD	8

#define STACK_GUARD_SIZE	4096	/* stacks.S: the page below each stack */

	.arm
	/*
	 * Save pt_regs on the SVC stack; r0 = regs, r1 = kind for the handler.
	 * @adjust: what to take off lr for the address to return to.
	 */
	.macro	kernel_entry, kind, adjust
	.if	\adjust
	sub	lr, lr, #\adjust
	.endif
	srsdb	sp!, #MODE_SVC			@ { pc, cpsr } at the frame's top
	cps	#MODE_SVC
	sub	sp, sp, #(PT_REGS_SIZE - 8)
	stmia	sp, {r0-r12}
	ldr	r0, [sp, #PT_CPSR]
	and	r0, r0, #0x1f
	cmp	r0, #MODE_SVC
	bne	1f
	add	r1, sp, #PT_REGS_SIZE		@ from SVC (a handler): its sp and lr
	str	r1, [sp, #PT_SP]
	str	lr, [sp, #PT_LR]
	b	2f
1:	add	r1, sp, #PT_SP			@ from SYS: the user/system bank
	stmia	r1, {sp, lr}^
	nop
2:	mov	r0, #0
	str	r0, [sp, #PT_FSR]
	str	r0, [sp, #PT_FAR]
	mov	r0, #\kind
	str	r0, [sp, #PT_KIND]
	.if	\kind == KIND_DABT
	mrc	p15, 0, r0, c5, c0, 0		@ DFSR
	str	r0, [sp, #PT_FSR]
	mrc	p15, 0, r0, c6, c0, 0		@ DFAR
	str	r0, [sp, #PT_FAR]
	.endif
	.if	\kind == KIND_PABT
	mrc	p15, 0, r0, c5, c0, 1		@ IFSR
	str	r0, [sp, #PT_FSR]
	mrc	p15, 0, r0, c6, c0, 2		@ IFAR
	str	r0, [sp, #PT_FAR]
	.endif
	ldr	r1, [sp, #PT_PC]
	add	r1, r1, #4			@ pc as a return address (see above)
	mov	r0, fp
	push	{r0, r1}			@ frame record: interrupted fp, pc + 4
	add	fp, sp, #4
	add	r0, sp, #8
	mov	r1, #\kind
	.endm

	/*
	 * In ABT or UND mode (@mode), before kernel_entry: if SVC's sp lies in
	 * this core's exception stack's guard page or less than a pt_regs and a
	 * frame record above it, point it at the panic stack's top (the old one
	 * goes to svc_overflow_sp[core] for the crash report). This mode's sp
	 * holds this core's scratch words (head.S) for r0-r2; SVC's sp is
	 * reached by a visit to SVC mode (banked MRS needs the virtualization
	 * extensions enabled, which QEMU's virt does not have by default). The
	 * core's number is TPIDRPRW, its stacks CPU_STACKS_SIZE apart.
	 */
	.macro	svc_stack_check, mode
	stmia	sp, {r0-r2}
	cps	#MODE_SVC
	mrc	p15, 0, r2, c13, c0, 4		@ this core
	ldr	r1, =cpu_stacks + CPU_EXC_STACK_OFF - STACK_GUARD_SIZE
	add	r1, r1, r2, lsl #CPU_STACKS_SHIFT	@ its exception stack's guard page
	sub	r0, sp, r1
	ldr	r1, =STACK_GUARD_SIZE + PT_REGS_SIZE + 16
	cmp	r0, r1
	ldrlo	r1, =svc_overflow_sp
	strlo	sp, [r1, r2, lsl #2]		@ the sp that ran out, for the report
	ldrlo	sp, =panic_stack_top
	cps	#\mode
	ldmia	sp, {r0-r2}
	.endm

	.macro	kernel_exit
	add	sp, sp, #8			@ the frame record
	ldr	r0, [sp, #PT_CPSR]
	and	r0, r0, #0x1f
	cmp	r0, #MODE_SVC
	ldreq	lr, [sp, #PT_LR]		@ back into a handler: its lr
	ldmia	sp, {r0-r12}
	add	sp, sp, #(PT_REGS_SIZE - 8)
	rfeia	sp!
	.endm

	.section .text.vectors, "ax"
	.balign	32
	.globl	vectors
vectors:
	b	bad_entry			@ reset
	b	und_entry
	b	svc_entry
	b	pabt_entry
	b	dabt_entry
	b	bad_entry			@ unused
	b	irq_entry
	b	fiq_entry

und_entry:
	svc_stack_check MODE_UND
	kernel_entry KIND_UNDEF, 4
	bl	do_sync
	b	.

svc_entry:
	kernel_entry KIND_SVC, 0
	bl	do_sync
	b	.

pabt_entry:
	svc_stack_check MODE_ABT
	kernel_entry KIND_PABT, 4
	bl	do_sync
	b	.

dabt_entry:
	svc_stack_check MODE_ABT
	kernel_entry KIND_DABT, 8
	bl	do_sync
	b	.

fiq_entry:
	kernel_entry KIND_FIQ, 4
	bl	do_bad_exception
	b	.

bad_entry:
	kernel_entry KIND_BAD, 0
	bl	do_bad_exception
	b	.

irq_entry:
	kernel_entry KIND_IRQ, 4
	bl	do_irq
	kernel_exit
	.ltorg
