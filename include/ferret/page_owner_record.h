/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page_owner's record: one per page in page_ext, written in the head page of
 * each block (mm/page_owner.c, docs/PAGE_OWNER.md). Its layout depends on the
 * word size, and so do the few inline operations that write and read it:
 *
 *	po_set_alloc()	an allocation: stack, order, gfp/context index, time
 *	po_set_free()	a free: free stack, context, time
 *	po_ts_us()	the allocation time, microseconds since boot
 *	po_free_ts_us()	the last free time (0: never freed)
 *	po_time_next()	the first time whose records read back after a given one
 *
 * Both layouts keep the same fields: handle (allocation stack), free_handle
 * (last free stack, 0: never freed), actx (the (gfp, pid) pair's index),
 * free_pid (PO_FREE_PID_NONE: unknown), order, allocated, and two times.
 * Field names are the same in both, so gdb reads them from DWARF.
 */
#ifndef FERRET_PAGE_OWNER_RECORD_H
#define FERRET_PAGE_OWNER_RECORD_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/owner_time.h>

#define PO_FREE_PID_NONE	127	/* free_pid of an unknown context */

#if BITS_PER_LONG == 64
/*
 * 16 bytes, two u64 words (64-bit arithmetic is free here):
 *
 *	word 0	bits  0..21  handle
 *		bits 22..43  free_handle
 *		bits 44..51  actx
 *		bits 52..58  free_pid
 *		bits 59..62  order
 *		bit  63      allocated
 *	word 1	bits  0..43  ts_us        allocation time (2^44 us = 203 days)
 *		bits 44..63  free_dt      |last free time - ts_us|, dt_encode():
 *					  exact below 32.768 ms, then within 61 ppm
 *
 * free_dt is the time from allocation to free while the block is free, and
 * the time from the previous free to this allocation while it is allocated.
 */
struct page_owner {
	u64 handle : 22;
	u64 free_handle : 22;
	u64 actx : 8;
	u64 free_pid : 7;
	u64 order : 4;
	u64 allocated : 1;
	u64 ts_us : 44;
	u64 free_dt : 20;
};

#define PO_HANDLE_BITS		22
#define PO_TIME_MAX_US		OWNER_TS_MAX_US
#define PO_DT_PRECISION		14	/* the time derived with dt: within 2^-14 of dt */

/* The hot paths update the two words with masks (kept in registers whole). */
#define PO_HANDLE_MASK		((1ULL << 22) - 1)
#define PO_FREE_HANDLE_SHIFT	22
#define PO_FREE_HANDLE_MASK	(PO_HANDLE_MASK << PO_FREE_HANDLE_SHIFT)
#define PO_ACTX_SHIFT		44
#define PO_ACTX_MASK		(0xffULL << PO_ACTX_SHIFT)
#define PO_FREE_PID_SHIFT	52
#define PO_FREE_PID_MASK	(0x7fULL << PO_FREE_PID_SHIFT)
#define PO_ORDER_SHIFT		59
#define PO_ORDER_MASK		(0xfULL << PO_ORDER_SHIFT)
#define PO_ALLOCATED		(1ULL << 63)
#define PO_TS_MASK		((1ULL << 44) - 1)
#define PO_FREE_DT_SHIFT	44

union po_words {
	struct page_owner po;
	u64 w[2];
};

/* The masks above are the bitfields' (GCC and Clang fill from bit 0 on little-endian). */
static inline bool po_check_layout(void)
{
	union po_words u = { .po = { .handle = 1, .free_handle = 1, .actx = 1, .free_pid = 1,
				     .order = 1, .allocated = 1, .ts_us = 1, .free_dt = 1 } };

	return u.w[0] == (1 | 1ULL << PO_FREE_HANDLE_SHIFT | 1ULL << PO_ACTX_SHIFT |
			  1ULL << PO_FREE_PID_SHIFT | 1ULL << PO_ORDER_SHIFT | PO_ALLOCATED) &&
	       u.w[1] == (1 | 1ULL << PO_FREE_DT_SHIFT);
}

/* @now: microseconds, at most PO_TIME_MAX_US (now_us_max() clamps). */
static __always_inline void po_set_alloc(struct page_owner *po, unsigned int order, u32 handle,
					 unsigned int actx, u64 now)
{
	u64 *p = (u64 *)po, w0 = p[0], w1 = p[1];
	u32 free_dt = 0;

	/* While allocated, free_dt is the time since the previous free. */
	if (w0 & PO_FREE_HANDLE_MASK) {
		u64 prev_free = (w1 & PO_TS_MASK) + dt_decode((u32)(w1 >> PO_FREE_DT_SHIFT));

		free_dt = prev_free <= now ? dt_encode(now - prev_free) : 0;
	}
	p[0] = (w0 & (PO_FREE_HANDLE_MASK | PO_FREE_PID_MASK)) | handle |
	       (u64)actx << PO_ACTX_SHIFT | (u64)order << PO_ORDER_SHIFT | PO_ALLOCATED;
	p[1] = now | (u64)free_dt << PO_FREE_DT_SHIFT;
}

/* @pid: below PO_FREE_PID_NONE, or taken as unknown. */
static __always_inline void po_set_free(struct page_owner *po, unsigned int order, u32 handle,
					unsigned int pid, u64 now)
{
	u64 *p = (u64 *)po, w0 = p[0], ts = p[1] & PO_TS_MASK;
	u64 keep = PO_HANDLE_MASK | PO_ACTX_MASK | PO_ORDER_MASK;

	if (unlikely(!(w0 & PO_ALLOCATED)))	/* allocated before tracking saw it */
		w0 = (w0 & ~PO_ORDER_MASK) | (u64)order << PO_ORDER_SHIFT;
	if (unlikely(pid >= PO_FREE_PID_NONE))
		pid = PO_FREE_PID_NONE;
	p[0] = (w0 & keep) | (u64)handle << PO_FREE_HANDLE_SHIFT | (u64)pid << PO_FREE_PID_SHIFT;
	p[1] = ts | (u64)(now >= ts ? dt_encode(now - ts) : 0) << PO_FREE_DT_SHIFT;
}

static inline u64 po_ts_us(const struct page_owner *po)
{
	return po->ts_us;
}

static inline u64 po_free_ts_us(const struct page_owner *po)
{
	u64 dt;

	if (!po->free_handle)
		return 0;
	dt = dt_decode(po->free_dt);
	if (po->allocated)
		return po->ts_us > dt ? po->ts_us - dt : 0;
	return po->ts_us + dt;
}

/* Records keep every microsecond: one stamped after @us reads back after it. */
static inline u64 po_time_next(u64 us)
{
	return us + 1;
}

#else	/* 32-bit words */
/*
 * 12 bytes, three u32 words, no 64-bit field (the hot paths stay in 32-bit
 * registers):
 *
 *	word 0	bits  0..15  handle       (the depot's handles have 16 bits here:
 *		bits 16..31  free_handle   STACK_DEPOT_HANDLE_BITS, a 256 KiB pool)
 *	word 1	bits  0..31  t            time of the LAST event: the allocation
 *					  while allocated, the free while free; a
 *					  time code (time_code_pack(), 28-bit
 *					  mantissa, 4-bit exponent): exact below
 *					  2^28 us (4.5 minutes), then 29 leading
 *					  bits (rounded down by less than 2^-28 of
 *					  the time: 0.3 ms a day after boot), up to
 *					  PO_TIME_MAX_US (2^43 us, 101 days); later
 *					  times are stamped PO_TIME_MAX_US
 *	word 2	bit  0       allocated
 *		bits  1..4   order
 *		bits  5..11  free_pid
 *		bits 12..19  actx
 *		bits 20..31  dt           time between that event and the one
 *					  before (the previous free while allocated,
 *					  the allocation while free); a time code
 *					  (6-bit mantissa, 6-bit exponent): exact
 *					  below 128 us, then within 1/64
 *
 * The last event's time is the one the dumps and checkpoints compare (the
 * allocation time of allocated blocks, the free time of freed ones), so it is
 * the precise one; the other is derived from it and dt.
 */
struct page_owner {
	u32 handle : 16;
	u32 free_handle : 16;
	u32 t;
	u32 allocated : 1;
	u32 order : 4;
	u32 free_pid : 7;
	u32 actx : 8;
	u32 dt : 12;
};

#define PO_HANDLE_BITS		16
#define PO_T_MANT		28
#define PO_DT_MANT		6
/* The last time kept: the all-ones code's (2^43 - 2^14 us, 101 days). */
#define PO_TIME_MAX_US		(time_code_limit(PO_T_MANT, 4) - (1ULL << 14))
#define PO_DT_PRECISION		PO_DT_MANT

#define PO_HANDLE_MASK		0xffffU
#define PO_FREE_HANDLE_SHIFT	16
#define PO_ALLOCATED		1U
#define PO_ORDER_SHIFT		1
#define PO_ORDER_MASK		(0xfU << PO_ORDER_SHIFT)
#define PO_FREE_PID_SHIFT	5
#define PO_FREE_PID_MASK	(0x7fU << PO_FREE_PID_SHIFT)
#define PO_ACTX_SHIFT		12
#define PO_ACTX_MASK		(0xffU << PO_ACTX_SHIFT)
#define PO_DT_SHIFT		20

union po_words {
	struct page_owner po;
	u32 w[3];
};

static inline bool po_check_layout(void)
{
	union po_words u = { .po = { .handle = 1, .free_handle = 1, .t = 1, .allocated = 1,
				     .order = 1, .free_pid = 1, .actx = 1, .dt = 1 } };

	return u.w[0] == (1 | 1U << PO_FREE_HANDLE_SHIFT) && u.w[1] == 1 &&
	       u.w[2] == (PO_ALLOCATED | 1U << PO_ORDER_SHIFT | 1U << PO_FREE_PID_SHIFT |
			  1U << PO_ACTX_SHIFT | 1U << PO_DT_SHIFT);
}

/*
 * time_code_pack(@us, PO_T_MANT) in 32-bit operations, @us at most
 * PO_TIME_MAX_US: s is the bit length of us >> 29 (below 2^14), and
 * (u32)(us >> s) is built from the two halves ((hi << 1) << (31 - s): no
 * shift by 32 when s is 0).
 */
static __always_inline u32 po_t_pack(u64 us)
{
	u32 lo = (u32)us, hi = (u32)(us >> 32), x = hi << 3 | lo >> 29;
	u32 s = x ? 32 - (u32)__builtin_clz(x) : 0;

	return (s << PO_T_MANT) + ((lo >> s) | (hi << 1) << (31 - s));
}

static __always_inline u64 po_now(u64 now)
{
	return now > PO_TIME_MAX_US ? PO_TIME_MAX_US : now;
}

static __always_inline u64 po_t_unpack(u32 t)
{
	return time_code_unpack(t, PO_T_MANT);
}

/*
 * The dt field of the step from the event at @t (a code) to @now, in place.
 * While both are 32-bit microsecond counts (the code below 2^29 is the time
 * itself, @now below 2^32: the first 4.5 minutes of a record's life), the
 * difference and its code take 32-bit operations only.
 */
static __always_inline u32 po_dt_field(u32 t, u64 now)
{
	u32 lo = (u32)now, d;
	u64 prev;
	int s;

	if (likely(!((u32)(now >> 32) | t >> (PO_T_MANT + 1)))) {
		d = lo >= t ? lo - t : 0;
		/* time_code_pack(d, PO_DT_MANT) for a 32-bit d */
		s = 32 - __builtin_clz(d | 1) - (PO_DT_MANT + 1);
		s = s < 0 ? 0 : s;
		return (((u32)s << PO_DT_MANT) + (d >> s)) << PO_DT_SHIFT;
	}
	prev = po_t_unpack(t);
	return time_code_pack(now >= prev ? now - prev : 0, PO_DT_MANT) << PO_DT_SHIFT;
}

/* @now: microseconds, at most PO_TIME_MAX_US (now_us_max() clamps). */
static __always_inline void po_set_alloc(struct page_owner *po, unsigned int order, u32 handle,
					 unsigned int actx, u64 now)
{
	u32 *p = (u32 *)po, w0 = p[0], w2 = p[2];
	u32 dt = 0;

	/* While allocated, dt is the time since the previous free. */
	if (w0 >> PO_FREE_HANDLE_SHIFT)
		dt = po_dt_field(p[1], now);
	p[0] = (w0 & ~PO_HANDLE_MASK) | handle;
	p[1] = po_t_pack(now);
	p[2] = (w2 & PO_FREE_PID_MASK) | PO_ALLOCATED | order << PO_ORDER_SHIFT |
	       actx << PO_ACTX_SHIFT | dt;
}

static __always_inline void po_set_free(struct page_owner *po, unsigned int order, u32 handle,
					unsigned int pid, u64 now)
{
	u32 *p = (u32 *)po, w2 = p[2];

	if (unlikely(!(w2 & PO_ALLOCATED)))	/* allocated before tracking saw it */
		w2 = (w2 & ~PO_ORDER_MASK) | order << PO_ORDER_SHIFT;
	if (unlikely(pid >= PO_FREE_PID_NONE))
		pid = PO_FREE_PID_NONE;
	/* While free, dt is the time since the allocation. */
	p[0] = (p[0] & PO_HANDLE_MASK) | handle << PO_FREE_HANDLE_SHIFT;
	p[2] = (w2 & (PO_ORDER_MASK | PO_ACTX_MASK)) | pid << PO_FREE_PID_SHIFT |
	       po_dt_field(p[1], now);
	p[1] = po_t_pack(now);
}

/* The time before the last event's: that time less dt (0 if it would be negative). */
static inline u64 po_before_us(const struct page_owner *po)
{
	u64 t = po_t_unpack(po->t), dt = time_code_unpack(po->dt, PO_DT_MANT);

	return t > dt ? t - dt : 0;
}

static inline u64 po_ts_us(const struct page_owner *po)
{
	return po->allocated ? po_t_unpack(po->t) : po_before_us(po);
}

static inline u64 po_free_ts_us(const struct page_owner *po)
{
	if (!po->free_handle)
		return 0;
	return po->allocated ? po_before_us(po) : po_t_unpack(po->t);
}

/*
 * Past 2^28 us a record's time is rounded down to a step of 2^s us: the
 * first time after @us that reads back later than @us is the next step.
 */
static inline u64 po_time_next(u64 us)
{
	u32 t = po_t_pack(po_now(us));
	int s = (int)(t >> PO_T_MANT) - 1;

	return po_t_unpack(t) + (1ULL << (s < 0 ? 0 : s));
}
#endif

#endif
