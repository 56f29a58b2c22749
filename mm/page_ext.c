// SPDX-License-Identifier: GPL-2.0
/*
 * page_ext: an array parallel to mem_map holding per-page data of the
 * clients in page_ext_ops[] (see include/ferret/page_ext.h).
 *
 * Unlike Linux there is no shared flags word in front of the clients' data:
 * the only client, page_owner, keeps its own "allocated" bit, so an entry is
 * exactly the sum of the clients' sizes (with page_owner: 16 bytes on 64-bit
 * targets, 12 on 32-bit ones).
 */
#include <ferret/mm.h>
#include <ferret/memblock.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/printk.h>

static struct page_ext_operations *const page_ext_ops[] = {
	&page_owner_ops,
};

u8 *page_ext_base;
unsigned long page_ext_size;
unsigned long page_ext_nr;
unsigned long page_ext_total_bytes;
static bool page_ext_needed;

static bool invoke_need_callbacks(void)
{
	size_t size = 0;
	bool need = false;

	for (unsigned int i = 0; i < ARRAY_SIZE(page_ext_ops); i++) {
		struct page_ext_operations *ops = page_ext_ops[i];

		if (ops->need && ops->need()) {
			/* Keep every client's data word aligned. */
			ops->offset = size;
			size += ALIGN(ops->size, sizeof(long));
			need = true;
		}
	}
	page_ext_size = size;
	return need;
}

int page_ext_init_flatmem(void)
{
	unsigned long bytes;
	void *base;

	page_ext_needed = invoke_need_callbacks();
	if (!page_ext_needed)
		return 0;
	bytes = page_ext_size * max_mapnr;
	base = memblock_alloc(bytes, PAGE_SIZE, "page_ext");
	if (!base) {
		pr_crit("allocation of page_ext failed.\n");
		page_ext_needed = false;
		return -1;
	}
	page_ext_nr = max_mapnr;
	page_ext_total_bytes = bytes;
	for (unsigned int i = 0; i < ARRAY_SIZE(page_ext_ops); i++) {
		struct page_ext_operations *ops = page_ext_ops[i];

		ops->boot_mem = NULL;
		if (ops->boot_bytes && ops->need && ops->need())
			ops->boot_mem = memblock_alloc(ops->boot_bytes, 64, ops->name);
	}
	/* Published last: page_ext_get() tests page_ext_base alone. */
	WRITE_ONCE(page_ext_base, (u8 *)base);
	pr_info("allocated %lu bytes of page_ext\n", bytes);
	return 0;
}

void page_ext_init_flatmem_late(void)
{
	if (!page_ext_needed || !page_ext_base)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(page_ext_ops); i++) {
		struct page_ext_operations *ops = page_ext_ops[i];

		if (ops->need && ops->need() && ops->init)
			ops->init();
	}
}

struct page_ext *page_ext_get(const struct page *page)
{
	unsigned long idx = (unsigned long)(page - mem_map);
	u8 *base = READ_ONCE(page_ext_base);

	if (unlikely(!base) || idx >= page_ext_nr)
		return NULL;
	return (struct page_ext *)(base + idx * page_ext_size);
}

struct page_ext *page_ext_from_pfn(unsigned long pfn)
{
	if (!pfn_valid(pfn))
		return NULL;
	return page_ext_get(pfn_to_page(pfn));
}

void page_ext_reset(void)
{
	page_ext_base = NULL;
	page_ext_size = 0;
	page_ext_nr = 0;
	page_ext_total_bytes = 0;
	page_ext_needed = false;
}
