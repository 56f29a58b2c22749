/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host frame records, for the portable walker (lib/unwind.c): with
 * -fno-omit-frame-pointer, x86-64 keeps { rbp, return address } at rbp and
 * i386 { ebp, return address } at ebp, the same { next fp, lr } pair as
 * AArch64, so the host tests walk their own, real stacks. x86-64 records sit
 * at 16-byte boundaries; i386 ones only at 4-byte (word) boundaries.
 *
 * 64-bit hosts strip return addresses as AArch64 does (their own addresses
 * have no bits above 48, so nothing changes for them), which lets the tests
 * feed the walker tagged addresses; 32-bit words have no room for tags.
 */
#ifndef ASM_STACKTRACE_H
#define ASM_STACKTRACE_H

#include "../../../../arch/arm64/include/asm/pointer_auth.h"

#define ARCH_FRAME_RECORD_OFFSET	0
/* The test program's own thread and one a core (tests/host/shim/host_smp.c), and room. */
#define ARCH_STACKTRACE_MAX_STACKS	16
#define ARCH_FRAME_ALIGN		(sizeof(unsigned long) == 8 ? 16 : 4)

static inline bool arch_lr_tagged(unsigned long lr)
{
	return sizeof(lr) == 8 && ptrauth_tagged(lr);
}

static inline unsigned long arch_strip_lr(unsigned long lr)
{
	return sizeof(lr) == 8 ? (unsigned long)ptrauth_strip(lr) : lr;
}

#endif
