/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Object owners (mm/slab_owner.c): for every object of a tracked cache
 * (slab_owner=on, slab_debug=U, or any debug cache), who allocated it, when
 * and how many bytes were asked for, and who freed it last.
 */
#ifndef FERRET_SLAB_OWNER_H
#define FERRET_SLAB_OWNER_H

#include <ferret/types.h>
#include <ferret/slab.h>

struct seq_file;

struct slab_owner_info {
	struct kmem_cache *cache;
	void *object;		/* the object's start */
	u32 handle;		/* allocation stack (0: none recorded) */
	u32 free_handle;	/* last free stack (0: never freed) */
	int pid, free_pid;
	unsigned int cpu, free_cpu;	/* the cores that allocated and last freed it */
	bool live;
	unsigned int waste;	/* object size - bytes asked for */
	size_t size;		/* bytes asked for (live objects) */
	u64 ts_us;		/* allocation time */
	u64 free_ts_us;		/* last free time (0: never freed) */
};

/* True once slab_owner=on asked for object owners in every cache. */
extern bool slab_owner_on;

/*
 * slab_owners_wanted() - does the command line ask for owners of some
 * objects (slab_owner=on, or slab_debug= with any flag, for any cache)?
 * page_owner is then turned on too, so slab pages and large kmallocs have
 * owners. Valid after slab_param().
 */
bool slab_owners_wanted(void);

/* Are the kmalloc caches' objects tracked (leak reports count objects)? */
bool slab_objects_tracked(void);

/* Does the slab page with @page_flags belong to a cache with owners? */
bool slab_page_has_owners(u32 page_flags);

/**
 * slab_owner_get() - the owner record of the object holding @x.
 * Return: 0, or -1 if @x is not in a tracked cache's object.
 * Context: any (racy against a concurrent allocation of the same object).
 */
int slab_owner_get(const void *x, struct slab_owner_info *o);

/* Does cache @s keep object owners (slab_owner=on, slab_debug=U, a debug cache)? */
bool slab_cache_tracked(const struct kmem_cache *s);

/**
 * slab_owner_traces() - Linux's debugfs alloc_traces (@alloc) or
 * free_traces of cache @s: live objects grouped by allocation (or last
 * free) stack and waste, most objects first.
 * Context: process (takes the cache's lock one slab at a time).
 * Return: locations printed, or -1 if @s is not tracked or Ctrl-C stopped it.
 */
long slab_owner_traces(struct seq_file *m, struct kmem_cache *s, bool alloc);

/*
 * slab_owner_for_each_live() - call @fn for every live object of every
 * tracked cache, with that cache's lock held (@fn must not allocate).
 * Return: the number of objects.
 */
unsigned long slab_owner_for_each_live(void (*fn)(void *arg, const struct slab_owner_info *o),
				       void *arg);

#endif
