// SPDX-License-Identifier: GPL-2.0
/*
 * PMU counters for benchmarks (PMUv2, CP15): the cycle counter and event
 * counter 0 counting INST_RETIRED (0x08). Under QEMU with -icount shift=0
 * both count guest instructions exactly.
 */
#include <asm/cpu.h>
#include <asm/sysreg.h>

void pmu_start(void)
{
	write_pmselr(0);
	write_pmxevtyper(0x08);				/* INST_RETIRED */
	write_pmcntenset((1UL << 31) | 1);		/* cycle counter + counter 0 */
	write_pmcr(read_pmcr() | 1 | 2 | 4);		/* E, reset P and C */
	isb();
}

u64 pmu_instructions(void)
{
	isb();
	write_pmselr(0);
	isb();
	return read_pmxevcntr();
}

u64 pmu_cycles(void)
{
	isb();
	return read_pmccntr();
}
