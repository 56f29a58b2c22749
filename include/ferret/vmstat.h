/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocator statistics in Linux's /proc formats: meminfo, buddyinfo,
 * pagetypeinfo, vmstat. Each *_show() first drains the per-cpu lists, so the
 * free pages buddyinfo lists sum to MemFree.
 */
#ifndef FERRET_VMSTAT_H
#define FERRET_VMSTAT_H

#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/mmzone.h>

struct seq_file;

/*
 * Event counters (struct vm_event_state, mmzone.h): they live in the zone,
 * next to the state they count, and change under the zone lock.
 */
#define vm_events (normal_zone.events)

/**
 * meminfo_show() - /proc/meminfo: "%-16s%8lu kB" lines, Linux's fields in
 * Linux's order. MemTotal is the managed pages (RAM minus what was reserved
 * at boot: image, DTB, mem_map, page_ext, ...), as Linux's totalram_pages();
 * MemFree the buddy free pages (per-cpu lists drained first); MemAvailable
 * equals MemFree (no caches, no watermark reserve); fields for features
 * ferret lacks (swap, page cache, slab, vmalloc) print 0.
 * Context: process.
 */
void meminfo_show(struct seq_file *m);

/* buddyinfo_show() - "Node 0, zone   Normal " then "%6lu " per order. */
void buddyinfo_show(struct seq_file *m);

/*
 * pagetypeinfo_show() - /proc/pagetypeinfo up to and including the "Number
 * of blocks type" table (page_owner appends "Number of mixed blocks").
 */
void pagetypeinfo_show(struct seq_file *m);

/* vmstat_show() - "name value" lines: free pages and the counters above. */
void vmstat_show(struct seq_file *m);

/*
 * show_free_areas() - the zone line of Linux's show_mem(), printed after an
 * allocation failure: "Node 0 Normal: 3*4kB (UM) 1*8kB (M) ... = 20kB".
 */
void show_free_areas(void);

#endif
