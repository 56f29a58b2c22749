/* SPDX-License-Identifier: GPL-2.0 */
/* The panic console's own stack: entered fresh after every crash report. */
	.section .bss.stacks, "aw", %nobits
	.balign 4096
	.globl panic_stack, panic_stack_top
	.skip	4096			@ guard: never mapped
panic_stack:
	.skip	16384
panic_stack_top:
