// SPDX-License-Identifier: GPL-2.0
/*
 * The UART console: a line editor (echo, backspace, Ctrl-U, Ctrl-C), a
 * tokenizer and the command table that CONSOLE_CMD() fills from any file.
 *
 * Hostile input must never wedge it: NUL bytes and other control characters
 * are dropped, escape sequences (arrow keys) are swallowed, a line longer
 * than the buffer is refused with a message at Enter, and CR, LF and CR LF
 * all end a line exactly once.
 *
 * While a command runs, console_interrupted() polls the UART: Ctrl-C sets the
 * interrupt flag, anything else goes into a small type-ahead buffer that the
 * next prompt reads first, so scripted input is not lost.
 */
#include <ferret/console.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/uart.h>
#include <ferret/seq_file.h>
#include <ferret/sched.h>

#define LINE_MAX	256
#define MAX_ARGS	16
#define CTRL(c)		((c) & 0x1f)

extern const struct console_cmd __console_cmds_start[], __console_cmds_end[];

static bool interrupted;
static bool in_panic;
static const char *running_cmd;

/* Type-ahead: bytes that arrived while a command ran. */
static char typeahead[256];
static unsigned int ta_head, ta_tail;

static int console_getc(void)
{
	if (ta_head != ta_tail)
		return (u8)typeahead[ta_tail++ % sizeof(typeahead)];
	return uart_console_getc();
}

bool console_interrupted(void)
{
	int c;

	while ((c = uart_console_getc()) >= 0) {
		if (c == CTRL('C'))
			interrupted = true;
		else if (ta_head - ta_tail < sizeof(typeahead))
			typeahead[ta_head++ % sizeof(typeahead)] = (char)c;
	}
	return interrupted;
}

static void putstr(const char *s)
{
	console_write(s, strlen(s));
}

int console_usage(const char *name)
{
	for (const struct console_cmd *c = __console_cmds_start; c < __console_cmds_end; c++) {
		if (!strcmp(c->name, name)) {
			printk("usage: %s%s%s\n", c->name, c->usage[0] ? " " : "", c->usage);
			return -1;
		}
	}
	return -1;
}

int parse_ulong(const char *s, unsigned long *out)
{
	if (kstrtoul(s, 0, out)) {
		printk("%s: '%s' is not a number\n", running_cmd ? running_cmd : "console", s);
		return -1;
	}
	return 0;
}

/* seq_file sink for dumps: straight to the UART, Ctrl-C aborts between records. */
static void seq_console_write(struct seq_file *m, const char *s, size_t len)
{
	console_write(s, len);
}

static bool seq_console_abort(struct seq_file *m)
{
	return console_interrupted();
}

void seq_init_console(struct seq_file *m)
{
	memset(m, 0, sizeof(*m));
	m->write = seq_console_write;
	m->should_abort = seq_console_abort;
}

static int tokenize(char *line, char **argv)
{
	int argc = 0;
	char *p = line;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == MAX_ARGS)
			return -1;
		if (*p == '"') {
			argv[argc++] = ++p;
			while (*p && *p != '"')
				p++;
			if (*p)
				*p++ = '\0';
			continue;
		}
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

int console_execute(char *line)
{
	char *argv[MAX_ARGS + 1];
	int argc = tokenize(line, argv);
	int ret;

	if (argc < 0) {
		printk("error: too many arguments (at most %d)\n", MAX_ARGS - 1);
		return -1;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	for (const struct console_cmd *c = __console_cmds_start; c < __console_cmds_end; c++) {
		if (strcmp(c->name, argv[0]))
			continue;
		if (in_panic && !c->panic_safe) {
			printk("%s: not available in the panic console\n", argv[0]);
			return -1;
		}
		interrupted = false;
		running_cmd = c->name;
		ret = c->fn(argc, argv);
		running_cmd = NULL;
		if (interrupted) {
			printk("^C\n%s: interrupted\n", c->name);
			interrupted = false;
		}
		return ret;
	}
	printk("unknown command '%s': type 'help' for the list\n", argv[0]);
	return -1;
}

/*
 * Read one line into @buf. Returns the length, or -1 when the line was
 * cancelled (Ctrl-C) or refused (too long).
 */
static int read_line(char *buf)
{
	int len = 0, esc = 0;
	bool overflow = false;
	static bool last_was_cr;

	for (;;) {
		int c = console_getc();

		if (c < 0) {
			__asm__ __volatile__("yield");
			continue;
		}
		if (esc) {	/* ESC [ params final, or ESC x */
			if (esc == 1 && c == '[') {
				esc = 2;
				continue;
			}
			if (esc == 2 && c >= 0x20 && c < 0x40)
				continue;
			esc = 0;
			continue;
		}
		if (c == '\n' && last_was_cr) {
			last_was_cr = false;
			continue;	/* the LF of a CR LF pair */
		}
		last_was_cr = (c == '\r');
		switch (c) {
		case '\r':
		case '\n':
			putstr("\n");
			if (overflow) {
				printk("error: line longer than %d characters ignored\n", LINE_MAX - 1);
				return -1;
			}
			buf[len] = '\0';
			return len;
		case CTRL('C'):
			putstr("^C\n");
			return -1;
		case CTRL('U'):
			while (len > 0) {
				putstr("\b \b");
				len--;
			}
			overflow = false;
			break;
		case '\b':
		case 0x7f:
			if (len > 0) {
				putstr("\b \b");
				len--;
			}
			break;
		case 0x1b:
			esc = 1;
			break;
		default:
			if (c < 0x20 || c > 0x7e)
				break;	/* NUL, other controls, non-ASCII: dropped */
			if (len >= LINE_MAX - 1) {
				overflow = true;
				break;
			}
			buf[len++] = (char)c;
			console_write((char *)&buf[len - 1], 1);
		}
	}
}

static void __noreturn console_loop(const char *prompt)
{
	static char line[LINE_MAX];

	for (;;) {
		putstr(prompt);
		if (read_line(line) < 0)
			continue;
		console_execute(line);
	}
}

void console_run(void)
{
	task_ctx_switch(CTX_PID_CONSOLE);
	console_loop("ferret> ");
}

void panic_console_run(void)
{
	in_panic = true;
	printk("entering the panic console: 'help' lists what still works\n");
	console_loop("panic: ferret> ");
}

bool console_in_panic(void)
{
	return in_panic;
}

static int cmd_help(int argc, char **argv)
{
	for (const struct console_cmd *c = __console_cmds_start; c < __console_cmds_end; c++) {
		int len;

		if (in_panic && !c->panic_safe)
			continue;
		/* A long usage gets its own line; the help text is always whole. */
		len = printk("  %s%s%s", c->name, c->usage[0] ? " " : "", c->usage);
		if (len > 42)
			printk("\n  %-40s %s\n", "", c->help);
		else
			printk("%*s %s\n", 42 - len, "", c->help);
	}
	return 0;
}
CONSOLE_CMD_PANIC("help", "", "list commands", cmd_help);

static int cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printk("%s%s", argv[i], i + 1 < argc ? " " : "");
	printk("\n");
	return 0;
}
CONSOLE_CMD_PANIC("echo", "[text...]", "print the arguments", cmd_echo);
