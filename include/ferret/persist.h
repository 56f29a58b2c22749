/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Owner data that survives a warm reset (docs/PERSIST.md).
 *
 * A warm reset (PSCI SYSTEM_RESET, the Pi's watchdog, `reboot`, the reset
 * after a crash with panic=N) keeps RAM. The structures the owner dumps read
 * already live in memblock memory outside the image (mem_map, pageblock
 * types, page_ext, the stack depot's pool, the kernel log); an anchor page at
 * the top of RAM lists where they are. When the kernel resets on purpose it
 * seals them: a snapshot of the small tables that live in the image (gfp and
 * context pairs, context names, checkpoints, cache names, the live objects'
 * owners) goes into a kept "meta" area, and every area gets a checksum. The
 * next boot reserves what the anchor names before memblock hands out any
 * memory, checks it (magic, layout, boot counter, checksums, then every
 * record), keeps what passes read-only and reports and drops the rest.
 *
 * Nothing is added to the allocation paths: the records are written where
 * they always are; only sealing and checking do work.
 */
#ifndef FERRET_PERSIST_H
#define FERRET_PERSIST_H

#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/stackdepot.h>

struct seq_file;
struct page;
struct po_block;
struct slab_owner_info;

#define PERSIST_MAGIC		0x7065656b74727266ULL	/* "frrtkeep" */
#define PERSIST_META_MAGIC	0x6174656d74727266ULL	/* "frrtmeta" */
/* Bump whenever a kept structure changes shape (struct page, records, depot, meta). */
#define PERSIST_LAYOUT		2

/* How a boot ended, as its seal says. */
enum persist_reason {
	PERSIST_RUNNING,	/* not sealed: the boot ended in a way ferret did not see */
	PERSIST_REBOOT,		/* `reboot` */
	PERSIST_CRASH,		/* a crash report (exception or panic) */
	PERSIST_WATCHDOG,	/* the watchdog found the kernel hung */
	PERSIST_PANIC_RESET,	/* panic=N: reset after a crash */
	NR_PERSIST_REASONS
};

enum persist_area_id {
	PA_META,		/* the seal's snapshot (struct persist_meta + objects) */
	PA_MEM_MAP,
	PA_PAGEBLOCK,		/* pageblock types */
	PA_PAGE_EXT,		/* page_owner records */
	PA_DEPOT,		/* the stack depot's pool */
	PA_LOG,			/* the kernel log ring */
	PA_KSYMS,		/* the symbol table (struct ksym_table) */
	NR_PERSIST_AREAS
};

struct persist_area {
	u64 phys;
	u64 size;		/* bytes; 0: not kept */
	u64 csum;		/* persist_csum() at the seal */
};

/* The anchor: one page at a fixed place (the kernel's: the top page of RAM). */
struct persist_anchor {
	u64 magic;
	u32 layout;
	u32 anchor_size;	/* sizeof(struct persist_anchor) */
	u64 boot_count;		/* 1 on a cold boot, then one more per warm boot */
	u32 reason;		/* enum persist_reason; PERSIST_RUNNING until sealed */
	u32 page_size;		/* sizeof(struct page) */
	u32 reset_after_panic;	/* a crash or the watchdog, then panic=N's reset */
	u32 pad;
	u64 seal_us;		/* uptime at the seal */
	u64 build_id;		/* persist_csum() of the kernel text */
	char version[48];	/* ferret_version */
	struct persist_area area[NR_PERSIST_AREAS];
	u64 csum;		/* persist_csum() of everything above */
};

#define PERSIST_MAX_OBJECTS	16384	/* live objects a seal keeps (slab_owner=on) */
#define PERSIST_CACHE_NAME	24

/* A live object at the seal. */
struct persist_obj {
	u64 addr;
	u64 ts_us;
	u32 handle;
	u32 size;		/* bytes asked for */
	s16 pid;
	u16 cache;		/* cache id */
	u32 pad;
};

/* The snapshot the seal writes into the meta area. */
struct persist_meta {
	u64 magic;
	u64 boot_count;		/* the anchor's: a meta area of another boot is refused */
	u64 text_base;		/* what the depot's compact frames are offsets from */
	u64 text_size;
	u64 pfn_base;		/* mem_map_pfn_base */
	u64 nr_pages;		/* max_mapnr */
	u64 mem_map_entries;	/* with the list sentinels */
	u64 nr_pageblocks;
	u32 page_ext_size;	/* bytes per page_ext entry (16 with page_owner) */
	u32 depot_used;		/* words of the depot pool in use */
	u32 depot_words;
	u32 nr_actx;
	u32 nr_checkpoints;
	u32 nr_objects;
	u32 objects_lost;	/* live objects that did not fit */
	u32 objects_cap;
	u8 page_owner_on;
	u8 objects_tracked;
	u8 pad[6];
	u64 log_head;		/* bytes ever written to the log */
	u64 log_size;
	struct { u32 gfp; s32 pid; } actx[255];
	struct { s32 tgid; char comm[16]; } tasks[64];
	struct { char name[16]; u64 ts_us; } checkpoints[16];
	struct { char name[PERSIST_CACHE_NAME]; u8 used, owners, pad[6]; } caches[128];
	struct persist_obj objects[];	/* objects_cap entries */
};

/* The previous boot as this boot found it (all pointers read-only). */
struct prev_boot {
	bool found;		/* an anchor with the magic */
	bool owners_ok;		/* page records, depot and meta passed every check */
	bool log_ok;
	bool objects_ok;	/* objects were tracked and their snapshot passed */
	bool same_image;	/* written by this very kernel text */
	const struct ksym_table *ksyms;	/* its symbol table, or NULL */
	bool cleared;		/* `previous clear` */
	char why[160];		/* the first reason something was refused */
	struct persist_anchor anchor;	/* a copy */
	const struct persist_meta *meta;
	const struct page *mem_map;
	const u8 *pageblock_mt;
	const u8 *page_ext;
	const char *log;
	struct stack_depot depot;	/* over the kept pool, read-only */
	u64 kept_bytes;		/* memory reserved for it */
	bool kept[NR_PERSIST_AREAS];	/* which areas are reserved for it */
};

extern struct prev_boot prev_boot;

/* A 64-bit checksum over @len bytes (word at a time; any length). */
u64 persist_csum(const void *p, size_t len);

/**
 * persist_early() - look at the anchor, keep a valid previous boot.
 * @cmdline: "persist=off" turns keeping off (nothing reserved, nothing found).
 * @anchor_phys: the anchor page (page aligned, in RAM).
 * @build_id, @version: this kernel's (to say whether the image changed).
 *
 * Checks everything (docs/PERSIST.md) and reserves, in memblock, the anchor
 * page and the previous boot's areas that passed ("prev <area>"), so nothing
 * this boot allocates lands on them. Prints one line of what it found.
 * Context: boot, after memblock has RAM and the image's reservations, before
 * the first memblock allocation; the RAM must be mapped.
 */
void persist_early(const char *cmdline, phys_addr_t anchor_phys, u64 build_id,
		   const char *version);

/*
 * persist_setup() - this boot's areas: the meta area, the depot pool and the
 * log ring from memblock (the depot and log move there), mem_map, pageblock
 * types and page_ext as they are; writes the anchor (not sealed).
 * Context: boot, from mm_init() before memblock_free_all(); nothing when off.
 */
void persist_setup(void);

/*
 * persist_seal() - snapshot and checksum this boot's areas so the next boot
 * can trust them. Lock-free reads (the caller may have interrupted a lock
 * holder); safe to call again (a later seal replaces an earlier one).
 * PERSIST_RUNNING as @reason seals again keeping the reason (the panic
 * console does before each prompt, so that what it printed is kept too); on
 * a boot not sealed yet it does nothing.
 * Context: any; the reset paths, the crash report, the watchdog.
 */
void persist_seal(enum persist_reason reason);

bool persist_enabled(void);
const char *persist_reason_name(unsigned int reason);

/*
 * The check itself, on a given anchor (host tests drive it directly):
 * fills @p and returns true if anything is kept. persist_early() calls it.
 */
bool persist_check(struct prev_boot *p, const struct persist_anchor *a, u64 build_id);

/* ---- readers of the previous boot (mm/prev_boot.c) ---- */

/* `previous`: what was found, when and how it ended, what is kept. */
void prev_boot_show(struct seq_file *m);
/*
 * `previous clear`: forget it and give its memory to the page allocator
 * (once the buddy allocator runs). Return: the bytes given back.
 */
unsigned long prev_boot_clear(void);
/* Print @handle's stack of the previous boot, " sym+0x../0x..\n" per frame. */
void prev_boot_print_stack(struct seq_file *m, u32 handle);
/* `dmesg --previous`. Return: 0, or -1 (said why) if there is none. */
int prev_boot_dmesg(struct seq_file *m);
/* `page_owner --previous`. Return: blocks printed, or -1 (said why). */
long prev_boot_page_owner(struct seq_file *m);
/* Blocks and objects of the previous boot, as the live walks give them. */
void prev_boot_for_each_block(void (*fn)(void *arg, const struct po_block *b), void *arg);
unsigned long prev_boot_for_each_object(void (*fn)(void *arg, const struct slab_owner_info *o),
					void *arg);
/* The previous boot as a source of leak reports and profiles (mm/leaks.c). */
extern const struct owner_source owner_source_prev;
/* Say why there is no previous boot to show (and return false) or return true. */
bool prev_boot_usable(struct seq_file *m);

#endif
