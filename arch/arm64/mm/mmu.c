// SPDX-License-Identifier: GPL-2.0
/*
 * Identity map with long descriptors, 4 KiB granule (level 1 start, 1 GiB
 * per entry): 39-bit addresses on AArch64, the 32-bit address space on
 * AArch32 with LPAE, which walks the very same tables (asm/mmu.h has the
 * registers that differ; arch/arm builds this file too). RAM is Normal write-back cacheable, device windows are
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
 *
 * W^X: the kernel's text is read-only and executable, its read-only data
 * read-only, everything else (data, bss, stacks, the rest of RAM) writable
 * and never executable. The 2 MiB blocks holding the image get level-3
 * tables for that. Code patching (static keys, jump_label.c) writes through
 * a writable, non-executable alias of the text at TEXT_ALIAS_BASE, mapped
 * only while it patches (text_poke_begin/end).
 */
#include <ferret/types.h>
#include <ferret/compiler.h>
#include <ferret/printk.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>
#include <asm/sections.h>
#include <asm/mmu.h>
#include <ferret/smp.h>

#define PTRS		512
#define L1_SHIFT	30
#define L2_SHIFT	21
#define NR_L2_TABLES	16
#define L3_SHIFT	12

#define PTE_VALID	(1UL << 0)
#define PTE_TABLE	(1UL << 1)	/* level 1/2: next-level table */
#define PTE_ATTRIDX(i)	((unsigned long)(i) << 2)
#define PTE_SH_INNER	(3UL << 8)
#define PTE_RDONLY	(1UL << 7)	/* AP[2]: read-only at EL1 */
#define PTE_AF		(1UL << 10)
#define PTE_PXN		(1ULL << 53)
#define PTE_UXN		(1ULL << 54)
#define PTE_ADDR_MASK	0x0000fffffffff000ULL

#define MT_DEVICE_nGnRE	0
#define MT_NORMAL	1
#define MAIR_VALUE	((0x04UL << (8 * MT_DEVICE_nGnRE)) | (0xffUL << (8 * MT_NORMAL)))


enum kind { K_NONE, K_RAM, K_DEV };

static u64 l1_table[PTRS] __aligned(4096);
static u64 l2_tables[NR_L2_TABLES][PTRS] __aligned(4096);
#define NR_L3_TABLES	4
/* 4 KiB pages: the first 2 MiB when mapped (the NULL guard), the image's blocks (W^X). */
static u64 l3_tables[NR_L3_TABLES][PTRS] __aligned(4096);
static u64 l2_alias_table[PTRS] __aligned(4096);	/* the text's writable alias */
static int nr_l2_used, nr_l3_used;


/*
 * Every stack has a never-mapped 4 KiB page below it (asm/sections.h,
 * stacks.S): each core's kernel and exception stacks, and the panic stack.
 * An overflow faults. The kernel's stacks (SP_EL0) report on the exception
 * stack; an overflow of an exception stack itself is caught before its
 * registers are saved and reported on the panic stack (entry.S, el1h_sync).
 */
const char *stack_guard_hit(unsigned long addr)
{
	const unsigned long page = 1UL << L3_SHIFT;
	struct cpu_stack_area a;

	for (unsigned int cpu = 0; cpu < NR_CPUS && arch_cpu_stacks(cpu, &a); cpu++) {
		if (addr - (a.boot - page) < page)
			return cpu_stack_name(cpu, false);
		if (addr - (a.exc - page) < page)
			return cpu_stack_name(cpu, true);
	}
	if (addr - ((unsigned long)panic_stack - page) < page)
		return "panic";
	return NULL;
}
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
	if (k == K_RAM)	/* data: writable, never executable */
		return addr | PTE_VALID | PTE_ATTRIDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF |
		       PTE_PXN | PTE_UXN;
	if (k == K_DEV)
		return addr | PTE_VALID | PTE_ATTRIDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN;
	return 0;
}

static bool in_image(u64 a, u64 size)
{
	return a < (u64)(unsigned long)_end && (u64)(unsigned long)_text < a + size;
}

/* The 4 KiB page at @a: none in the NULL guard, text RX, rodata RO, the rest RW and XN. */
static u64 page_desc(u64 a)
{
	enum kind k = classify(a, 1UL << L3_SHIFT);
	u64 d;

	if (a < NULL_GUARD_SIZE || k == K_NONE || stack_guard_hit((unsigned long)a))
		return 0;
	d = block_desc(a, k) | PTE_TABLE;	/* a level-3 page has bit 1 set */
	if (k != K_RAM || !in_image(a, 1UL << L3_SHIFT))
		return d;
	if (a < (u64)(unsigned long)_etext)
		return (d & ~(PTE_PXN | PTE_UXN)) | PTE_RDONLY;	/* text */
	if (a < (u64)(unsigned long)__data_start)
		return d | PTE_RDONLY;			/* read-only data */
	return d;
}

