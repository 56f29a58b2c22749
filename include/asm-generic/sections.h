/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Section markers linker.ld defines (Linux's names where Linux has them),
 * and the stacks boot code sets up. Addresses only: declared as arrays.
 */
#ifndef ASM_GENERIC_SECTIONS_H
#define ASM_GENERIC_SECTIONS_H

/* The image: text, read-only data, data, bss. */
extern char _text[], _etext[], __rodata_start[], __data_start[], __bss_start[], _end[];
/* The allocator and tracking code, whose frames stack traces skip. */
extern char __mm_track_text_start[], __mm_track_text_end[];
/* The stacks (boot/task, exception, panic), each with a guard page below. */
extern char __stacks_start[], __stacks_end[];
extern char boot_stack[], boot_stack_top[], exception_stack[], exception_stack_top[];
extern char panic_stack[], panic_stack_top[];
/* The applications' thread-local data template. */
extern char __tdata_start[], __tdata_end[], __tbss_size[], __tls_align[];

#endif
