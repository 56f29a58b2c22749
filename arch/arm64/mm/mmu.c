// SPDX-License-Identifier: GPL-2.0
/*
 * Identity map with 4 KiB granule and 39-bit addresses (level 1 start, 1 GiB
 * per entry). RAM is Normal write-back cacheable, device windows are
 * Device-nGnRE, everything else is left unmapped so stray accesses fault.
 *
 * A GiB that holds only one kind of memory is one level-1 block; a GiB that
 * mixes kinds (raspi3b: RAM, then the VideoCore's share, then peripherals)
 * gets a level-2 table of 2 MiB blocks. Device windows win where they overlap
 * RAM. The tables live in BSS: no allocator is needed this early.
 *
 * The first NULL_GUARD_SIZE bytes of the address space are never mapped, on
 * any board, so a NULL pointer (or a small offset from one) faults: where RAM
 * starts at 0 (raspi3b) the first 2 MiB get a level-3 table of 4 KiB pages
 * whose first entries are left invalid.
 */
#include <ferret/types.h>
#include <ferret/compiler.h>
#include <ferret/printk.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>

#define PTRS		512
#define L1_SHIFT	30
#define L2_SHIFT	21
#define NR_L2_TABLES	16
#define L3_SHIFT	12

#define PTE_VALID	(1UL << 0)
#define PTE_TABLE	(1UL << 1)	/* level 1/2: next-level table */
#define PTE_ATTRIDX(i)	((unsigned long)(i) << 2)
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		(1UL << 10)
#define PTE_PXN		(1UL << 53)
#define PTE_UXN		(1UL << 54)
#define PTE_ADDR_MASK	0x0000fffffffff000UL

#define MT_DEVICE_nGnRE	0
#define MT_NORMAL	1
#define MAIR_VALUE	((0x04UL << (8 * MT_DEVICE_nGnRE)) | (0xffUL << (8 * MT_NORMAL)))

#define TCR_T0SZ(n)	((unsigned long)(n) << 0)
#define TCR_IRGN0_WBWA	(1UL << 8)
#define TCR_ORGN0_WBWA	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_TG0_4K	(0UL << 14)
#define TCR_EPD1	(1UL << 23)
#define TCR_IPS_SHIFT	32

enum kind { K_NONE, K_RAM, K_DEV };

static u64 l1_table[PTRS] __aligned(4096);
static u64 l2_tables[NR_L2_TABLES][PTRS] __aligned(4096);
static u64 l3_null_table[PTRS] __aligned(4096);	/* the first 2 MiB, when mapped */
static int nr_l2_used;
static bool mmu_on;

static const struct mem_region *ram_regions, *dev_regions;
static int nr_ram_regions, nr_dev_regions;

static bool overlaps(const struct mem_region *r, int n, u64 start, u64 size)
{
	for (int i = 0; i < n; i++)
		if (start < r[i].base + r[i].size && r[i].base < start + size)
			return true;
	return false;
}

static enum kind classify(u64 start, u64 size)
{
	if (overlaps(dev_regions, nr_dev_regions, start, size))
		return K_DEV;
	if (overlaps(ram_regions, nr_ram_regions, start, size))
		return K_RAM;
	return K_NONE;
}

static u64 block_desc(u64 addr, enum kind k)
{
	if (k == K_RAM)
		return addr | PTE_VALID | PTE_ATTRIDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF;
	if (k == K_DEV)
		return addr | PTE_VALID | PTE_ATTRIDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN;
	return 0;
}

/*
 * The first 2 MiB when something is mapped there: 4 KiB pages (a level-3
 * page descriptor has bit 1 set, as a table descriptor does), none below
 * NULL_GUARD_SIZE.
 */
static u64 null_guard_desc(enum kind k)
{
	for (unsigned int i = 0; i < PTRS; i++) {
		u64 a = (u64)i << L3_SHIFT;

		l3_null_table[i] = a < NULL_GUARD_SIZE ? 0 : block_desc(a, k) | PTE_TABLE;
	}
	return (u64)(unsigned long)l3_null_table | PTE_VALID | PTE_TABLE;
}

/* The level-2 entry for the 2 MiB at @a. */
static u64 l2_desc(u64 a)
{
	enum kind k = classify(a, 1UL << L2_SHIFT);

	if (a == 0 && k != K_NONE)
		return null_guard_desc(k);
	return block_desc(a, k);
}

