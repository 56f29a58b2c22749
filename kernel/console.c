// SPDX-License-Identifier: GPL-2.0
/*
 * The UART console: the line editor (lib/lineedit.c: history, cursor keys,
 * Tab completion), a tokenizer, the command table that CONSOLE_CMD() fills
 * from any file, and each command's manual (`help <cmd>`, `<cmd> --help`).
 *
 * Hostile input must never wedge it: NUL bytes and other control characters
 * are dropped, unknown escape sequences are swallowed, a line longer than
 * the buffer is refused with a message at Enter, and CR, LF and CR LF all
 * end a line exactly once.
 *
 * The console is read on one core (console_cpu: 0, or the core that crashed
 * and runs the panic console); a command placed on another core (`on`) sees
 * Ctrl-C as the stop request the console core passes on.
 * While a command runs, console_interrupted() polls the UART: Ctrl-C sets the
 * interrupt flag, anything else goes into a small type-ahead buffer that the
 * next prompt reads first, so scripted input is not lost. When more arrives
 * than it holds, whole lines are dropped (lib/typeahead.c: never the end of
 * one glued to another) and the next prompt says how many.
 */
#include <ferret/console.h>
#include <ferret/printk.h>
#include <ferret/string.h>
#include <ferret/uart.h>
#include <ferret/seq_file.h>
#include <ferret/sched.h>
#include <ferret/lineedit.h>
#include <ferret/reboot.h>
#include <ferret/persist.h>
#include <ferret/typeahead.h>
#include <ferret/smp.h>
#include <asm/processor.h>

#define LINE_MAX	LINEEDIT_MAX
#define MAX_ARGS	16
#define CTRL(c)		((c) & 0x1f)

extern const struct console_cmd __console_cmds_start[], __console_cmds_end[];

static bool interrupted_on[NR_CPUS];	/* per core: a command runs on each (`on`) */
#define interrupted	this_cpu(interrupted_on)
static bool in_panic;
static const char *running_on[NR_CPUS];
#define running_cmd	this_cpu(running_on)

/* Type-ahead: bytes that arrived while a command ran. */
static struct typeahead typeahead;

/*
 * Every byte goes through the type-ahead buffer, at the prompt too: the rest
 * of a line it is dropping may still be arriving when the prompt comes back.
 */
static int console_getc(void)
{
	int c = uart_console_getc();

	if (c >= 0)
		typeahead_put(&typeahead, c);
	return typeahead_get(&typeahead);
}

int console_read_char(void)
{
	for (;;) {
		int c = console_getc();

		if (c >= 0)
			return c;
		barrier();
	}
}

bool console_interrupted(void)
{
	int c;

	if (smp_processor_id() != console_cpu) {
		/* Another core: only the console core reads the UART; it passes Ctrl-C on. */
		if (smp_stop_requested())
			interrupted = true;
		return interrupted;
	}
	touch_softlockup_watchdog();
	while ((c = uart_console_getc()) >= 0) {
		if (c == CTRL('C'))
			interrupted = true;
		else
			typeahead_put(&typeahead, c);
	}
	return interrupted;
}

static void putstr(const char *s)
{
	console_write(s, strlen(s));
}

static const struct console_cmd *find_cmd(const char *name, size_t len)
{
	for (const struct console_cmd *c = __console_cmds_start; c < __console_cmds_end; c++)
		if (!strncmp(c->name, name, len) && !c->name[len])
			return c;
	return NULL;
}

int console_usage(const char *name)
{
	const struct console_cmd *c = find_cmd(name, strlen(name));

	if (c)
		printk("usage: %s%s%s\n'%s --help' explains every option\n", c->name,
		       c->usage[0] ? " " : "", c->usage, c->name);
	return -1;
}

/* Length of the first line of @s (up to '\n' or the end). */
static size_t line_len(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? (size_t)(nl - s) : strlen(s);
}

/* Length of @s up to its first @ch within @n bytes, or @n. */
static size_t span_to(const char *s, size_t n, char ch)
{
	size_t i = 0;

	while (i < n && s[i] != ch)
		i++;
	return i;
}

#define ARG_COL	30	/* the option column of `help <cmd>` */

/* The manual of one command: usage, what it does, its options, examples. */
static void print_manual(const struct console_cmd *c)
{
	const char *p;

	printk("usage: %s%s%s\n  %s\n", c->name, c->usage[0] ? " " : "", c->usage, c->help);
	if (c->args) {
		printk("\narguments and options:\n");
		for (p = c->args; *p; ) {
			size_t n = line_len(p);
			size_t w = span_to(p, n, '\t');
			const char *tab = w < n ? p + w : NULL;

			if (!tab)
				printk("  %.*s\n", (int)n, p);
			else if (w + 2 >= ARG_COL)
				printk("  %.*s\n  %*s %.*s\n", (int)w, p, ARG_COL - 2, "",
				       (int)(n - w - 1), tab + 1);
			else
				printk("  %-*.*s %.*s\n", ARG_COL - 2, (int)w, p, (int)(n - w - 1),
				       tab + 1);
			p += n + (p[n] == '\n');
		}
	}
	if (c->example) {
		printk("\nexample%s:\n", strchr(c->example, '\n') ? "s" : "");
		for (p = c->example; *p; ) {
			size_t n = line_len(p);

			printk("  %.*s\n", (int)n, p);	/* no prompt: capture waits for it */
			p += n + (p[n] == '\n');
		}
	}
	if (!c->panic_safe)
		printk("\nnot available in the panic console\n");
}

