// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only flattened device tree parser (see include/ferret/fdt.h).
 *
 * Layout of a blob (all fields big-endian):
 *
 *   header            magic, totalsize, block offsets and sizes, versions
 *   memory reservation map   (u64 address, u64 size) pairs, ending in (0, 0)
 *   structure block   32-bit tokens: BEGIN_NODE name\0 (padded to 4),
 *                     PROP len nameoff value (padded to 4), END_NODE, NOP, END
 *   strings block     NUL-terminated property names
 *
 * Every token read goes through fdt_tag(), which bounds-checks the token, a
 * node's name and a property's value against the structure block and a
 * property's name against the strings block. fdt_check() additionally
 * checks the header against the caller's buffer size and the token grammar.
 */
#include <ferret/compiler.h>	/* first: glibc (host) defines __always_inline too */
#include <ferret/types.h>
#include <ferret/fdt.h>
#include <ferret/string.h>

#define FDT_INT_MAX	0x7fffffffU
#define FDT_MAX_NCELLS	4

/* Header field offsets. */
#define HDR_MAGIC		0
#define HDR_TOTALSIZE		4
#define HDR_OFF_DT_STRUCT	8
#define HDR_OFF_DT_STRINGS	12
#define HDR_OFF_MEM_RSVMAP	16
#define HDR_VERSION		20
#define HDR_LAST_COMP_VERSION	24
#define HDR_BOOT_CPUID_PHYS	28
#define HDR_SIZE_DT_STRINGS	32
#define HDR_SIZE_DT_STRUCT	36	/* version 17 and later */

/* The blocks of a blob, as its header declares them. */
struct fdt_blk {
	const u8 *blob;
	u32 total;
	u32 rsv_off;
	const u8 *st;		/* structure block */
	u32 st_off, st_size;
	const char *str;	/* strings block */
	u32 str_off, str_size;
};

static u32 hdr(const void *blob, unsigned int field)
{
	return fdt32_ld((const u8 *)blob + field);
}

/*
 * Read the header and check that every block lies inside totalsize.
 * Reads only the header, whose bytes the caller vouches for.
 */
