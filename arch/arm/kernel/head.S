/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AArch32 entry. A boot loader (QEMU's -kernel, a Pi's firmware) jumps here
 * in HYP or SVC mode, MMU off; r2 holds the DTB when it follows Linux's
 * convention. Any number of cores may enter _start (QEMU starts every core
 * of an ELF there): the boot core is the one with MPIDR.Aff0 == 0, the
 * others wait in the holding pen until kernel/smp.c names them.
 *
 * HYP is left for SVC once the counters are opened to PL1 (CNTHCTL) and the
 * virtual offset is zeroed (CNTVOFF): mode_drop, shared by every core. The
 * kernel then runs in SYS mode on the core's boot stack; every exception is
 * handled in SVC mode on its exception stack (entry.S moves there from the
 * mode the exception arrives in), so no other mode needs a stack of its
 * own: ABT and UND get a few words of scratch (entry.S's check of the
 * exception stack's room).
 *
 * A secondary core enters at secondary_entry (PSCI CPU_ON, a Pi's mailbox,
 * or the pen), finds its logical number from its MPIDR in cpu_hwid[]
 * (kernel/smp.c), sets TPIDRPRW to it, leaves HYP the same way, takes its
 * own stacks (cpu_stack_tops[]) and calls secondary_start_kernel(cpu, el),
 * which turns its MMU on with the boot core's tables.
 */
#include <asm/ptrace.h>
#include <asm/sections.h>
#include <asm/smp.h>

	.section .text.boot, "ax"
	.arm
	.globl	_start
	.type	_start, %function
_start:
	cpsid	aif
	mov	r8, r2				@ DTB (Linux convention), or garbage
	mrc	p15, 0, r0, c0, c0, 5		@ MPIDR
	ands	r0, r0, #0xff
	bne	holding_pen
	mcr	p15, 0, r0, c13, c0, 4		@ TPIDRPRW = 0: smp_processor_id() (asm/smp.h)
	bl	mode_drop			@ r9 = "EL" of entry; now in SVC
	bl	cpu_setup
	ldr	r0, =exception_stack_top
	ldr	r1, =cpu_mode_scratch
	ldr	r2, =boot_stack_top
	bl	set_stacks			@ now in SYS on the boot stack

	ldr	r0, =__bss_start		@ zero BSS (the stacks included)
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
	b	park
	/* A typed, sized function: host tools (addr2line, pprof) name its frames by it. */
	.size	_start, . - _start

	/*
	 * A core that entered _start but is not the boot core: wait until
	 * kernel/smp.c writes its MPIDR to pen_release (cleaned to memory: this
	 * core reads with its MMU and caches off), then start as a secondary.
	 */
holding_pen:
	mrc	p15, 0, r1, c0, c0, 5
	ldr	r2, =ARCH_HWID_MASK
	and	r1, r1, r2
	ldr	r2, =pen_release
1:	wfe
	ldr	r3, [r2]
	cmp	r3, r1
	bne	1b
	/* fall through */

	.globl	secondary_entry
	.type	secondary_entry, %function
secondary_entry:
	cpsid	aif
	mrc	p15, 0, r1, c0, c0, 5		@ logical number: our MPIDR's index in cpu_hwid[]
	ldr	r2, =ARCH_HWID_MASK
	and	r1, r1, r2
	ldr	r2, =cpu_hwid
	mov	r4, #1
1:	ldr	r3, [r2, r4, lsl #2]
	cmp	r3, r1
	beq	2f
	add	r4, r4, #1
	cmp	r4, #ARCH_NR_CPUS
	blo	1b
	b	park				@ not a core kernel/smp.c asked for

2:	mcr	p15, 0, r4, c13, c0, 4		@ TPIDRPRW = logical number
	bl	mode_drop
	bl	cpu_setup
	ldr	r2, =cpu_stack_tops		@ { boot top, exception top } per core
	add	r2, r2, r4, lsl #3
	ldr	r0, [r2, #4]
	ldr	r1, =cpu_mode_scratch
	add	r1, r1, r4, lsl #5		@ CPU_MODE_SCRATCH_SIZE a core
	ldr	r2, [r2]
	bl	set_stacks
	mov	fp, #0
	mov	lr, #0
	push	{fp, lr}
	add	fp, sp, #4
	mov	r0, r4
	mov	r1, r9
	bl	secondary_start_kernel
	b	park
	.size	secondary_entry, . - secondary_entry

park:
	wfe
	b	park

/*
 * mode_drop: from HYP (or SVC) to SVC with A, I, F masked; returns in SVC.
 * Out: r9 = 2 when entered in HYP, else 1 ("EL2", "EL1"). Clobbers r0, r1.
 * In HYP, lr is the User/System bank's, which SVC does not see: the return
 * is the exception return itself (ELR_hyp = lr).
 */
mode_drop:
	mrs	r0, cpsr
	and	r0, r0, #0x1f
	mov	r9, #1				@ "EL1": SVC
	cmp	r0, #MODE_HYP
	bxne	lr
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
	msr	elr_hyp, lr
	eret

/*
 * cpu_setup: in SVC, MMU and caches off, alignment checks off, low vectors
 * off (VBAR), exceptions in ARM state, cp10/cp11 open for the C library,
 * and the core in its cluster's coherency (ACTLR.SMP, Cortex-A7/A15: read
 * only in non-secure state where the firmware set it). Clobbers r0.
 */
cpu_setup:
	mrc	p15, 0, r0, c1, c0, 0		@ SCTLR: MMU, caches, alignment
	bic	r0, r0, #0x7			@   checks off; low vectors (V),
	bic	r0, r0, #(1 << 13)		@   exceptions in ARM state (TE)
	bic	r0, r0, #(1 << 30)
	mcr	p15, 0, r0, c1, c0, 0
	isb
	mrc	p15, 0, r0, c1, c0, 1		@ ACTLR.SMP
	tst	r0, #(1 << 6)
	orreq	r0, r0, #(1 << 6)
	mcreq	p15, 0, r0, c1, c0, 1
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	mrc	p15, 0, r0, c1, c0, 2		@ CPACR: cp10/cp11 for the C library
	orr	r0, r0, #(0xf << 20)
	mcr	p15, 0, r0, c1, c0, 2
	isb
	bx	lr

/*
 * set_stacks: from SVC, SVC's sp = r0 (the exception stack's top), ABT's
 * and UND's sp = r1 and r1 + 16 (their scratch words), then SYS mode with
 * sp = r2 (the boot stack's top); returns in SYS. Clobbers r3.
 */
set_stacks:
	mov	r3, lr				@ SYS sees another lr
	cps	#MODE_SVC
	mov	sp, r0
	cps	#MODE_ABT
	mov	sp, r1
	cps	#MODE_UND
	add	sp, r1, #16
	cps	#MODE_SYS
	mov	sp, r2
	bx	r3
	.ltorg
