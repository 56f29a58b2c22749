// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line halves of the page allocator's trace events (Linux's
 * mm/debug_page_ref.c, plus the kmem and page_isolation events ferret
 * records): fill in a record, apply the pfn filter, save the stack, and hand
 * the record to the ring (mm/trace.c).
 *
 * linker.ld puts this file in the stack-skip text range with the allocator,
 * so a stack saved here starts at the first frame outside mm/'s tracking
 * code: the caller of get_page(), put_page(), alloc_pages(), ... Every
 * function that saves a stack must therefore be called from the inline
 * helpers or from the allocator directly, never through another file.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/page_ref.h>
#include <ferret/stackdepot.h>
#include <ferret/stacktrace.h>
#include <ferret/trace.h>

/* The stack of the current event, from the caller of the mm/ entry point. */
static __always_inline u32 event_stack(void)
{
	unsigned long entries[TRACE_STACK_DEPTH];
	unsigned int nr;

	if (!READ_ONCE(trace_stack_enabled))
		return 0;
	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	return nr ? stack_depot_save(entries, nr) : 0;
}

static __always_inline void page_ref_event(enum trace_event_id ev, struct page *page, int v,
					   int ret)
{
	unsigned long pfn = page_to_pfn(page);
	struct trace_entry e;

	if (!trace_pfn_wanted(pfn, 1))
		return;
	e.type = (u8)ev;
	e.pfn = pfn;
	e.mt = (s8)get_pageblock_migratetype(page);
	e.ref.flags = READ_ONCE(page->flags);
	e.ref.count = page_ref_count(page);
	e.ref.val = v;
	e.ref.ret = ret;
	e.stack = event_stack();
	trace_ring_write(&e);
}

void __page_ref_set(struct page *page, int v)
{
	page_ref_event(TEV_PAGE_REF_SET, page, v, 0);
}

void __page_ref_mod(struct page *page, int v)
{
	page_ref_event(TEV_PAGE_REF_MOD, page, v, 0);
}

void __page_ref_mod_and_test(struct page *page, int v, int ret)
{
	page_ref_event(TEV_PAGE_REF_MOD_AND_TEST, page, v, ret);
}

void __page_ref_mod_and_return(struct page *page, int v, int ret)
{
	page_ref_event(TEV_PAGE_REF_MOD_AND_RETURN, page, v, ret);
}

void __page_ref_mod_unless(struct page *page, int v, int u)
{
	page_ref_event(TEV_PAGE_REF_MOD_UNLESS, page, v, u);
}

void __page_ref_freeze(struct page *page, int v, int ret)
{
	page_ref_event(TEV_PAGE_REF_FREEZE, page, v, ret);
}

void __page_ref_unfreeze(struct page *page, int v)
{
	page_ref_event(TEV_PAGE_REF_UNFREEZE, page, v, 0);
}

/*
 * The allocator's events. One stack serves both events of a call: Linux
 * would record the same frames twice.
 */
void trace_page_alloc(struct page *page, unsigned int order, gfp_t gfp, int migratetype)
{
	unsigned long pfn = page ? page_to_pfn(page) : 0;
	struct trace_entry e;
	u32 stack;

	if (page ? !trace_pfn_wanted(pfn, 1UL << order) : !trace_pfn_wanted(0, ~0UL))
		return;
	stack = event_stack();
	if (page && trace_event_enabled(TEV_PAGE_REF_SET)) {
		e.type = TEV_PAGE_REF_SET;
		e.pfn = pfn;
		e.mt = (s8)get_pageblock_migratetype(page);
		e.ref.flags = READ_ONCE(page->flags);
		e.ref.count = page_ref_count(page);
		e.ref.val = 1;
		e.ref.ret = 0;
		e.stack = stack;
		trace_ring_write(&e);
	}
	if (trace_event_enabled(TEV_MM_PAGE_ALLOC)) {
		e.type = TEV_MM_PAGE_ALLOC;
		e.pfn = pfn;
		e.mt = (s8)migratetype;
		e.alloc.gfp = gfp;
		e.alloc.order = order;
		e.alloc.failed = !page;
		e.stack = stack;
		trace_ring_write(&e);
	}
}

void trace_page_free(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct trace_entry e;
	u32 stack;

	if (!trace_pfn_wanted(pfn, 1UL << order))
		return;
	stack = event_stack();
	if (trace_event_enabled(TEV_PAGE_REF_MOD_AND_TEST)) {
		e.type = TEV_PAGE_REF_MOD_AND_TEST;
		e.pfn = pfn;
		e.mt = (s8)get_pageblock_migratetype(page);
		e.ref.flags = READ_ONCE(page->flags);
		e.ref.count = page_ref_count(page);
		e.ref.val = -1;
		e.ref.ret = 1;
		e.stack = stack;
		trace_ring_write(&e);
	}
	if (trace_event_enabled(TEV_MM_PAGE_FREE)) {
		e.type = TEV_MM_PAGE_FREE;
		e.pfn = pfn;
		e.mt = (s8)get_pageblock_migratetype(page);
		e.alloc.gfp = 0;
		e.alloc.order = order;
		e.alloc.failed = 0;
		e.stack = stack;
		trace_ring_write(&e);
	}
}

void trace_test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn,
			       unsigned long fin_pfn)
{
	struct trace_entry e;

	if (!trace_event_enabled(TEV_TEST_PAGES_ISOLATED) ||
	    !trace_pfn_wanted(start_pfn, end_pfn - start_pfn))
		return;
	e.type = TEV_TEST_PAGES_ISOLATED;
	e.pfn = start_pfn;
	e.mt = 0;
	e.isol.end_pfn = end_pfn;
	e.isol.fin_pfn = fin_pfn;
	e.stack = event_stack();
	trace_ring_write(&e);
}
