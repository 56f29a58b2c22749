// SPDX-License-Identifier: GPL-2.0
/*
 * Starting a secondary core on 32-bit Arm (kernel/smp.c decides which):
 *  - PSCI CPU_ON (enable-method "psci" with a /psci node: QEMU virt), the
 *    32-bit function ID; the core starts at secondary_entry (head.S) with
 *    its MMU off, in HYP or SVC mode as the firmware chooses;
 *  - a spin table (enable-method "spin-table"): the entry address written to
 *    the core's release address, cleaned to memory, and an event (SEV);
 *  - the holding pen (head.S): a core that entered _start along with the
 *    boot core (QEMU starts every core of an ELF there: raspi2b, or virt
 *    without PSCI) waits for its MPIDR in pen_release. Where the board says
 *    its firmware parks the cores elsewhere (a Pi's: BCM2836 mailbox 3,
 *    CPU_RELEASE_KIND := mailbox in board.mk), the entry address is written there too, so
 *    the same image starts its cores wherever they wait.
 * Also each core's stacks (asm/sections.h) and its per-core CPU setup.
 */
#include <generated/board.h>
#include <ferret/smp.h>
#include <ferret/errno.h>
#include <ferret/fdt.h>
#include <ferret/printk.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/psci.h>
#include <asm/sections.h>
#include <asm/sysreg.h>
#include <asm-generic/barrier.h>

#define PSCI_0_2_FN_CPU_ON	0x84000003UL
#define BCM2836_MAILBOX3_SET	0x8c	/* core 0's; 0x10 a core */

_Static_assert(NR_CPUS == ARCH_NR_CPUS, "head.S and stacks.S are laid out for ARCH_NR_CPUS");

extern volatile unsigned long pen_release;

bool arch_cpu_stacks(unsigned int cpu, struct cpu_stack_area *a)
{
	unsigned long b = (unsigned long)cpu_stacks + (unsigned long)cpu * CPU_STACKS_SIZE;

	if (cpu >= NR_CPUS)
		return false;
	a->boot = b + CPU_BOOT_STACK_OFF;
	a->boot_top = a->boot + CPU_BOOT_STACK_SIZE;
	a->exc = b + CPU_EXC_STACK_OFF;
	a->exc_top = a->exc + CPU_EXC_STACK_SIZE;
	return true;
}

/* Clean and invalidate to the point of coherency (DCCIMVAC): a core with its MMU off reads memory. */
void arch_clean_dcache(const void *p, size_t len)
{
	unsigned long a = (unsigned long)p & ~31UL, end = (unsigned long)p + len;

	for (; a < end; a += 32)
		__asm__ __volatile__("mcr p15, 0, %0, c7, c14, 1" : : "r"(a) : "memory");
	dsb(sy);
}

/* This core's instruction cache and branch predictor (ICIALLU, BPIALL), then its context. */
void arch_sync_icache(void)
{
	__asm__ __volatile__("mcr p15, 0, %0, c7, c5, 0\n\t"
			     "mcr p15, 0, %0, c7, c5, 6\n\t"
			     "dsb nsh\n\tisb" : : "r"(0) : "memory");
}

/*
 * Every core: the timer's event stream (CNTKCTL.EVNTEN, an event each 2^14
 * counter ticks: about 0.26 ms at 62.5 MHz) wakes a WFE now and then, so a
 * spinlock waiter can notice a lock that is never released.
 */
void arch_cpu_setup(void)
{
	unsigned long v;

	__asm__ __volatile__("mrc p15, 0, %0, c14, c1, 0" : "=r"(v));
	v = (v & ~0xf4UL) | (1UL << 2) | (13UL << 4);
	__asm__ __volatile__("mcr p15, 0, %0, c14, c1, 0\n\tisb" : : "r"(v) : "memory");
}

static long psci_cpu_on(bool smc, unsigned long hwid, unsigned long entry, unsigned long ctx)
{
	register unsigned long r0 __asm__("r0") = PSCI_0_2_FN_CPU_ON;
	register unsigned long r1 __asm__("r1") = hwid;
	register unsigned long r2 __asm__("r2") = entry;
	register unsigned long r3 __asm__("r3") = ctx;

	if (smc)
		__asm__ __volatile__(".arch_extension sec\n\tsmc #0"
				     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
	else
		__asm__ __volatile__(".arch_extension virt\n\thvc #0"
				     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
	return (long)r0;
}

static const char *psci_error(long err)
{
	switch (err) {
	case -2: return "PSCI CPU_ON: invalid parameters";
	case -3: return "PSCI CPU_ON: denied";
	case -4: return "PSCI CPU_ON: already on";
	case -5: return "PSCI CPU_ON: on pending";
	case -9: return "PSCI CPU_ON: invalid address";
	default: return "PSCI CPU_ON failed";
	}
}

static void release_from_pen(unsigned long hwid)
{
	pen_release = hwid;
	arch_clean_dcache((const void *)&pen_release, sizeof(pen_release));
	arch_send_event();
}

int arch_cpu_boot(unsigned int cpu, const struct fdt_cpu *c, const char **how)
{
	unsigned long entry = (unsigned long)secondary_entry;

	if (c->method == FDT_CPU_METHOD_PSCI && psci_conduit() != PSCI_CONDUIT_NONE) {
		long err = psci_cpu_on(psci_conduit() == PSCI_CONDUIT_SMC, (unsigned long)c->hwid,
				       entry, cpu);

		*how = err ? psci_error(err) : "psci";
		return err ? -EINVAL : 0;
	}
	if (c->method == FDT_CPU_METHOD_SPIN) {
		*how = "spin-table";
		if (mmu_write_phys_u64(c->release_addr, entry)) {
			*how = "spin-table: release address not in RAM";
			return -EINVAL;
		}
		arch_send_event();
		return 0;
	}
	if (c->method == FDT_CPU_METHOD_MAILBOX) {
		/*
		 * A Pi's firmware waits on the core's mailbox 3 (write-set
		 * register: the release address) for a non-zero entry; a core
		 * QEMU started at _start waits in the pen. Both are told.
		 */
		unsigned long set = (unsigned long)c->release_addr;

		/* From the DTB ("brcm,bcm2836-smp"): the local controller's register for Aff0. */
		if (!set && BOARD_CPU_RELEASE_MAILBOX)
			set = BOARD_IRQCHIP_BASE + BCM2836_MAILBOX3_SET + 0x10 * (c->hwid & 3);
		if (!set) {
			*how = "mailbox: no BCM2836 local controller on this board";
			return -EINVAL;
		}
		*how = "mailbox";
		dsb(sy);
		writel((u32)entry, set);
		release_from_pen((unsigned long)c->hwid);
		return 0;
	}
	/*
	 * No method that works (enable-method "psci" without a /psci node).
	 * Cores that entered _start with the boot core wait in the holding
	 * pen: release this one from there.
	 */
	*how = "pen";
	release_from_pen((unsigned long)c->hwid);
	return 0;
}
