// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's symbol table and build id from its ELF (elf_syms.h), with
 * elfutils' libelf. The lookup is kernel/kallsyms.c's and lib/symbol.c's
 * %pB, on the same arrays, so a frame decodes to the very line the kernel
 * would have printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_syms.h"
#include "path.h"

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

enum { SYM_NUM, SYM_OFFSETS, SYM_SIZES, SYM_NAME_OFFSETS, SYM_NAMES, SYM_TEXT, SYM_ETEXT,
       NR_SYMS };
static const char *const wanted[NR_SYMS] = {
	"kallsyms_num", "kallsyms_offsets", "kallsyms_sizes", "kallsyms_name_offsets",
	"kallsyms_names", "_text", "_etext",
};

/* Where symbol value @addr of section @shndx lies in the file: pointer and bytes left. */
static const unsigned char *at(Elf *e, const unsigned char *mem, size_t mem_len, size_t shndx,
			       uint64_t addr, size_t *left)
{
	Elf_Scn *scn = elf_getscn(e, shndx);
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS || addr < sh.sh_addr ||
	    addr - sh.sh_addr >= sh.sh_size || sh.sh_offset + sh.sh_size > mem_len)
		return NULL;
	*left = sh.sh_size - (addr - sh.sh_addr);
	return mem + sh.sh_offset + (addr - sh.sh_addr);
}

static void read_build_id(Elf *e, struct elf_syms *s)
{
	Elf_Scn *scn = NULL;

	s->build_id[0] = '\0';
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(data = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    !memcmp((char *)data->d_buf + name_off, "GNU", 4) && nh.n_descsz &&
			    nh.n_descsz <= 20) {
				const unsigned char *d = (unsigned char *)data->d_buf + desc_off;

				for (size_t i = 0; i < nh.n_descsz; i++)
					sprintf(s->build_id + 2 * i, "%02x", d[i]);
				return;
			}
		}
	}
}

int elf_syms_open(struct elf_syms *s, const char *path, char *err, size_t errlen)
{
	uint64_t value[NR_SYMS];
	size_t shndx[NR_SYMS], left[NR_SYMS], len, nsyms;
	const unsigned char *p[NR_SYMS];
	Elf_Scn *scn = NULL;
	unsigned char *mem = NULL;
	unsigned found = 0;
	Elf *e = NULL;
	FILE *f;
	long n;

	memset(s, 0, sizeof(*s));
	if (path_is_directory(path)) {
		snprintf(err, errlen, "%s is a directory, not an ELF file", path);
		return -1;
	}
	if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(mem = malloc((size_t)n + 1)) ||
	    fread(mem, 1, (size_t)n, f) != (size_t)n) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		free(mem);
		return -1;
	}
	fclose(f);
	len = (size_t)n;
	elf_version(EV_CURRENT);
	if (!(e = elf_memory((char *)mem, len)) || elf_kind(e) != ELF_K_ELF) {
		snprintf(err, errlen, "%s is not an ELF file", path);
		goto fail;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !(data = elf_getdata(scn, NULL)))
			continue;
		nsyms = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; i < nsyms; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym) ||
			    !(name = elf_strptr(e, sh.sh_link, sym.st_name)))
				continue;
			for (int k = 0; k < NR_SYMS; k++) {
				if (!(found & 1u << k) && !strcmp(name, wanted[k]) &&
				    sym.st_shndx != SHN_UNDEF && sym.st_shndx < SHN_LORESERVE) {
					value[k] = sym.st_value;
					shndx[k] = sym.st_shndx;
					found |= 1u << k;
				}
			}
		}
	}
	for (int k = 0; k < NR_SYMS; k++) {
		if (!(found & 1u << k)) {
			snprintf(err, errlen, "%s has no symbol %s: not a ferret kernel with its "
				 "symbol table", path, wanted[k]);
			goto fail;
		}
		p[k] = k >= SYM_TEXT ? NULL : at(e, mem, len, shndx[k], value[k], &left[k]);
		if (k < SYM_TEXT && !p[k]) {
			snprintf(err, errlen, "%s: %s is outside its section", path, wanted[k]);
			goto fail;
		}
	}
	s->num = le32(p[SYM_NUM]);
	if (left[SYM_NUM] < 4 || left[SYM_OFFSETS] / 4 < s->num || left[SYM_SIZES] / 4 < s->num ||
	    left[SYM_NAME_OFFSETS] / 4 < s->num) {
		snprintf(err, errlen, "%s: its symbol table is cut short", path);
		goto fail;
	}
	s->offsets = p[SYM_OFFSETS];
	s->sizes = p[SYM_SIZES];
	s->name_offsets = p[SYM_NAME_OFFSETS];
	s->names = (const char *)p[SYM_NAMES];
	s->names_len = left[SYM_NAMES];
	s->text = value[SYM_TEXT];
	s->etext = value[SYM_ETEXT];
	read_build_id(e, s);
	elf_end(e);
	s->mem = mem;
	return 0;
fail:
	if (e)
		elf_end(e);
	free(mem);
	return -1;
}

/* kernel/kallsyms.c's kallsyms_lookup() on the ELF's arrays. */
static const char *lookup(const struct elf_syms *s, uint64_t addr, uint64_t *size,
			  uint64_t *offset)
{
	uint32_t lo = 0, hi = s->num, off, start, name;

	if (addr < s->text || addr >= s->etext || !s->num)
		return NULL;
	off = (uint32_t)(addr - s->text);
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (le32(s->offsets + 4 * mid) <= off)
			lo = mid;
		else
			hi = mid;
	}
	start = le32(s->offsets + 4 * lo);
	if (start > off || off - start >= le32(s->sizes + 4 * lo))
		return NULL;
	name = le32(s->name_offsets + 4 * lo);
	if (name >= s->names_len || !memchr(s->names + name, '\0', s->names_len - name))
		return NULL;
	*size = le32(s->sizes + 4 * lo);
	*offset = off - start;
	return s->names + name;
}

size_t elf_syms_frame(const struct elf_syms *s, uint64_t pc, char *buf, size_t size)
{
	uint64_t sz, off;
	/* %pB: looked up at pc - 1, the offset is pc's own (lib/symbol.c). */
	const char *name = pc ? lookup(s, pc - 1, &sz, &off) : NULL;
	int n;

	if (name)
		n = snprintf(buf, size, " %s+0x%llx/0x%llx\n", name, (unsigned long long)off + 1,
			     (unsigned long long)sz);
	else
		n = snprintf(buf, size, " 0x%llx\n", (unsigned long long)pc);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

void elf_syms_close(struct elf_syms *s)
{
	free(s->mem);
	s->mem = NULL;
}