/* The level-2 entry for the 2 MiB at @a: pages where the NULL guard or the image need them. */
static u64 l2_desc(u64 a)
{
	enum kind k = classify(a, 1UL << L2_SHIFT);
	u64 *l3;

	if (k == K_NONE || (a != 0 && !in_image(a, 1UL << L2_SHIFT)))
		return block_desc(a, k);
	if (nr_l3_used == NR_L3_TABLES) {
		pr_warn("mmu: out of level-3 tables: 0x%llx mapped as a block\n",
			(unsigned long long)a);
		return block_desc(a, k) & ~(PTE_PXN | PTE_UXN);	/* the image must run */
	}
	l3 = l3_tables[nr_l3_used++];
	for (unsigned int i = 0; i < PTRS; i++)
		l3[i] = page_desc(a + ((u64)i << L3_SHIFT));
	return (u64)(unsigned long)l3 | PTE_VALID | PTE_TABLE;
}

/*
 * The text's writable alias: the 2 MiB blocks holding text, RW and XN, from
 * TEXT_ALIAS_BASE (asm/cpu.h: no RAM or device is mapped there). Their
 * entries are made at boot and written into the level-2 table of that GiB
 * only while text is patched. That GiB may hold RAM too (a 32-bit board with
 * 3 GiB): its other entries never change.
 */
#define ALIAS_BLOCKS	7	/* 14 MiB of text: what fits below NEVER_MAPPED_ADDR on AArch32 */
static u64 *alias_l2;			/* NULL: no alias (the window was in use) */
static u64 alias_desc[ALIAS_BLOCKS];
static unsigned int alias_slot, alias_n;
static unsigned long alias_offset;

static void build_text_alias(void)
{
	u64 start = (u64)(unsigned long)_text & ~((1UL << L2_SHIFT) - 1);
	u64 end = (u64)(unsigned long)_etext, base = (u64)TEXT_ALIAS_BASE;
	unsigned int idx = (unsigned int)(base >> L1_SHIFT);
	u64 d = l1_table[idx], *l2;

	BUILD_BUG_ON(TEXT_ALIAS_BASE & ((1UL << L2_SHIFT) - 1));
	if (!(d & PTE_VALID)) {		/* nothing else in that GiB: a table of its own */
		l2 = l2_alias_table;
		l1_table[idx] = (u64)(unsigned long)l2 | PTE_VALID | PTE_TABLE;
	} else if (d & PTE_TABLE) {
		l2 = (u64 *)(unsigned long)(d & PTE_ADDR_MASK);
	} else {
		l2 = NULL;
	}
	alias_slot = (unsigned int)(base >> L2_SHIFT) & (PTRS - 1);
	alias_n = (unsigned int)((end - start + (1UL << L2_SHIFT) - 1) >> L2_SHIFT);
	for (unsigned int i = 0; l2 && i < alias_n; i++) {
		u64 va = base + ((u64)i << L2_SHIFT);

		if (i >= ALIAS_BLOCKS || alias_slot + i >= PTRS || l2[alias_slot + i] ||
		    (u64)NEVER_MAPPED_ADDR - va < (1UL << L2_SHIFT))
			l2 = NULL;
	}
	if (!l2) {
		pr_err("mmu: no room for the text's alias at 0x%llx (%u blocks of 2 MiB): code "
		       "cannot be patched\n", (unsigned long long)base, alias_n);
		return;
	}
	for (unsigned int i = 0; i < alias_n; i++)
		alias_desc[i] = block_desc(start + ((u64)i << L2_SHIFT), K_RAM);
	alias_offset = (unsigned long)(base - start);
	alias_l2 = l2;
}

unsigned long text_poke_begin(void)
{
	if (!mmu_on)
		return 0;	/* before the MMU: text is written where it is */
	if (!alias_l2)
		return 0;	/* said at boot; the write faults as a write to the text */
	for (unsigned int i = 0; i < alias_n; i++)
		alias_l2[alias_slot + i] = alias_desc[i];
	dsb(ishst);
	isb();
	return alias_offset;
}

void text_poke_end(void)
{
	if (!mmu_on || !alias_l2)
		return;
	for (unsigned int i = 0; i < alias_n; i++)
		alias_l2[alias_slot + i] = 0;
	mmu_tlb_flush_all();
}

