/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ferret entry point.
 *
 * Boot requirements (what the loader must guarantee):
 *  - the image is loaded at LOAD_ADDR (linker.ld) and entered at _start, at
 *    EL3, EL2 or EL1, MMU off, in AArch64 state;
 *  - x0 holds the DTB's physical address, or anything else when there is none
 *    (QEMU's ELF loader leaves the DTB at the RAM base instead; start_kernel
 *    looks there too);
 *  - any number of cores may enter _start: the boot core is the one with
 *    MPIDR.Aff0 == 0; the others wait in a holding pen until kernel/smp.c
 *    names them (a loader that starts every core at the entry, as QEMU virt
 *    does without PSCI).
 *
 * The boot core drops to EL1, takes two stacks (SP_EL1 for exceptions,
 * SP_EL0 for the kernel: running in EL1t keeps exception frames off the
 * kernel stack), points VBAR_EL1 at the vectors, zeroes BSS, leaves a
 * terminal frame record so stack walks end cleanly, and calls
 * start_kernel(dtb, entry_el).
 *
 * A secondary core enters at secondary_entry (PSCI CPU_ON, a spin table's
 * release address, or the pen), finds its logical number from its MPIDR in
 * cpu_hwid[] (kernel/smp.c), drops to EL1 the same way, takes its own
 * stacks (cpu_stack_tops[]) and calls secondary_start_kernel(cpu).
 */
#include <asm/sysreg.h>
#include <asm/smp.h>

#define SPSR_EL1H_MASKED	0x3c5	/* D, A, I, F masked; EL1h */
#define SCR_EL3_NS		(1 << 0)
#define SCR_EL3_RES1		(3 << 4)
#define SCR_EL3_SMD		(1 << 7)	/* SMC undefined at EL3: no firmware */
#define SCR_EL3_HCE		(1 << 8)
#define SCR_EL3_RW		(1 << 10)
#define HCR_EL2_RW		(1 << 31)

	.section .text.boot, "ax"
	.globl _start
_start:
	mov	x19, x0				// DTB pointer, maybe
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff			// Aff0: core number in the cluster
	cbnz	x1, holding_pen

	msr	tpidr_el1, xzr			// smp_processor_id() == 0 (asm/smp.h)
	bl	el_drop				// x20 = entry EL; now at EL1
el1_entry:					// (the name stack traces end in)
	bl	el1_setup

	ldr	x1, =exception_stack_top	// SP_EL1: exceptions
	mov	sp, x1
	msr	spsel, #0
	ldr	x1, =boot_stack_top		// SP_EL0: the kernel (EL1t)
	mov	sp, x1

	ldr	x1, =__bss_start		// zero BSS (8-byte aligned by linker.ld)
	ldr	x2, =__bss_end
2:	cmp	x1, x2
	b.hs	3f
	str	xzr, [x1], #8
	b	2b