static int fdt_blocks(const void *blob, struct fdt_blk *b)
{
	u32 version, hs;

	if (!blob)
		return -FDT_ERR_BADOFFSET;
	if (hdr(blob, HDR_MAGIC) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	version = hdr(blob, HDR_VERSION);
	if (version < 16 || hdr(blob, HDR_LAST_COMP_VERSION) > 17)
		return -FDT_ERR_BADVERSION;
	hs = version >= 17 ? FDT_V17_HDR_SIZE : FDT_V16_HDR_SIZE;

	b->blob = blob;
	b->total = hdr(blob, HDR_TOTALSIZE);
	if (b->total < hs || b->total > FDT_INT_MAX)
		return -FDT_ERR_BADLAYOUT;

	b->str_off = hdr(blob, HDR_OFF_DT_STRINGS);
	b->str_size = hdr(blob, HDR_SIZE_DT_STRINGS);
	if (b->str_off < hs || b->str_off > b->total)
		return -FDT_ERR_BADLAYOUT;
	if (b->str_size > b->total - b->str_off)
		return -FDT_ERR_TRUNCATED;
	b->str = (const char *)b->blob + b->str_off;

	b->st_off = hdr(blob, HDR_OFF_DT_STRUCT);
	if (b->st_off < hs || b->st_off > b->total || (b->st_off & 3))
		return -FDT_ERR_BADLAYOUT;
	if (version >= 17) {
		b->st_size = hdr(blob, HDR_SIZE_DT_STRUCT);
		if (b->st_size > b->total - b->st_off)
			return -FDT_ERR_TRUNCATED;
	} else {
		/* No size in a v16 header: up to the strings block, or the end. */
		b->st_size = (b->str_off > b->st_off ? b->str_off : b->total) - b->st_off;
	}
	b->st = b->blob + b->st_off;

	b->rsv_off = hdr(blob, HDR_OFF_MEM_RSVMAP);
	if (b->rsv_off < hs || b->rsv_off > b->total || (b->rsv_off & 7))
		return -FDT_ERR_BADLAYOUT;
	return 0;
}

/* Is there a NUL-terminated string at @nameoff inside the strings block? */
static bool fdt_string_ok(const struct fdt_blk *b, u32 nameoff)
{
	return nameoff < b->str_size &&
	       strnlen(b->str + nameoff, b->str_size - nameoff) < b->str_size - nameoff;
}

/*
 * fdt_tag - read the token at structure offset @off
 * Checks that the whole token (a node's name, a property's header and value)
 * lies inside the structure block, and a property's name inside the strings
 * block. Return: the token, with *@next set to the following token's offset,
 * or a negative error.
 */
static int fdt_tag(const struct fdt_blk *b, int off, int *next)
{
	size_t o = (size_t)off;
	u32 tag;

	if (off < 0 || (off & 3))
		return -FDT_ERR_BADOFFSET;
	if (o + 4 > b->st_size)
		return -FDT_ERR_TRUNCATED;
	tag = fdt32_ld(b->st + o);

	switch (tag) {
	case FDT_BEGIN_NODE: {
		size_t room = b->st_size - o - 4;
		size_t n = strnlen((const char *)b->st + o + 4, room);

		if (n == room)
			return -FDT_ERR_TRUNCATED;
		o += 4 + ALIGN(n + 1, (size_t)4);
		break;
	}
	case FDT_PROP: {
		u32 len;

		if (o + 12 > b->st_size)
			return -FDT_ERR_TRUNCATED;
		len = fdt32_ld(b->st + o + 4);
		if (len > b->st_size - o - 12)
			return -FDT_ERR_TRUNCATED;
		if (!fdt_string_ok(b, fdt32_ld(b->st + o + 8)))
			return -FDT_ERR_BADSTRINGS;
		o += 12 + ALIGN((size_t)len, (size_t)4);
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		o += 4;
		break;
	default:
		return -FDT_ERR_BADSTRUCTURE;
	}
	if (o > b->st_size)
		return -FDT_ERR_TRUNCATED;
	*next = (int)o;
	return (int)tag;
}

/* Check that @node is a node; *@next is the offset after its BEGIN_NODE. */
static int fdt_node_tag(const struct fdt_blk *b, int node, int *next)
{
	int tag = fdt_tag(b, node, next);

	if (tag < 0)
		return tag;
	return tag == FDT_BEGIN_NODE ? 0 : -FDT_ERR_BADOFFSET;
}

/**
 * fdt_num_mem_rsv - count the entries of the memory reservation map
 * @blob: the device tree
 *
 * Return: the number of entries before the (0, 0) terminator, or a negative
 * error when the map runs past the blob.
 */
int fdt_num_mem_rsv(const void *blob)
{
	struct fdt_blk b;
	int ret = fdt_blocks(blob, &b);
	size_t o;

	if (ret)
		return ret;
	for (o = b.rsv_off;; o += 16) {
		if (o + 16 > b.total)
			return -FDT_ERR_TRUNCATED;
		if (!fdt64_ld(b.blob + o) && !fdt64_ld(b.blob + o + 8))
			return (int)((o - b.rsv_off) / 16);
	}
}

/**
 * fdt_get_mem_rsv - read one entry of the memory reservation map
 * @blob: the device tree
 * @index: entry number, from 0
 * @base: the reserved range's start
 * @size: the reserved range's size
 *
 * Iterate with: for (i = 0; !fdt_get_mem_rsv(blob, i, &base, &size); i++).
 * Return: 0, -FDT_ERR_NOTFOUND past the last entry, or another negative error.
 */
int fdt_get_mem_rsv(const void *blob, int index, u64 *base, u64 *size)
{
	int n = fdt_num_mem_rsv(blob);
	const u8 *e;

	if (n < 0)
		return n;
	if (index < 0 || index >= n)
		return -FDT_ERR_NOTFOUND;
	e = (const u8 *)blob + hdr(blob, HDR_OFF_MEM_RSVMAP) + (size_t)index * 16;
	*base = fdt64_ld(e);
	*size = fdt64_ld(e + 8);
	return 0;
}

static bool ranges_overlap(u32 a, u32 alen, u32 b, u32 blen)
{
	if (!alen || !blen)
		return false;
	return (u64)a < (u64)b + blen && (u64)b < (u64)a + alen;
}

/**
 * fdt_check - validate a device tree blob before using it
 * @blob: the blob
 * @max_size: bytes readable at @blob; nothing past them is read
 *
 * Checks the header (magic, version 16 or 17 compatible, totalsize within
 * @max_size), that the reservation map, structure and strings blocks lie
 * inside the blob, are aligned and do not overlap, and walks the structure
 * block: every token known and inside it, one root node, properties only in
 * nodes and before their subnodes, balanced nesting no deeper than
 * FDT_MAX_DEPTH, every name NUL-terminated in bounds, FDT_END at the end.
 *
 * Return: 0 when the blob is sound, else a negative -FDT_ERR_* code.
 */
int fdt_check(const void *blob, size_t max_size)
{
	struct fdt_blk b;
	int ret, nrsv, off = 0, next, depth = 0;
	bool seen_root = false, in_props = false;
	u32 rsv_len;

	if (!blob || max_size < FDT_V17_HDR_SIZE)
		return -FDT_ERR_TRUNCATED;
	if (hdr(blob, HDR_MAGIC) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	if (hdr(blob, HDR_TOTALSIZE) > max_size)
		return -FDT_ERR_TRUNCATED;
	ret = fdt_blocks(blob, &b);
	if (ret)
		return ret;

	nrsv = fdt_num_mem_rsv(blob);
	if (nrsv < 0)
		return nrsv;
	rsv_len = (u32)(nrsv + 1) * 16;
	if (ranges_overlap(b.rsv_off, rsv_len, b.st_off, b.st_size) ||
	    ranges_overlap(b.rsv_off, rsv_len, b.str_off, b.str_size) ||
	    ranges_overlap(b.st_off, b.st_size, b.str_off, b.str_size))
		return -FDT_ERR_BADLAYOUT;

	for (;;) {
		int tag = fdt_tag(&b, off, &next);

		if (tag < 0)
			return tag;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (!depth && seen_root)
				return -FDT_ERR_BADSTRUCTURE;	/* a second root */
			seen_root = true;
			if (++depth > FDT_MAX_DEPTH)
				return -FDT_ERR_TOODEEP;
			in_props = true;
			break;
		case FDT_END_NODE:
			if (!depth)
				return -FDT_ERR_BADSTRUCTURE;
			depth--;
			in_props = false;	/* the parent is past its properties */
			break;
		case FDT_PROP:
			if (!depth || !in_props)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth || !seen_root)
				return -FDT_ERR_BADSTRUCTURE;
			return 0;
		}
		off = next;
	}
}

/**
 * fdt_strerror - describe an FDT error
 * @err: a -FDT_ERR_* code (or its positive value)
 *
 * Return: a constant string.
 */
const char *fdt_strerror(int err)
{
	static const char *const msgs[] = {
		[0] = "no error",
		[FDT_ERR_NOTFOUND] = "not found",
		[FDT_ERR_BADMAGIC] = "bad magic",
		[FDT_ERR_BADVERSION] = "unsupported version",
		[FDT_ERR_TRUNCATED] = "truncated",
		[FDT_ERR_BADLAYOUT] = "bad block layout",
		[FDT_ERR_BADSTRUCTURE] = "bad structure block",
		[FDT_ERR_BADSTRINGS] = "bad strings block reference",
		[FDT_ERR_BADOFFSET] = "bad offset",
		[FDT_ERR_BADPATH] = "bad path",
		[FDT_ERR_BADNCELLS] = "bad #address-cells or #size-cells",
		[FDT_ERR_BADVALUE] = "bad property value",
		[FDT_ERR_TOODEEP] = "nested too deep",
	};
	unsigned int e = err < 0 ? 0U - (unsigned int)err : (unsigned int)err;

	return e < ARRAY_SIZE(msgs) && msgs[e] ? msgs[e] : "unknown error";
}

/**
 * fdt_totalsize - the blob's size from its header
 * @blob: the device tree
 *
 * Return: totalsize. Trust it only after fdt_check().
 */
size_t fdt_totalsize(const void *blob)
{
	return hdr(blob, HDR_TOTALSIZE);
}

/**
 * fdt_version - the blob's format version
 * @blob: the device tree
 *
 * Return: the version field of the header.
 */
u32 fdt_version(const void *blob)
{
	return hdr(blob, HDR_VERSION);
}

/**
 * fdt_boot_cpuid_phys - the physical id of the boot CPU, from the header
 * @blob: the device tree
 *
 * Return: boot_cpuid_phys.
 */
u32 fdt_boot_cpuid_phys(const void *blob)
{
	return hdr(blob, HDR_BOOT_CPUID_PHYS);
}

/**
 * fdt_root - offset of the root node
 * @blob: the device tree
 *
 * Return: the offset (0 unless the structure block starts with NOPs), or a
 * negative error.
 */
int fdt_root(const void *blob)
{
	struct fdt_blk b;
	int ret = fdt_blocks(blob, &b), off = 0, next;

	if (ret)
		return ret;
	for (;;) {
		int tag = fdt_tag(&b, off, &next);

		if (tag < 0)
			return tag;
		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag != FDT_NOP)
			return -FDT_ERR_BADSTRUCTURE;
		off = next;
	}
}

