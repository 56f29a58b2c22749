// SPDX-License-Identifier: GPL-2.0
/*
 * Static key patching. Each static_branch_unlikely() site is a NOP with an
 * entry in __jump_table (linker.ld collects them between __start___jump_table
 * and __stop___jump_table). Enabling a key writes "b <target>" over each of
 * its NOPs; disabling writes the NOP back. Text is read-only (W^X): the store
 * goes through its writable alias (text_poke_begin(), the MMU code), mapped
 * only while patching, then cache maintenance to the point of unification
 * (asm/patching.h); interrupts are masked so no handler runs half-patched
 * code paths. Diverted functions (__divert_table) get their first
 * instruction replaced by a branch the same way. With several cores online
 * the patching runs in smp_rendezvous(): every other core waits in an
 * interrupt handler, interrupts masked, out of the patched text, and
 * invalidates its instruction cache and synchronizes before it goes on.
 */
#include <ferret/jump_label.h>
#include <ferret/printk.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/patching.h>
#include <ferret/smp.h>

extern struct jump_entry __start___jump_table[], __stop___jump_table[];
extern struct divert_entry __start___divert_table[], __stop___divert_table[];

/* Write through the text's writable alias (W^X), then make the new instruction visible. */
static void patch_insn(unsigned long alias, unsigned long addr, u32 insn)
{
	unsigned long w = addr + alias;

	*(volatile u32 *)w = insn;
	patch_text_sync(w, addr);
}

struct key_patch {
	struct static_key *key;
	int on;
};

/* Every other core is held in smp_rendezvous(); interrupts masked here. */
static void static_key_patch(void *arg)
{
	struct static_key *key = ((struct key_patch *)arg)->key;
	int on = ((struct key_patch *)arg)->on;
	unsigned long alias = text_poke_begin();

	WRITE_ONCE(key->enabled, on);
	for (struct jump_entry *e = __start___jump_table; e < __stop___jump_table; e++) {
		if (e->key != (unsigned long)key)
			continue;
		patch_insn(alias, e->code, on ? insn_branch(e->code, e->target) : INSN_NOP);
	}
	for (struct divert_entry *d = __start___divert_table; d < __stop___divert_table; d++) {
		u32 *insn = (u32 *)d->func;

		if (d->key != (unsigned long)key)
			continue;
		if (on && *insn != insn_branch(d->func, d->target)) {
			d->saved = *insn;
			patch_insn(alias, d->func, insn_branch(d->func, d->target));
		} else if (!on && d->saved) {
			patch_insn(alias, d->func, d->saved);
		}
	}
	text_poke_end();
}

static void static_key_set(struct static_key *key, int on)
{
	struct key_patch p = { key, on };

	smp_rendezvous(static_key_patch, &p);
}

void static_key_enable(struct static_key *key)
{
	static_key_set(key, 1);
}

void static_key_disable(struct static_key *key)
{
	static_key_set(key, 0);
}
