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
 *
 * Thumb code keeps no chain: newlib's libc.a is Thumb-2 built without frame
 * pointers, so the fp register holds whatever it last put there (r11 is an
 * ordinary callee-saved register to it; it is often still the fp of the
 * ARM code that called into the library, sometimes a pointer or a count).
 * A Thumb return address has bit 0 set; after one, the walker follows the
 * record fp points at only if that record's return address follows a call
 * instruction in the text (lib/unwind.c).
 */
#ifndef ASM_STACKTRACE_H
#define ASM_STACKTRACE_H

#include <asm/sections.h>

#define ARCH_FRAME_RECORD_OFFSET	(-4)
#define ARCH_FRAME_ALIGN		8
/* Each core's kernel and exception stacks (8 cores), the panic stack, and spares. */
#define ARCH_STACKTRACE_MAX_STACKS	24

/* 32-bit return addresses carry no tag. */
static inline bool arch_lr_tagged(unsigned long lr)
{
	return false;
}

static inline unsigned long arch_strip_lr(unsigned long lr)
{
	return lr;
}

/* A return address into Thumb code (the C library's): it keeps no chain. */
#define arch_lr_foreign arch_lr_foreign
static inline bool arch_lr_foreign(unsigned long lr)
{
	return lr & 1;
}

/*
 * @lr is the address after a call in the kernel's text: BL or BLX in ARM
 * state, or in Thumb state (bit 0 set) a 32-bit BL/BLX <label> or a 16-bit
 * BLX <Rm>. Reads the text only inside [_text, _etext).
 */
#define arch_call_return arch_call_return
static inline bool arch_call_return(unsigned long lr)
{
	unsigned long text = (unsigned long)_text, etext = (unsigned long)_etext;
	u32 insn;

	__asm__("" : "+r"(lr));	/* an address in memory, whatever constant it came from */
	if (lr & 1) {
		const u16 *p = (const u16 *)(lr - 1);

		if (lr - 1 < text + 4 || lr - 1 > etext)
			return false;
		if ((p[-1] & 0xff87) == 0x4780)		/* BLX <Rm> */
			return true;
		return (p[-2] & 0xf800) == 0xf000 && (p[-1] & 0xc000) == 0xc000;
	}
	if ((lr & 3) || lr < text + 4 || lr > etext)
		return false;
	insn = ((const u32 *)lr)[-1];
	if (insn >> 28 == 0xf)
		return (insn & 0xfe000000) == 0xfa000000;	/* BLX <label> */
	return (insn & 0x0f000000) == 0x0b000000 ||		/* BL */
	       (insn & 0x0ffffff0) == 0x012fff30;		/* BLX <Rm> */
}

#endif
