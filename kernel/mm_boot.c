// SPDX-License-Identifier: GPL-2.0
/*
 * Hand boot's memory ranges to mm/: RAM from the DTB (or the board), the
 * reservations only boot knows about (image, stacks, DTB, firmware), then
 * mem_map, page_ext and the buddy allocator in that order.
 */
#include <generated/board.h>
#include <ferret/boot.h>
#include <ferret/printk.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/fdt.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/persist.h>
#include <ferret/slab.h>
#include <ferret/time.h>
#include <asm/cpu.h>
#include <asm/sections.h>
#include <asm/processor.h>


static void reserve_firmware_ranges(void)
{
	const void *fdt = (const void *)boot_params.dtb;
	struct fdt_mem_range r[8];
	int n;

	if (!fdt) {
		/* No DTB (raspi3b): the firmware's spin tables and stubs sit below the image. */
		if (BOARD_LOAD_ADDR > BOARD_RAM_BASE)
			memblock_reserve(BOARD_RAM_BASE, BOARD_LOAD_ADDR - BOARD_RAM_BASE, "firmware");
		return;
	}
	memblock_reserve(boot_params.dtb, boot_params.dtb_size, "dtb");
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		u64 base, size;

		if (!fdt_get_mem_rsv(fdt, i, &base, &size) && size)
			memblock_reserve(base, size, "memreserve");
	}
	n = fdt_get_reserved_memory(fdt, r, 8);
	for (int i = 0; i < n; i++)
		if (r[i].size)
			memblock_reserve(r[i].base, r[i].size, "reserved-memory");
}

extern u64 mm_init_insns, mm_init_ns, mm_init_bytes;

void mm_boot_init(void)
{
	u64 t0, i0;
	int err;

	for (int i = 0; i < boot_params.nr_ram; i++)
		memblock_add(boot_params.ram[i].base, boot_params.ram[i].size);
	memblock_reserve((unsigned long)_text, (unsigned long)(__bss_start - _text), "image");
	memblock_reserve((unsigned long)__stacks_start,
			 (unsigned long)(__stacks_end - __stacks_start), "stacks");
	memblock_reserve((unsigned long)__stacks_end, (unsigned long)(_end - __stacks_end), "bss");
	reserve_firmware_ranges();
	for (int i = 0; i < boot_params.nr_ram; i++)
		if (boot_params.ram[i].base < NULL_GUARD_SIZE)	// unmapped: never handed out
			memblock_reserve(0, NULL_GUARD_SIZE, "null guard");

	/* The anchor is the top page of RAM; the previous boot's areas are kept first. */
	persist_early(boot_params.cmdline, memblock_end_of_DRAM() - PAGE_SIZE,
		      persist_csum(_text, (size_t)(_etext - _text)), ferret_version);

	pmu_start();				// count mm_init() for `bench init`
	t0 = ktime_get_ns();
	i0 = pmu_instructions();
	err = mm_init(boot_params.cmdline);	// options, mem_map, page_ext, buddy, tracking, kmalloc
	mm_init_insns = pmu_instructions() - i0;
	mm_init_ns = ktime_get_ns() - t0;
	mm_init_bytes = memblock_phys_mem_size();
	if (err == -1) {
		pr_emerg("mm: no usable memory, cannot continue\n");
		for (;;)
			wait_for_interrupt();
	}
	if (err)
		pr_err("slab: no kmalloc caches\n");
}
