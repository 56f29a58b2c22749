/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception vectors. The kernel runs in EL1t (SP_EL0), so exceptions from
 * kernel code arrive at the "current EL with SP0" group and run on the
 * exception stack (SP_EL1). An exception while already on SP_EL1 (inside a
 * handler) lands in the "SPx" group: a nested fault, reported as such.
 *
 * Each entry saves a struct pt_regs and links a frame record {x29, elr + 4}
 * so a backtrace from the handler continues into the interrupted code. Every
 * frame is then a return address: the printers (%pB) and the host tools look
 * up the byte before it, which is in the interrupted instruction, so an
 * interrupt at a function's first instruction names that function, not the
 * one before it (or the padding between them).
 */
#include <asm/ptrace.h>
#include <asm/sections.h>

	.macro	kernel_entry, kind
	sub	sp, sp, #(PT_REGS_SIZE + 16)
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x0, sp_el0
	stp	x30, x0, [sp, #16 * 15]		// x30, sp
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #16 * 16]		// pc, pstate
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #16 * 17]		// esr, far
	ldr	x0, [sp, #16 * 16]
	add	x0, x0, #4			// pc as a return address (see above)
	stp	x29, x0, [sp, #PT_REGS_SIZE]	// frame record: interrupted fp, pc + 4
	add	x29, sp, #PT_REGS_SIZE
	mov	x0, sp
	mov	x1, #\kind
	.endm

	.macro	kernel_exit
	ldp	x0, x1, [sp, #16 * 16]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x30, x0, [sp, #16 * 15]
	msr	sp_el0, x0
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #(PT_REGS_SIZE + 16)
	eret
	.endm

/* kinds, as in arch/arm64/kernel/traps.c's names table */
#define K_SYNC		0
#define K_IRQ		1
#define K_FIQ		2
#define K_SERROR	3
#define K_NESTED	4	/* from the SPx group: fault inside a handler */
#define K_LOWER		8	/* from EL0 / lower EL: never expected */

	.macro	vent, label
	.balign	0x80
	b	\label
	.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	vectors
vectors:
	vent	el1t_sync		// current EL, SP0: the kernel
	vent	el1t_irq
	vent	el1t_fiq
	vent	el1t_serror
	vent	el1h_sync		// current EL, SPx: inside a handler
	vent	el1h_irq
	vent	el1h_fiq
	vent	el1h_serror
	vent	lower_sync		// lower EL, AArch64
	vent	lower_irq
	vent	lower_fiq
	vent	lower_serror
	vent	lower_sync		// lower EL, AArch32
	vent	lower_irq
	vent	lower_fiq
	vent	lower_serror

	.text
el1t_sync:
	kernel_entry K_SYNC
	bl	do_sync
	kernel_exit
el1t_irq:
	kernel_entry K_IRQ
	bl	do_irq
	kernel_exit
el1t_fiq:
	kernel_entry K_FIQ
	bl	do_bad_exception
	kernel_exit
el1t_serror:
	kernel_entry K_SERROR
	bl	do_bad_exception
	kernel_exit
el1h_sync:
	/*
	 * A fault inside a handler: if this core's exception stack has no room
	 * left for the registers (it ran into its guard page, or is about to),
	 * save them on the panic stack instead, so the report can be made at
	 * all. Each exception stack starts CPU_EXC_ALIGN-aligned (asm/sections.h):
	 * sp's offset in that alignment says where it is. TPIDRRO_EL0 is the
	 * scratch register (nothing else uses it; TPIDR_EL1 is the core number).
	 */
	msr	tpidrro_el0, x0
	mov	x0, sp
	and	x0, x0, #(CPU_EXC_ALIGN - 1)
	cmp	x0, #(PT_REGS_SIZE + 16)
	b.lo	1f				// about to run off the bottom
	cmp	x0, #CPU_EXC_STACK_SIZE
	b.ls	2f				// inside the stack, with room
1:	ldr	x0, =panic_stack_top		// below it: in the guard page
	mov	sp, x0
2:	mrs	x0, tpidrro_el0
	kernel_entry (K_NESTED + K_SYNC)
	bl	do_bad_exception
	kernel_exit
el1h_irq:
	kernel_entry (K_NESTED + K_IRQ)
	bl	do_irq
	kernel_exit
el1h_fiq:
	kernel_entry (K_NESTED + K_FIQ)
	bl	do_bad_exception
	kernel_exit
el1h_serror:
	kernel_entry (K_NESTED + K_SERROR)
	bl	do_bad_exception
	kernel_exit
lower_sync:
	kernel_entry (K_LOWER + K_SYNC)
	bl	do_bad_exception
	kernel_exit
lower_irq:
	kernel_entry (K_LOWER + K_IRQ)
	bl	do_bad_exception
	kernel_exit
lower_fiq:
	kernel_entry (K_LOWER + K_FIQ)
	bl	do_bad_exception
	kernel_exit
lower_serror:
	kernel_entry (K_LOWER + K_SERROR)
	bl	do_bad_exception
	kernel_exit
