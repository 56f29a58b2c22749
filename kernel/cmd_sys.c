// SPDX-License-Identifier: GPL-2.0
/* System commands: version, uptime, poweroff, reboot, and a deliberate crash for tests. */
#include <generated/board.h>
#include <ferret/build_id.h>
#include <ferret/console.h>
#include <ferret/irq.h>
#include <ferret/printk.h>
#include <ferret/smp.h>
#include <asm/irqflags.h>
#include <ferret/string.h>
#include <ferret/time.h>
#include <ferret/boot.h>
#include <ferret/reboot.h>
#include <ferret/mmzone.h>
#include <ferret/spinlock.h>
#include <asm/cpu.h>
#include <asm/processor.h>

static int cmd_version(int argc, char **argv)
{
	const u8 *id;
	unsigned int len;

	if (argc != 1)
		return console_usage(argv[0]);
	printk("ferret %s (%s), board %s, built with gcc %s\n", ferret_version, __DATE__,
	       BOARD_NAME, __VERSION__);
	id = build_id_get(&len);
	if (id) {
		printk("build id ");
		for (unsigned int i = 0; i < len; i++)
			printk(KERN_CONT "%02x", id[i]);
		printk(KERN_CONT "\n");
	}
	return 0;
}
CONSOLE_CMD_PANIC("version", "", "print the version, board and build id", cmd_version,
	.args = "(none)\tprints \"ferret <git describe> on <board>\" and the image's\n"
		"\tGNU build id (what po_decode --elf checks an ELF against)",
	.example = "version");

static int cmd_uptime(int argc, char **argv)
{
	u64 ns = ktime_get_ns();

	if (argc != 1)
		return console_usage(argv[0]);
	printk("%llu.%06llu s since boot\n", ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / 1000);
	return 0;
}
CONSOLE_CMD_PANIC("uptime", "", "time since boot", cmd_uptime,
	.args = "(none)\tseconds since boot, from the generic timer",
	.example = "uptime");

static bool semihosting_exit(void)
{
	/* SYS_EXIT with ADP_Stopped_ApplicationExit; only if the user said QEMU has -semihosting. */
	static const unsigned long block[2] = { 0x20026, 0 };

	if (!boot_params.semihosting)
		return false;
	uart_console_flush_safe();
	semihosting_call(0x18, block);
	return true;
}

static int cmd_poweroff(int argc, char **argv)
{
	if (argc != 1)
		return console_usage(argv[0]);
	if (psci_conduit() == PSCI_CONDUIT_NONE) {
		if (semihosting_exit())
			return 0;
		printk("poweroff: this machine has no PSCI, cannot power off "
		       "(boot QEMU with -semihosting and 'semihosting' in the command line, "
		       "or leave QEMU with Ctrl-A X)\n");
		return -1;
	}
	printk("Power down\n");
	uart_console_flush_safe();
	psci_system_off();
	printk("poweroff: PSCI SYSTEM_OFF failed\n");
	return -1;
}
CONSOLE_CMD_PANIC("poweroff", "", "power off (PSCI SYSTEM_OFF)", cmd_poweroff,
	.args = "(none)\tPSCI SYSTEM_OFF; QEMU exits. Without PSCI, semihosting when booted\n"
		"\twith 'semihosting' on the command line, else it says it cannot",
	.example = "poweroff");

static int cmd_reboot(int argc, char **argv)
{
	if (argc != 1)
		return console_usage(argv[0]);
	if (!machine_can_restart()) {
		printk("reboot: this machine has no PSCI and no board reset, cannot reboot\n");
		return -1;
	}
	printk("Restarting system\n");
	machine_restart(PERSIST_REBOOT);
	printk("reboot: reset failed\n");
	return -1;
}
CONSOLE_CMD_PANIC("reboot", "", "restart (PSCI SYSTEM_RESET or the board's watchdog)", cmd_reboot,
	.args = "(none)\tPSCI SYSTEM_RESET on virt, the PM watchdog on a Pi; the owner data\n"
		"\tand the log are sealed first, for 'previous' in the next boot",
	.example = "reboot");

/* The address comes from a variable so the compiler cannot prove the fault. */
static volatile unsigned long crash_addrs[] = { 16, NEVER_MAPPED_ADDR };

static int __noinline crash_load(int which)
{
	return *(volatile int *)crash_addrs[which];
}

/* W^X: a store into text or read-only data, a jump into data. Each must fault. */
static const u32 crash_rodata_word = 0x600d600d;
static u32 crash_data_insns[2] = { RET_INSN, RET_INSN };

static void __noinline crash_store(volatile u32 *where)
{
	*where = 0xbad;
}

