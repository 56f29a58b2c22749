/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frame-pointer stack walking (arch/arm64/kernel/unwind.c).
 *
 * Every function built with -fno-omit-frame-pointer keeps a 16-byte frame
 * record { caller's x29, x30 } and points x29 at it, so the records form a
 * linked list from the innermost frame to the outermost:
 *
 *	fp -> [fp + 0] previous fp   (the caller's record, higher address)
 *	      [fp + 8] return address (an address inside the caller)
 *
 * x86-64 with -fno-omit-frame-pointer keeps the same { rbp, return address }
 * pair at rbp, which is why the walker is portable C and the host tests can
 * walk their own, real stacks.
 *
 * The walker only reads memory inside stacks registered with
 * stacktrace_register_stack(), so a corrupt chain ends the walk, it never
 * faults. Stored addresses are return addresses as found in the record (the
 * instruction after the bl), with pointer-authentication bits stripped: the
 * same value Linux's page_owner stores and prints with %pS.
 */
#ifndef FERRET_STACKTRACE_H
#define FERRET_STACKTRACE_H

#include <ferret/types.h>

/* Stacks the walker may read: boot/task stack, exception stack, ... */
#define STACKTRACE_MAX_STACKS	4

/*
 * Frame records are 16 bytes and 16-byte aligned on AArch64 (SP is always
 * 16-byte aligned and GCC/Clang place the record at a 16-byte boundary of the
 * frame) and on x86-64 SysV (rbp after "push rbp; mov rbp, rsp").
 */
#define STACKTRACE_FP_ALIGN	16
#define STACKTRACE_RECORD_SIZE	16

/* Hard cap on records walked, whatever the caller's buffer size. */
#define STACKTRACE_MAX_DEPTH	64

/*
 * Virtual address bits used by code addresses. Bits above are pointer
 * authentication codes (or tags) and are stripped from return addresses:
 * cleared for low (TTBR0) addresses, set for high (TTBR1) ones.
 */
#define STACKTRACE_VA_BITS	48

/* Why the last walk stopped (for tests and the `depot`-style diagnostics). */
enum unwind_stop {
	UNWIND_STOP_END,	/* terminal record (fp == 0 or lr == 0) */
	UNWIND_STOP_FULL,	/* caller's buffer full or max depth */
	UNWIND_STOP_ALIGN,	/* fp not 16-byte aligned */
	UNWIND_STOP_RANGE,	/* record not inside a known stack */
	UNWIND_STOP_ORDER,	/* fp did not move toward the stack base */
	UNWIND_STOP_REVISIT,	/* returned to a stack already left */
};

struct unwind_state {
	unsigned int nr_walked;	/* records read */
	enum unwind_stop stop;
};

/**
 * stacktrace_register_stack() - let the walker read [@low, @high).
 * @low: lowest address of the stack.
 * @high: one past the highest address (the initial SP, the stack base).
 * @name: shown in diagnostics.
 *
 * The kernel registers its boot/task stack and its exception stack before
 * page_owner starts; a walk may move from one registered stack to another
 * (an exception taken on its own stack) but never back.
 *
 * Context: boot, before any walk that must cross that stack.
 * Return: 0, or -1 when the table (STACKTRACE_MAX_STACKS) is full or the
 * range is empty.
 */
int stacktrace_register_stack(unsigned long low, unsigned long high, const char *name);

/*
 * stacktrace_unregister_stack() - forget the stack registered at @low (ktests
 * that walk a scratch "stack"). Context: any; masks interrupts meanwhile.
 * Return: 0, or -1 if no stack starts at @low.
 */
int stacktrace_unregister_stack(unsigned long low);

/* Forget every registered stack and the skip range (host tests). */
void stacktrace_reset(void);

/**
 * stacktrace_set_skip_text() - text range whose leading frames are dropped.
 * @start: first address of the allocator and tracking code.
 * @end: one past its last address.
 *
 * The kernel passes __mm_track_text_start/__mm_track_text_end (linker.ld
 * gathers mm/page_alloc, page_owner, stackdepot and the unwinder there), so
 * a saved stack starts at the caller of the allocator entry point. Only
 * leading frames are dropped: a pc in the range further out is kept. When
 * every frame of a walk is in the range (the tracking code saving its own
 * stack, as page_owner's "early" placeholder does), the unskipped frames are
 * kept instead of an empty trace.
 *
 * Context: any; the kernel calls it once at boot.
 */
void stacktrace_set_skip_text(unsigned long start, unsigned long end);

/**
 * unwind_from() - walk the frame record chain starting at @fp.
 * @fp: address of the first frame record (a function's x29).
 * @store: where return addresses go, innermost first.
 * @size: room in @store.
 * @skipnr: leading frames to drop before the skip-text rule applies.
 * @state: if not NULL, receives why the walk ended.
 *
 * Context: any, including interrupt and exception handlers; reads only
 * registered stacks; takes no lock.
 * Return: the number of entries stored.
 */
unsigned int unwind_from(unsigned long fp, unsigned long *store, unsigned int size,
			 unsigned int skipnr, struct unwind_state *state);

/**
 * stack_trace_save() - save the current call chain.
 * @store: where return addresses go, innermost first.
 * @size: room in @store.
 * @skipnr: leading frames to drop.
 *
 * The first candidate frame is the return address into the caller of
 * stack_trace_save() (i.e. a pc inside the calling function); @skipnr and the
 * skip-text range then drop leading frames.
 *
 * Context: any.
 * Return: the number of entries stored.
 */
unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr);

/*
 * stack_trace_save_all() - stack_trace_save() keeping the tracking code's own
 * frames (page_owner's "early" placeholder stack shows its init path, as
 * Linux's does). Context: any. Return: the number of entries stored.
 */
unsigned int stack_trace_save_all(unsigned long *store, unsigned int size);

/**
 * stacktrace_strip_pac() - remove pointer-authentication bits from @lr.
 * Return: @lr with the bits above STACKTRACE_VA_BITS cleared (low half) or
 * set (high half, bit 55 set).
 */
static inline unsigned long stacktrace_strip_pac(unsigned long lr)
{
	const unsigned long mask = (1UL << STACKTRACE_VA_BITS) - 1;

	return (lr & (1UL << 55)) ? (lr | ~mask) : (lr & mask);
}

#endif
