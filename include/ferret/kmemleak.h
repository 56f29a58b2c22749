/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conservative leak scan (mm/kmemleak.c, docs/KMEMLEAK.md): which
 * allocated blocks of pages and objects nothing points to any more.
 *
 * Unlike Linux's kmemleak, nothing is recorded per allocation: the scan
 * takes the allocated set from mem_map and the slabs when it runs, so the
 * allocator's paths pay nothing. page_owner and object owners, when on,
 * add the stacks, contexts and ages to the report.
 *
 * Exceptions, from code (Linux's names where Linux has the call) and from
 * the console (`kmemleak mark ...`), kept in a small static table:
 *
 *	kmemleak_not_leak(p)		the object at @p is never reported, and is a root:
 *					what it points to is in use
 *	kmemleak_ignore(p)		neither reported nor scanned
 *	kmemleak_no_scan(p)		reported if lost, but its contents are not scanned
 *	kmemleak_add_root(p, size)	[p, p + size) is scanned as a root (memory
 *					outside the allocator that holds pointers)
 *	kmemleak_ignore_range(p, size)	every block and object in the range is
 *					neither reported nor scanned (DMA and device
 *					buffers: their contents are data, and the
 *					device holds them by physical address)
 *	kmemleak_no_scan_range(p, size)	never scanned, as a root or as contents
 *					(the allocator's own bookkeeping)
 *
 * An object mark made while page_owner or object owners know the object
 * remembers its allocation time and is dropped when the address is
 * allocated again; without owners it stays until `kmemleak unmark`.
 */
#ifndef FERRET_KMEMLEAK_H
#define FERRET_KMEMLEAK_H

#include <ferret/types.h>
#include <ferret/smp.h>

struct seq_file;
struct kmem_cache;

/* Exceptions kept (the table is static: code and console share it). */
#define KMEMLEAK_MARKS		64
/* Roots a scan takes from its caller (data, bss, the live stack, ...). */
#define KMEMLEAK_MAX_ROOTS	(3 + NR_CPUS)	/* data, bss, this stack, every other core's */

enum kmemleak_mark_kind {
	KMEMLEAK_NOT_LEAK,
	KMEMLEAK_IGNORE,
	KMEMLEAK_NO_SCAN,
	KMEMLEAK_ROOT,
	KMEMLEAK_IGNORE_RANGE,
	KMEMLEAK_NO_SCAN_RANGE,
	NR_KMEMLEAK_MARKS
};

void kmemleak_not_leak(const void *ptr);
void kmemleak_ignore(const void *ptr);
void kmemleak_no_scan(const void *ptr);
int kmemleak_add_root(const void *start, size_t size);
int kmemleak_ignore_range(const void *start, size_t size);
int kmemleak_no_scan_range(const void *start, size_t size);

/*
 * kmemleak_mark() - what the calls above do: add a mark of @kind. A mark
 * of the same kind and start replaces the old one. @internal marks (the
 * allocator's own) are not listed and cannot be removed from the console.
 * Return: 0; -ENOSPC when the table is full; -EINVAL for an empty or
 * wrapping range or an unknown kind.
 */
int kmemleak_mark(enum kmemleak_mark_kind kind, unsigned long start, size_t size,
		  bool internal);
/* Remove the (non-internal) marks starting at @start. Return: how many. */
int kmemleak_unmark(unsigned long start);
/* List the marks, one per line. */
void kmemleak_show_marks(struct seq_file *m);
/* The name of @kind as the console spells it ("not_leak", "root", ...). */
const char *kmemleak_mark_name(enum kmemleak_mark_kind kind);
/* Forget every mark and the clear (host tests). */
void kmemleak_reset(void);
/*
 * kmemleak_clear() - Linux's `echo clear`: what is allocated now is not
 * reported by later scans, so they show only new suspects. Needs the
 * allocation times of owner records: what has none is still reported.
 * Return: the owners' clock at the clear.
 */
u64 kmemleak_clear(void);

/* A range of memory the scan reads as a root. */
struct kmemleak_range {
	unsigned long start, end;
	const char *name;
};

/* One unreferenced block or object, as the report callback sees it. */
struct kmemleak_object {
	unsigned long addr;	/* first byte (a slab object: past its left red zone) */
	size_t size;		/* bytes: the object size, or the block's pages */
	struct kmem_cache *cache;	/* NULL: a block of pages */
	unsigned long pfn;	/* the block's (or the object's slab's) head pfn */
	unsigned int order;	/* the block's order (a slab's for objects) */
	bool large_kmalloc;	/* a kmalloc() block above the caches */
	bool owner;		/* an owner record exists: the fields below are valid */
	u32 handle;		/* allocation stack (0: none recorded) */
	int pid;
	size_t asked;		/* bytes asked for (objects, large kmalloc), else size */
	u64 ts_us;		/* allocation time */
};

/* Counts of one scan. */
struct kmemleak_stats {
	unsigned long blocks, objects;		/* allocated when the scan began */
	unsigned long leaked_blocks, leaked_pages;
	unsigned long leaked_objects, leaked_bytes;
	unsigned long scanned_bytes;		/* roots and contents, both passes */
	unsigned long state_bytes;		/* the scan state taken and given back */
	unsigned long late;			/* allocated while the scan ran: not examined */
	unsigned long overflows;		/* grey-stack overflows (each costs a sweep) */
	unsigned long no_owner;			/* reported without an owner record */
	unsigned long cleared;			/* left out: allocated before kmemleak_clear() */
};

/*
 * One scan. The caller fills @roots (and @nr_roots), @report and, if it
 * wants Ctrl-C to stop the scan, @should_stop; everything else is the
 * scan's.
 */
struct kmemleak_scan {
	struct kmemleak_range roots[KMEMLEAK_MAX_ROOTS];
	unsigned int nr_roots;
	/* Called for each unreferenced block or object, in pfn order. */
	void (*report)(void *arg, const struct kmemleak_object *o);
	bool (*should_stop)(void *arg);
	void *arg;
	/*
	 * kmemleak_scan_kernel(): where the stack root starts (0: its own
	 * frame, so every caller's frame and register counts). A console
	 * command passes KMEMLEAK_CALLER_FRAME(), leaving its own frames out:
	 * they hold only what the command parsed, and a stale address there
	 * (typed in an earlier command) would hide that object.
	 */
	unsigned long stack_from;
	u64 start_us;		/* the owners' clock when the scan began */
	struct kmemleak_stats st;
};

/*
 * kmemleak_scan() - mark from the roots, twice, and report what stayed
 * unreferenced in both passes (docs/KMEMLEAK.md has the rules).
 *
 * Never calls the object allocator; takes its state (an index of mem_map
 * and a byte per block or object) from the page allocator in 16 KiB pieces
 * and gives them back before it returns. Interrupts stay enabled except
 * while a batch of mem_map or one slab's freelist is read.
 *
 * Context: process (the console). Not from the panic console.
 * Return: 0; -ENOMEM when the state cannot be taken (nothing changed);
 * -EINTR when @should_stop said so (nothing reported, nothing changed);
 * -EBUSY when another scan is running.
 */
int kmemleak_scan(struct kmemleak_scan *sc);

/*
 * kmemleak_print_object() - Linux's report of one unreferenced object:
 * "unreferenced object 0x... (size N):", comm, pid, jiffies and age, the
 * first 32 bytes, the CRC-32 of the contents and the backtrace. @now_us:
 * the owners' clock now.
 */
void kmemleak_print_object(struct seq_file *m, const struct kmemleak_object *o, u64 now_us);

/* The frame record of the function using this (frame records are {fp, lr}). */
#define KMEMLEAK_CALLER_FRAME()	(((const unsigned long *)__builtin_frame_address(0))[0])

/*
 * kmemleak_scan_kernel() - the kernel's roots into @sc (image data and bss
 * without the stacks' section, the live boot stack from this call's frame
 * up, with every caller's callee-saved registers forced into that frame),
 * then @fn(@sc, @arg), which runs kmemleak_scan(). Only what @fn's callees
 * hold is not a root. Context: the console, on the boot stack.
 * Return: @fn's return, or -EINVAL off the boot stack.
 */
long kmemleak_scan_kernel(struct kmemleak_scan *sc,
			  long (*fn)(struct kmemleak_scan *sc, void *arg), void *arg);

enum page_owner_format;
/*
 * kmemleak_leaks() - `leaks --unreferenced` (kernel/cmd_kmemleak.c): the
 * scan from the kernel's roots, aggregated per stack in @fmt, then (text)
 * the scan's counts. Return: stacks printed, or a negative error (printed).
 */
long kmemleak_leaks(struct seq_file *m, unsigned long threshold, enum page_owner_format fmt,
		    unsigned long stack_from);

#endif