/* Recurse with a big frame until the boot stack's guard page stops it. */
static volatile unsigned long crash_depth_limit = ~0UL;

static unsigned long __noinline crash_recurse(unsigned long depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	if (depth >= crash_depth_limit)
		return frame[0];
	return crash_recurse(depth + 1) + frame[0];
}

static void crash_tick_recurse(void)
{
	crash_recurse(0);
}

static int cmd_crash(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "null";

	if (argc > 2)
		return console_usage(argv[0]);
	if (!strcmp(how, "null")) {
		crash_load(0);
		printk("crash: the load from 0x%lx did not fault: it is mapped\n", crash_addrs[0]);
		return -1;
	}
	if (!strcmp(how, "undef"))
		execute_undefined();
	else if (!strcmp(how, "brk"))
		execute_breakpoint();
	else if (!strcmp(how, "unmapped")) {
		crash_load(1);
		printk("crash: the load from 0x%lx did not fault: it is mapped\n", crash_addrs[1]);
		return -1;
	}
	else if (!strcmp(how, "overflow")) {
		crash_recurse(0);
		printk("crash: the recursion came back: the stack has no guard\n");
		return -1;
	} else if (!strcmp(how, "irq-overflow")) {
		/* The same in the timer interrupt: it runs on the exception stack. */
		if (timer_tick_start(1000, crash_tick_recurse)) {
			printk("crash: no timer interrupts on this machine\n");
			return -1;
		}
		for (int i = 0; i < 1000000 && !console_interrupted(); i++)
			wait_for_interrupt();
		timer_tick_stop();
		printk("crash: the interrupt's recursion came back: the exception stack has no guard\n");
		return -1;
	} else if (!strcmp(how, "text")) {
		crash_store((volatile u32 *)(unsigned long)crash_store);
		printk("crash: the store into the text at %p did not fault: text is writable\n",
		       (void *)crash_store);
		return -1;
	} else if (!strcmp(how, "rodata")) {
		crash_store((volatile u32 *)&crash_rodata_word);
		printk("crash: the store into read-only data at %p did not fault\n",
		       (void *)&crash_rodata_word);
		return -1;
	} else if (!strcmp(how, "exec")) {
		void (*fn)(void) = (void (*)(void))(unsigned long)crash_data_insns;

		fn();
		printk("crash: the jump into data at %p did not fault: data is executable\n",
		       (void *)crash_data_insns);
		return -1;
	}
	else if (!strcmp(how, "hang")) {
		/* Spin without polling the console: only the watchdog ends it. */
		printk("crash: hanging with interrupts on (boot with watchdog=N to catch it)\n");
		for (;;)
			__asm__ __volatile__("" ::: "memory");
	}
	else if (!strcmp(how, "spin")) {
		/*
		 * Interrupts masked for good: no IPI reaches this core (a crash
		 * elsewhere says so). Masked before the line, which says so.
		 */
		arch_local_irq_disable();
		printk("crash: spinning with interrupts masked on CPU%u\n", smp_processor_id());
		for (;;)
			__asm__ __volatile__("" ::: "memory");
	}
	else if (!strcmp(how, "zonelock")) {
		unsigned long flags __unused;

		/* Crash inside the allocator's critical section. */
		spin_lock_irqsave(&normal_zone.lock, flags);
		return crash_load(0);
	}
	else {
		printk("crash: unknown kind '%s'\n", how);
		return console_usage(argv[0]);
	}
	return 0;
}
CONSOLE_CMD("crash",
	    "[null|undef|brk|unmapped|text|rodata|exec|overflow|irq-overflow|zonelock|hang|spin]",
	    "fault on purpose (tests the crash report)",
	    cmd_crash,
	.args = "null\tload from address 0 (the default): data abort\n"
		"undef\tan undefined instruction (udf #0)\n"
		"brk\ta breakpoint instruction (brk #0x100)\n"
		"unmapped\tload from an address the MMU does not map\n"
		"text\tstore into the kernel's text (read-only: W^X)\n"
		"rodata\tstore into read-only data\n"
		"exec\tjump into data (never executable: W^X)\n"
		"overflow\trecurse until the stack runs into its guard page\n"
		"irq-overflow\tthe same in the timer interrupt (the exception stack)\n"
		"zonelock\tfault while holding the zone lock (the report releases it)\n"
		"hang\tspin for ever with interrupts on: watchdog=N reports it after N seconds\n"
		"spin\tspin for ever with interrupts masked: the core answers no IPI\n"
		"\t(on 2 --nowait crash spin; then a crash elsewhere names it)",
	.example = "crash null\ncrash zonelock\non 2 crash null");
