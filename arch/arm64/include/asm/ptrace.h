/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

/* Saved by the exception entry code (arch/arm64/kernel/entry.S). */
#define PT_REGS_SIZE	(36 * 8)

#ifndef __ASSEMBLY__
struct pt_regs {
	unsigned long regs[31];	/* x0..x30 */
	unsigned long sp;	/* interrupted SP (SP_EL0 for EL1t) */
	unsigned long pc;	/* ELR_EL1 */
	unsigned long pstate;	/* SPSR_EL1 */
	unsigned long esr;
	unsigned long far;
};
_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "pt_regs layout");
#endif

#endif
