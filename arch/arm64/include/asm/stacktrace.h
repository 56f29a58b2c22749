/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AArch64 frame records, for the portable walker (lib/unwind.c).
 *
 * With -fno-omit-frame-pointer every function keeps a 16-byte record
 * { caller's x29, x30 } and points x29 at it:
 *
 *	x29 -> [x29 + 0] previous x29   (the caller's record, higher address)
 *	       [x29 + 8] return address (x30: an address inside the caller)
 *
 * The record sits at a 16-byte boundary (SP is always 16-byte aligned).
 */
#ifndef ASM_STACKTRACE_H
#define ASM_STACKTRACE_H

#include <asm/pointer_auth.h>

/* Where the record { next fp, lr } sits relative to the frame pointer. */
#define ARCH_FRAME_RECORD_OFFSET	0
#define ARCH_FRAME_ALIGN		16
/* Each core's kernel and exception stacks (8 cores), the panic stack, and spares. */
#define ARCH_STACKTRACE_MAX_STACKS	24

/* Return addresses may carry a PAC (asm/pointer_auth.h). */
static inline bool arch_lr_tagged(unsigned long lr)
{
	return ptrauth_tagged(lr);
}

static inline unsigned long arch_strip_lr(unsigned long lr)
{
	return (unsigned long)ptrauth_strip(lr);
}

/*
 * The memo comparison's inner loop (include/ferret/stacktrace.h): compare the
 * records from @fp with the memo's words @c[0, @end), at least one record;
 * jump to @miss on a difference, else leave @fp at the last record's next fp.
 *
 * Two records per turn, fp alternating between two registers: 6 instructions
 * a record (a pair load each side, compare both words, one branch), the end
 * test once per turn. An odd count enters at the second half. A record is
 * read only at an fp the previous one matched.
 */
#define arch_memo_compare1(fp, c, end, miss) do {				\
	unsigned long __n, __l, __cn, __cl;					\
										\
	__asm__ __volatile__ goto(						\
		"	tbz	%[odd], #4, 1f\n"				\
		"	mov	%[n], %[fp]\n"					\
		"	b	3f\n"						\
		"1:	ldp	%[n], %[l], [%[fp]]\n"				\
		"	ldp	%[cn], %[cl], [%[c]], #16\n"			\
		"	cmp	%[n], %[cn]\n"					\
		"	ccmp	%[l], %[cl], #0, eq\n"				\
		"	b.ne	%l[" #miss "]\n"				\
		"3:	ldp	%[fp], %[l], [%[n]]\n"				\
		"	ldp	%[cn], %[cl], [%[c]], #16\n"			\
		"	cmp	%[fp], %[cn]\n"					\
		"	ccmp	%[l], %[cl], #0, eq\n"				\
		"	b.ne	%l[" #miss "]\n"				\
		"	cmp	%[c], %[end]\n"					\
		"	b.lo	1b\n"						\
		: [fp] "+&r"(fp), [c] "+&r"(c), [n] "=&r"(__n), [l] "=&r"(__l),	\
		  [cn] "=&r"(__cn), [cl] "=&r"(__cl)				\
		: [end] "r"(end), [odd] "r"((unsigned long)(end) - (unsigned long)(c)) \
		: "cc", "memory"						\
		: miss);							\
} while (0)

#endif
