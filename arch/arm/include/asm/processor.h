/* SPDX-License-Identifier: GPL-2.0 */
/* The CPU instructions generic kernel code asks for, by what they do. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <ferret/types.h>

static inline void cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

static inline void wait_for_interrupt(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

/* The thread pointer (TPIDRURO, what __aeabi_read_tp and newlib's TLS read). */
static inline void set_thread_pointer(void *tp)
{
	__asm__ __volatile__("mcr p15, 0, %0, c13, c0, 3" : : "r"(tp));
}

static inline void execute_undefined(void)
{
	__asm__ __volatile__("udf #0");
}

static inline void execute_breakpoint(void)
{
	__asm__ __volatile__("bkpt #0x100");
}

/* A return instruction, for `crash exec` to place in data (bx lr). */
#define RET_INSN	0xe12fff1eu

/* Semihosting call @op with parameter block @arg (svc #0x123456 in ARM state). */
static inline unsigned long semihosting_call(unsigned long op, const void *arg)
{
	register unsigned long r0 __asm__("r0") = op;
	register const void *r1 __asm__("r1") = arg;

	__asm__ __volatile__("svc #0x123456" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

#endif
