/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memblock: the boot-time memory map and early allocator, as Linux's.
 *
 * Two sorted arrays of non-overlapping ranges: memory (RAM, from the DTB)
 * and reserved (what is in use: the image, the DTB, stacks, mem_map, ...).
 * Unlike Linux, each reservation has a name, which the `memblock` console
 * command prints. The arrays are static (INIT_MEMBLOCK_REGIONS entries
 * each); a full array is reported and the range dropped.
 *
 * memblock_alloc() hands out memory top-down (highest free range first) and
 * records the allocation as a named reservation. Once memblock_free_all()
 * has given the free memory to the buddy allocator, memblock only describes
 * what was reserved.
 */
#ifndef FERRET_MEMBLOCK_H
#define FERRET_MEMBLOCK_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>

struct seq_file;

#define INIT_MEMBLOCK_REGIONS	128
#define MEMBLOCK_NAME_LEN	16

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	char name[MEMBLOCK_NAME_LEN];	/* reservations: what it is ("" in memory) */
};

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region *regions;
	const char *name;		/* "memory" or "reserved" */
};

struct memblock {
	phys_addr_t current_limit;	/* memblock_alloc() stays below */
	struct memblock_type memory;
	struct memblock_type reserved;
	bool frozen;			/* set by memblock_free_all() */
};

extern struct memblock memblock;

/**
 * memblock_add() - add a RAM range. Overlapping and adjacent ranges merge.
 * Context: boot.
 * Return: 0, or -1 if the array is full (reported) or @size is 0.
 */
int memblock_add(phys_addr_t base, phys_addr_t size);

/**
 * memblock_reserve() - mark [@base, @base + @size) as in use by @name.
 *
 * Parts already reserved keep their first name; adjacent reservations with
 * the same name merge. May cover memory that is not RAM (ignored by the
 * buddy allocator, shown by memblock_dump()).
 *
 * Context: boot.
 * Return: 0, or -1 if the array is full (reported).
 */
int memblock_reserve(phys_addr_t base, phys_addr_t size, const char *name);

/**
 * memblock_phys_free() - drop the reservation of [@base, @base + @size)
 * (before memblock_free_all(): the range becomes free for memblock_alloc()
 * and the buddy allocator).
 * Context: boot.
 * Return: 0, or -1 if the array is full (a split needs an entry).
 */
int memblock_phys_free(phys_addr_t base, phys_addr_t size);

/**
 * memblock_phys_alloc() - allocate early memory, top-down, and reserve it.
 * @size: bytes (rounded up to a page).
 * @align: power of two (0 or less than a page means a page).
 * @name: what it is, for memblock_dump().
 *
 * Never returns the page at physical 0 (0 means failure).
 * Context: boot, before memblock_free_all().
 * Return: the physical address, or 0 (reported) if nothing fits.
 */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align, const char *name);

/**
 * memblock_alloc() - memblock_phys_alloc(), zero-filled, as a pointer.
 * Context: boot, before memblock_free_all().
 * Return: the virtual address (__va), or NULL (reported).
 */
void *memblock_alloc(phys_addr_t size, phys_addr_t align, const char *name);

/* As memblock_alloc() without zeroing (mem_map, which init writes whole). */
void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align, const char *name);

/* Allocations stay below @limit (default: no limit). Context: boot. */
void memblock_set_current_limit(phys_addr_t limit);

phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);		/* one past the last RAM byte */
phys_addr_t memblock_phys_mem_size(void);		/* bytes of RAM */
phys_addr_t memblock_reserved_size(void);		/* bytes reserved (RAM or not) */
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_reserved(phys_addr_t addr);

/**
 * memblock_next_free_range() - iterate over RAM that is not reserved,
 * page-aligned inward, in ascending order.
 * @idx: iterator state; start at 0.
 * @start: first byte of the range.
 * @end: one past its last byte.
 *
 * Context: boot.
 * Return: false when there are no more ranges.
 */
bool memblock_next_free_range(u64 *idx, phys_addr_t *start, phys_addr_t *end);

/**
 * memblock_dump() - print the memory and reserved arrays (the `memblock`
 * console command), Linux's memblock=debug layout plus each reservation's
 * name:
 *
 *	MEMBLOCK configuration:
 *	 memory size = 0x0000000040000000 reserved size = 0x0000000000a3c000
 *	 memory.cnt  = 0x1
 *	 memory[0x0]	[0x0000000040000000-0x000000007fffffff], 0x0000000040000000 bytes
 *	 reserved.cnt  = 0x3
 *	 reserved[0x0]	[0x0000000040080000-0x00000000401fffff], 0x0000000000180000 bytes image
 *
 * Context: any.
 */
void memblock_dump(struct seq_file *m);

/* Forget every range (host tests re-initialise memory). */
void memblock_reset(void);

#endif
