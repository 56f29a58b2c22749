/* SPDX-License-Identifier: GPL-2.0 */
/* What boot found out, for the rest of the kernel. */
#ifndef FERRET_BOOT_H
#define FERRET_BOOT_H

#include <ferret/types.h>

struct mem_region {
	u64 base;
	u64 size;
};

#define MAX_RAM_RANGES 8
#define CMDLINE_MAX 512

struct boot_params {
	int entry_el;			/* exception level ferret was entered at */
	unsigned long dtb;		/* physical address of a valid DTB, or 0 */
	unsigned long dtb_size;
	int nr_ram;
	struct mem_region ram[MAX_RAM_RANGES];
	char cmdline[CMDLINE_MAX];
	bool semihosting;		/* "semihosting" on the command line */
};

extern struct boot_params boot_params;
extern const char ferret_version[];	/* git describe of the build */

/*
 * cmdline_init - take @src as the command line (whole words; a cut is
 * reported), print it and report every option it has that is unknown or
 * malformed (kernel/cmdline.c's table).
 */
void cmdline_init(const char *src);

/*
 * cmdline_get - find "key=value" (or a bare "key") on the kernel command line.
 * Return: the value copied into @buf ("" for a bare key; with @size 0 only
 * whether it is there), or NULL if absent or (reported) longer than @buf.
 */
const char *cmdline_get(const char *key, char *buf, size_t size);

/* cmdline_flag - true if the bare word @key is on the command line ("key=..." is not). */
bool cmdline_flag(const char *key);

/* Board hooks (board/<name>/board.c). */
void board_early_init(void);		/* before the UART is used */
bool board_reset_supported(void);
void board_reset(void);

void uart_console_flush_safe(void);

#endif