/**
 * fdt_next_node - the node after @node in document order
 * @blob: the device tree
 * @node: a node offset
 * @depth: NULL, or a depth counter: incremented on entering a child and
 *	   decremented on leaving a node
 *
 * With @depth, the walk ends (-FDT_ERR_NOTFOUND) when *@depth would drop
 * below 0: starting at 0, it visits exactly @node's descendants, each with
 * *@depth its level below @node. Without, it runs to the end of the tree.
 *
 * Return: the next node's offset, -FDT_ERR_NOTFOUND, or another error.
 */
int fdt_next_node(const void *blob, int node, int *depth)
{
	struct fdt_blk b;
	int ret = fdt_blocks(blob, &b), off, next;

	if (ret)
		return ret;
	ret = fdt_node_tag(&b, node, &off);
	if (ret)
		return ret;
	for (;; off = next) {
		int tag = fdt_tag(&b, off, &next);

		if (tag < 0)
			return tag;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth)
				(*depth)++;
			return off;
		case FDT_END_NODE:
			if (depth && --(*depth) < 0)
				return -FDT_ERR_NOTFOUND;
			break;
		case FDT_END:
			return -FDT_ERR_NOTFOUND;
		default:
			break;
		}
	}
}

/**
 * fdt_first_subnode - the first child of @node
 * @blob: the device tree
 * @node: a node offset
 *
 * Return: the child's offset, -FDT_ERR_NOTFOUND when @node has none, or
 * another error.
 */
