// SPDX-License-Identifier: GPL-2.0
/* Hand boot's memory ranges to mm/. */
#include <ferret/boot.h>

void mm_boot_init(void)
{
}
