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
 * Event counters (struct vm_event_state, mmzone.h): each core counts its
 * own, next to its per-cpu lists, with its interrupts masked; vm_events is
 * their sum over every core (exact while no core allocates or frees).
 */
struct vm_event_state vm_events_sum(void);
#define vm_events (vm_events_sum())

/* Zone lock statistics (acquisitions, contended ones, spins) and their reset. */
struct spin_stats zone_lock_stats(void);
void zone_lock_stats_reset(void);

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

/*
 * vmstat_show() - "name value" lines: free pages and the counters above,
 * summed over every core.
 */
void vmstat_show(struct seq_file *m);

/*
 * zone_lock_stats_show() - `vmstat locks`: zone_lock_acquired,
 * zone_lock_contended and zone_lock_spins lines, read without taking the
 * lock (so that reading does not count).
 */
void zone_lock_stats_show(struct seq_file *m);

/*
 * show_free_areas() - the zone line of Linux's show_mem(), printed after an
 * allocation failure: "Node 0 Normal: 3*4kB (UM) 1*8kB (M) ... = 20kB".
 */
void show_free_areas(void);

#endif
