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

/* struct unwind_memo_set and struct unwind_memo offsets (arch/arm/kernel/memo_match.S). */
#define MEMO_SET_MRU		2048
#define MEMO_SET_LAST		2060
#define MEMO_REC		12

#ifndef __ASSEMBLY__
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

/*
 * The memo comparison's inner loop (include/ferret/stacktrace.h): compare the
 * records from @fp with the memo's words @c[0, @end), at least one record;
 * jump to @miss on a difference, else leave @fp at the last record's next fp.
 *
 * Two records per turn, 6 instructions a record: the memo's two records
 * in two LDRDs, the frame records in two more, four compares chained by
 * condition, one branch, the end test once per turn. The second frame
 * record is read at the fp the memo holds for it, before the first is known
 * to match (a memo holds only fps a full walk validated: include/ferret/
 * stacktrace.h), so both loads issue at once. An odd count does one record
 * first. The u64 operands get even/odd register pairs, as LDRD wants. (Not
 * an asm goto: with one, GCC 12 misplaced a literal pool out of reach in a
 * function that inlines several comparisons; the verdict is the Z flag, an
 * asm flag output, so the caller branches on it directly.)
 */
#define arch_memo_compare1(fp, c, end, miss) do {				\
	u64 __f0, __f1, __m0, __m1;						\
	int __ok;								\
										\
	__asm__ __volatile__(							\
		"	tst	%[odd], #8\n"					\
		"	beq	1f\n"						\
		"	ldrd	%Q[m0], %R[m0], [%[c]], #8\n"			\
		"	ldrd	%Q[f0], %R[f0], [%[fp], #-4]\n"			\
		"	cmp	%Q[f0], %Q[m0]\n"				\
		"	cmpeq	%R[f0], %R[m0]\n"				\
		"	bne	2f\n"						\
		"	mov	%[fp], %Q[f0]\n"				\
		"	cmp	%[c], %[end]\n"					\
		"	bhs	2f\n"						\
		"1:	ldrd	%Q[m0], %R[m0], [%[c]], #8\n"			\
		"	ldrd	%Q[f0], %R[f0], [%[fp], #-4]\n"			\
		"	ldrd	%Q[m1], %R[m1], [%[c]], #8\n"			\
		"	ldrd	%Q[f1], %R[f1], [%Q[m0], #-4]\n"		\
		"	cmp	%Q[f0], %Q[m0]\n"				\
		"	cmpeq	%R[f0], %R[m0]\n"				\
		"	cmpeq	%Q[f1], %Q[m1]\n"				\
		"	cmpeq	%R[f1], %R[m1]\n"				\
		"	bne	2f\n"						\
		"	mov	%[fp], %Q[f1]\n"				\
		"	cmp	%[c], %[end]\n"					\
		"	blo	1b\n"						\
		"	cmp	%[c], %[c]\n"	/* Z: all equal */		\
		"2:\n"								\
		: [fp] "+&r"(fp), [c] "+&r"(c), [f0] "=&r"(__f0), [f1] "=&r"(__f1), \
		  [m0] "=&r"(__m0), [m1] "=&r"(__m1), [ok] "=@cceq"(__ok)	\
		: [end] "r"(end), [odd] "r"((unsigned long)(end) - (unsigned long)(c)) \
		: "memory");	/* the flags are an output */		\
	if (!__ok)								\
		goto miss;							\
} while (0)

/*
 * The walk memos' common case in assembly (arch/arm/kernel/memo_match.S):
 * the last matched prefix and table memo, else unwind_memo_match_any().
 */
struct unwind_memo_set;
u32 arm_memo_match(struct unwind_memo_set *s, unsigned long fp);
#define arch_unwind_memo_match(s, fp)	arm_memo_match(s, fp)

#endif	/* !__ASSEMBLY__ */
#endif
