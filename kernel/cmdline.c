// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel command line: DTB /chosen/bootargs, or the board's default,
 * taken in whole words and checked against every option this kernel knows
 * (lib/bootopt.c). Each problem is reported at boot, and ignored.
 */
#include <ferret/boot.h>
#include <ferret/bootopt.h>
#include <ferret/printk.h>
#include <ferret/seq_file.h>
#include <ferret/string.h>

/*
 * Every boot option, wherever it is parsed: page_owner_param()
 * (mm/page_owner.c), slab_param() (mm/slab.c, which checks its own values),
 * start_kernel() (semihosting), smp_init() (maxcpus), apps_boot() (kernel/app.c), uart_console_setup()
 * (drivers/uart/console_uart.c: console=ttyAMA0,<baud>).
 */
static const struct bootopt boot_options[] = {
	{ .name = "app", .kind = BOOTOPT_VALUE },
	{ .name = "console", .kind = BOOTOPT_VALUE },
	{ .name = "maxcpus", .kind = BOOTOPT_VALUE },
	{ .name = "page_owner", .kind = BOOTOPT_BOOL },
	{ .name = "page_owner_memo", .kind = BOOTOPT_BOOL },
	{ .name = "panic", .kind = BOOTOPT_VALUE },
	{ .name = "persist", .kind = BOOTOPT_BOOL },
	{ .name = "semihosting", .kind = BOOTOPT_FLAG },
	{ .name = "slab_debug", .kind = BOOTOPT_VALUE },
	{ .name = "slub_debug", .kind = BOOTOPT_VALUE },
	{ .name = "slab_owner", .kind = BOOTOPT_VALUE },
	{ .name = "slab_min_partial", .kind = BOOTOPT_VALUE },
	{ .name = "watchdog", .kind = BOOTOPT_VALUE },
};

static void printk_seq_write(struct seq_file *m, const char *s, size_t len)
{
	printk(KERN_ERR "%.*s", (int)len, s);
}

/* Lines longer than printk's buffer would lose their end: print in pieces. */
static void print_cmdline(const char *s)
{
	size_t n = strlen(s);

	pr_info("command line: ");
	for (size_t i = 0; i < n; i += 128)
		printk(KERN_INFO "%.*s", (int)(n - i < 128 ? n - i : 128), s + i);
	printk(KERN_INFO "\n");
}

void cmdline_init(const char *src)
{
	struct seq_file m;

	memset(&m, 0, sizeof(m));
	m.write = printk_seq_write;
	bootopt_copy(boot_params.cmdline, sizeof(boot_params.cmdline), src, &m);
	print_cmdline(boot_params.cmdline);
	bootopt_check(boot_params.cmdline, boot_options, ARRAY_SIZE(boot_options), &m);
}

const char *cmdline_get(const char *key, char *buf, size_t size)
{
	const char *v;
	size_t n;

	if (!bootopt_find(boot_params.cmdline, key, &v, &n))
		return NULL;
	if (!size)
		return "";		/* only asked whether it is there */
	if (n >= size) {
		pr_err("cmdline: the value of '%s' is longer than %zu bytes: ignored\n", key,
		       size - 1);
		return NULL;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	return buf;
}

bool cmdline_flag(const char *key)
{
	const char *v;
	size_t n;

	return bootopt_find(boot_params.cmdline, key, &v, &n) && !n && v[-1] != '=';
}
