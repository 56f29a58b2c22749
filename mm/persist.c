// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping owner data across a warm reset: the anchor, this boot's areas, the
 * seal, and the check of what the previous boot left (include/ferret/persist.h,
 * docs/PERSIST.md). Reading the kept data is mm/prev_boot.c's.
 *
 * The check refuses in order, and says the first reason: no magic (a cold
 * boot), a bad anchor checksum, another layout, a boot that was never sealed,
 * an area outside RAM or on memory this boot already uses or on another
 * area, an area checksum, then the contents: the meta snapshot's sizes and
 * counts, the depot's records one by one, every page_owner record, every
 * object. The log is kept on its own (only its checksum matters: it is text,
 * printed byte-safe); the owner data is kept all together or not at all.
 */
#include <ferret/bootopt.h>
#include <ferret/kallsyms.h>
#include <ferret/memblock.h>
#include <ferret/mm.h>
#include <ferret/page_ext.h>
#include <ferret/page_owner.h>
#include <ferret/page_owner_record.h>
#include <ferret/persist.h>
#include <ferret/printk.h>
#include <ferret/sched.h>
#include <ferret/slab.h>
#include <ferret/slab_owner.h>
#include <ferret/stackdepot.h>
#include <ferret/string.h>

#include "owner_track.h"
#include "page_alloc.h"

struct prev_boot prev_boot;

static bool persist_on = true;
static struct persist_anchor *anchor;		/* this boot's, NULL when off */
static struct persist_meta *meta;
static u64 this_build_id;
static int sealing;
/* Record starts of the kept depot: a handle must name one. */
static unsigned long depot_starts[STACK_DEPOT_POOL_SIZE / 4 / (8 * sizeof(long))];

BUILD_BUG_ON(sizeof(struct persist_anchor) > PAGE_SIZE);
BUILD_BUG_ON(sizeof(((struct persist_meta *)0)->checkpoints) / 24 != PAGE_OWNER_CHECKPOINTS);
BUILD_BUG_ON(sizeof(((struct persist_meta *)0)->caches) / 32 != SLAB_MAX_CACHES);
BUILD_BUG_ON(sizeof(((struct persist_meta *)0)->tasks) / 20 != MAX_TASK_CTX);

static const char *const reason_names[NR_PERSIST_REASONS] = {
	[PERSIST_RUNNING] = "not sealed",
	[PERSIST_REBOOT] = "reboot",
	[PERSIST_CRASH] = "crash",
	[PERSIST_WATCHDOG] = "watchdog",
	[PERSIST_PANIC_RESET] = "panic=N's reset",
};

static const char *const area_names[NR_PERSIST_AREAS] = {
	[PA_META] = "meta", [PA_MEM_MAP] = "mem_map", [PA_PAGEBLOCK] = "pageblock_flags",
	[PA_PAGE_EXT] = "page_ext", [PA_DEPOT] = "depot", [PA_LOG] = "log", [PA_KSYMS] = "ksyms",
};

/* Reservation names of the previous boot's areas (memblock keeps the pointer). */
static const char *const prev_names[NR_PERSIST_AREAS] = {
	[PA_META] = "prev meta", [PA_MEM_MAP] = "prev mem_map",
	[PA_PAGEBLOCK] = "prev pageblocks", [PA_PAGE_EXT] = "prev page_ext",
	[PA_DEPOT] = "prev depot", [PA_LOG] = "prev log", [PA_KSYMS] = "prev ksyms",
};

const char *persist_reason_name(unsigned int reason)
{
	return reason < NR_PERSIST_REASONS ? reason_names[reason] : "unknown";
}

bool persist_enabled(void)
{
	return anchor != NULL;
}

static inline u64 rotl64(u64 x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

u64 persist_csum(const void *p, size_t len)
{
	const u8 *b = p;
	u64 h = 0x9e3779b97f4a7c15ULL ^ len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, b + i, 8);
		h = rotl64(h ^ w, 27) * 0x100000001b3ULL + 0x2545f4914f6cdd1dULL;
	}
	for (; i < len; i++)
		h = rotl64(h ^ b[i], 27) * 0x100000001b3ULL;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 29);
}

