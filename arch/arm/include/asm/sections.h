/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SECTIONS_H
#define ASM_SECTIONS_H

#include <asm-generic/sections.h>

#endif
