/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The target of the host tools (capture, monitor): a serial device opened
 * raw, or a QEMU started here on a pseudo terminal with ferret's console on
 * it. Shared by the tools that talk to a running ferret.
 */
#ifndef TOOLS_TARGET_H
#define TOOLS_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PROMPT		"ferret> "
#define PANIC_PROMPT	"panic: ferret> "
#define DEFAULT_QEMU	"-M virt -cpu cortex-a53 -m 512M -kernel "
#define DEFAULT_ELF	"build/qemu-virt/ferret.elf"

struct target {
	int fd;
	pid_t qemu;		/* 0: serial port */
	bool serial;
};

/* The tool's name, for messages ("capture", "monitor"). */
extern const char *tool_name;

/* "<tool>: message" on stderr, exit 1 (the target is stopped by target_stop_at_exit()). */
__attribute__((noreturn, format(printf, 1, 2))) void tool_die(const char *fmt, ...);

/* Seconds on the monotonic clock. */
double tool_now(void);

/* Split QEMU arguments as a shell would: spaces, '...', "...", backslash. */
char **split_args(const char *s, int *argc);
bool has_arg(char **argv, const char *a);

/* Where to connect: the options the tools share. */
struct target_opts {
	const char *port, *qemu, *boot_args;
	unsigned long baud;	/* 115200 unless given */
};

/*
 * If argv[*i] is --port, --baud, --qemu or --boot-args (its value in
 * argv[*i + 1]), store it in @o, step *i past the value, return true.
 */
bool target_parse_opt(struct target_opts *o, int argc, char **argv, int *i);

/* Connect as @o says: the serial port, or QEMU (@default_args without --qemu). */
void target_open(struct target *t, const struct target_opts *o, const char *default_args);

/* A serial device, raw 8N1, no flow control, no echo or CR/LF mapping. */
void target_open_port(struct target *t, const char *dev, unsigned long baud);

/*
 * QEMU @args (+ -append @boot_args) with the first serial port on a pseudo
 * terminal, -monitor none, no NIC unless asked; QEMU dies with the tool. The
 * system emulator is $QEMU if set, else the one for the -kernel ELF's
 * architecture (target_qemu_for()).
 */
void target_start_qemu(struct target *t, const char *args, const char *boot_args);

/* ELF architectures the tools tell apart: a ferret kernel is one of these. */
enum elf_arch { ELF_ARCH_OTHER, ELF_ARCH_ARM64, ELF_ARCH_ARM };

/* @path's architecture from its ELF header (ELF_ARCH_OTHER: unreadable or neither). */
enum elf_arch elf_arch_of(const char *path);

/*
 * The QEMU system emulator for the kernel @path: qemu-system-arm for a
 * 32-bit Arm ELF, else qemu-system-aarch64 (also when @path is NULL or is a
 * raw image).
 */
const char *target_qemu_for(const char *path);

/* The default QEMU CPU for the kernel @path: cortex-a15 for 32-bit Arm, else cortex-a53. */
const char *target_cpu_for(const char *path);

/* Stop QEMU (SIGTERM, then SIGKILL) and close the line. */
void target_stop(struct target *t);

/* Stop @t on every exit path: exit(), tool_die(), SIGTERM, SIGHUP. */
void target_stop_at_exit(struct target *t);

/* Write all of @s; on a serial line a byte at a time (a UART FIFO is small). */
void target_send(struct target *t, const char *s, size_t n);

/*
 * Wait up to @ms for bytes from the target and read them into @buf.
 * Return: how many, 0 when none came in time, -1 when the line closed (QEMU
 * exited, the serial device went away).
 */
ssize_t target_recv(struct target *t, char *buf, size_t size, int ms);

/* @line (@len bytes, no '\r') is the console's prompt, or the panic console's. */
bool console_is_prompt(const char *line, size_t len);

/*
 * The QEMU arguments that boot this tree's kernel: build/qemu-virt/ferret.elf
 * found from the tool's own place (build/host/tools/<tool>), else from the
 * working directory. @elf_out (if not NULL) gets the ELF's path.
 */
char *target_default_qemu_args(const char **elf_out);

#endif
