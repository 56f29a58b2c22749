// SPDX-License-Identifier: GPL-2.0
/*
 * The image's build id, read from its ELF note (NT_GNU_BUILD_ID) that
 * linker.ld keeps between __build_id_note and __build_id_note_end.
 */
#include <ferret/build_id.h>
#include <ferret/string.h>

extern const u8 __build_id_note[], __build_id_note_end[];

#define NT_GNU_BUILD_ID	3

static u32 le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

const u8 *build_id_get(unsigned int *len)
{
	const u8 *p = __build_id_note, *end = __build_id_note_end;

	/* Elf64_Nhdr: namesz, descsz, type; the name and the descriptor, each 4-aligned. */
	while (end - p >= 12) {
		u32 namesz = le32(p), descsz = le32(p + 4), type = le32(p + 8);
		const u8 *name = p + 12, *desc = name + ((namesz + 3) & ~3u);

		if (desc + descsz > end || desc < name)
			break;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(name, "GNU", 4) &&
		    descsz && descsz <= BUILD_ID_MAX) {
			*len = descsz;
			return desc;
		}
		p = desc + ((descsz + 3) & ~3u);
	}
	*len = 0;
	return NULL;
}
