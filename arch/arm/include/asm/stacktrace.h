/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AArch32 frame records (GCC, ARM state, -fno-omit-frame-pointer; see
 * arch/arm/arch.mk), for the portable walker (lib/unwind.c).
 *
 * A function that calls another pushes { fp, lr } and points fp at the
 * saved lr:
 *
 *	fp - 4: previous fp   (the caller's fp, which points at the caller's saved lr)
 *	fp + 0: return address (lr: an address inside the caller)
 *
 * so the record { next fp, lr } sits one word below fp. GCC keeps SP 8-byte
 * aligned and { fp, lr } are the top two words of the push, so records are
 * 8-byte aligned.
 */
#ifndef ASM_STACKTRACE_H
#define ASM_STACKTRACE_H

#define ARCH_FRAME_RECORD_OFFSET	(-4)
#define ARCH_FRAME_ALIGN		8

/* 32-bit return addresses carry no tag. */
static inline bool arch_lr_tagged(unsigned long lr)
{
	return false;
}

static inline unsigned long arch_strip_lr(unsigned long lr)
{
	return lr;
}

#endif