/*
 * Offer the literal words of a command's .args: the first word of each line
 * when it starts with a lower-case letter or '-' (not a <placeholder>, not
 * "(none)"), split at '|'; a "--opt=" prefix goes in front of each value.
 */
static void complete_args(struct lineedit *le, const char *args)
{
	while (args && *args) {
		size_t n = line_len(args), w = 0, pre = 0;

		while (w < n && args[w] != ' ' && args[w] != '\t')
			w++;
		if (w && (args[0] == '-' || (args[0] >= 'a' && args[0] <= 'z'))) {
			size_t eq = span_to(args, w, '=');
			char word[LINE_MAX];

			if (eq < w && args[0] == '-')
				pre = eq + 1;
			for (size_t i = pre; i <= w; ) {
				size_t j = i;

				while (j < w && args[j] != '|')
					j++;
				if (j > i && args[i] != '<' && pre + (j - i) < sizeof(word)) {
					memcpy(word, args, pre);
					memcpy(word + pre, args + i, j - i);
					lineedit_candidate(le, word, pre + (j - i));
				}
				i = j + 1;
			}
		}
		args += n + (args[n] == '\n');
	}
}

static int cmd_help(int argc, char **argv);

static bool offered(const struct console_cmd *c)
{
	return !in_panic || c->panic_safe;
}

/* Tab: a command name first, then the words its manual lists. */
static void console_complete(struct lineedit *le, const char *line, unsigned int len)
{
	const struct console_cmd *c;
	unsigned int w = 0;

	while (w < len && line[w] == ' ')
		w++;
	line += w;
	len -= w;
	for (w = 0; w < len && line[w] != ' '; w++)
		;
	if (w == len || !(c = find_cmd(line, w)) || c->fn == cmd_help) {
		if (w < len && !c)
			return;
		/* the command word, or help's argument */
		for (c = __console_cmds_start; c < __console_cmds_end; c++)
			if (offered(c))
				lineedit_candidate(le, c->name, strlen(c->name));
		return;
	}
	complete_args(le, c->args);
	lineedit_candidate(le, "--help", 6);
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
		if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			print_manual(c);
			return 0;
		}
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

static struct lineedit editor;

static void editor_write(const char *s, size_t len)
{
	console_write(s, len);
}

/*
 * Read one line into editor.buf. Returns the length, or -1 when the line
 * was cancelled (Ctrl-C) or refused (too long).
 */
static int read_line(const char *prompt)
{
	lineedit_start(&editor, prompt);
	for (;;) {
		int c = console_getc();

		if (c < 0) {
			touch_softlockup_watchdog();
			if (in_panic)
				panic_poll();
			cpu_relax();
			continue;
		}
		switch (lineedit_feed(&editor, c)) {
		case LINEEDIT_MORE:
			break;
		case LINEEDIT_DONE:
			return (int)editor.len;
		case LINEEDIT_CANCEL:
			return -1;
		case LINEEDIT_TOO_LONG:
			printk("error: line longer than %d characters ignored\n", LINE_MAX - 1);
			return -1;
		}
	}
}

static void __noreturn console_loop(const char *prompt)
{
	static char line[LINE_MAX];

	if (!editor.write)
		lineedit_init(&editor, editor_write, console_complete);
	for (;;) {
		unsigned long dropped = typeahead_take_dropped(&typeahead);

		if (dropped)
			printk("console: %lu typed-ahead line%s dropped whole: more than %d bytes "
			       "arrived while a command ran\n", dropped, dropped == 1 ? "" : "s",
			       TYPEAHEAD_SIZE);
		if (in_panic)
			persist_seal(PERSIST_RUNNING);	/* keep what the last command printed */
		putstr(prompt);
		if (read_line(prompt) < 0)
			continue;
		/* The tokenizer cuts the line up: run a copy, keep the editor's. */
		memcpy(line, editor.buf, editor.len + 1);
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
	console_cpu = smp_processor_id();	/* the core that crashed reads the console now */
	printk("entering the panic console: 'help' lists what still works\n");
	console_loop("panic: ferret> ");
}

bool console_in_panic(void)
{
	return in_panic;
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 2)
		return console_usage(argv[0]);
	if (argc == 2) {
		const struct console_cmd *c = find_cmd(argv[1], strlen(argv[1]));

		if (!c) {
			printk("help: no command '%s': 'help' lists them\n", argv[1]);
			return -1;
		}
		print_manual(c);
		return 0;
	}
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
	printk("\n'help <command>' or '<command> --help': its options and an example.\n"
	       "Keys: Tab completes, Up/Down history, Left/Right/Home/End, Ctrl-W word, Ctrl-C cancel.\n");
	return 0;
}
CONSOLE_CMD_PANIC("help", "[command]", "list commands, or explain one", cmd_help,
	.args = "<command>\tprint that command's usage, options and an example",
	.example = "help\nhelp leaks");

static int cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printk("%s%s", argv[i], i + 1 < argc ? " " : "");
	printk("\n");
	return 0;
}
CONSOLE_CMD_PANIC("echo", "[text...]", "print the arguments", cmd_echo,
	.args = "<text...>\twords to print, separated by one space; \"a  b\" keeps spaces",
	.example = "echo hello world");
