// SPDX-License-Identifier: GPL-2.0
/* QEMU virt (any CPU): everything is found in the DTB; PSCI does power and reset. */
#include <ferret/boot.h>

void board_early_init(void)
{
}

bool board_reset_supported(void)
{
	return false;
}

void board_reset(void)
{
}
