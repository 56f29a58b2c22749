/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static keys: a branch that costs one NOP while its key is off. Hooks that
 * are off in normal runs (page_owner, trace events) test a static key, and
 * turning the key on rewrites every such NOP into a branch to the hook
 * (arch/arm64/kernel/jump_label.c). The host build has no patching: there a
 * static branch is a plain load and test of the key.
 *
 *	DEFINE_STATIC_KEY_FALSE(page_owner_key);
 *	if (static_branch_unlikely(&page_owner_key))
 *		__set_page_owner(...);
 *	...
 *	static_key_enable(&page_owner_key);	// at init, once tracking can run
 */
#ifndef FERRET_JUMP_LABEL_H
#define FERRET_JUMP_LABEL_H

#include <ferret/types.h>
#include <ferret/compiler.h>

struct static_key {
	int enabled;
};

#define STATIC_KEY_INIT_FALSE		{ 0 }
#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key name = STATIC_KEY_INIT_FALSE
#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key name

#include <asm/jump_label.h>

/* True when @key is on; the off path is a NOP on the target. */
#define static_branch_unlikely(key)	arch_static_branch(key)

static inline bool static_key_enabled(const struct static_key *key)
{
	return READ_ONCE(key->enabled) != 0;
}

/*
 * Entry diversion, for hooks that must cost nothing at all while off:
 * DEFINE_STATIC_DIVERT(key, fn, target) makes static_key_enable(key) rewrite
 * the first instruction of @fn into "b target" (@target takes @fn's
 * arguments and returns to @fn's caller), and static_key_disable() put it
 * back. @fn must not be inlined or cloned (mark it __noipa). Where code is
 * not patched (the host build), static_divert(key, call) at the top of @fn
 * tests the key and returns @call instead; on arm64 it is empty.
 */
#define DEFINE_STATIC_DIVERT(key, fn, target)	ARCH_DEFINE_STATIC_DIVERT(key, fn, target)
#define static_divert(key, call)		arch_static_divert(key, call)
#define __noipa					__attribute__((noipa))

/**
 * static_key_enable() - turn @key on: every static_branch_unlikely(@key)
 * site now branches to its hook.
 * Context: any; patches code with interrupts masked (one CPU).
 */
void static_key_enable(struct static_key *key);
/* static_key_disable() - turn @key off again: the sites become NOPs. */
void static_key_disable(struct static_key *key);

#endif