static void map_gib(unsigned int idx)
{
	u64 base = (u64)idx << L1_SHIFT;
	enum kind first = classify(base, 1UL << L2_SHIFT);
	bool uniform = true;
	u64 *l2;

	if (idx == 0 && first != K_NONE)
		uniform = false;	/* the NULL guard needs a level-3 table */
	for (unsigned int i = 1; i < PTRS && uniform; i++)
		if (classify(base + ((u64)i << L2_SHIFT), 1UL << L2_SHIFT) != first)
			uniform = false;
	if (uniform) {
		l1_table[idx] = block_desc(base, first);
		return;
	}
	if (nr_l2_used == NR_L2_TABLES && idx) {
		/* Out of tables: map what we can coarsely; RAM wins for the kernel's sake. */
		pr_warn("mmu: out of level-2 tables, GiB %u mapped as one block\n", idx);
		l1_table[idx] = block_desc(base, classify(base, 1UL << L1_SHIFT));
		return;
	}
	l2 = l2_tables[nr_l2_used++];
	for (unsigned int i = 0; i < PTRS; i++)
		l2[i] = l2_desc(base + ((u64)i << L2_SHIFT));
	l1_table[idx] = (u64)(unsigned long)l2 | PTE_VALID | PTE_TABLE;
}

void mmu_init(const struct mem_region *ram, int nr_ram, const struct mem_region *dev, int nr_dev)
{
	u64 top = 0, parange, sctlr;

	ram_regions = ram;
	nr_ram_regions = nr_ram;
	dev_regions = dev;
	nr_dev_regions = nr_dev;
	for (int i = 0; i < nr_ram; i++)
		top = max(top, ram[i].base + ram[i].size);
	for (int i = 0; i < nr_dev; i++)
		top = max(top, dev[i].base + dev[i].size);
	for (unsigned int idx = 0; idx < PTRS && ((u64)idx << L1_SHIFT) < top; idx++)
		map_gib(idx);

	parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	if (parange > 5)
		parange = 5;	/* 48 bits is all a 4 KiB granule without LPA needs */

	/* The tables were written with caches off: make sure no stale line hides them. */
	for (unsigned long p = (unsigned long)l1_table; p < (unsigned long)(l1_table + PTRS); p += 64)
		__asm__ __volatile__("dc ivac, %0" : : "r"(p) : "memory");
	for (unsigned long p = (unsigned long)l2_tables;
	     p < (unsigned long)l2_tables + sizeof(l2_tables); p += 64)
		__asm__ __volatile__("dc ivac, %0" : : "r"(p) : "memory");
	for (unsigned long p = (unsigned long)l3_null_table;
	     p < (unsigned long)l3_null_table + sizeof(l3_null_table); p += 64)
		__asm__ __volatile__("dc ivac, %0" : : "r"(p) : "memory");
	dsb(sy);

	write_sysreg(MAIR_VALUE, mair_el1);
	write_sysreg(TCR_T0SZ(25) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
		     TCR_TG0_4K | TCR_EPD1 | (parange << TCR_IPS_SHIFT), tcr_el1);
	write_sysreg((unsigned long)l1_table, ttbr0_el1);
	isb();
	__asm__ __volatile__("tlbi vmalle1\n\tdsb nsh\n\tic iallu\n\tdsb nsh" ::: "memory");
	isb();
	sctlr = read_sysreg(sctlr_el1);
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
	sctlr &= ~(SCTLR_A | SCTLR_SA);
	write_sysreg(sctlr, sctlr_el1);
	isb();
	mmu_on = true;
}

bool mmu_enabled(void)
{
	return mmu_on;
}

static bool addr_mapped(unsigned long addr)
{
	u64 d;

	if (addr >> 39)
		return false;
	d = l1_table[addr >> L1_SHIFT];
	if (!(d & PTE_VALID))
		return false;
	if (!(d & PTE_TABLE))
		return true;
	d = ((u64 *)(unsigned long)(d & PTE_ADDR_MASK))[(addr >> L2_SHIFT) & (PTRS - 1)];
	if ((d & (PTE_VALID | PTE_TABLE)) != (PTE_VALID | PTE_TABLE))
		return d & PTE_VALID;
	d = ((u64 *)(unsigned long)(d & PTE_ADDR_MASK))[(addr >> L3_SHIFT) & (PTRS - 1)];
	return d & PTE_VALID;
}

bool mmu_addr_mapped(unsigned long addr, unsigned long len)
{
	if (!mmu_on)
		return false;
	if (len == 0)
		len = 1;
	if (addr + len < addr)
		return false;
	for (unsigned long a = addr;;) {
		/* 4 KiB pages in the first 2 MiB (the NULL guard), 2 MiB blocks above. */
		unsigned long step = 1UL << (a < (1UL << L2_SHIFT) ? L3_SHIFT : L2_SHIFT);
		unsigned long next = (a & ~(step - 1)) + step;

		if (!addr_mapped(a))
			return false;
		if (next >= addr + len || next < a)
			return true;
		a = next;
	}
}
