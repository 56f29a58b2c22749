/* SPDX-License-Identifier: GPL-2.0 */
/* Barriers and waits both Arm architectures spell alike. */
#ifndef ASM_GENERIC_BARRIER_H
#define ASM_GENERIC_BARRIER_H

#define isb()		__asm__ __volatile__("isb" ::: "memory")
#define dsb(opt)	__asm__ __volatile__("dsb " #opt ::: "memory")
#define wfi()		__asm__ __volatile__("wfi" ::: "memory")
/* Ordering between cores (inner shareable): full, loads, stores. */
#define smp_mb()	__asm__ __volatile__("dmb ish" ::: "memory")
#define smp_rmb()	__asm__ __volatile__("dmb ish" ::: "memory")
#define smp_wmb()	__asm__ __volatile__("dmb ishst" ::: "memory")
#define wfe()		__asm__ __volatile__("wfe" ::: "memory")

#endif