int fdt_first_subnode(const void *blob, int node)
{
	int depth = 0;

	return fdt_next_node(blob, node, &depth);
}

/**
 * fdt_next_subnode - the next sibling of @node
 * @blob: the device tree
 * @node: a node offset (a child from fdt_first_subnode())
 *
 * Return: the sibling's offset, -FDT_ERR_NOTFOUND after the last, or another
 * error.
 */
int fdt_next_subnode(const void *blob, int node)
{
	int depth = 1;

	do {
		node = fdt_next_node(blob, node, &depth);
		if (node < 0)
			return node;
	} while (depth > 1);
	return depth == 1 ? node : -FDT_ERR_NOTFOUND;
}

/**
 * fdt_node_name - the name of a node ("" for the root, "uart@9000000")
 * @blob: the device tree
 * @node: a node offset
 * @lenp: NULL, or gets the name's length (or the error)
 *
 * Return: the NUL-terminated name, or NULL on error.
 */
const char *fdt_node_name(const void *blob, int node, int *lenp)
{
	struct fdt_blk b;
	int ret = fdt_blocks(blob, &b), next;
	const char *name;

	if (!ret)
		ret = fdt_node_tag(&b, node, &next);
	if (ret) {
		if (lenp)
			*lenp = ret;
		return NULL;
	}
	name = (const char *)b.st + node + 4;
	if (lenp)
		*lenp = (int)strlen(name);
	return name;
}

/* Does node name @nm match path component @s of @len bytes? "memory"
 * matches "memory@40000000"; a component with '@' must match exactly. */
static bool fdt_name_matches(const char *nm, const char *s, size_t len)
{
	size_t i;

	/* @s holds no NUL: a match means nm has at least @len characters. */
	if (strncmp(nm, s, len))
		return false;
	if (!nm[len])
		return true;
	if (nm[len] != '@')
		return false;
	for (i = 0; i < len; i++)
		if (s[i] == '@')
			return false;
	return true;
}

static int fdt_subnode_namelen(const void *blob, int parent, const char *name, size_t len)
{
	int node;

	for (node = fdt_first_subnode(blob, parent); node >= 0;
	     node = fdt_next_subnode(blob, node)) {
		const char *nm = fdt_node_name(blob, node, NULL);

		if (nm && fdt_name_matches(nm, name, len))
			return node;
	}
	return node;
}

/**
 * fdt_subnode_offset - find a child of @parent by name
 * @blob: the device tree
 * @parent: a node offset
 * @name: the full name, or the name without its unit address
 *
 * Return: the child's offset, -FDT_ERR_NOTFOUND, or another error.
 */
int fdt_subnode_offset(const void *blob, int parent, const char *name)
{
	return fdt_subnode_namelen(blob, parent, name, strlen(name));
}

/**
 * fdt_parent_offset - the parent of @node
 * @blob: the device tree
 * @node: a node offset
 *
 * Walks from the root (a device tree keeps no parent links), so it costs a
 * pass over the tree up to @node.
 * Return: the parent's offset, -FDT_ERR_NOTFOUND for the root, or an error.
 */
int fdt_parent_offset(const void *blob, int node)
{
	int stack[FDT_MAX_DEPTH + 1];
	int off = fdt_root(blob), depth = 0;

	if (off < 0)
		return off;
	if (off == node)
		return -FDT_ERR_NOTFOUND;
	stack[0] = off;
	for (;;) {
		off = fdt_next_node(blob, off, &depth);
		if (off < 0)
			return off == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADOFFSET : off;
		if (depth > FDT_MAX_DEPTH)
			return -FDT_ERR_TOODEEP;
		stack[depth] = off;
		if (off == node)
			return stack[depth - 1];
		if (off > node)
			return -FDT_ERR_BADOFFSET;
	}
}

static const void *fdt_getprop_namelen(const void *blob, int node, const char *name,
				       size_t namelen, int *lenp)
{
	struct fdt_blk b;
	int ret = fdt_blocks(blob, &b), off, next;

	if (!ret)
		ret = fdt_node_tag(&b, node, &off);
	for (; !ret; off = next) {
		int tag = fdt_tag(&b, off, &next);
		const char *pname;

		if (tag < 0) {
			ret = tag;
			break;
		}
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP) {
			ret = -FDT_ERR_NOTFOUND;
			break;
		}
		/* fdt_tag() checked the name is terminated in the strings block. */
		pname = b.str + fdt32_ld(b.st + off + 8);
		if (!strncmp(pname, name, namelen) && !pname[namelen]) {
			if (lenp)
				*lenp = (int)fdt32_ld(b.st + off + 4);
			return b.st + off + 12;
		}
	}
	if (lenp)
		*lenp = ret;
	return NULL;
}

/**
 * fdt_getprop - find a property of a node
 * @blob: the device tree
 * @node: a node offset
 * @name: the property's name
 * @lenp: NULL, or gets the value's length in bytes (or the error)
 *
 * Return: a pointer to the value inside the blob (big-endian, 4-byte
 * aligned), or NULL when @node has no such property or on error.
 */
