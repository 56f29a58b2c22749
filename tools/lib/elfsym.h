/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Code addresses of a ferret ELF to names and file:line, from its symbol
 * table and DWARF (elfutils' libdw). Shared by the host tools that decode
 * what a target prints (monitor, gate).
 */
#ifndef TOOLS_ELFSYM_H
#define TOOLS_ELFSYM_H

#include <stdbool.h>
#include <stddef.h>

#include <elfutils/libdwfl.h>

struct elfsym {
	Dwfl *dwfl;
	Dwfl_Module *mod;
	const char *comp_dir;	/* the first CU's compilation directory: stripped from paths */
	bool thumb_bit;		/* 32-bit Arm: bit 0 of a function symbol says Thumb */
};

/* Open @path; on failure tool_die() with libdw's reason. */
void elfsym_open(struct elfsym *e, const char *path);
void elfsym_close(struct elfsym *e);

/*
 * The address of the code symbol @name (@len bytes) whose size is @size
 * (0: any size; the first found), or 0. Local symbols may share a name
 * (two files' static functions): the size of a "sym+0xoff/0xsize" frame
 * tells them apart.
 */
GElf_Addr elfsym_address(struct elfsym *e, const char *name, size_t len, unsigned long size);

/*
 * "function (file:line)" for @addr, or false when it is not in a function.
 * An inlined function is named with the function it sits in.
 */
bool elfsym_describe(struct elfsym *e, GElf_Addr addr, char *out, size_t size);

/* One function of the source-level stack at an address. */
struct elfsym_frame {
	const char *fn;		/* DWARF's name (no compiler suffix such as .constprop.0) */
	const char *file;	/* NULL when the line table does not cover it */
	int line;
};

/*
 * The functions the code at @addr is in, innermost first: each function
 * inlined there, then the function that holds the code. @out[0] has the
 * line of @addr; each outer one, the line its inlined callee was called
 * from. Return: how many (at most @max), or 0 when @addr is in no function
 * the DWARF describes.
 */
int elfsym_frames(struct elfsym *e, GElf_Addr addr, struct elfsym_frame *out, int max);

/* @file without the compilation directory: paths as in the repo. */
const char *elfsym_short_path(const struct elfsym *e, const char *file);

#endif
