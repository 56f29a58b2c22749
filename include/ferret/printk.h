/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk with Linux log levels. A message may start with a KERN_* prefix;
 * messages below the console log level are kept out of the console.
 * The kernel sends output to the UART; the host build sends it to stdout.
 */
#ifndef FERRET_PRINTK_H
#define FERRET_PRINTK_H

#include <ferret/types.h>
#include <ferret/compiler.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

extern int console_loglevel;

#define LOGLEVEL_DEFAULT 4	/* a message without a level: KERN_WARNING, as Linux */

/*
 * printk_get_level - strip a KERN_* prefix from *@fmt.
 * Return: its level 0..7, or LOGLEVEL_DEFAULT (also for KERN_CONT).
 */
static inline int printk_get_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] != KERN_SOH[0] || !f[1])
		return LOGLEVEL_DEFAULT;
	*fmt = f + 2;
	return (f[1] >= '0' && f[1] <= '7') ? f[1] - '0' : LOGLEVEL_DEFAULT;
}

/* printk() is lib/printk.c; vprintk() is the kernel's (kernel/printk.c) or the host shim's. */
__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

/*
 * The log ring, for keeping it across a warm reset (mm/persist.c): its size
 * (0: none), moving it to @buf (0, or -1 if @size is not its size), and how
 * much was ever written.
 */
size_t printk_log_size(void);
int printk_log_relocate(char *buf, size_t size);
void printk_log_state(u64 *head, u64 *size);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/* The current call chain, innermost first, at KERN_WARNING (lib/dump_stack.c). */
void dump_stack(void);

/* Raw console output, no level handling (used by printk and dumps). */
void console_write(const char *s, size_t len);

/* Format helpers from lib/vsprintf.c. %pS prints sym+off/size. */
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
