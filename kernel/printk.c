// SPDX-License-Identifier: GPL-2.0
/*
 * printk: format, drop messages above the console log level, write to the
 * console UART (which turns "\n" into "\r\n"). Every message also goes into
 * a static log ring that `dmesg` prints. Interrupt-safe: the whole message is
 * written with interrupts masked so lines from an interrupt never interleave.
 */
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/uart.h>
#include <ferret/spinlock.h>
#include <ferret/console.h>
#include <ferret/seq_file.h>
#include <ferret/persist.h>

int console_loglevel = 7;	/* print everything up to KERN_DEBUG by default */
static bool uart_ready;
static DEFINE_SPINLOCK(printk_lock);

#define LOG_BUF_SIZE 16384
static char log_static[LOG_BUF_SIZE];
static char *log_buf = log_static;	/* moved to kept memory by persist_setup() */
static size_t log_head;		/* total bytes ever written */

/* The crash path: a crash inside printk must not deadlock the report. */
void printk_bust_lock(void)
{
	spin_lock_init(&printk_lock);
}

void printk_set_uart_ready(void)
{
	uart_ready = true;
}

void console_write(const char *s, size_t len)
{
	if (!uart_ready)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_console_putc('\r');
		uart_console_putc(s[i]);
	}
}

size_t printk_log_size(void)
{
	return LOG_BUF_SIZE;
}

int printk_log_relocate(char *buf, size_t size)
{
	unsigned long flags;

	if (size != LOG_BUF_SIZE)
		return -1;
	spin_lock_irqsave(&printk_lock, flags);
	memcpy(buf, log_buf, LOG_BUF_SIZE);
	log_buf = buf;
	spin_unlock_irqrestore(&printk_lock, flags);
	return 0;
}

void printk_log_state(u64 *head, u64 *size)
{
	*head = log_head;
	*size = LOG_BUF_SIZE;
}

static void log_store(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_buf[log_head++ % LOG_BUF_SIZE] = s[i];
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	unsigned long flags;
	int level = printk_get_level(&fmt), n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf)) {
		/* Cut: say so, and keep the line's end so the next line starts on its own. */
		size_t f = strlen(fmt);

		n = sizeof(buf) - 1;
		if (f && fmt[f - 1] == '\n')
			memcpy(buf + n - 7, "[...]\n", 7);
	}
	spin_lock_irqsave(&printk_lock, flags);
	log_store(buf, n);
	if (level <= console_loglevel)
		console_write(buf, n);
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

static int cmd_dmesg(int argc, char **argv)
{
	size_t start = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;

	if (argc == 2 && !strcmp(argv[1], "--previous")) {
		struct seq_file m;

		seq_init_console(&m);
		return prev_boot_dmesg(&m);
	}
	if (argc > 1)
		return console_usage(argv[0]);
	for (size_t i = start; i < log_head; i++) {
		char c = log_buf[i % LOG_BUF_SIZE];

		console_write(&c, 1);
	}
	return 0;
}
CONSOLE_CMD("dmesg", "[--previous]", "print the kernel log (the last 16 KiB)", cmd_dmesg,
	.args = "(none)\tevery message since boot, also those below the console log level\n"
		"--previous\tthe previous boot's log up to its reset (its crash report,\n"
		"\tthe watchdog's report): kept across a warm reset",
	.example = "dmesg\ndmesg --previous");

static int cmd_loglevel(int argc, char **argv)
{
	unsigned long l;

	if (argc == 1) {
		printk("console log level %d\n", console_loglevel);
		return 0;
	}
	if (argc != 2 || kstrtoul(argv[1], 0, &l) || l > 8) {
		printk("loglevel: expected a level from 0 to 8\n");
		return console_usage(argv[0]);
	}
	console_loglevel = (int)l;
	return 0;
}
CONSOLE_CMD("loglevel", "[0-8]", "show or set the console log level", cmd_loglevel,
	.args = "(none)\tprint the current level\n"
		"<0-8>\tprint messages of this level and more urgent (Linux's numbers:\n"
		"\t0 emerg, 3 err, 4 warning, 6 info, 7 debug; 8 everything)",
	.example = "loglevel\nloglevel 4");
