// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics in Linux's /proc layouts (fs/proc/meminfo.c, mm/vmstat.c):
 * meminfo, buddyinfo, pagetypeinfo, vmstat, and show_free_areas() for
 * allocation failures. Each show drains the per-cpu lists first and reads
 * the counters under the zone lock, so the numbers printed are one
 * consistent snapshot and buddyinfo sums to MemFree.
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/mm.h>
#include <ferret/vmstat.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/slab.h>
#include <ferret/string.h>

#include "page_alloc.h"

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

/* A consistent copy of the zone's counters. */
struct zone_snapshot {
	unsigned long managed, free, pcp;
	unsigned long nr_free[NR_PAGE_ORDERS][MIGRATE_TYPES];
	unsigned long blocks[MIGRATE_TYPES];
};

static void zone_snapshot(struct zone_snapshot *s, bool drain, bool blocks)
{
	struct zone *z = &normal_zone;
	unsigned long flags;

	memset(s, 0, sizeof(*s));
	if (!mem_map)
		return;
	if (drain)
		drain_all_pages();
	spin_lock_irqsave(&z->lock, flags);
	s->managed = z->managed_pages;
	/* Isolated free pages are not free memory (Linux's NR_FREE_PAGES). */
	s->free = z->nr_free_pages - zone_isolated_free_pages(z);
	s->pcp = pcp_count(z);	/* other cores' lists: as they are at this moment */
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			s->nr_free[o][mt] = z->free_area[o].nr_free[mt];
	if (blocks) {
		/* Pageblocks that hold RAM pages, as Linux walks the zone span. */
		unsigned long first = (min_low_pfn - mem_map_pfn_base) >> pageblock_order;
		unsigned long last = (max_pfn - 1 - mem_map_pfn_base) >> pageblock_order;

		for (unsigned long b = first; b <= last; b++)
			if (z->pageblock_mt[b] < MIGRATE_TYPES)
				s->blocks[z->pageblock_mt[b]]++;
	}
	spin_unlock_irqrestore(&z->lock, flags);
}

static void show_val_kb(struct seq_file *m, const char *name, unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", name, K(pages));
}

void meminfo_show(struct seq_file *m)
{
	static const char * const zero_fields[] = {
		"Buffers:", "Cached:", "SwapCached:", "Active:", "Inactive:",
		"Active(anon):", "Inactive(anon):", "Active(file):", "Inactive(file):",
		"Unevictable:", "Mlocked:", "SwapTotal:", "SwapFree:", "Dirty:",
		"Writeback:", "AnonPages:", "Mapped:", "Shmem:", "KReclaimable:",
	};
	static const char * const zero_fields2[] = {
		"KernelStack:", "PageTables:",
		"SecPageTables:", "NFS_Unstable:", "Bounce:", "WritebackTmp:",
	};
	struct zone_snapshot s;
	unsigned long free;

	zone_snapshot(&s, true, false);
	free = s.free + s.pcp;	/* pcp is 0 after the drain, unless refilled since */
	show_val_kb(m, "MemTotal:", s.managed);
	show_val_kb(m, "MemFree:", free);
	show_val_kb(m, "MemAvailable:", free);
	unsigned long slab = slab_total_bytes() >> PAGE_SHIFT;

	for (size_t i = 0; i < ARRAY_SIZE(zero_fields); i++)
		show_val_kb(m, zero_fields[i], 0);
	/* Slab pages: nothing of ferret's is reclaimable. */
	show_val_kb(m, "Slab:", slab);
	show_val_kb(m, "SReclaimable:", 0);
	show_val_kb(m, "SUnreclaim:", slab);
	for (size_t i = 0; i < ARRAY_SIZE(zero_fields2); i++)
		show_val_kb(m, zero_fields2[i], 0);
	/* Linux: overcommit_ratio (50%) of RAM, plus swap (none). */
	show_val_kb(m, "CommitLimit:", s.managed / 2);
	show_val_kb(m, "Committed_AS:", 0);
	show_val_kb(m, "VmallocTotal:", 0);
	show_val_kb(m, "VmallocUsed:", 0);
	show_val_kb(m, "VmallocChunk:", 0);
	show_val_kb(m, "Percpu:", 0);
}

void buddyinfo_show(struct seq_file *m)
{
	struct zone_snapshot s;

	zone_snapshot(&s, true, false);
	seq_printf(m, "Node %d, zone %8s ", 0, normal_zone.name);
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long n = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			n += s.nr_free[o][mt];
		seq_printf(m, "%6lu ", n);
	}
	seq_putc(m, '\n');
}

