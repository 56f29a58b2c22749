/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

/*
 * Saved by the exception entry code (arch/arm/kernel/entry.S) on the
 * exception stack. pc and cpsr come last: srsdb stores them first, at the
 * top of the frame.
 */
#define PT_REGS_SIZE	(20 * 4)
#define PT_SP		(13 * 4)
#define PT_LR		(14 * 4)
#define PT_FSR		(15 * 4)
#define PT_FAR		(16 * 4)
#define PT_KIND		(17 * 4)
#define PT_PC		(18 * 4)
#define PT_CPSR		(19 * 4)

/* Processor modes (CPSR.M). */
#define MODE_USR	0x10
#define MODE_FIQ	0x11
#define MODE_IRQ	0x12
#define MODE_SVC	0x13
#define MODE_MON	0x16
#define MODE_ABT	0x17
#define MODE_HYP	0x1a
#define MODE_UND	0x1b
#define MODE_SYS	0x1f

#ifndef __ASSEMBLY__
struct pt_regs {
	unsigned long regs[13];	/* r0..r12 */
	unsigned long sp;	/* the interrupted mode's sp */
	unsigned long lr;	/* the interrupted mode's lr */
	unsigned long fsr;	/* DFSR or IFSR (aborts), else 0 */
	unsigned long far;	/* DFAR or IFAR (aborts), else 0 */
	unsigned long kind;	/* which vector */
	unsigned long pc;	/* where the exception was taken (return address) */
	unsigned long cpsr;	/* the interrupted CPSR (SPSR) */
};
_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "pt_regs layout");
#endif

#endif