const void *fdt_getprop(const void *blob, int node, const char *name, int *lenp)
{
	return fdt_getprop_namelen(blob, node, name, strlen(name), lenp);
}

/**
 * fdt_getprop_string - a property whose value is a string
 * @blob: the device tree
 * @node: a node offset
 * @name: the property's name
 *
 * Return: the value, or NULL when it is absent or not NUL-terminated within
 * its length. For a string list, the first string.
 */
const char *fdt_getprop_string(const void *blob, int node, const char *name)
{
	int len;
	const char *v = fdt_getprop(blob, node, name, &len);

	if (!v || len <= 0 || strnlen(v, (size_t)len) == (size_t)len)
		return NULL;
	return v;
}

/**
 * fdt_getprop_u32 - a property holding one 32-bit cell
 * @blob: the device tree
 * @node: a node offset
 * @name: the property's name
 * @val: gets the value
 *
 * Return: 0, -FDT_ERR_NOTFOUND, -FDT_ERR_BADVALUE when the length is not 4,
 * or another error.
 */
int fdt_getprop_u32(const void *blob, int node, const char *name, u32 *val)
{
	int len;
	const void *v = fdt_getprop(blob, node, name, &len);

	if (!v)
		return len;
	if (len != 4)
		return -FDT_ERR_BADVALUE;
	*val = fdt32_ld(v);
	return 0;
}

static int fdt_skip_nops_to_prop(const struct fdt_blk *b, int off)
{
	int next;

	for (;; off = next) {
		int tag = fdt_tag(b, off, &next);

		if (tag < 0)
			return tag;
		if (tag == FDT_PROP)
			return off;
		if (tag != FDT_NOP)
			return -FDT_ERR_NOTFOUND;
	}
}

/**
 * fdt_first_property - the first property of a node
 * @blob: the device tree
 * @node: a node offset
 *
 * Return: a property offset for fdt_property_by_offset(),
 * -FDT_ERR_NOTFOUND when the node has none, or another error.
 */
int fdt_first_property(const void *blob, int node)
{
	struct fdt_blk b;
	int ret = fdt_blocks(blob, &b), off;

	if (!ret)
		ret = fdt_node_tag(&b, node, &off);
	return ret ? ret : fdt_skip_nops_to_prop(&b, off);
}

/**
 * fdt_next_property - the property after @prop in the same node
 * @blob: the device tree
 * @prop: a property offset
 *
 * Return: a property offset, -FDT_ERR_NOTFOUND after the last, or an error.
 */
int fdt_next_property(const void *blob, int prop)
{
	struct fdt_blk b;
	int ret = fdt_blocks(blob, &b), next, tag;

	if (ret)
		return ret;
	tag = fdt_tag(&b, prop, &next);
	if (tag < 0)
		return tag;
	if (tag != FDT_PROP)
		return -FDT_ERR_BADOFFSET;
	return fdt_skip_nops_to_prop(&b, next);
}

/**
 * fdt_property_by_offset - name and value of the property at @prop
 * @blob: the device tree
 * @prop: a property offset
 * @name: NULL, or gets the property's name
 * @lenp: NULL, or gets the value's length (or the error)
 *
 * Return: the value, or NULL on error.
 */
const void *fdt_property_by_offset(const void *blob, int prop, const char **name, int *lenp)
{
	struct fdt_blk b;
	int ret = fdt_blocks(blob, &b), next, tag;

	if (!ret) {
		tag = fdt_tag(&b, prop, &next);
		ret = tag < 0 ? tag : tag != FDT_PROP ? -FDT_ERR_BADOFFSET : 0;
	}
	if (ret) {
		if (lenp)
			*lenp = ret;
		return NULL;
	}
	if (name)
		*name = b.str + fdt32_ld(b.st + prop + 8);
	if (lenp)
		*lenp = (int)fdt32_ld(b.st + prop + 4);
	return b.st + prop + 12;
}

/**
 * fdt_stringlist_contains - look for @str in a list of NUL-terminated strings
 * @list: the list (a property value such as "compatible")
 * @len: its length in bytes
 * @str: the string to find
 *
 * Return: true when @str is one of the list's complete entries. An entry not
 * terminated within @len ends the search.
 */
bool fdt_stringlist_contains(const char *list, int len, const char *str)
{
	size_t slen = strlen(str), left;

	if (!list || len <= 0)
		return false;
	for (left = (size_t)len; left;) {
		size_t n = strnlen(list, left);

		if (n == left)
			return false;
		if (n == slen && !memcmp(list, str, n))
			return true;
		list += n + 1;
		left -= n + 1;
	}
	return false;
}

/**
 * fdt_node_is_compatible - does @node's "compatible" list contain @compat?
 * @blob: the device tree
 * @node: a node offset
 * @compat: e.g. "arm,pl011"
 *
 * Return: true or false (false also on any error).
 */
bool fdt_node_is_compatible(const void *blob, int node, const char *compat)
{
	int len;
	const char *list = fdt_getprop(blob, node, "compatible", &len);

	return list && fdt_stringlist_contains(list, len, compat);
}