3:	stp	xzr, xzr, [sp, #-16]!		// terminal frame record
	mov	x29, sp
	mov	x30, xzr
	mov	x0, x19
	mov	x1, x20
	bl	start_kernel
	b	park

	/*
	 * A core that entered _start but is not the boot core: wait until
	 * kernel/smp.c writes its MPIDR to pen_release (cleaned to memory: this
	 * core reads with its MMU and caches off), then start as a secondary.
	 */
holding_pen:
	mrs	x1, mpidr_el1
	ldr	x2, =ARCH_HWID_MASK
	and	x1, x1, x2
	ldr	x2, =pen_release
1:	wfe
	ldr	x3, [x2]
	cmp	x3, x1
	b.ne	1b
	/* fall through */

	.globl secondary_entry
secondary_entry:
	mrs	x1, mpidr_el1			// logical number: our MPIDR's index in cpu_hwid[]
	ldr	x2, =ARCH_HWID_MASK
	and	x1, x1, x2
	ldr	x2, =cpu_hwid
	mov	x19, #1
1:	ldr	x3, [x2, x19, lsl #3]
	cmp	x3, x1
	b.eq	2f
	add	x19, x19, #1
	cmp	x19, #ARCH_NR_CPUS
	b.lo	1b
	b	park				// not a core kernel/smp.c asked for

2:	msr	tpidr_el1, x19
	bl	el_drop
	bl	el1_setup
	ldr	x2, =cpu_stack_tops		// { boot top, exception top } per core
	add	x2, x2, x19, lsl #4
	ldp	x3, x4, [x2]
	mov	sp, x4				// SP_EL1: this core's exception stack
	msr	spsel, #0
	mov	sp, x3				// SP_EL0: its kernel stack
	stp	xzr, xzr, [sp, #-16]!
	mov	x29, sp
	mov	x30, xzr
	mov	x0, x19
	mov	x1, x20
	bl	secondary_start_kernel
	b	park

park:
	wfe
	b	park

/*
 * el_drop: from the entry EL to EL1 with D, A, I, F masked; returns at EL1.
 * Out: x20 = the entry EL (1..3). Clobbers x1, x2, x21.
 *  - EL3: lower levels are non-secure AArch64, no FP traps, both counters
 *    readable at EL1;
 *  - EL2: EL1 is AArch64, no traps, virtual counter offset 0.
 */
el_drop:
	mov	x21, x30
	mrs	x20, CurrentEL
	lsr	x20, x20, #2			// entry exception level, 1..3

	/* SCTLR_EL1 to a known state: MMU and caches off, little endian. */
	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1

	cmp	x20, #3
	b.ne	1f
	mov	x1, #(SCR_EL3_NS | SCR_EL3_RES1 | SCR_EL3_HCE | SCR_EL3_RW)
	msr	scr_el3, x1
	mov	x1, #HCR_EL2_RW			// EL1 is AArch64
	msr	hcr_el2, x1
	mov	x1, #3				// EL1 may read both counters
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	msr	cptr_el3, xzr			// no traps of FP/SIMD
	msr	cptr_el2, xzr
	bl	gicv3_sre_el3_el2		// let EL1 use a GICv3 CPU interface
	mov	x1, #SPSR_EL1H_MASKED
	msr	spsr_el3, x1
	msr	elr_el3, x21
	eret

1:	cmp	x20, #2
	b.ne	2f
	mov	x1, #HCR_EL2_RW
	msr	hcr_el2, x1
	mov	x1, #3
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x33ff			// CPTR_EL2 RES1 bits, no traps
	msr	cptr_el2, x1
	msr	hstr_el2, xzr
	bl	gicv3_sre_el2
	mov	x1, #SPSR_EL1H_MASKED
	msr	spsr_el2, x1
	msr	elr_el2, x21
	eret

2:	ret	x21

/* At EL1: everything masked, FP/SIMD usable, the vectors. Clobbers x1. */
el1_setup:
	msr	daifset, #0xf
	mov	x1, #(3 << 20)			// CPACR_EL1.FPEN: no FP traps
	msr	cpacr_el1, x1
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb
	ret

/*
 * With a GICv3 CPU interface (ID_AA64PFR0_EL1.GIC != 0), EL1 may only use the
 * system-register interface if every higher EL enables it: ICC_SRE_ELx.SRE
 * and .Enable. No-ops without one. Clobbers x1, x2.
 */
gicv3_sre_el3_el2:
	mrs	x1, id_aa64pfr0_el1
	ubfx	x1, x1, #24, #4
	cbz	x1, 1f
	mrs	x2, S3_6_C12_C12_5		// ICC_SRE_EL3
	orr	x2, x2, #0xf			// SRE, DFB, DIB, Enable
	msr	S3_6_C12_C12_5, x2
	isb
gicv3_sre_el2:
	mrs	x1, id_aa64pfr0_el1
	ubfx	x2, x1, #8, #4			// EL2 implemented?
	cbz	x2, 1f
	ubfx	x1, x1, #24, #4
	cbz	x1, 1f
	mrs	x2, S3_4_C12_C9_5		// ICC_SRE_EL2
	orr	x2, x2, #0xf
	msr	S3_4_C12_C9_5, x2
	isb
1:	ret
