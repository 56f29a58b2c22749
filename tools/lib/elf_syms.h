/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own symbol table read from its ELF (the .kallsyms arrays that
 * tools/kallsyms generated and kernel/kallsyms.c searches) and its GNU build
 * id: the host resolves a pc exactly as the kernel's %pB does, for streams
 * whose frames travel as addresses (`page_owner --format=stream
 * --symbols=host`).
 */
#ifndef TOOLS_ELF_SYMS_H
#define TOOLS_ELF_SYMS_H

#include <stddef.h>
#include <stdint.h>

struct elf_syms {
	uint64_t text, etext;
	uint32_t num;
	const unsigned char *offsets, *sizes, *name_offsets;	/* little-endian u32 arrays */
	const char *names;
	size_t names_len;
	char build_id[41];	/* hex, "" when the ELF has none */
	void *mem;		/* the file, read whole */
};

/* Read @path. Return: 0, or -1 with the reason in @err. */
int elf_syms_open(struct elf_syms *s, const char *path, char *err, size_t errlen);
/* @pc's frame line as stack_depot_print_seq() prints it: " f+0x../0x..\n" or " 0x..\n". */
size_t elf_syms_frame(const struct elf_syms *s, uint64_t pc, char *buf, size_t size);
void elf_syms_close(struct elf_syms *s);

#endif
