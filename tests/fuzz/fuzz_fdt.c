// SPDX-License-Identifier: GPL-2.0
/*
 * The FDT parser (lib/fdt.c) on arbitrary blobs: fdt_check() must refuse
 * anything the accessors cannot walk safely, and on a blob it accepts every
 * accessor boot uses must stay inside the blob (ASan watches the copy).
 */
#include <ferret/compiler.h>
#include <ferret/types.h>
#include <ferret/fdt.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt_mem_range r[8];
	int depth = 0, node, n;
	uint8_t *blob;

	/* A copy of exactly @size bytes: any read past it is an ASan report. */
	blob = malloc(size ? size : 1);
	memcpy(blob, data, size);
	if (fdt_check(blob, size)) {
		free(blob);
		return 0;
	}
	FUZZ_ASSERT(fdt_totalsize(blob) <= size);
	n = fdt_get_memory(blob, r, 8);
	FUZZ_ASSERT(n >= -1000 && n <= 8);
	n = fdt_get_reserved_memory(blob, r, 8);
	FUZZ_ASSERT(n <= 8);
	(void)fdt_get_bootargs(blob);
	(void)fdt_get_psci_method(blob);
	for (int i = 0; i < fdt_num_mem_rsv(blob) && i < 64; i++) {
		u64 base, sz;

		(void)fdt_get_mem_rsv(blob, i, &base, &sz);
	}
	for (node = fdt_root(blob); node >= 0; node = fdt_next_node(blob, node, &depth)) {
		int len;
		const char *name = fdt_node_name(blob, node, &len);

		if (name)
			FUZZ_ASSERT(len >= 0 && strlen(name) == (size_t)len);
		for (int prop = fdt_first_property(blob, node); prop >= 0;
		     prop = fdt_next_property(blob, prop)) {
			const char *pname;
			const void *val = fdt_property_by_offset(blob, prop, &pname, &len);

			if (val && len > 0)
				(void)fdt_stringlist_contains(val, len, "arm,psci");
		}
		(void)fdt_node_is_available(blob, node);
		(void)fdt_address_cells(blob, node);
		(void)fdt_size_cells(blob, node);
		(void)fdt_parent_offset(blob, node);
		(void)fdt_first_subnode(blob, node);
	}
	(void)fdt_path_offset(blob, "/chosen");
	(void)fdt_path_offset(blob, "/reserved-memory/x@0");
	for (node = -1, n = 0; n < 64; n++) {
		node = fdt_node_offset_by_compatible(blob, node, "arm,psci");
		if (node < 0)
			break;
	}
	free(blob);
	return 0;
}
