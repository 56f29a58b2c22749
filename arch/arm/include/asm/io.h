/* SPDX-License-Identifier: GPL-2.0 */
/* MMIO accessors: the generic ones (device windows are Device memory). */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <asm-generic/io.h>

#endif