/**
 * fdt_node_offset_by_compatible - find the next node compatible with @compat
 * @blob: the device tree
 * @start: a node offset to search after, or -1 to search from the root
 * @compat: the compatible string
 *
 * Return: a node offset, -FDT_ERR_NOTFOUND, or another error.
 */
int fdt_node_offset_by_compatible(const void *blob, int start, const char *compat)
{
	int node;

	if (start < 0) {
		node = fdt_root(blob);
		if (node < 0)
			return node;
		if (fdt_node_is_compatible(blob, node, compat))
			return node;
	} else {
		node = start;
	}
	for (;;) {
		node = fdt_next_node(blob, node, NULL);
		if (node < 0 || fdt_node_is_compatible(blob, node, compat))
			return node;
	}
}

/**
 * fdt_node_offset_by_phandle - find the node a phandle names
 * @blob: the device tree
 * @phandle: the value of its "phandle" (or old "linux,phandle") property
 *
 * Return: the node's offset, -FDT_ERR_NOTFOUND (also for 0 and ~0, which
 * name no node), or another error.
 */
int fdt_node_offset_by_phandle(const void *blob, u32 phandle)
{
	int node = fdt_root(blob);

	if (!phandle || phandle == ~0u)
		return -FDT_ERR_NOTFOUND;
	for (; node >= 0; node = fdt_next_node(blob, node, NULL)) {
		u32 v;

		if ((!fdt_getprop_u32(blob, node, "phandle", &v) ||
		     !fdt_getprop_u32(blob, node, "linux,phandle", &v)) && v == phandle)
			return node;
	}
	return node;	/* -FDT_ERR_NOTFOUND at the end, or the walk's error */
}

/**
 * fdt_node_is_available - is the node enabled?
 * @blob: the device tree
 * @node: a node offset
 *
 * Return: true when "status" is absent, "okay" or "ok".
 */
bool fdt_node_is_available(const void *blob, int node)
{
	int len;
	const char *st = fdt_getprop(blob, node, "status", &len);

	if (!st)
		return len == -FDT_ERR_NOTFOUND;
	return fdt_stringlist_contains(st, len, "okay") || fdt_stringlist_contains(st, len, "ok");
}

static int fdt_cells(const void *blob, int node, const char *name, int dflt)
{
	u32 v = 0;
	int ret = fdt_getprop_u32(blob, node, name, &v);

	if (ret == -FDT_ERR_NOTFOUND)
		return dflt;
	if (ret == -FDT_ERR_BADVALUE || (!ret && v > FDT_MAX_NCELLS))
		return -FDT_ERR_BADNCELLS;
	return ret ? ret : (int)v;
}

/**
 * fdt_address_cells - the #address-cells of @node (for its children's reg)
 * @blob: the device tree
 * @node: a node offset
 *
 * Return: 0..4, 2 when absent (the specification's default), or a negative
 * error (-FDT_ERR_BADNCELLS for a malformed value).
 */
int fdt_address_cells(const void *blob, int node)
{
	return fdt_cells(blob, node, "#address-cells", 2);
}

/**
 * fdt_size_cells - the #size-cells of @node (for its children's reg)
 * @blob: the device tree
 * @node: a node offset
 *
 * Return: 0..4, 1 when absent (the specification's default), or a negative
 * error.
 */
int fdt_size_cells(const void *blob, int node)
{
	return fdt_cells(blob, node, "#size-cells", 1);
}

/* #address-cells/#size-cells of @bus, limited to what a u64 holds. */
static int fdt_bus_cells(const void *blob, int bus, int *ac, int *sc)
{
	*ac = fdt_address_cells(blob, bus);
	if (*ac < 0)
		return *ac;
	*sc = fdt_size_cells(blob, bus);
	if (*sc < 0)
		return *sc;
	if (*ac < 1 || *ac > 2 || *sc > 2)
		return -FDT_ERR_BADNCELLS;
	return 0;
}

/**
 * fdt_get_reg - read one (address, size) pair of a node's "reg"
 * @blob: the device tree
 * @node: a node offset
 * @index: which pair, from 0
 * @base: gets the address
 * @size: gets the size (0 when the parent's #size-cells is 0)
 *
 * Cell counts come from the parent; addresses and sizes wider than 64 bits
 * are refused. No "ranges" translation is done.
 * Return: 0, -FDT_ERR_NOTFOUND (no reg, or @index past its end), or an error.
 */
int fdt_get_reg(const void *blob, int node, int index, u64 *base, u64 *size)
{
	int parent = fdt_parent_offset(blob, node), ac, sc, len, ret;
	const u8 *reg;
	size_t stride;

	if (parent < 0)
		return parent == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADOFFSET : parent;
	ret = fdt_bus_cells(blob, parent, &ac, &sc);
	if (ret)
		return ret;
	reg = fdt_getprop(blob, node, "reg", &len);
	if (!reg)
		return len;
	stride = (size_t)(ac + sc) * 4;
	if ((size_t)len % stride)
		return -FDT_ERR_BADVALUE;
	if (index < 0 || (size_t)index >= (size_t)len / stride)
		return -FDT_ERR_NOTFOUND;
	reg += (size_t)index * stride;
	*base = fdt_read_cells(reg, ac);
	*size = fdt_read_cells(reg + ac * 4, sc);
	return 0;
}