static u64 anchor_csum(const struct persist_anchor *a)
{
	return persist_csum(a, offsetof(struct persist_anchor, csum));
}

/* ---- the check ---- */

static bool refuse(struct prev_boot *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->why[0]) {
		va_start(ap, fmt);
		vsnprintf(p->why, sizeof(p->why), fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool area_in_ram(const struct persist_area *ar)
{
	phys_addr_t end = ar->phys + ar->size;

	if (end < ar->phys || ar->phys & (PAGE_SIZE - 1))
		return false;
	for (phys_addr_t a = ar->phys; a < end; a += PAGE_SIZE)
		if (!memblock_is_memory(a) || memblock_is_reserved(a))
			return false;
	return true;
}

static bool overlaps(const struct persist_area *x, const struct persist_area *y)
{
	return x->size && y->size && x->phys < y->phys + y->size && y->phys < x->phys + x->size;
}

static const void *area_va(const struct persist_anchor *a, int id)
{
	return a->area[id].size ? __va(a->area[id].phys) : NULL;
}

/* Every string in the snapshot must end inside its field. */
static bool str_ok(const char *s, size_t n)
{
	return strnlen(s, n) < n;
}

static bool check_meta(struct prev_boot *p, const struct persist_meta *m,
		       const struct persist_anchor *a)
{
	u64 cap;

	if (a->area[PA_META].size < sizeof(*m))
		return refuse(p, "meta area of %llu bytes is too small",
			      (unsigned long long)a->area[PA_META].size);
	if (m->magic != PERSIST_META_MAGIC || m->boot_count != a->boot_count)
		return refuse(p, "meta area belongs to another boot");
	cap = (a->area[PA_META].size - sizeof(*m)) / sizeof(struct persist_obj);
	if (m->objects_cap > cap || m->nr_objects > m->objects_cap)
		return refuse(p, "meta: %u objects in room for %llu", m->nr_objects,
			      (unsigned long long)cap);
	if (m->nr_actx > ARRAY_SIZE(m->actx) || m->nr_checkpoints > ARRAY_SIZE(m->checkpoints))
		return refuse(p, "meta: table counts out of range");
	for (unsigned int i = 0; i < ARRAY_SIZE(m->tasks); i++)
		if (!str_ok(m->tasks[i].comm, sizeof(m->tasks[i].comm)))
			return refuse(p, "meta: context %u has no name end", i);
	for (unsigned int i = 0; i < m->nr_checkpoints; i++)
		if (!str_ok(m->checkpoints[i].name, sizeof(m->checkpoints[i].name)))
			return refuse(p, "meta: checkpoint %u has no name end", i);
	for (unsigned int i = 0; i < ARRAY_SIZE(m->caches); i++)
		if (!str_ok(m->caches[i].name, sizeof(m->caches[i].name)))
			return refuse(p, "meta: cache %u has no name end", i);
	if (!m->page_owner_on)
		return true;
	if (m->page_ext_size != sizeof(struct page_owner) || !m->nr_pages ||
	    (u64)m->nr_pages > (1ULL << 32) ||
	    m->mem_map_entries < m->nr_pages ||
	    a->area[PA_MEM_MAP].size < m->mem_map_entries * a->page_size ||
	    a->area[PA_PAGE_EXT].size < m->nr_pages * m->page_ext_size ||
	    a->area[PA_PAGEBLOCK].size < m->nr_pageblocks ||
	    m->nr_pageblocks != m->nr_pages >> pageblock_order ||
	    m->pfn_base & (MAX_ORDER_NR_PAGES - 1))
		return refuse(p, "meta: page arrays do not match their areas");
	if (m->depot_words > a->area[PA_DEPOT].size / 4 || m->depot_used > m->depot_words ||
	    m->depot_words > STACK_DEPOT_POOL_SIZE / 4)
		return refuse(p, "meta: depot of %u/%u words does not match its area",
			      m->depot_used, m->depot_words);
	return true;
}

static bool kept_handle_ok(void *arg, u32 h)
{
	const struct prev_boot *p = arg;

	return h == STACK_DEPOT_HANDLE_FULL ||
	       (h < p->depot.used && (depot_starts[h / BITS_PER_LONG] >> (h % BITS_PER_LONG) & 1));
}

static bool check_objects(struct prev_boot *p, const struct persist_meta *m)
{
	for (u32 i = 0; i < m->nr_objects; i++) {
		const struct persist_obj *o = &m->objects[i];

		if (o->cache >= SLAB_MAX_CACHES || !m->caches[o->cache].used ||
		    !m->caches[o->cache].owners)
			return refuse(p, "object %u: cache %u unknown", i, o->cache);
		if (o->handle && !kept_handle_ok(p, o->handle))
			return refuse(p, "object %u: stack handle %#x invalid", i, o->handle);
		if (PHYS_PFN(o->addr) < m->pfn_base || PHYS_PFN(o->addr) - m->pfn_base >= m->nr_pages)
			return refuse(p, "object %u: address %#llx outside RAM", i,
				      (unsigned long long)o->addr);
		if (o->pid < -1 || o->pid >= MAX_TASK_CTX || o->size > PAGE_SIZE * 2)
			return refuse(p, "object %u: context or size out of range", i);
	}
	return true;
}

bool persist_check(struct prev_boot *p, const struct persist_anchor *a, u64 build_id)
{
	const struct persist_meta *m;
	char why[96];

	memset(p, 0, sizeof(*p));
	if (a->magic != PERSIST_MAGIC)
		return refuse(p, "no previous boot (cold boot: no anchor)");
	p->found = true;
	if (a->anchor_size != sizeof(*a) || anchor_csum(a) != a->csum)
		return refuse(p, "anchor checksum mismatch");
	if (a->layout != PERSIST_LAYOUT || a->page_size != sizeof(struct page))
		return refuse(p, "written with another layout (%u, struct page %u bytes)",
			      a->layout, a->page_size);
	p->anchor = *a;
	if (!str_ok(a->version, sizeof(a->version)))
		return refuse(p, "anchor version string has no end");
	if (!a->boot_count)
		return refuse(p, "boot counter is 0");
	if (a->reason == PERSIST_RUNNING || a->reason >= NR_PERSIST_REASONS)
		return refuse(p, "boot %llu was not sealed (it ended without a reset ferret saw)",
			      (unsigned long long)a->boot_count);
	for (int i = 0; i < NR_PERSIST_AREAS; i++) {
		if (!a->area[i].size)
			continue;
		if (!area_in_ram(&a->area[i]))
			return refuse(p, "area %s (%#llx, %llu bytes) is not free RAM", area_names[i],
				      (unsigned long long)a->area[i].phys,
				      (unsigned long long)a->area[i].size);
		for (int j = 0; j < i; j++)
			if (overlaps(&a->area[i], &a->area[j]))
				return refuse(p, "areas %s and %s overlap", area_names[j],
					      area_names[i]);
	}
	p->same_image = a->build_id == build_id;
	if (a->area[PA_LOG].size) {
		if (persist_csum(area_va(a, PA_LOG), a->area[PA_LOG].size) == a->area[PA_LOG].csum)
			p->log_ok = true;
		else
			refuse(p, "log checksum mismatch");
	}
	for (int i = 0; i < NR_PERSIST_AREAS; i++) {
		if (i == PA_LOG || !a->area[i].size)
			continue;
		if (persist_csum(area_va(a, i), a->area[i].size) != a->area[i].csum)
			return refuse(p, "%s checksum mismatch", area_names[i]);
	}
	if (!a->area[PA_META].size)
		return refuse(p, "no meta area");
	m = area_va(a, PA_META);
	if (!check_meta(p, m, a)) {
		p->log_ok = false;	/* its head is in the meta area */
		return false;
	}
	p->meta = m;
	if (m->log_size != a->area[PA_LOG].size || !m->log_size)
		p->log_ok = false;
	p->log = area_va(a, PA_LOG);
	if (!m->page_owner_on)
		return refuse(p, "page_owner was off: only the log is kept") || p->log_ok;
	p->mem_map = area_va(a, PA_MEM_MAP);
	p->pageblock_mt = area_va(a, PA_PAGEBLOCK);
	p->page_ext = area_va(a, PA_PAGE_EXT);
	stack_depot_init_kept(&p->depot, (u32 *)area_va(a, PA_DEPOT), m->depot_words,
			      m->depot_used, m->text_base);
	memset(depot_starts, 0, sizeof(depot_starts));
	if (stack_depot_check(&p->depot, m->text_size, depot_starts, why, sizeof(why)))
		return refuse(p, "depot: %s", why) || p->log_ok;
	if (page_owner_check_records(p->page_ext, m->nr_pages, kept_handle_ok, p, m->nr_actx, why,
				     sizeof(why)))
		return refuse(p, "page_owner: %s", why) || p->log_ok;
	if (m->objects_tracked && !check_objects(p, m))
		return p->log_ok;
	if (a->area[PA_KSYMS].size) {
		p->ksyms = area_va(a, PA_KSYMS);
		if (ksym_table_check(p->ksyms, a->area[PA_KSYMS].size) ||
		    p->ksyms->text_base != m->text_base) {
			p->ksyms = NULL;
			return refuse(p, "its symbol table is not whole") || p->log_ok;
		}
	}
	p->owners_ok = true;
	p->objects_ok = m->objects_tracked;
	return true;
}

/* ---- boot ---- */

static void reserve_kept(struct prev_boot *p)
{
	const struct persist_anchor *a = &p->anchor;

	for (int i = 0; i < NR_PERSIST_AREAS; i++) {
		bool keep = a->area[i].size && (i == PA_LOG ? p->log_ok : p->owners_ok ||
						(i == PA_META && p->log_ok));

		if (!keep)
			continue;
		memblock_reserve(a->area[i].phys, a->area[i].size, prev_names[i]);
		p->kept[i] = true;
		p->kept_bytes += a->area[i].size;
	}
	if (!p->log_ok)
		p->log = NULL;
}

void persist_early(const char *cmdline, phys_addr_t anchor_phys, u64 build_id,
		   const char *version)
{
	struct persist_anchor *a = __va(anchor_phys);
	const char *v;
	size_t n;
	u64 boots;

	anchor = NULL;
	meta = NULL;
	persist_on = true;
	if (cmdline && bootopt_find(cmdline, "persist", &v, &n))
		bootopt_parse_bool(v, n, &persist_on);
	if (!persist_on || !memblock_is_memory(anchor_phys) || memblock_is_reserved(anchor_phys)) {
		pr_info("persist: off: nothing is kept for the next boot\n");
		memset(&prev_boot, 0, sizeof(prev_boot));
		/* An older boot's anchor must not pass for the previous boot's later. */
		if (memblock_is_memory(anchor_phys) && !memblock_is_reserved(anchor_phys))
			a->magic = 0;
		return;
	}
	this_build_id = build_id;
	persist_check(&prev_boot, a, build_id);
	boots = prev_boot.found && prev_boot.anchor.boot_count &&
		(prev_boot.owners_ok || prev_boot.log_ok) ? prev_boot.anchor.boot_count + 1 : 1;
	memblock_reserve(anchor_phys, PAGE_SIZE, "persist anchor");
	reserve_kept(&prev_boot);
	if (prev_boot.owners_ok || prev_boot.log_ok)
		pr_info("persist: previous boot %llu (%s, ended by %s%s at %llu.%06llu s) kept%s%s: "
			"%llu KiB; `previous` for more\n",
			(unsigned long long)prev_boot.anchor.boot_count, prev_boot.anchor.version,
			persist_reason_name(prev_boot.anchor.reason),
			prev_boot.anchor.reset_after_panic ? ", reset by panic=" : "",
			(unsigned long long)prev_boot.anchor.seal_us / 1000000,
			(unsigned long long)prev_boot.anchor.seal_us % 1000000,
			prev_boot.owners_ok ? "" : " (log only)",
			prev_boot.same_image ? "" : ", written by another image",
			(unsigned long long)prev_boot.kept_bytes >> 10);
	if (prev_boot.why[0])
		pr_info("persist: %s%s\n", prev_boot.why,
			prev_boot.found && !prev_boot.owners_ok && !prev_boot.log_ok ?
			": previous boot dropped" : prev_boot.found && !prev_boot.owners_ok ?
			": its owner data dropped" : "");
	/* This boot's anchor, unsealed until a reset path seals it. */
	anchor = a;
	memset(a, 0, sizeof(*a));
	a->magic = PERSIST_MAGIC;
	a->layout = PERSIST_LAYOUT;
	a->anchor_size = sizeof(*a);
	a->boot_count = boots;
	a->page_size = sizeof(struct page);
	a->build_id = build_id;
	strlcpy(a->version, version, sizeof(a->version));
	a->csum = anchor_csum(a);
}

static void set_area(int id, const void *va, u64 size)
{
	anchor->area[id].phys = va ? __pa(va) : 0;
	anchor->area[id].size = va ? size : 0;
}

void persist_setup(void)
{
	size_t meta_bytes = sizeof(struct persist_meta);
	unsigned int cap = slab_owners_wanted() ? PERSIST_MAX_OBJECTS : 0;
	void *log;
	size_t log_size;

	if (!anchor)
		return;
	meta_bytes += (size_t)cap * sizeof(struct persist_obj);
	meta = memblock_alloc(meta_bytes, PAGE_SIZE, "persist meta");
	if (!meta) {
		pr_err("persist: no memory for the meta area: nothing is kept\n");
		anchor->magic = 0;
		anchor = NULL;
		return;
	}
	meta->objects_cap = cap;
	set_area(PA_META, meta, ALIGN(meta_bytes, PAGE_SIZE));
	log_size = printk_log_size();
	log = memblock_alloc(log_size, PAGE_SIZE, "persist log");
	if (log && !printk_log_relocate(log, log_size))
		set_area(PA_LOG, log, log_size);
	if (page_ext_base && kallsyms_export_size()) {
		void *syms = memblock_alloc(kallsyms_export_size(), PAGE_SIZE, "persist ksyms");

		if (syms && !kallsyms_export(syms, kallsyms_export_size()))
			set_area(PA_KSYMS, syms, kallsyms_export_size());
	}
	if (page_ext_base) {
		u32 *pool = memblock_alloc(STACK_DEPOT_POOL_SIZE, PAGE_SIZE, "stack depot");

		if (pool && !stack_depot_relocate(pool, STACK_DEPOT_POOL_SIZE)) {
			set_area(PA_DEPOT, pool, STACK_DEPOT_POOL_SIZE);
			set_area(PA_MEM_MAP, mem_map,
				 (max_mapnr + NR_LIST_SENTINELS) * sizeof(struct page));
			set_area(PA_PAGEBLOCK, normal_zone.pageblock_mt,
				 2 * (max_mapnr >> pageblock_order));
			set_area(PA_PAGE_EXT, page_ext_base, page_ext_total_bytes);
		} else {
			pr_err("persist: no memory for the stack depot: owner data is not kept\n");
		}
	}
	/* Areas are whole pages: the next boot reserves them page by page. */
	for (int i = 0; i < NR_PERSIST_AREAS; i++)
		anchor->area[i].size = ALIGN(anchor->area[i].size, PAGE_SIZE);
	anchor->csum = anchor_csum(anchor);
}

/* ---- the seal ---- */

static void snap_object(void *arg, const struct slab_owner_info *o)
{
	struct persist_obj *x;

	if (meta->nr_objects >= meta->objects_cap) {
		meta->objects_lost++;
		return;
	}
	x = &meta->objects[meta->nr_objects++];
	x->addr = __pa(o->object);
	x->ts_us = o->ts_us;
	x->handle = o->handle;
	x->size = (u32)o->size;
	x->pid = (s16)(o->pid >= -1 && o->pid < MAX_TASK_CTX ? o->pid : -1);
	x->cache = o->cache->id;
	x->pad = 0;
}

static void snapshot(void)
{
	struct persist_meta *m = meta;
	u32 used, words;
	unsigned long base;

	m->magic = PERSIST_META_MAGIC;
	m->boot_count = anchor->boot_count;
	m->page_owner_on = anchor->area[PA_PAGE_EXT].size && page_owner_inited;
	m->text_base = kallsyms_text_base();
	m->text_size = kallsyms_text_size();
	if (m->page_owner_on) {
		stack_depot_default_state(&used, &words, &base);
		m->depot_used = used;
		m->depot_words = words;
		m->text_base = base;
		m->pfn_base = mem_map_pfn_base;
		m->nr_pages = max_mapnr;
		m->mem_map_entries = max_mapnr + NR_LIST_SENTINELS;
		m->nr_pageblocks = max_mapnr >> pageblock_order;
		m->page_ext_size = (u32)page_ext_size;
		m->nr_actx = page_owner_nr_actx();
		for (u32 i = 0; i < m->nr_actx; i++) {
			gfp_t gfp;
			int pid;

			page_owner_actx(i, &gfp, &pid);
			m->actx[i].gfp = gfp;
			m->actx[i].pid = pid;
		}
	}
	for (int i = 0; i < MAX_TASK_CTX; i++) {
		const struct task_ctx *t = task_ctx_get(i);

		m->tasks[i].tgid = t ? t->tgid : -1;
		strlcpy(m->tasks[i].comm, t ? t->comm : "", sizeof(m->tasks[i].comm));
	}
	m->nr_checkpoints = 0;
	for (unsigned int i = 0; i < PAGE_OWNER_CHECKPOINTS; i++) {
		if (page_owner_checkpoint_get(i, m->checkpoints[i].name,
					      sizeof(m->checkpoints[i].name), &m->checkpoints[i].ts_us))
			break;
		m->nr_checkpoints++;
	}
	for (unsigned int i = 0; i < SLAB_MAX_CACHES; i++) {
		const char *name = slab_cache_name_by_id(i);

		m->caches[i].used = name != NULL;
		m->caches[i].owners = name && slab_page_has_owners(i << PAGE_SLAB_ID_SHIFT);
		strlcpy(m->caches[i].name, name ? name : "", sizeof(m->caches[i].name));
	}
	m->nr_objects = m->objects_lost = 0;
	m->objects_tracked = m->page_owner_on && slab_objects_tracked() && m->objects_cap;
	if (m->objects_tracked) {
		bool was = owner_lockless;

		owner_lockless = true;	/* the sealer may have interrupted a lock holder */
		slab_owner_for_each_live(snap_object, NULL);
		owner_lockless = was;
	}
	printk_log_state(&m->log_head, &m->log_size);
}

void persist_seal(enum persist_reason reason)
{
	if (!anchor || !meta || (reason == PERSIST_RUNNING && anchor->reason == PERSIST_RUNNING) ||
	    __atomic_exchange_n(&sealing, 1, __ATOMIC_ACQUIRE))
		return;
	snapshot();
	/* panic=N's reset after a crash: the crash (or hang) is what ended the boot. */
	if (reason == PERSIST_PANIC_RESET &&
	    (anchor->reason == PERSIST_CRASH || anchor->reason == PERSIST_WATCHDOG)) {
		anchor->reset_after_panic = 1;
	} else if (reason != PERSIST_RUNNING) {
		anchor->reason = reason;
		anchor->seal_us = now_us();	/* when it ended: the crash, not a later reset */
	}
	for (int i = 0; i < NR_PERSIST_AREAS; i++)
		anchor->area[i].csum = anchor->area[i].size ?
			persist_csum(__va(anchor->area[i].phys), anchor->area[i].size) : 0;
	anchor->csum = anchor_csum(anchor);
	__atomic_store_n(&sealing, 0, __ATOMIC_RELEASE);
}
