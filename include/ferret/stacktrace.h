/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frame-pointer stack walking (lib/unwind.c, portable C).
 *
 * Every function built with frame pointers keeps a frame record { caller's
 * fp, return address } and points its frame pointer at (or next to) it, so
 * the records form a linked list from the innermost frame to the outermost:
 *
 *	record: [+0]           previous fp   (the caller's frame, higher address)
 *	        [+wordsize]    return address (an address inside the caller)
 *
 * Where the record sits relative to the frame pointer, its alignment and the
 * bits a return address may carry above the address are the architecture's
 * (asm/stacktrace.h): AArch64 and x86-64 point fp at the record; AArch32
 * (GCC, ARM state) points fp at the return address, one word above it.
 *
 * The walker only reads memory inside stacks registered with
 * stacktrace_register_stack(), so a corrupt chain ends the walk, it never
 * faults. Stored addresses are return addresses as found in the record (the
 * instruction after the call), with pointer-authentication bits stripped:
 * the same value Linux's page_owner stores and prints with %pS.
 */
#ifndef FERRET_STACKTRACE_H
#define FERRET_STACKTRACE_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/smp.h>
#include <asm/stacktrace.h>

/*
 * Stacks the walker may read: boot/task stack, exception stack, ...; an arch
 * with several cores has two a core (ARCH_STACKTRACE_MAX_STACKS, at most 32:
 * a walk's bitmask).
 */
#ifdef ARCH_STACKTRACE_MAX_STACKS
#define STACKTRACE_MAX_STACKS	ARCH_STACKTRACE_MAX_STACKS
#else
#define STACKTRACE_MAX_STACKS	4
#endif

/* A record: two words, { next fp, lr }; its alignment is the architecture's. */
#define STACKTRACE_RECORD_SIZE	(2 * sizeof(unsigned long))
#define STACKTRACE_FP_ALIGN	ARCH_FRAME_ALIGN

/* Hard cap on records walked, whatever the caller's buffer size. */
#define STACKTRACE_MAX_DEPTH	64

/*
 * Code that keeps no frame chain (asm/stacktrace.h: Thumb code on AArch32,
 * such as newlib's) leaves in the frame-pointer register whatever it put
 * there. After a return address into such code, arch_lr_foreign(), the
 * record that register points at is followed only if its return address
 * is a call site of the kernel's text, arch_call_return(). Architectures
 * whose code all keeps the chain have neither.
 */
#ifndef arch_lr_foreign
#define arch_lr_foreign(lr)	false
#define arch_call_return(lr)	true
#endif

/* The record of the frame whose frame pointer is @fp. */
static __always_inline const unsigned long *frame_record(unsigned long fp)
{
	return (const unsigned long *)(fp + ARCH_FRAME_RECORD_OFFSET);
}

/* Why the last walk stopped (for tests and the `depot`-style diagnostics). */
enum unwind_stop {
	UNWIND_STOP_END,	/* terminal record (fp == 0 or lr == 0) */
	UNWIND_STOP_FULL,	/* caller's buffer full or max depth */
	UNWIND_STOP_ALIGN,	/* fp not 16-byte aligned */
	UNWIND_STOP_RANGE,	/* record not inside a known stack */
	UNWIND_STOP_ORDER,	/* fp did not move toward the stack base */
	UNWIND_STOP_REVISIT,	/* returned to a stack already left */
	UNWIND_STOP_FOREIGN,	/* after a frame of code that keeps no chain, no valid record */
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

/*
 * Walk memos: a walk that repeats one seen before from the same place is
 * recognised without validating or storing anything.
 *
 * A memo keeps a chain of records { next fp, lr } exactly as a full walk
 * read them, and the fp the chain starts at. A new walk that reads the very
 * same records, one by one, is the same walk, with the same verdict and the
 * same stored frames, so its result (the client's cookie: page_owner's depot
 * handle) can be reused. The comparison is safe without the usual checks: a
 * record is read only at an fp equal to one the memo holds, and memos only
 * ever hold fps that a full walk validated (aligned, inside a registered
 * stack, in order). Registering or unregistering a stack, or changing the
 * skip range, empties every memo.
 *
 * A memo set serves one call site (page_owner: the allocation hook, the free
 * hook). Its prefix memos hold the records of the tracking code's own frames
 * (every record up to the first whose return address is outside the skip
 * range: the allocator entry point's caller), one per path through the
 * allocator (alloc_pages(), __get_free_pages(), put_page(), ...). The rest
 * of the chain, from that first outside record on, sits in a small hash
 * table of memos indexed by that record, so a site that is reached from many
 * places keeps one memo per place (a set of UNWIND_MEMO_WAYS memos per
 * index). The prefix and the table memo that matched last are tried first.
 *
 * Memos are written only with interrupts masked (unwind_memo_publish()), and
 * seq changes around each write, so a comparison interrupted by a writer
 * notices and reports a miss. Each core has its own sets (the trackers index
 * them by smp_processor_id()): a set is read and written by one core only.
 */
/* Records a memo holds: 256 bytes in all (15 with 64-bit words, 30 with 32-bit). */
#define UNWIND_MEMO_RECORDS	((256 - 8 - sizeof(unsigned long)) / (2 * sizeof(unsigned long)))

struct unwind_chain {
	unsigned long fp0;		/* where the walk started */
	unsigned int nr;		/* records read; 0: too many to keep */
	unsigned int split;		/* records before the first outside the skip text */
	unsigned long rec[2 * 2 * UNWIND_MEMO_RECORDS];	/* { next fp, lr } as read */
};

struct unwind_memo {
	union {
		struct {
			u32 seq;		/* odd while being written */
			u32 nr : 8;		/* records in rec[] */
			u32 cookie : 24;	/* the client's value (below 2^24) */
		};
		u64 head;	/* all three in one load (little-endian: cookie in bits 40..63) */
		u32 word[2];	/* word[1]: nr and cookie */
	};
	unsigned long fp0;	/* 0: empty (no walk starts at 0) */
	unsigned long rec[2 * UNWIND_MEMO_RECORDS];
};

BUILD_BUG_ON(__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__);	/* unwind_memo.head */

#define UNWIND_MEMO_PREFIXES	8	/* tracking-code paths a set remembers */

struct unwind_memo_set {
	struct unwind_memo prefix[UNWIND_MEMO_PREFIXES];	/* skip-text records */
	struct unwind_memo *mru;	/* the prefix that matched last: tried first */
	unsigned int next;		/* the prefix a new path replaces */
	struct unwind_memo *table;	/* (mask + 1) * WAYS memos of the rest; NULL: none */
	struct unwind_memo *last;	/* the table memo that matched last: tried first */
	unsigned long mask;		/* table sets - 1 */
	unsigned int victim;		/* the way a new chain replaces next */
	bool registered;		/* emptied when the stacks change */
};

#ifdef MEMO_SET_MRU	/* an assembly fast path (asm/stacktrace.h) reads these at fixed offsets */
BUILD_BUG_ON(offsetof(struct unwind_memo_set, mru) != MEMO_SET_MRU ||
	     offsetof(struct unwind_memo_set, last) != MEMO_SET_LAST ||
	     offsetof(struct unwind_memo, rec) != MEMO_REC ||
	     offsetof(struct unwind_memo, fp0) != 8);
#endif

/*
 * Table memos per set: callers of one function from several places share
 * their first outside record, and so a set.
 */
#define UNWIND_MEMO_WAYS	4

/*
 * Memo sets the unwinder can empty (the first publish registers a set):
 * page_owner's two, the object owners' two, and room for tests and more.
 */
#define UNWIND_MAX_MEMO_SETS	(4 * NR_CPUS + 8)

/* The table set of a rest of chain starting with record { *, @lr } at @fp. */
static __always_inline unsigned long unwind_memo_slot(unsigned long fp, unsigned long lr,
						      unsigned long mask)
{
	return ((fp >> 4) ^ (lr >> 2) ^ (lr >> 9)) & mask;
}

/*
 * Compare the records from @fp with @c[0, @end), at least one record.
 * Return: true if they are equal; *@last receives the last record's next fp.
 */
static __always_inline bool unwind_memo_compare1(unsigned long fp, const unsigned long *c,
						 const unsigned long *end, unsigned long *last)
{
#ifdef arch_memo_compare1
	arch_memo_compare1(fp, c, end, miss);
#else
	do {
		const unsigned long *r = frame_record(fp);
		unsigned long next = r[0], lr = r[1];

		/* Both words, one branch (no short circuit: they load as a pair). */
		if ((next != c[0]) | (lr != c[1]))
			goto miss;
		fp = next;
		c += 2;
	} while (c < end);
#endif
	*last = fp;
	return true;
miss:
	return false;
}

/* As unwind_memo_compare1(), for @nr >= 0 records. */
static __always_inline bool unwind_memo_compare(unsigned long fp, const unsigned long *c,
						unsigned int nr, unsigned long *last)
{
	if (!nr) {
		*last = fp;
		return true;
	}
	return unwind_memo_compare1(fp, c, c + 2 * nr, last);
}

/* One table memo against the rest of the chain from @fk. Return: its cookie or 0. */
static __always_inline u32 unwind_memo_try(const struct unwind_memo *m, unsigned long fk)
{
	u32 seq = READ_ONCE(m->seq), cookie;
	unsigned long last;
	u64 head;

	if ((seq & 1) | (fk ^ m->fp0))
		return 0;
	barrier();
	/* A table memo holds at least one record once written. */
	if (!unwind_memo_compare1(fk, m->rec, m->rec + 2 * m->nr, &last))
		return 0;
	barrier();
	if (sizeof(unsigned long) == 8) {
		/* The cookie and the seq check in one load. */
		head = READ_ONCE(m->head);
		cookie = (u32)(head >> 40);
		return (u32)head == seq ? cookie : 0;
	}
	/* A u64 load is two with 32-bit words: the cookie, then seq again. */
	cookie = READ_ONCE(m->word[1]) >> 8;
	barrier();
	return READ_ONCE(m->seq) == seq ? cookie : 0;
}

/**
 * __unwind_memo_match() - is the walk from @fp one that @s remembers?
 * @s: the call site's memo set.
 * @fp: where the walk would start (the caller's x29).
 *
 * Context: any; reads only records at fps the memos hold.
 * Return: the memo's cookie if every record from @fp equals a remembered
 * chain's, else 0.
 */
static __always_inline u32 __unwind_memo_match(struct unwind_memo_set *s, unsigned long fp)
{
	const struct unwind_memo *p = READ_ONCE(s->mru);
	struct unwind_memo *m = READ_ONCE(s->last);
	unsigned int tries = UNWIND_MEMO_PREFIXES;
	unsigned long fk;
	u32 seq, cookie;

	/* The tracking code's records; fk: the first record outside. */
	for (;;) {
		seq = READ_ONCE(p->seq);
		if (likely(!((seq & 1) | (fp ^ p->fp0)))) {
			barrier();
			if (likely(unwind_memo_compare(fp, p->rec, p->nr, &fk)))
				break;
		}
		if (!--tries)
			return 0;
		if (++p == s->prefix + UNWIND_MEMO_PREFIXES)
			p = s->prefix;
	}
	cookie = unwind_memo_try(m, fk);
	if (unlikely(!cookie)) {
		m = &s->table[UNWIND_MEMO_WAYS *
			      unwind_memo_slot(fk, frame_record(fk)[1], s->mask)];
		for (unsigned int w = 0; !cookie && w < UNWIND_MEMO_WAYS; w++, m++)
			cookie = unwind_memo_try(m, fk);
		if (!cookie)
			return 0;
		WRITE_ONCE(s->last, m - 1);
	}
	barrier();
	if (READ_ONCE(p->seq) != seq)
		return 0;
	if (unlikely(p != s->mru))
		WRITE_ONCE(s->mru, (struct unwind_memo *)p);
	return cookie;
}

/* __unwind_memo_match() out of line, for an architecture's fast path to fall back on. */
u32 unwind_memo_match_any(struct unwind_memo_set *s, unsigned long fp);

/*
 * An architecture may take the common case (the memos that matched last)
 * out of line in assembly (asm/stacktrace.h: arch_unwind_memo_match()).
 */
static __always_inline u32 unwind_memo_match(struct unwind_memo_set *s, unsigned long fp)
{
#ifdef arch_unwind_memo_match
	return arch_unwind_memo_match(s, fp);
#else
	return __unwind_memo_match(s, fp);
#endif
}

/**
 * unwind_memo_walk() - the full walk behind a memo miss.
 * @fp: where to start (the fp given to unwind_memo_match()).
 * @store: kept return addresses, as unwind_from(@fp, @store, @size, 0, NULL).
 * @size: room in @store.
 * @chain: receives the records read, for unwind_memo_publish().
 *
 * Context: any.
 * Return: the number of entries stored.
 */
unsigned int unwind_memo_walk(unsigned long fp, unsigned long *store, unsigned int size,
			      struct unwind_chain *chain);

/**
 * unwind_memo_publish() - remember @chain in @s with the client's @cookie.
 * @s: the memo set; its table ((mask + 1) * UNWIND_MEMO_WAYS memos), last
 *     (any table memo) and mru (any prefix) must be set up.
 *
 * The chain's skip-text records become a prefix (unless one holds them
 * already), the rest goes to its table set (an empty way, else the ways in
 * turn). Does nothing when either part is
 * longer than a memo, the chain has no frame outside the skip text, @cookie
 * is 0 or not below 2^24, or @s is new and UNWIND_MAX_MEMO_SETS sets are
 * registered already.
 *
 * Context: any; masks interrupts while @s is written.
 */
void unwind_memo_publish(struct unwind_memo_set *s, const struct unwind_chain *chain,
			 u32 cookie);

/**
 * unwind_memo_set_init() - empty @s and give it @table, (@mask + 1) *
 * UNWIND_MEMO_WAYS memos (@mask + 1 a power of two), or none: with @table
 * NULL nothing is remembered and every match misses (a tracker that found
 * no memory for its table still calls unwind_memo_match() on every event).
 * Context: init, before the set's first match; the set stays registered.
 */
void unwind_memo_set_init(struct unwind_memo_set *s, struct unwind_memo *table,
			  unsigned long mask);

/**
 * stacktrace_strip_pac() - remove pointer-authentication bits from @lr.
 * Return: @lr as a plain code address (asm/stacktrace.h says how).
 */
static inline unsigned long stacktrace_strip_pac(unsigned long lr)
{
	return arch_strip_lr(lr);
}

#endif
