// SPDX-License-Identifier: GPL-2.0
/* Code addresses of a ferret ELF to names and file:line (elfsym.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "elfsym.h"
#include "path.h"
#include "target.h"

void elfsym_open(struct elfsym *e, const char *path)
{
	static const Dwfl_Callbacks cb = {
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
	};
	GElf_Addr bias;
	GElf_Ehdr eh;
	Elf *elf;

	memset(e, 0, sizeof(*e));
	if (path_is_directory(path))
		tool_die("%s is a directory, not an ELF file", path);
	e->dwfl = dwfl_begin(&cb);
	if (!e->dwfl)
		tool_die("libdw: %s", dwfl_errmsg(-1));
	e->mod = dwfl_report_offline(e->dwfl, "ferret", path, -1);
	if (!e->mod)
		tool_die("cannot read %s: %s", path, dwfl_errmsg(-1));
	dwfl_report_end(e->dwfl, NULL, NULL);
	elf = dwfl_module_getelf(e->mod, &bias);
	e->thumb_bit = elf && gelf_getehdr(elf, &eh) && eh.e_machine == EM_ARM;
}

void elfsym_close(struct elfsym *e)
{
	if (e->dwfl)
		dwfl_end(e->dwfl);
	memset(e, 0, sizeof(*e));
}

/*
 * Code: a function symbol, or a symbol without a type (assembly entry
 * points) in an executable section.
 */
static bool in_code(struct elfsym *e, GElf_Addr addr, const GElf_Sym *sym)
{
	Dwarf_Addr bias, a = addr;
	Elf_Scn *scn;
	GElf_Shdr shdr;

	if (GELF_ST_TYPE(sym->st_info) == STT_FUNC)
		return true;
	if (GELF_ST_TYPE(sym->st_info) != STT_NOTYPE)
		return false;
	scn = dwfl_module_address_section(e->mod, &a, &bias);
	return scn && gelf_getshdr(scn, &shdr) && (shdr.sh_flags & SHF_EXECINSTR);
}

GElf_Addr elfsym_address(struct elfsym *e, const char *name, size_t len, unsigned long size)
{
	int n = dwfl_module_getsymtab(e->mod);

	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *s = dwfl_module_getsym(e->mod, i, &sym, NULL);
		GElf_Addr start;

		if (!s || strlen(s) != len || memcmp(s, name, len) || (size && sym.st_size != size))
			continue;
		/* A Thumb function (newlib's) starts one byte below its symbol's value. */
		start = sym.st_value;
		if (e->thumb_bit && GELF_ST_TYPE(sym.st_info) == STT_FUNC)
			start &= ~(GElf_Addr)1;
		if (in_code(e, start, &sym))
			return start;
	}
	return 0;
}

const char *elfsym_short_path(const struct elfsym *e, const char *file)
{
	size_t n = e->comp_dir ? strlen(e->comp_dir) : 0;

	if (n && !strncmp(file, e->comp_dir, n) && file[n] == '/')
		return file + n + 1;
	return file;
}

/* The CU of @addr, noting the compilation directory; NULL outside DWARF. */
static Dwarf_Die *cu_of(struct elfsym *e, GElf_Addr addr, Dwarf_Addr *bias)
{
	Dwarf_Die *cu = dwfl_module_addrdie(e->mod, addr, bias);
	Dwarf_Attribute a;

	if (cu && !e->comp_dir && dwarf_attr(cu, DW_AT_comp_dir, &a))
		e->comp_dir = dwarf_formstring(&a);
	return cu;
}

static const char *line_of(struct elfsym *e, GElf_Addr addr, int *lineno)
{
	Dwfl_Line *line = dwfl_module_getsrc(e->mod, addr);
	const char *file = line ? dwfl_lineinfo(line, NULL, lineno, NULL, NULL, NULL) : NULL;

	return file ? elfsym_short_path(e, file) : NULL;
}

bool elfsym_describe(struct elfsym *e, GElf_Addr addr, char *out, size_t size)
{
	GElf_Sym sym;
	GElf_Off off;
	const char *fn = dwfl_module_addrinfo(e->mod, addr, &off, &sym, NULL, NULL, NULL);
	const char *file, *inl = NULL;
	int lineno = 0;
	Dwarf_Addr bias;
	Dwarf_Die *cu;

	if (!fn || !in_code(e, addr, &sym))
		return false;
	cu = cu_of(e, addr, &bias);
	if (cu) {
		Dwarf_Attribute a;
		Dwarf_Die *scopes = NULL;
		int n = dwarf_getscopes(cu, addr - bias, &scopes);

		for (int i = 0; i < n; i++)
			if (dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine) {
				Dwarf_Die origin;

				if (dwarf_attr(&scopes[i], DW_AT_abstract_origin, &a) &&
				    dwarf_formref_die(&a, &origin))
					inl = dwarf_diename(&origin);
				break;
			}
		free(scopes);
	}
	file = line_of(e, addr, &lineno);
	if (inl && strcmp(inl, fn))
		snprintf(out, size, "%s (%s:%d), inlined in %s", inl, file ? file : "?", lineno, fn);
	else if (file)
		snprintf(out, size, "%s (%s:%d)", fn, file, lineno);
	else
		snprintf(out, size, "%s+0x%llx", fn, (unsigned long long)off);
	return true;
}

/* A scope's name, through its abstract origin (inlined and out-of-line copies). */
static const char *scope_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_name, &a) ? dwarf_formstring(&a) : NULL;
}

int elfsym_frames(struct elfsym *e, GElf_Addr addr, struct elfsym_frame *out, int max)
{
	Dwarf_Die *scopes = NULL, *cu;
	Dwarf_Files *files = NULL;
	Dwarf_Addr bias;
	size_t nfiles = 0;
	int n, nr = 0;
	const char *file;
	int line = 0;

	cu = cu_of(e, addr, &bias);
	if (!cu || max <= 0)
		return 0;
	dwarf_getsrcfiles(cu, &files, &nfiles);
	/*
	 * The scopes at the pc, innermost first; past an inlined copy they go
	 * on in its abstract definition, so take the innermost DIE's own
	 * nesting instead: inlined copies, then the function that holds them.
	 */
	n = dwarf_getscopes(cu, addr - bias, &scopes);
	if (n > 0) {
		Dwarf_Die inner = scopes[0];

		free(scopes);
		scopes = NULL;
		n = dwarf_getscopes_die(&inner, &scopes);
	}
	file = line_of(e, addr, &line);
	for (int i = 0; i < n && nr < max; i++) {
		int tag = dwarf_tag(&scopes[i]);
		Dwarf_Word w;
		Dwarf_Attribute a;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		out[nr].fn = scope_name(&scopes[i]);
		out[nr].file = file;
		out[nr].line = line;
		if (!out[nr].fn)
			break;
		nr++;
		if (tag == DW_TAG_subprogram)
			break;
		/* The caller's line: where this inlined copy was called. */
		file = NULL;
		line = 0;
		if (dwarf_attr(&scopes[i], DW_AT_call_file, &a) && !dwarf_formudata(&a, &w) &&
		    files) {
			const char *f = dwarf_filesrc(files, w, NULL, NULL);

			file = f ? elfsym_short_path(e, f) : NULL;
		}
		if (dwarf_attr(&scopes[i], DW_AT_call_line, &a) && !dwarf_formudata(&a, &w))
			line = (int)w;
	}
	free(scopes);
	return nr;
}
