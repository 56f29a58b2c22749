// SPDX-License-Identifier: GPL-2.0
/*
 * start_kernel: the boot order, one step per line. arch/<arch>/kernel/head.S calls it on
 * core 0 at EL1 with the MMU off, BSS zeroed and the boot stack set up.
 */
#include <generated/board.h>
#include <ferret/boot.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/console.h>
#include <ferret/uart.h>
#include <ferret/fdt.h>
#include <ferret/stacktrace.h>
#include <ferret/sched.h>
#include <ferret/irq.h>
#include <ferret/reboot.h>
#include <ferret/smp.h>
#include <asm/cpu.h>
#include <asm/sections.h>

struct boot_params boot_params;
int boot_entry_el;


void printk_set_uart_ready(void);
void printk_set_mmu_on(void);
void mm_boot_init(void);
void apps_boot(void);

#define MAX_DEV_WINDOWS 8
static struct mem_region dev_windows[MAX_DEV_WINDOWS];
static int nr_dev_windows;

void uart_console_flush_safe(void)
{
	uart_console_flush();
}

/* BOARD_DEVICE_WINDOWS: "base:size base:size ..." from board.mk. */
static void parse_device_windows(void)
{
	char buf[128], *p = buf;

	strlcpy(buf, BOARD_DEVICE_WINDOWS, sizeof(buf));
	while (*p && nr_dev_windows < MAX_DEV_WINDOWS) {
		char *tok = p, *colon, *end;
		unsigned long base, size;

		while (*p && *p != ' ')
			p++;
		end = p;
		if (*p)
			*p++ = '\0';
		colon = strchr(tok, ':');
		if (!colon || colon > end)
			continue;
		*colon = '\0';
		if (kstrtoul(tok, 0, &base) || kstrtoul(colon + 1, 0, &size))
			continue;
		dev_windows[nr_dev_windows].base = base;
		dev_windows[nr_dev_windows].size = size;
		nr_dev_windows++;
	}
}

static bool dtb_candidate(unsigned long addr)
{
	/* Only look where RAM can be: reading elsewhere with the MMU off may abort. */
	u64 off = (u64)addr - BOARD_RAM_BASE;

	if (off > addr || off >= (16ULL << 30) || (addr & 7))	/* below RAM, 16 GiB above */
		return false;
	return *(volatile u32 *)addr == 0xedfe0dd0;	/* FDT magic, big endian */
}

/*
 * A blob in the first pages, which the MMU never maps so that NULL faults
 * (QEMU's raspi2b leaves its DTB at 0; a Pi's firmware may use 0x100): copy
 * it out before the MMU is on. Its address would also read as NULL, "none".
 * Return: the copy, or NULL (too big: said why).
 */
static const void *dtb_from_null_guard(unsigned long addr)
{
	static u8 copy[NULL_GUARD_SIZE] __attribute__((aligned(8)));
	const volatile u8 *src;
	u32 size;

	__asm__("" : "=r"(src) : "0"(addr));	/* an address, not the NULL constant */
	size = (u32)src[4] << 24 | (u32)src[5] << 16 | (u32)src[6] << 8 | src[7];
	if (size > sizeof(copy)) {
		pr_err("dtb: the device tree at 0x%lx (%u bytes) is larger than the %lu bytes kept "
		       "for one in the never-mapped first pages: refused, using the board defaults\n",
		       addr, size, (unsigned long)sizeof(copy));
		return NULL;
	}
	for (u32 i = 0; i < size; i++)
		copy[i] = src[i];
	pr_info("dtb: copied from 0x%lx, in the never-mapped first %lu KiB, to 0x%lx\n", addr,
		NULL_GUARD_SIZE >> 10, (unsigned long)copy);
	return copy;
}

/* Find and check the DTB; fill RAM ranges, command line and PSCI from it. */
static const char *setup_from_dtb(unsigned long x0)
{
	unsigned long cand[2] = { x0, BOARD_RAM_BASE };
	const void *fdt = NULL;
	struct fdt_mem_range mem[MAX_RAM_RANGES];
	const char *bootargs;
	int n, err;

	for (int i = 0; i < 2 && !fdt; i++) {
		const void *blob = (const void *)cand[i];

		if (!dtb_candidate(cand[i]))
			continue;
		if (cand[i] < NULL_GUARD_SIZE && !(blob = dtb_from_null_guard(cand[i])))
			return NULL;
		err = fdt_check(blob, 2UL << 20);
		if (err) {
			pr_err("dtb: the device tree at 0x%lx is malformed (error %d), refused: "
			       "using the board defaults\n", cand[i], err);
			return NULL;
		}
		fdt = blob;
	}
	if (!fdt) {
		pr_info("dtb: none found, using the board's facts\n");
		return NULL;
	}
	boot_params.dtb = (unsigned long)fdt;
	boot_params.dtb_size = fdt_totalsize(fdt);
	n = fdt_get_memory(fdt, mem, MAX_RAM_RANGES);
	for (int i = 0; i < n; i++) {
		if (!mem[i].size)
			continue;
		boot_params.ram[boot_params.nr_ram].base = mem[i].base;
		boot_params.ram[boot_params.nr_ram].size = mem[i].size;
		boot_params.nr_ram++;
	}
	if (!boot_params.nr_ram)
		pr_warn("dtb: no usable /memory node, using the board's RAM\n");
	bootargs = fdt_get_bootargs(fdt);
	switch (fdt_get_psci_method(fdt)) {
	case FDT_PSCI_HVC:
		psci_init(PSCI_CONDUIT_HVC);
		break;
	case FDT_PSCI_SMC:
		psci_init(PSCI_CONDUIT_SMC);
		break;
	default:
		psci_init(PSCI_CONDUIT_NONE);
	}
	pr_info("dtb: %lu bytes at 0x%lx\n", boot_params.dtb_size, boot_params.dtb);
	return bootargs && bootargs[0] ? bootargs : NULL;
}

