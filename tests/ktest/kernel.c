// SPDX-License-Identifier: GPL-2.0
/* KTAP suites for the kernel core: symbols, command line, contexts, MMU, timer, stacks. */
#include <generated/board.h>
#include <ferret/ktest.h>
#include <ferret/kallsyms.h>
#include <ferret/string.h>
#include <ferret/boot.h>
#include <ferret/sched.h>
#include <ferret/time.h>
#include <ferret/stacktrace.h>
#include <ferret/jump_label.h>
#include <asm/cpu.h>
#include <asm/sections.h>

static void __noinline ktest_marker_fn(struct ktest *t)
{
	unsigned long size, off;
	const char *name = kallsyms_lookup((unsigned long)ktest_marker_fn + 4, &size, &off);

	KTEST_ASSERT_TRUE(t, name != NULL);
	KTEST_EXPECT_EQ(t, strcmp(name, "ktest_marker_fn"), 0);
	KTEST_EXPECT_EQ(t, off, 4);
	KTEST_EXPECT_TRUE(t, size >= 8);
}

static void kallsyms_lookup_known(struct ktest *t)
{
	ktest_marker_fn(t);
}

static void kallsyms_sprint(struct ktest *t)
{
	char buf[KSYM_SYMBOL_LEN], want[64];
	unsigned long size, off;

	KTEST_ASSERT_TRUE(t, kallsyms_lookup((unsigned long)kallsyms_sprint, &size, &off) != NULL);
	sprint_symbol(buf, sizeof(buf), (unsigned long)kallsyms_sprint + 8);
	KTEST_EXPECT_EQ(t, strncmp(buf, "kallsyms_sprint+0x8/0x", 22), 0);
	snprintf(want, sizeof(want), "%pS", (void *)0x10);
	KTEST_EXPECT_EQ(t, strcmp(want, "0x10"), 0);
	/* %pB: the address just past a function still names it (a noreturn call's return). */
	kallsyms_lookup((unsigned long)kallsyms_sprint, &size, &off);
	snprintf(buf, sizeof(buf), "%pB", (void *)((unsigned long)kallsyms_sprint + size));
	snprintf(want, sizeof(want), "kallsyms_sprint+0x%lx/0x%lx", size, size);
	KTEST_EXPECT_EQ(t, strcmp(buf, want), 0);
}

static void cmdline_parse(struct ktest *t)
{
	char saved[CMDLINE_MAX], buf[32];

	strlcpy(saved, boot_params.cmdline, sizeof(saved));
	strlcpy(boot_params.cmdline, "a=1 page_owner=on  bare x=", sizeof(boot_params.cmdline));
	KTEST_EXPECT_TRUE(t, cmdline_get("page_owner", buf, sizeof(buf)) != NULL);
	KTEST_EXPECT_EQ(t, strcmp(buf, "on"), 0);
	KTEST_EXPECT_TRUE(t, cmdline_get("bare", buf, sizeof(buf)) && buf[0] == '\0');
	KTEST_EXPECT_TRUE(t, cmdline_get("x", buf, sizeof(buf)) && buf[0] == '\0');
	KTEST_EXPECT_TRUE(t, cmdline_get("page", buf, sizeof(buf)) == NULL);
	KTEST_EXPECT_TRUE(t, cmdline_get("b", buf, sizeof(buf)) == NULL);
	strlcpy(boot_params.cmdline, saved, sizeof(boot_params.cmdline));
}

static void contexts(struct ktest *t)
{
	int a = task_ctx_register("ktest-context-name-long");
	int b = task_ctx_register("ktest-context-name-long");
	int old;

	KTEST_ASSERT_TRUE(t, a > CTX_PID_IRQ);
	KTEST_EXPECT_EQ(t, a, b);
	KTEST_EXPECT_EQ(t, strlen(task_ctx_get(a)->comm), 15);
	old = task_ctx_switch(a);
	KTEST_EXPECT_EQ(t, current_task()->pid, a);
	task_ctx_switch(old);
	KTEST_EXPECT_EQ(t, current_task()->pid, old);
}


