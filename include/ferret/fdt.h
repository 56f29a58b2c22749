/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read-only flattened device tree (DTB) parser, after the Devicetree
 * Specification v0.4 (versions 16 and 17 of the blob format).
 *
 * Call fdt_check() once on a blob you did not build yourself: it validates
 * the header, every block and every token, and rejects anything malformed,
 * truncated or hostile without reading outside @max_size bytes. Every other
 * function bounds-checks what it touches against the blocks the header
 * declares, so on a checked blob none reads outside it.
 *
 * Nodes and properties are named by offsets into the structure block (an
 * offset is that of the node's FDT_BEGIN_NODE or the property's FDT_PROP
 * token). Functions that return an offset or a count return a negative
 * -FDT_ERR_* code on failure. Property values are big-endian: read them with
 * fdt32_ld() / fdt64_ld() / fdt_read_cells(), which need no alignment.
 */
#ifndef FERRET_FDT_H
#define FERRET_FDT_H

#include <ferret/types.h>

#define FDT_MAGIC		0xd00dfeed
#define FDT_V16_HDR_SIZE	36
#define FDT_V17_HDR_SIZE	40
#define FDT_MAX_DEPTH		64	/* deeper trees are rejected */

/* Structure block tokens. */
#define FDT_BEGIN_NODE		0x1
#define FDT_END_NODE		0x2
#define FDT_PROP		0x3
#define FDT_NOP			0x4
#define FDT_END			0x9

/* Errors, returned negated. */
#define FDT_ERR_NOTFOUND	1	/* no such node, property or entry */
#define FDT_ERR_BADMAGIC	2	/* not a device tree */
#define FDT_ERR_BADVERSION	3	/* version < 16 or last_comp_version > 17 */
#define FDT_ERR_TRUNCATED	4	/* something runs past the blob or its block */
#define FDT_ERR_BADLAYOUT	5	/* header offsets, sizes or alignment wrong */
#define FDT_ERR_BADSTRUCTURE	6	/* bad token sequence in the structure block */
#define FDT_ERR_BADSTRINGS	7	/* property name outside the strings block */
#define FDT_ERR_BADOFFSET	8	/* offset is not a node (or property) */
#define FDT_ERR_BADPATH		9	/* malformed path or unknown alias */
#define FDT_ERR_BADNCELLS	10	/* bad #address-cells / #size-cells */
#define FDT_ERR_BADVALUE	11	/* property has the wrong size or form */
#define FDT_ERR_TOODEEP		12	/* nesting deeper than FDT_MAX_DEPTH */

/* PSCI conduit, from the "method" property of /psci. */
#define FDT_PSCI_NONE		0
#define FDT_PSCI_HVC		1
#define FDT_PSCI_SMC		2

/* A core under /cpus: its MPIDR affinity (reg) and how it is started. */
#define FDT_CPU_METHOD_NONE	0	/* no (known) enable-method */
#define FDT_CPU_METHOD_PSCI	1
#define FDT_CPU_METHOD_SPIN	2	/* "spin-table", with cpu-release-addr */
#define FDT_CPU_METHOD_MAILBOX	3	/* "brcm,bcm2836-smp", or a board's: BCM2836 mailbox 3 */

struct fdt_cpu {
	u64 hwid;
	u64 release_addr;	/* spin-table, mailbox: where to write the entry address (0: the arch's) */
	int method;		/* FDT_CPU_METHOD_* */
	bool disabled;		/* status other than "okay" */
};

struct fdt_mem_range {
	u64 base;
	u64 size;
	u32 flags;		/* FDT_MEM_* */
};
#define FDT_MEM_NOMAP		0x1	/* /reserved-memory child with no-map */

static inline u32 fdt32_ld(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline u64 fdt64_ld(const void *p)
{
	return (u64)fdt32_ld(p) << 32 | fdt32_ld((const u8 *)p + 4);
}

/* A value of @cells (0, 1 or 2) big-endian 32-bit cells. */
static inline u64 fdt_read_cells(const void *p, int cells)
{
	return cells == 2 ? fdt64_ld(p) : cells == 1 ? fdt32_ld(p) : 0;
}

int fdt_check(const void *blob, size_t max_size);
const char *fdt_strerror(int err);

/* Header fields (no checking: use on a blob that passed fdt_check()). */
size_t fdt_totalsize(const void *blob);
u32 fdt_version(const void *blob);
u32 fdt_boot_cpuid_phys(const void *blob);

/* Memory reservation block. */
int fdt_num_mem_rsv(const void *blob);
int fdt_get_mem_rsv(const void *blob, int index, u64 *base, u64 *size);

/* Tree navigation. */
int fdt_root(const void *blob);
int fdt_next_node(const void *blob, int node, int *depth);
int fdt_first_subnode(const void *blob, int node);
int fdt_next_subnode(const void *blob, int node);
int fdt_subnode_offset(const void *blob, int parent, const char *name);
int fdt_parent_offset(const void *blob, int node);
int fdt_path_offset(const void *blob, const char *path);
const char *fdt_node_name(const void *blob, int node, int *lenp);

/* Properties. */
const void *fdt_getprop(const void *blob, int node, const char *name, int *lenp);
const char *fdt_getprop_string(const void *blob, int node, const char *name);
int fdt_getprop_u32(const void *blob, int node, const char *name, u32 *val);
int fdt_first_property(const void *blob, int node);
int fdt_next_property(const void *blob, int prop);
const void *fdt_property_by_offset(const void *blob, int prop, const char **name, int *lenp);
bool fdt_stringlist_contains(const char *list, int len, const char *str);
bool fdt_node_is_compatible(const void *blob, int node, const char *compat);
int fdt_node_offset_by_compatible(const void *blob, int start, const char *compat);
bool fdt_node_is_available(const void *blob, int node);
int fdt_node_offset_by_phandle(const void *blob, u32 phandle);

/* Addresses. */
int fdt_address_cells(const void *blob, int node);
int fdt_size_cells(const void *blob, int node);
int fdt_get_reg(const void *blob, int node, int index, u64 *base, u64 *size);

/* What ferret's boot needs. */
int fdt_get_memory(const void *blob, struct fdt_mem_range *out, int max);
int fdt_get_reserved_memory(const void *blob, struct fdt_mem_range *out, int max);
const char *fdt_get_bootargs(const void *blob);
int fdt_get_psci_method(const void *blob);
/*
 * fdt_get_cpus - the cores under /cpus (device_type "cpu"), in the tree's
 * order, into @out (at most @max). Return: how many the tree has (more than
 * @max when it has more), or a negative FDT_ERR_* (no /cpus: -FDT_ERR_NOTFOUND).
 */
int fdt_get_cpus(const void *blob, struct fdt_cpu *out, int max);

#endif
