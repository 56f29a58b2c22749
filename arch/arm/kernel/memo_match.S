/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The walk memos' common case on AArch32 (include/ferret/stacktrace.h,
 * unwind_memo_match()): the walk from @fp repeats the set's most recently
 * matched prefix memo (s->mru) and then its most recently matched table memo
 * (s->last). Anything else, and any doubt (a memo being written, a cookie
 * of 0), goes to the portable code, unwind_memo_match_any(), which tries
 * every prefix and the table set and does the bookkeeping.
 *
 * Why assembly: the comparison wants eight registers for the memo's words
 * and a frame record's, and the C it replaces kept the set, the memo
 * pointers and both sequence numbers live beside them: spilled to the
 * stack on every call. Here everything stays in the thirteen registers
 * there are (r11, the frame pointer, is left alone: no frame record of its
 * own, as a leaf, so a backtrace taken inside names the hook's frame next).
 *
 * u32 arm_memo_match(struct unwind_memo_set *s, unsigned long fp)
 *
 * Records compare two a turn: the memo's two records in one LDM, the frame
 * record at fp (LDMDA: [fp - 4] and [fp]) and, only while equal, the one at
 * the fp the memo holds next (a memo holds only fps a full walk validated).
 * 11 instructions a turn, an odd record first in 8. The sequence numbers
 * are read before the records and again after (the seqlock of
 * unwind_memo_publish(): sets are per core, written with interrupts masked).
 */
#include <asm/stacktrace.h>

	.syntax unified
	.text
	.arm

/*
 * Compare the records from fp (r1) with the memo's words [lr, r0), r4
 * records (at least one): to .Lmiss on a difference, else to \done with r1
 * at the last record's next fp. Uses r4-r9.
 */
	.macro	compare_records, done
	tst	r4, #1
	beq	1f
	ldm	lr!, {r4, r5}			@ an odd record first
	ldmda	r1, {r8, r9}
	cmp	r8, r4
	cmpeq	r9, r5
	bne	.Lmiss
	mov	r1, r4
	cmp	lr, r0
	bhs	\done
1:	ldm	lr!, {r4-r7}			@ two records of the memo
	ldmda	r1, {r8, r9}			@ the frame record at fp
	cmp	r8, r4
	cmpeq	r9, r5
	ldmdaeq	r4, {r8, r9}			@ the next, at the fp the memo holds
	cmpeq	r8, r6
	cmpeq	r9, r7
	bne	.Lmiss
	mov	r1, r6
	cmp	lr, r0
	blo	1b
	.endm

	.align	2
	.globl	arm_memo_match
	.type	arm_memo_match, %function
arm_memo_match:
	push	{r0, r1, r4-r10, lr}		@ s and fp kept for the fallback
	ldr	r2, [r0, #MEMO_SET_MRU]		@ p
	ldm	r2, {r3, r4, r5}		@ seq, nr | cookie << 8, fp0
	tst	r3, #1				@ being written
	cmpeq	r5, r1				@ starts at fp
	bne	.Lmiss
	ands	r4, r4, #0xff			@ nr (0: fk is fp)
	beq	.Lprefix_done
	add	lr, r2, #MEMO_REC
	add	r0, lr, r4, lsl #3		@ end
	compare_records .Lprefix_done
.Lprefix_done:					@ r1: fk, the first record outside
	ldr	r0, [sp]			@ s
	ldr	r10, [r0, #MEMO_SET_LAST]	@ m
	ldm	r10, {r4, r5, r12}		@ seq, nr | cookie << 8, fp0
	tst	r4, #1
	cmpeq	r12, r1
	bne	.Lmiss
	mov	r12, r4				@ m's seq
	and	r4, r5, #0xff			@ nr, at least 1 once written
	add	lr, r10, #MEMO_REC
	add	r0, lr, r4, lsl #3
	compare_records .Ltable_done
.Ltable_done:
	ldrd	r4, r5, [r10]			@ seq again, and the cookie
	cmp	r4, r12
	bne	.Lmiss
	lsrs	r0, r5, #8			@ the cookie: the result
	beq	.Lmiss
	ldr	r4, [r2]			@ p's seq again
	cmp	r4, r3
	popeq	{r2, r3, r4-r10, pc}		@ s and fp dropped
.Lmiss:
	pop	{r0, r1, r4-r10, lr}
	b	unwind_memo_match_any
	.size	arm_memo_match, . - arm_memo_match