/*
 * Append @node's reg ranges to @out (@count used of @max). Empty ranges are
 * skipped and ranges running past 2^64 are clipped; a reg whose length is not
 * a whole number of entries is ignored.
 */
static int fdt_collect_reg(const void *blob, int node, int ac, int sc, u32 flags,
			   struct fdt_mem_range *out, int max, int count)
{
	size_t stride = (size_t)(ac + sc) * 4, i, n;
	const u8 *reg;
	int len;

	reg = fdt_getprop(blob, node, "reg", &len);
	if (!reg || len <= 0 || (size_t)len % stride)
		return count;
	n = (size_t)len / stride;
	for (i = 0; i < n && count < max; i++, reg += stride) {
		u64 base = fdt_read_cells(reg, ac);
		u64 size = fdt_read_cells(reg + ac * 4, sc);

		if (!size)
			continue;
		if (base + size - 1 < base)
			size = 0 - base;	/* up to the top of the address space */
		out[count].base = base;
		out[count].size = size;
		out[count].flags = flags;
		count++;
	}
	return count;
}

/**
 * fdt_get_memory - the RAM ranges the device tree describes
 * @blob: the device tree (checked)
 * @out: array for the ranges, in the order found
 * @max: its number of entries
 *
 * Reads every available child of the root named "memory" or "memory@..."
 * whose device_type is "memory", decoding its "reg" with the root's
 * #address-cells and #size-cells (2 and 1 when absent). Empty ranges are
 * left out; a node with a malformed reg is skipped.
 *
 * Return: the number of ranges stored (at most @max; ranges beyond are
 * dropped), or a negative error (-FDT_ERR_BADNCELLS when the root's cell
 * counts do not fit 64 bits).
 */
