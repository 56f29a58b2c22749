// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the previous boot's owner data (kept and checked by mm/persist.c):
 * its blocks from its mem_map and page_ext, its live objects from the seal's
 * snapshot, its stacks from its depot, its contexts, checkpoints and log, in
 * the formats of this boot's commands. Everything here only reads memory
 * that passed the check; indices are still bounded at every use.
 *
 * Symbols: the previous boot's stacks are named with its own symbol table,
 * kept with its data, whether or not the image changed since (the build id,
 * a checksum of the text, says; `previous` and the boot line tell). Without
 * that table (it did not fit) they are named with this kernel's table only
 * when the image is the same, else printed as addresses.
 */
#include <ferret/gfp.h>
#include <ferret/kallsyms.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_owner.h>
#include <ferret/persist.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>
#include <ferret/string.h>

bool prev_boot_usable(struct seq_file *m)
{
	const struct prev_boot *p = &prev_boot;

	if (p->cleared) {
		seq_puts(m, "previous boot: cleared ('previous clear')\n");
		return false;
	}
	if (!p->owners_ok) {
		seq_printf(m, "previous boot: no owner data kept: %s\n",
			   p->why[0] ? p->why : "none found");
		return false;
	}
	return true;
}

void prev_boot_show(struct seq_file *m)
{
	const struct prev_boot *p = &prev_boot;
	const struct persist_anchor *a = &p->anchor;
	const struct persist_meta *mt = p->meta;

	if (!persist_enabled())
		seq_puts(m, "persist: off (persist=off): this boot keeps nothing for the next\n");
	if (p->cleared) {
		seq_puts(m, "previous boot: cleared ('previous clear')\n");
		return;
	}
	if (!p->owners_ok && !p->log_ok) {
		seq_printf(m, "previous boot: none kept: %s\n", p->why[0] ? p->why : "none found");
		return;
	}
	seq_printf(m, "previous boot: %llu, %s, ended by %s%s at %llu.%06llu s\n",
		   (unsigned long long)a->boot_count, a->version, persist_reason_name(a->reason),
		   a->reset_after_panic ? ", reset by panic=" : "",
		   (unsigned long long)a->seal_us / 1000000,
		   (unsigned long long)a->seal_us % 1000000);
	seq_printf(m, "image:         %s (build id %016llx)\n",
		   p->same_image ? "this one" : p->ksyms ?
		   "changed since: its stacks are named with its own symbols, kept with it" :
		   "changed since: its stacks print as addresses", (unsigned long long)a->build_id);
	seq_printf(m, "owner data:    %s\n", p->owners_ok ? "kept, checked" : p->why);
	if (p->owners_ok)
		seq_printf(m, "records:       %llu pages from pfn 0x%llx, %lu stacks, %u gfp/context "
			   "pairs, %u checkpoints\n", (unsigned long long)mt->nr_pages,
			   (unsigned long long)mt->pfn_base, p->depot.nr_stacks, mt->nr_actx,
			   mt->nr_checkpoints);
	if (p->owners_ok && mt->objects_tracked)
		seq_printf(m, "objects:       %u live%s\n", mt->nr_objects,
			   mt->objects_lost ? " (more did not fit the snapshot)" : "");
	seq_printf(m, "log:           %s\n", p->log_ok ? "kept, checked" : "not kept");
	seq_printf(m, "memory:        %llu KiB reserved for it (memblock: 'prev ...')\n",
		   (unsigned long long)p->kept_bytes >> 10);
}

unsigned long prev_boot_clear(void)
{
	struct prev_boot *p = &prev_boot;
	unsigned long freed = 0;

	p->owners_ok = p->log_ok = p->objects_ok = false;
	p->meta = NULL;
	p->mem_map = NULL;
	p->page_ext = NULL;
	p->pageblock_mt = NULL;
	p->log = NULL;
	p->ksyms = NULL;
	p->cleared = true;
	if (!memblock.frozen)
		return 0;	/* before the buddy allocator: nothing to give it yet */
	for (int i = 0; i < NR_PERSIST_AREAS; i++) {
		const struct persist_area *ar = &p->anchor.area[i];

		/* Only what was reserved for it: a refused area may hold this boot's data. */
		if (!p->kept[i])
			continue;
		p->kept[i] = false;
		freed += free_reserved_area_pfn(PHYS_PFN(ar->phys), PHYS_PFN(ar->phys + ar->size));
		memblock_phys_free(ar->phys, ar->size);
	}
	p->kept_bytes = 0;
	return freed << PAGE_SHIFT;
}

