// SPDX-License-Identifier: GPL-2.0
/*
 * printk: format, drop messages above the console log level, write to the
 * console UART (which turns "\n" into "\r\n"). Every message also goes into
 * a static log ring that `dmesg` prints. Interrupt-safe: the whole message is
 * written with interrupts masked so lines from an interrupt never interleave.
 *
 * Several cores: output goes out in whole lines. While more than one core is
 * online, each core gathers what it prints (printk, and console_write() from
 * any core but the console's) in its own line buffer and writes a line to
 * the UART and the log, under the printk lock, once its newline comes (or
 * the buffer fills). The console core's own console_write() (the prompt,
 * echo) goes out at once, after its buffered part of a line.
 */
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/uart.h>
#include <ferret/spinlock.h>
#include <ferret/console.h>
#include <ferret/seq_file.h>
#include <ferret/persist.h>
#include <ferret/smp.h>

int console_loglevel = 7;	/* print everything up to KERN_DEBUG by default */
static bool uart_ready;
static DEFINE_SPINLOCK(printk_lock);

#define LOG_BUF_SIZE 16384
static char log_static[LOG_BUF_SIZE];
static char *log_buf = log_static;	/* moved to kept memory by persist_setup() */
static size_t log_head;		/* total bytes ever written */

#define LINE_BUF_SIZE 256
struct line_buf {
	char buf[LINE_BUF_SIZE];
	size_t len;
	bool log, console;	/* where its line goes */
};
static struct line_buf line_bufs[NR_CPUS];
unsigned int console_cpu;	/* the core that reads the console (the panic console's after a crash) */

/*
 * The lock's exclusive loads and stores need the MMU on: with it off every
 * access is to Device memory, where a core such as the Pi 3's Cortex-A53
 * may never see a store-exclusive succeed. Until start_kernel says the MMU
 * is on only the boot core runs, and printk takes no lock.
 */
static bool printk_locking;

void printk_set_mmu_on(void)
{
	printk_locking = true;
}

static unsigned long printk_lock_irqsave(void)
{
	unsigned long flags = arch_local_irq_save();

	if (printk_locking)
		spin_lock(&printk_lock);
	return flags;
}

static void printk_unlock_irqrestore(unsigned long flags)
{
	if (printk_locking)
		spin_unlock(&printk_lock);
	arch_local_irq_restore(flags);
}

/* The crash path: a crash inside printk must not deadlock the report. */
void printk_bust_lock(void)
{
	spin_lock_init(&printk_lock);
}

void printk_set_uart_ready(void)
{
	uart_ready = true;
}

static void uart_write(const char *s, size_t len)
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
	flags = printk_lock_irqsave();
	memcpy(buf, log_buf, LOG_BUF_SIZE);
	log_buf = buf;
	printk_unlock_irqrestore(flags);
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

/* Under printk_lock: this core's gathered part of a line, out now. */
static void line_flush(struct line_buf *lb)
{
	if (!lb->len)
		return;
	if (lb->log)
		log_store(lb->buf, lb->len);
	if (lb->console)
		uart_write(lb->buf, lb->len);
	lb->len = 0;
}

/* Under printk_lock: @s to the log and/or the console, in whole lines while cores share them. */
static void emit(const char *s, size_t n, bool log, bool console)
{
	struct line_buf *lb = &this_cpu(line_bufs);

	if (num_online_cpus() == 1 && !lb->len) {
		if (log)
			log_store(s, n);
		if (console)
			uart_write(s, n);
		return;
	}
	while (n) {
		size_t take = 0;

		while (take < n && s[take++] != '\n')
			;

		if (lb->len && (lb->log != log || lb->console != console))
			line_flush(lb);		/* another destination: the part so far goes out */
		lb->log = log;
		lb->console = console;
		if (take > LINE_BUF_SIZE - lb->len)
			take = LINE_BUF_SIZE - lb->len;
		memcpy(lb->buf + lb->len, s, take);
		lb->len += take;
		s += take;
		n -= take;
		if (lb->buf[lb->len - 1] == '\n' || lb->len == LINE_BUF_SIZE)
			line_flush(lb);
	}
}

void console_write(const char *s, size_t len)
{
	unsigned long flags;

	flags = printk_lock_irqsave();
	if (smp_processor_id() == console_cpu) {
		line_flush(&this_cpu(line_bufs));
		uart_write(s, len);
	} else {
		emit(s, len, false, true);
	}
	printk_unlock_irqrestore(flags);
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
	flags = printk_lock_irqsave();
	emit(buf, (size_t)n, true, level <= console_loglevel);
	printk_unlock_irqrestore(flags);
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
	for (size_t i = start; i < log_head;) {	/* the ring in at most two pieces */
		size_t off = i % LOG_BUF_SIZE, n = min(log_head - i, (size_t)LOG_BUF_SIZE - off);

		console_write(log_buf + off, n);
		i += n;
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