int fdt_get_memory(const void *blob, struct fdt_mem_range *out, int max)
{
	int root = fdt_root(blob), node, ac, sc, ret, count = 0;

	if (root < 0)
		return root;
	ret = fdt_bus_cells(blob, root, &ac, &sc);
	if (ret)
		return ret;
	if (!sc)
		return -FDT_ERR_BADNCELLS;
	for (node = fdt_first_subnode(blob, root); node >= 0 && count < max;
	     node = fdt_next_subnode(blob, node)) {
		int len;
		const char *name = fdt_node_name(blob, node, &len);
		const char *type;

		if (!name || strncmp(name, "memory", 6) || (name[6] && name[6] != '@'))
			continue;
		type = fdt_getprop_string(blob, node, "device_type");
		if (!type || strcmp(type, "memory") || !fdt_node_is_available(blob, node))
			continue;
		count = fdt_collect_reg(blob, node, ac, sc, 0, out, max, count);
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return node;
	return count;
}

/**
 * fdt_get_reserved_memory - the ranges under /reserved-memory
 * @blob: the device tree (checked)
 * @out: array for the ranges
 * @max: its number of entries
 *
 * Reads the "reg" of every available child of /reserved-memory, with that
 * node's #address-cells/#size-cells; flags carry FDT_MEM_NOMAP for children
 * with "no-map". Children without reg (dynamically placed) are skipped. The
 * header's memory reservation map is separate: see fdt_get_mem_rsv().
 *
 * Return: the number of ranges stored (at most @max), 0 when there is no
 * /reserved-memory, or a negative error.
 */
int fdt_get_reserved_memory(const void *blob, struct fdt_mem_range *out, int max)
{
	int parent = fdt_path_offset(blob, "/reserved-memory"), node, ac, sc, ret, count = 0;

	if (parent == -FDT_ERR_NOTFOUND)
		return 0;
	if (parent < 0)
		return parent;
	ret = fdt_bus_cells(blob, parent, &ac, &sc);
	if (ret)
		return ret;
	if (!sc)
		return -FDT_ERR_BADNCELLS;
	for (node = fdt_first_subnode(blob, parent); node >= 0 && count < max;
	     node = fdt_next_subnode(blob, node)) {
		u32 flags = 0;

		if (!fdt_node_is_available(blob, node))
			continue;
		if (fdt_getprop(blob, node, "no-map", NULL))
			flags |= FDT_MEM_NOMAP;
		count = fdt_collect_reg(blob, node, ac, sc, flags, out, max, count);
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return node;
	return count;
}

/* Resolve the absolute path @path of @len bytes. */
static int fdt_abs_path(const void *blob, const char *path, size_t len)
{
	const char *p = path, *end = path + len;
	int node = fdt_root(blob);

	if (!len || *p != '/')
		return -FDT_ERR_BADPATH;
	while (node >= 0) {
		const char *q;

		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		for (q = p; q < end && *q != '/'; q++)
			;
		node = fdt_subnode_namelen(blob, node, p, (size_t)(q - p));
		p = q;
	}
	return node;
}

/**
 * fdt_path_offset - find a node by path
 * @blob: the device tree
 * @path: an absolute path ("/", "/chosen", "/soc/uart@9000000"; a component
 *	  without unit address matches one with), or one starting with an
 *	  alias from /aliases ("serial0", "serial0/child")
 *
 * Return: the node's offset, -FDT_ERR_NOTFOUND, -FDT_ERR_BADPATH, or
 * another error.
 */
int fdt_path_offset(const void *blob, const char *path)
{
	const char *slash, *alias;
	int aliases, node, len;

	if (*path == '/')
		return fdt_abs_path(blob, path, strlen(path));

	slash = strchr(path, '/');
	if (!slash)
		slash = path + strlen(path);
	aliases = fdt_abs_path(blob, "/aliases", 8);
	if (aliases < 0)
		return aliases == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADPATH : aliases;
	alias = fdt_getprop_namelen(blob, aliases, path, (size_t)(slash - path), &len);
	if (!alias || len <= 0 || strnlen(alias, (size_t)len) == (size_t)len)
		return -FDT_ERR_BADPATH;
	node = fdt_abs_path(blob, alias, strlen(alias));
	if (node < 0 || !*slash)
		return node;
	/* The rest of the path, relative to the aliased node. */
	for (const char *p = slash; node >= 0;) {
		const char *q;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (q = p; *q && *q != '/'; q++)
			;
		node = fdt_subnode_namelen(blob, node, p, (size_t)(q - p));
		p = q;
	}
	return node;
}

/**
 * fdt_get_bootargs - the kernel command line from /chosen
 * @blob: the device tree
 *
 * Return: the "bootargs" string (possibly empty), or NULL when there is none
 * or it is not NUL-terminated.
 */
const char *fdt_get_bootargs(const void *blob)
{
	int chosen = fdt_path_offset(blob, "/chosen");

	if (chosen < 0)
		return NULL;
	return fdt_getprop_string(blob, chosen, "bootargs");
}

/**
 * fdt_get_psci_method - how to call PSCI firmware
 * @blob: the device tree
 *
 * Looks at /psci, or failing that the first node compatible with
 * "arm,psci-1.0", "arm,psci-0.2" or "arm,psci", and reads its "method".
 *
 * Return: FDT_PSCI_HVC, FDT_PSCI_SMC, or FDT_PSCI_NONE when there is no
 * (available) PSCI node or its method is missing or unknown.
 */
int fdt_get_psci_method(const void *blob)
{
	static const char *const compats[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	int node = fdt_path_offset(blob, "/psci");
	const char *method;

	for (size_t i = 0; node < 0 && i < ARRAY_SIZE(compats); i++)
		node = fdt_node_offset_by_compatible(blob, -1, compats[i]);
	if (node < 0 || !fdt_node_is_available(blob, node))
		return FDT_PSCI_NONE;
	method = fdt_getprop_string(blob, node, "method");
	if (!method)
		return FDT_PSCI_NONE;
	if (!strcmp(method, "hvc"))
		return FDT_PSCI_HVC;
	if (!strcmp(method, "smc"))
		return FDT_PSCI_SMC;
	return FDT_PSCI_NONE;
}

int fdt_get_cpus(const void *blob, struct fdt_cpu *out, int max)
{
	int cpus = fdt_path_offset(blob, "/cpus"), n = 0;

	const char *all;

	if (cpus < 0)
		return cpus;
	/* enable-method on /cpus is every core's (Linux's BCM2836 trees put it there). */
	all = fdt_getprop_string(blob, cpus, "enable-method");
	for (int node = fdt_first_subnode(blob, cpus); node >= 0;
	     node = fdt_next_subnode(blob, node)) {
		const char *type = fdt_getprop_string(blob, node, "device_type");
		const char *method = fdt_getprop_string(blob, node, "enable-method") ?: all;
		const u8 *rel;
		u64 hwid, unused;
		int len;

		if (!type || strcmp(type, "cpu") || fdt_get_reg(blob, node, 0, &hwid, &unused))
			continue;
		if (n < max) {
			struct fdt_cpu *c = &out[n];

			c->hwid = hwid;
			c->release_addr = 0;
			c->method = FDT_CPU_METHOD_NONE;
			c->disabled = !fdt_node_is_available(blob, node);
			rel = fdt_getprop(blob, node, "cpu-release-addr", &len);
			if (method && !strcmp(method, "psci")) {
				c->method = FDT_CPU_METHOD_PSCI;
			} else if (method && !strcmp(method, "spin-table") && rel &&
				   (len == 4 || len == 8)) {
				c->method = FDT_CPU_METHOD_SPIN;
				c->release_addr = fdt_read_cells(rel, len / 4);
			} else if (method && !strcmp(method, "brcm,bcm2836-smp")) {
				c->method = FDT_CPU_METHOD_MAILBOX;	/* the arch finds the register */
			}
		}
		n++;
	}
	return n;
}