int prev_boot_dmesg(struct seq_file *m)
{
	const struct prev_boot *p = &prev_boot;
	u64 size, head, start;

	if (!p->log_ok || !p->log || !p->meta) {
		seq_printf(m, "dmesg: no log of a previous boot: %s\n",
			   p->cleared ? "cleared" : p->why[0] ? p->why : "none found");
		return -1;
	}
	size = p->meta->log_size;
	head = p->meta->log_head;
	start = head > size ? head - size : 0;
	for (u64 i = start; i < head; i++) {
		char c = p->log[i % size];

		/* Text only: anything else would reach the terminal as control codes. */
		if ((c < ' ' && c != '\n' && c != '\t') || c == 0x7f)
			c = '?';
		seq_putc(m, c);
		if (c == '\n' && seq_check_abort(m))
			break;
	}
	return 0;
}

/* ---- stacks and symbols ---- */

static unsigned int prev_fetch(u32 handle, unsigned long *entries, unsigned int max)
{
	if (handle == STACK_DEPOT_HANDLE_FULL || !prev_boot.owners_ok)
		return 0;
	return __stack_depot_fetch(&prev_boot.depot, handle, entries, max);
}

/* A return address of the previous boot, named with its own symbol table (%pB's way). */
static const char *prev_lookup_return(unsigned long addr, unsigned long *size,
				      unsigned long *offset)
{
	const char *name;

	if (!prev_boot.ksyms)
		return prev_boot.same_image ? kallsyms_lookup_return(addr, size, offset) : NULL;
	name = addr ? ksym_table_lookup(prev_boot.ksyms, addr - 1, size, offset) : NULL;
	if (name)
		(*offset)++;
	return name;
}

void prev_boot_print_stack(struct seq_file *m, u32 handle)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES], size, off;
	unsigned int nr = prev_fetch(handle, entries, ARRAY_SIZE(entries));

	if (handle == STACK_DEPOT_HANDLE_FULL)
		seq_puts(m, " (the stack depot was full)\n");
	for (unsigned int i = 0; i < nr; i++) {
		const char *name = prev_lookup_return(entries[i], &size, &off);

		if (name)
			seq_printf(m, " %s+0x%lx/0x%lx\n", name, off, size);
		else
			seq_printf(m, " 0x%lx\n", entries[i]);
	}
}

static const char *prev_comm(int pid)
{
	const struct persist_meta *mt = prev_boot.meta;

	if (!mt || pid < 0 || pid >= (int)ARRAY_SIZE(mt->tasks) || !mt->tasks[pid].comm[0])
		return "unknown";
	return mt->tasks[pid].comm;
}

static int prev_tgid(int pid)
{
	const struct persist_meta *mt = prev_boot.meta;

	if (!mt || pid < 0 || pid >= (int)ARRAY_SIZE(mt->tasks) || !mt->tasks[pid].comm[0])
		return -1;
	return mt->tasks[pid].tgid;
}

static void prev_actx(unsigned int actx, gfp_t *gfp, int *pid)
{
	const struct persist_meta *mt = prev_boot.meta;

	if (actx < mt->nr_actx) {
		*gfp = mt->actx[actx].gfp;
		*pid = mt->actx[actx].pid;
	} else {
		*gfp = 0;
		*pid = -1;
	}
}