static void map_gib(unsigned int idx)
{
	u64 base = (u64)idx << L1_SHIFT;
	enum kind first = classify(base, 1UL << L2_SHIFT);
	bool uniform = true;
	u64 *l2;

	if ((idx == 0 && first != K_NONE) || in_image(base, 1UL << L1_SHIFT))
		uniform = false;	/* the NULL guard and W^X need level-3 tables */
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
	u64 top = 0;

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
	build_text_alias();

	/* The tables were written with caches off: make sure no stale line hides them. */
	for (unsigned long p = (unsigned long)l1_table; p < (unsigned long)(l1_table + PTRS); p += 32)
		mmu_dcache_inval_line(p);
	for (unsigned long p = (unsigned long)l2_tables;
	     p < (unsigned long)l2_tables + sizeof(l2_tables); p += 32)
		mmu_dcache_inval_line(p);
	for (unsigned long p = (unsigned long)l3_tables;
	     p < (unsigned long)l3_tables + sizeof(l3_tables); p += 32)
		mmu_dcache_inval_line(p);
	for (unsigned long p = (unsigned long)l2_alias_table;
	     p < (unsigned long)l2_alias_table + sizeof(l2_alias_table); p += 32)
		mmu_dcache_inval_line(p);
	dsb(sy);

	mmu_enable_tables((u64)(unsigned long)l1_table, MAIR_VALUE);
	mmu_on = true;
}

/* Another core: the same tables and attributes (the boot core's mmu_init() built them). */
void mmu_enable_secondary(void)
{
	mmu_enable_tables((u64)(unsigned long)l1_table, MAIR_VALUE);
}

/* The level-3 entry mapping @addr, or NULL where a block or nothing maps it. */
static u64 *l3_entry(unsigned long addr)
{
	u64 d;

	if ((u64)addr >> MMU_VA_BITS)
		return NULL;
	d = l1_table[addr >> L1_SHIFT];
	if ((d & (PTE_VALID | PTE_TABLE)) != (PTE_VALID | PTE_TABLE))
		return NULL;
	d = ((u64 *)(unsigned long)(d & PTE_ADDR_MASK))[(addr >> L2_SHIFT) & (PTRS - 1)];
	if ((d & (PTE_VALID | PTE_TABLE)) != (PTE_VALID | PTE_TABLE))
		return NULL;
	return &((u64 *)(unsigned long)(d & PTE_ADDR_MASK))[(addr >> L3_SHIFT) & (PTRS - 1)];
}

/*
 * Write @val to the RAM at physical @pa and clean it to memory, for a core
 * that reads with its MMU off (a spin table's release address). The NULL
 * guard (a Pi's spin table sits at 0xd8) is mapped for the write only.
 * Return: 0, or -1 when @pa is not RAM.
 */
int mmu_write_phys_u64(u64 pa, u64 val)
{
	unsigned long a = (unsigned long)pa;
	u64 *pte = NULL, old = 0;

	if (classify(pa & ~7ULL, 8) != K_RAM || (pa & 7))
		return -1;
	if (mmu_on && !mmu_addr_mapped(a, 8)) {
		pte = l3_entry(a);
		if (!pte)
			return -1;
		old = *pte;
		*pte = block_desc(pa & ~((1ULL << L3_SHIFT) - 1), K_RAM) | PTE_TABLE;
		dsb(ishst);
		isb();
	}
	*(volatile u64 *)a = val;
	mmu_dcache_clean_inval_line(a);
	if (pte) {
		*pte = old;
		mmu_tlb_flush_all();
	}
	return 0;
}

bool mmu_enabled(void)
{
	return mmu_on;
}

/* Is @addr mapped? *@step receives the size of the entry that says so (or not). */
static bool addr_mapped(unsigned long addr, unsigned long *step)
{
	u64 d;

	*step = 1UL << L1_SHIFT;
	if ((u64)addr >> MMU_VA_BITS)
		return false;
	d = l1_table[addr >> L1_SHIFT];
	if (!(d & PTE_VALID))
		return false;
	if (!(d & PTE_TABLE))
		return true;
	*step = 1UL << L2_SHIFT;
	d = ((u64 *)(unsigned long)(d & PTE_ADDR_MASK))[(addr >> L2_SHIFT) & (PTRS - 1)];
	if ((d & (PTE_VALID | PTE_TABLE)) != (PTE_VALID | PTE_TABLE))
		return d & PTE_VALID;
	*step = 1UL << L3_SHIFT;
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
		unsigned long step, next;

		if (!addr_mapped(a, &step))
			return false;
		next = (a & ~(step - 1)) + step;
		if (next >= addr + len || next < a)
			return true;
		a = next;
	}
}