void pagetypeinfo_show(struct seq_file *m)
{
	struct zone_snapshot s;

	zone_snapshot(&s, true, true);
	seq_printf(m, "Page block order: %d\n", pageblock_order);
	seq_printf(m, "Pages per block:  %lu\n", pageblock_nr_pages);
	seq_putc(m, '\n');

	seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		seq_printf(m, "%6d ", o);
	seq_putc(m, '\n');
	for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
		seq_printf(m, "Node %4d, zone %8s, type %12s ", 0, normal_zone.name,
			   migratetype_names[mt]);
		for (int o = 0; o < NR_PAGE_ORDERS; o++) {
			/* Linux stops counting a list at 100000 and prints ">100000". */
			unsigned long n = s.nr_free[o][mt];
			bool overflow = n >= 100000;

			seq_printf(m, "%s%6lu ", overflow ? ">" : "", overflow ? 100000UL : n);
		}
		seq_putc(m, '\n');
	}

	seq_printf(m, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(m, "%12s ", migratetype_names[mt]);
	seq_putc(m, '\n');
	seq_printf(m, "Node %d, zone %8s ", 0, normal_zone.name);
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(m, "%12lu ", s.blocks[mt]);
	seq_putc(m, '\n');
}

struct vm_event_state vm_events_sum(void)
{
	struct vm_event_state sum = { 0 };
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		const unsigned long *ev = (const unsigned long *)&normal_zone.per_cpu_pageset[cpu].events;
		unsigned long *to = (unsigned long *)&sum;

		for (size_t i = 0; i < sizeof(sum) / sizeof(long); i++)
			to[i] += READ_ONCE(ev[i]);
	}
	return sum;
}

struct spin_stats zone_lock_stats(void)
{
	return spin_stats_read(&normal_zone.lock);
}

void zone_lock_stats_reset(void)
{
	spin_stats_reset(&normal_zone.lock);
}

void zone_lock_stats_show(struct seq_file *m)
{
	struct spin_stats lk = zone_lock_stats();

	seq_printf(m, "zone_lock_acquired %lu\n", lk.acquired);
	seq_printf(m, "zone_lock_contended %lu\n", lk.contended);
	seq_printf(m, "zone_lock_spins %lu\n", lk.spins);
}

void vmstat_show(struct seq_file *m)
{
	struct vm_event_state ev = vm_events;
	struct zone_snapshot s;
	unsigned long alloc = 0, freed = 0, fail = 0;

	zone_snapshot(&s, false, false);
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		alloc += ev.pgalloc[o] << o;
		freed += ev.pgfree[o] << o;
		fail += ev.pgalloc_fail[o];
	}
	seq_printf(m, "nr_free_pages %lu\n", s.free);
	seq_printf(m, "nr_free_pcp %lu\n", s.pcp);
	seq_printf(m, "nr_managed_pages %lu\n", s.managed);
	seq_printf(m, "pgalloc_normal %lu\n", alloc);
	seq_printf(m, "pgfree %lu\n", freed);
	seq_printf(m, "pgalloc_fail %lu\n", fail);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		seq_printf(m, "pgalloc_order%d %lu\n", o, ev.pgalloc[o]);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		seq_printf(m, "pgfree_order%d %lu\n", o, ev.pgfree[o]);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		seq_printf(m, "pgalloc_fail_order%d %lu\n", o, ev.pgalloc_fail[o]);
	seq_printf(m, "pgalloc_fallback %lu\n", ev.pgalloc_fallback);
	seq_printf(m, "pgalloc_claim %lu\n", ev.pgalloc_claim);
	seq_printf(m, "pcp_refill %lu\n", ev.pcp_refill);
	seq_printf(m, "pcp_spill %lu\n", ev.pcp_spill);
	seq_printf(m, "pcp_drain %lu\n", ev.pcp_drain);
	seq_printf(m, "bad_page %lu\n", ev.bad_page);
}

void show_free_areas(void)
{
	static const char type_letters[MIGRATE_TYPES] = { 'U', 'M', 'E', 'H' };
	struct zone_snapshot s;
	char line[640];
	size_t len;
	unsigned long total = 0;

	zone_snapshot(&s, false, false);
	len = (size_t)snprintf(line, sizeof(line), "Node 0 %s: ", normal_zone.name);
	for (int o = 0; o < NR_PAGE_ORDERS && len < sizeof(line); o++) {
		unsigned long n = 0;
		char types[MIGRATE_TYPES + 1];
		int nt = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			n += s.nr_free[o][mt];
			if (s.nr_free[o][mt])
				types[nt++] = type_letters[mt];
		}
		types[nt] = '\0';
		total += n << o;
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%lu*%lukB ", n,
					K(1UL) << o);
		if (nt && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len, "(%s) ", types);
	}
	if (len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, "= %lukB\n", K(total));
	printk("%s", line);
	if (s.pcp)
		printk("Node 0 %s per-cpu lists: %lukB\n", normal_zone.name, K(s.pcp));
}
