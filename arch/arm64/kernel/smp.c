// SPDX-License-Identifier: GPL-2.0
/*
 * Starting a secondary core on AArch64 (kernel/smp.c decides which):
 *  - PSCI CPU_ON (enable-method "psci" with a /psci node): the core starts
 *    at secondary_entry (head.S) with the MMU off, at the EL the firmware
 *    chooses;
 *  - a spin table (enable-method "spin-table", or the board's, as a Pi's
 *    firmware and QEMU's raspi models park the secondaries): the entry
 *    address is written to the core's release address, cleaned to memory,
 *    and an event (SEV) wakes it;
 *  - the holding pen (head.S): a core that entered _start along with the
 *    boot core (QEMU virt with no PSCI) waits for its MPIDR in pen_release.
 * Also each core's stacks (asm/sections.h) and its per-core CPU setup.
 */
#include <ferret/smp.h>
#include <ferret/errno.h>
#include <ferret/fdt.h>
#include <ferret/printk.h>
#include <asm/cpu.h>
#include <asm/psci.h>
#include <asm/sections.h>
#include <asm/sysreg.h>

#define PSCI_0_2_FN64_CPU_ON	0xc4000003UL

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

/* Clean and invalidate to the point of coherency: a core with its MMU off reads memory. */
void arch_clean_dcache(const void *p, size_t len)
{
	unsigned long a = (unsigned long)p & ~31UL, end = (unsigned long)p + len;

	for (; a < end; a += 32)
		__asm__ __volatile__("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void arch_sync_icache(void)
{
	__asm__ __volatile__("ic iallu\n\tdsb nsh\n\tisb" ::: "memory");
}

/*
 * Every core: the timer's event stream (CNTKCTL_EL1.EVNTEN, an event each
 * 2^14 counter ticks: about 0.26 ms at 62.5 MHz) wakes a WFE now and then,
 * so a spinlock waiter can notice a lock that is never released.
 */
void arch_cpu_setup(void)
{
	write_sysreg((read_sysreg(cntkctl_el1) & ~0xf4UL) | (1UL << 2) | (13UL << 4), cntkctl_el1);
	isb();
}

static long psci_cpu_on(bool smc, unsigned long hwid, unsigned long entry, unsigned long ctx)
{
	register unsigned long x0 __asm__("x0") = PSCI_0_2_FN64_CPU_ON;
	register unsigned long x1 __asm__("x1") = hwid;
	register unsigned long x2 __asm__("x2") = entry;
	register unsigned long x3 __asm__("x3") = ctx;

	if (smc)
		__asm__ __volatile__("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (long)x0;
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
	/*
	 * No method that works (enable-method "psci" without a /psci node:
	 * QEMU virt with secure=on). Cores that entered _start with the boot
	 * core wait in the holding pen: release this one from there.
	 */
	*how = "pen";
	pen_release = (unsigned long)c->hwid;
	arch_clean_dcache((const void *)&pen_release, sizeof(pen_release));
	arch_send_event();
	return 0;
}