static int prev_checkpoint(const char *name, const char **out, u64 *ts_us)
{
	const struct persist_meta *mt = prev_boot.meta;
	int i;

	if (!mt || !prev_boot.owners_ok)
		return -1;
	i = (int)mt->nr_checkpoints - 1;
	if (name)
		for (i = 0; i < (int)mt->nr_checkpoints; i++)
			if (!strcmp(mt->checkpoints[i].name, name))
				break;
	if (i < 0 || i >= (int)mt->nr_checkpoints)
		return -1;
	*out = mt->checkpoints[i].name;
	*ts_us = mt->checkpoints[i].ts_us;
	return 0;
}

static bool prev_objects_tracked(void)
{
	return prev_boot.objects_ok;
}

static bool prev_page_has_owners(u32 page_flags)
{
	unsigned int id = page_flags >> PAGE_SLAB_ID_SHIFT;

	return id < SLAB_MAX_CACHES && prev_boot.meta && prev_boot.meta->caches[id].owners;
}

/* ---- blocks and objects ---- */

struct kept_walk {
	void (*block_fn)(void *arg, const struct po_block *b);
	struct seq_file *m;	/* printing, when no block_fn */
	void *arg;
	unsigned long printed;
};

static void fill_record(unsigned long idx, struct po_record *r)
{
	const struct persist_meta *mt = prev_boot.meta;
	const struct page *page = &prev_boot.mem_map[idx];

	r->pfn = mt->pfn_base + idx;
	prev_actx(r->actx, &r->gfp, &r->pid);
	r->page_flags = page->flags;
	r->pageblock_mt = (idx >> pageblock_order) < mt->nr_pageblocks ?
			  prev_boot.pageblock_mt[idx >> pageblock_order] : -1;
}

static void print_kept(struct seq_file *m, const struct po_record *r);

static bool kept_block(void *arg, unsigned long idx, struct po_record *r)
{
	struct kept_walk *w = arg;

	fill_record(idx, r);
	if (w->block_fn) {
		struct po_block b = {
			.pfn = r->pfn, .handle = r->handle, .pid = r->pid, .order = r->order,
			.ts_us = r->ts_us, .page_flags = r->page_flags,
			.private = prev_boot.mem_map[idx].private,
		};

		w->block_fn(w->arg, &b);
	} else {
		print_kept(w->m, r);
	}
	w->printed++;
	return !w->m || !seq_check_abort(w->m);
}

void prev_boot_for_each_block(void (*fn)(void *arg, const struct po_block *b), void *arg)
{
	struct kept_walk w = { .block_fn = fn, .arg = arg };

	if (prev_boot.owners_ok)
		page_owner_for_each_kept(prev_boot.page_ext, prev_boot.meta->nr_pages, kept_block, &w);
}

unsigned long prev_boot_for_each_object(void (*fn)(void *arg, const struct slab_owner_info *o),
					void *arg)
{
	const struct persist_meta *mt = prev_boot.meta;

	if (!prev_boot.objects_ok)
		return 0;
	for (u32 i = 0; i < mt->nr_objects; i++) {
		const struct persist_obj *x = &mt->objects[i];
		struct slab_owner_info o = {
			.object = (void *)(unsigned long)x->addr, .handle = x->handle,
			.pid = x->pid, .live = true, .size = x->size, .ts_us = x->ts_us,
		};

		fn(arg, &o);
	}
	return mt->nr_objects;
}

static void print_kept(struct seq_file *m, const struct po_record *r)
{
	page_owner_print_block(m, r, prev_tgid(r->pid), prev_comm(r->pid),
			       prev_boot_print_stack);
}

long prev_boot_page_owner(struct seq_file *m)
{
	struct kept_walk w = { .m = m };

	if (!prev_boot_usable(m))
		return -1;
	page_owner_for_each_kept(prev_boot.page_ext, prev_boot.meta->nr_pages, kept_block, &w);
	return (long)w.printed;
}

const struct owner_source owner_source_prev = {
	.for_each_block = prev_boot_for_each_block,
	.for_each_object = prev_boot_for_each_object,
	.fetch = prev_fetch,
	.lookup_return = prev_lookup_return,
	.comm = prev_comm,
	.checkpoint = prev_checkpoint,
	.objects_tracked = prev_objects_tracked,
	.page_has_owners = prev_page_has_owners,
};