/*
 * Keep the RAM the identity map can hold: below ARCH_RAM_TOP (asm/cpu.h; on
 * 32-bit Arm the top 16 MiB of the address space, and all RAM above 4 GiB).
 * What is left out is said, never dropped silently.
 */
static void clip_ram(void)
{
	int n = 0;

	for (int i = 0; i < boot_params.nr_ram; i++) {
		struct mem_region r = boot_params.ram[i];
		u64 end = r.size > ~0ULL - r.base ? ~0ULL : r.base + r.size;

		if (end > ARCH_RAM_TOP) {
			u64 cut = r.base > ARCH_RAM_TOP ? r.base : ARCH_RAM_TOP;

			pr_warn("RAM: 0x%llx-0x%llx (%llu MiB) not used: this kernel maps RAM "
				"below 0x%llx only\n", (unsigned long long)cut,
				(unsigned long long)(end - 1), (unsigned long long)((end - cut) >> 20),
				(unsigned long long)ARCH_RAM_TOP);
			if (r.base >= ARCH_RAM_TOP)
				continue;
			r.size = ARCH_RAM_TOP - r.base;
		}
		boot_params.ram[n++] = r;
	}
	boot_params.nr_ram = n;
}

static void print_ram(void)
{
	u64 total = 0;

	for (int i = 0; i < boot_params.nr_ram; i++) {
		u64 b = boot_params.ram[i].base, s = boot_params.ram[i].size;

		pr_info("RAM: 0x%llx-0x%llx (%llu MiB)\n", (unsigned long long)b,
			(unsigned long long)(b + s - 1), (unsigned long long)(s >> 20));
		total += s;
	}
	pr_info("RAM: %llu MiB in %d range%s\n", (unsigned long long)(total >> 20),
		boot_params.nr_ram, boot_params.nr_ram == 1 ? "" : "s");
}

void start_kernel(unsigned long x0, unsigned long entry_el)
{
	const char *bootargs;

	boot_entry_el = (int)entry_el;
	boot_params.entry_el = (int)entry_el;

	board_early_init();			// pins and clocks the UART needs
	uart_console_init();			// polled console UART
	printk_set_uart_ready();
	timer_init();				// time since boot
	pr_info("\nferret %s on %s, entered %s\n", ferret_version, BOARD_NAME, arch_entry_mode());

	bootargs = setup_from_dtb(x0);		// RAM, bootargs, PSCI conduit
	if (!boot_params.nr_ram) {
		boot_params.ram[0].base = BOARD_RAM_BASE;
		boot_params.ram[0].size = BOARD_RAM_SIZE;
		boot_params.nr_ram = 1;
	}
	clip_ram();
	print_ram();
	cmdline_init(bootargs ? bootargs : BOARD_DEFAULT_CMDLINE);	// checked, reported
	boot_params.semihosting = cmdline_flag("semihosting");
	uart_console_setup((const void *)boot_params.dtb);	// baud from DTB, console=
	panic_param();				// panic=N: reset N s after a crash

	parse_device_windows();
	mmu_init(boot_params.ram, boot_params.nr_ram,
		 dev_windows, nr_dev_windows);	// identity map, caches on
	printk_set_mmu_on();			// locks work: exclusives need the MMU
	pr_info("mmu: on, caches on\n");

	stacktrace_register_stack((unsigned long)boot_stack, (unsigned long)boot_stack_top, "boot");
	stacktrace_register_stack((unsigned long)exception_stack,
				  (unsigned long)exception_stack_top, "exception");
	stacktrace_register_stack((unsigned long)panic_stack, (unsigned long)panic_stack_top,
				  "panic");
	stacktrace_set_skip_text((unsigned long)__mm_track_text_start,
				 (unsigned long)__mm_track_text_end);

	mm_boot_init();				// memblock, mem_map, buddy, page_ext, page_owner
	irq_init();				// interrupt controller, timer interrupts
	smp_init();				// bring up the other cores
	watchdog_init();			// watchdog=N: a hang of N s panics

	pr_info("Type 'help' for commands, 'help <command>' for one; "
		"leave with 'poweroff' (in QEMU also Ctrl-A X).\n");
	apps_boot();				// app=<name>,...: docs/APPS.md
	console_run();				// never returns
}
