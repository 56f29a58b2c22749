// SPDX-License-Identifier: GPL-2.0
/*
 * PMU counters for benchmarks: PMCCNTR_EL0 and event counter 0 counting
 * INST_RETIRED (0x08). Under QEMU with -icount shift=0 both count guest
 * instructions exactly; without -icount INST_RETIRED reads 0.
 */
#include <asm/cpu.h>
#include <asm/sysreg.h>

void pmu_start(void)
{
	write_sysreg(0x08, pmevtyper0_el0);		/* INST_RETIRED, count at EL1 */
	write_sysreg((1UL << 31) | 1, pmcntenset_el0);	/* cycle counter + counter 0 */
	write_sysreg(read_sysreg(pmcr_el0) | 1 | 2 | 4, pmcr_el0); /* E, reset P and C */
	write_sysreg(0, pmccfiltr_el0);
	isb();
}

u64 pmu_instructions(void)
{
	isb();
	return read_sysreg(pmevcntr0_el0);
}

u64 pmu_cycles(void)
{
	isb();
	return read_sysreg(pmccntr_el0);
}
