// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel test runner: runs the suites registered with KTEST_SUITE()
 * and prints KTAP version 1, as Linux's KUnit does, so the same parsers read
 * both. `ktest` runs every suite, `ktest <suite>...` the named ones,
 * `ktest list` names them.
 */
#include <ferret/ktest.h>
#include <ferret/console.h>
#include <ferret/string.h>
#include <ferret/sched.h>

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    # %s: %s:%d: %s\n", t->name, file, line, msg);
	t->failed = true;
}

static bool run_suite(const struct ktest_suite *s, unsigned int nr)
{
	unsigned int failed = 0;

	printk("    KTAP version 1\n    # Subtest: %s\n    1..%u\n", s->name, s->nr_cases);
	for (unsigned int i = 0; i < s->nr_cases; i++) {
		struct ktest t = { .name = s->cases[i].name, .failed = false };

		s->cases[i].run(&t);
		printk("    %sok %u %s\n", t.failed ? "not " : "", i + 1, t.name);
		failed += t.failed;
	}
	printk("%sok %u %s\n", failed ? "not " : "", nr, s->name);
	return failed == 0;
}

static const struct ktest_suite *find_suite(const char *name)
{
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static int cmd_ktest(int argc, char **argv)
{
	unsigned int nr = 0, failed = 0;

	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
			printk("%s (%u cases)\n", s->name, s->nr_cases);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (!find_suite(argv[i])) {
			printk("ktest: no suite '%s' (try 'ktest list')\n", argv[i]);
			return console_usage(argv[0]);
		}
	}
	printk("KTAP version 1\n1..%u\n",
	       argc > 1 ? (unsigned int)(argc - 1)
			: (unsigned int)(__ktest_suites_end - __ktest_suites_start));
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			failed += !run_suite(find_suite(argv[i]), ++nr);
	} else {
		for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
			failed += !run_suite(s, ++nr);
	}
	printk("# ktest: %u suites, %u failed\n", nr, failed);
	return failed ? 1 : 0;
}
CONSOLE_CMD("ktest", "[list | <suite>...]", "run in-kernel test suites (KTAP output)", cmd_ktest,
	.args = "(none)\trun every suite\n"
		"list\tname the suites\n"
		"<suite>...\trun these suites, in this order",
	.example = "ktest list\nktest buddy");