static void mmu_map(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, mmu_enabled());
	KTEST_EXPECT_TRUE(t, mmu_addr_mapped((unsigned long)&boot_params, 8));
	KTEST_EXPECT_TRUE(t, mmu_addr_mapped(BOARD_UART_BASE, 4));
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped(NEVER_MAPPED_ADDR, 4));
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped(~0UL - 8, 16));
	/* The NULL guard, on every board: nothing below it, whatever RAM starts at. */
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped(0, 1));
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped(NULL_GUARD_SIZE - 4, 4));
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped(NULL_GUARD_SIZE - 4, 8));
	if (BOARD_RAM_BASE == 0) {
		/* RAM at 0: mapped from the guard on, in 4 KiB pages, up to the image. */
		KTEST_EXPECT_TRUE(t, mmu_addr_mapped(NULL_GUARD_SIZE, 4));
		KTEST_EXPECT_TRUE(t, mmu_addr_mapped(NULL_GUARD_SIZE,
						     (unsigned long)_text - NULL_GUARD_SIZE));
	}
	/* The boot and panic stacks are mapped; the page below each is not. */
	KTEST_EXPECT_TRUE(t, mmu_addr_mapped((unsigned long)boot_stack, 65536));
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped((unsigned long)boot_stack - 4096, 1));
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped((unsigned long)boot_stack - 1, 1));
	KTEST_EXPECT_TRUE(t, mmu_addr_mapped((unsigned long)panic_stack, 16384));
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped((unsigned long)panic_stack - 4096, 4096));
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped((unsigned long)exception_stack - 4096, 4096));
	KTEST_EXPECT_EQ(t, strcmp(stack_guard_hit((unsigned long)exception_stack - 1), "exception"), 0);
	KTEST_EXPECT_EQ(t, strcmp(stack_guard_hit((unsigned long)boot_stack - 8), "boot"), 0);
	KTEST_EXPECT_TRUE(t, !stack_guard_hit((unsigned long)boot_stack));
	/* The text's writable alias exists only while static keys patch it. */
	KTEST_EXPECT_TRUE(t, !mmu_addr_mapped(TEXT_ALIAS_BASE + ((unsigned long)_text & 0x1fffff),
					      4));
	/* The text and read-only data are mapped (W^X sets their rights). */
	KTEST_EXPECT_TRUE(t, mmu_addr_mapped((unsigned long)_text,
					     (unsigned long)(__data_start - _text)));
}

static void timer_monotonic(struct ktest *t)
{
	u64 a = ktime_get_ns(), b;

	for (volatile int i = 0; i < 10000; i++)
		;
	b = ktime_get_ns();
	KTEST_EXPECT_TRUE(t, b > a);
	KTEST_EXPECT_TRUE(t, arch_timer_freq() > 0);
}

static void __noinline stack_inner(struct ktest *t)
{
	unsigned long e[16];
	unsigned int n = stack_trace_save(e, 16, 0);
	unsigned long size, off;
	bool found_outer = false;

	KTEST_ASSERT_TRUE(t, n >= 3);
	for (unsigned int i = 0; i < n; i++) {
		const char *name = kallsyms_lookup(e[i], &size, &off);

		if (name && !strcmp(name, "stack_outer"))
			found_outer = true;
	}
	KTEST_EXPECT_TRUE(t, found_outer);
}

static void __noinline stack_outer(struct ktest *t)
{
	stack_inner(t);
}

static void stacktrace_live(struct ktest *t)
{
	stack_outer(t);
}

static const struct ktest_case kernel_cases[] = {
	KTEST_CASE(kallsyms_lookup_known),
	KTEST_CASE(kallsyms_sprint),
	KTEST_CASE(cmdline_parse),
	KTEST_CASE(contexts),
	KTEST_CASE(mmu_map),
	KTEST_CASE(timer_monotonic),
	KTEST_CASE(stacktrace_live),
};
KTEST_SUITE(kernel, kernel_cases);

static DEFINE_STATIC_KEY_FALSE(ktest_key);

static int __noinline static_branch_site(void)
{
	if (static_branch_unlikely(&ktest_key))
		return 1;
	return 0;
}

static int __noinline divert_target(int x)
{
	return x + 100;
}

static __noipa int divert_site(int x);
DEFINE_STATIC_DIVERT(ktest_key, divert_site, divert_target);

static __noipa int divert_site(int x)
{
	static_divert(ktest_key, divert_target(x));
	return x + 1;
}

static void static_keys(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, divert_site(1), 2);
	KTEST_EXPECT_EQ(t, static_branch_site(), 0);
	static_key_enable(&ktest_key);
	KTEST_EXPECT_TRUE(t, static_key_enabled(&ktest_key));
	KTEST_EXPECT_EQ(t, static_branch_site(), 1);
	KTEST_EXPECT_EQ(t, divert_site(1), 101);	/* entry diverted */
	static_key_disable(&ktest_key);
	KTEST_EXPECT_EQ(t, static_branch_site(), 0);
	KTEST_EXPECT_EQ(t, divert_site(1), 2);
}

static const struct ktest_case jump_label_cases[] = {
	KTEST_CASE(static_keys),
};
KTEST_SUITE(jump_label, jump_label_cases);
