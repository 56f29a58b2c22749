/* SPDX-License-Identifier: GPL-2.0 */
/* The CPU instructions generic kernel code asks for, by what they do. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <ferret/types.h>

/* In a polling loop: let the CPU (or QEMU) breathe. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

/* Sleep until an interrupt is pending (it need not be unmasked). */
static inline void wait_for_interrupt(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

/* The thread pointer the applications' C library reads (TPIDR_EL0). */
static inline void set_thread_pointer(void *tp)
{
	__asm__ __volatile__("msr tpidr_el0, %0" : : "r"(tp));
}

/* `crash undef` and `crash brk`: an undefined instruction, a breakpoint. */
static inline void execute_undefined(void)
{
	__asm__ __volatile__("udf #0");
}

static inline void execute_breakpoint(void)
{
	__asm__ __volatile__("brk #0x100");
}

/* A return instruction, for `crash exec` to place in data (ret). */
#define RET_INSN	0xd65f03c0u

/*
 * Semihosting call @op with the parameter block @arg (hlt #0xf000, x0 and
 * x1); only when QEMU runs with -semihosting. Return: x0 afterwards.
 */
static inline unsigned long semihosting_call(unsigned long op, const void *arg)
{
	register unsigned long x0 __asm__("x0") = op;
	register const void *x1 __asm__("x1") = arg;

	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

#endif
