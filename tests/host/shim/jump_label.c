// SPDX-License-Identifier: GPL-2.0
/* Host build: static keys are plain flags (no code patching). */
#include <ferret/jump_label.h>

void static_key_enable(struct static_key *key)
{
	WRITE_ONCE(key->enabled, 1);
}

void static_key_disable(struct static_key *key)
{
	WRITE_ONCE(key->enabled, 0);
}
