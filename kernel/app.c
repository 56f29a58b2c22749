// SPDX-License-Identifier: GPL-2.0
/*
 * The `app` command: list, run and stop the demo applications.
 *
 *	app list                          name, pid, state, iterations, pages held
 *	app run <name|all> [iterations]   run synchronously (default 100), Ctrl-C stops
 *	app stop [name|all]               free what the apps hold (not what they leaked)
 *
 * Each app runs in its own execution context (pid and comm = its name), so
 * page_owner records show which subsystem allocated a page; the context is
 * switched in around each iteration and back to the console's afterwards.
 * `app run all N` interleaves the apps one iteration at a time, as a
 * scheduler would. Every app is deterministic (fixed seeds, reset by stop),
 * so the same commands after boot give the same allocations.
 */
#include <ferret/app.h>
#include <ferret/console.h>
#include <ferret/printk.h>
#include <ferret/sched.h>
#include <ferret/string.h>
#include <ferret/time.h>

#define APP_DEFAULT_ITERATIONS	100
#define APP_MAX_ITERATIONS	10000000UL

static struct app *const apps[] = {
	&netrx_app,
	&blkcache_app,
	&httpd_app,
	&sensor_app,
};

static void app_register_ctx(struct app *app)
{
	if (app->pid < 0) {
		app->pid = task_ctx_register(app->name);
		if (app->pid < 0)
			printk("app: no free execution context for %s, it runs as %s\n",
			       app->name, current_task()->comm);
	}
}

static void app_iterate(struct app *app)
{
	int prev = app->pid >= 0 ? task_ctx_switch(app->pid) : -1;

	app->iterate(app);
	app->stats.iterations++;
	if (prev >= 0)
		task_ctx_switch(prev);
}

/* Select apps by name ("all" or NULL: every app). Return: a bitmask, 0 if unknown. */
static unsigned int app_select(const char *name)
{
	if (!name || !strcmp(name, "all"))
		return (1u << ARRAY_SIZE(apps)) - 1;
	for (unsigned int i = 0; i < ARRAY_SIZE(apps); i++)
		if (!strcmp(apps[i]->name, name))
			return 1u << i;
	printk("app: no app called '%s' (", name);
	for (unsigned int i = 0; i < ARRAY_SIZE(apps); i++)
		printk("%s%s", apps[i]->name, i + 1 < ARRAY_SIZE(apps) ? ", " : "");
	printk(" or all)\n");
	return 0;
}

static const char *app_state(const struct app *app)
{
	return app->stats.iterations || app->stats.held ? "paused" : "stopped";
}

static int app_list(void)
{
	printk("%-10s %4s %-8s %10s %10s  %s\n", "name", "pid", "state", "iterations",
	       "pages held", "what");
	for (unsigned int i = 0; i < ARRAY_SIZE(apps); i++) {
		struct app *app = apps[i];

		app_register_ctx(app);
		printk("%-10s %4d %-8s %10lu %10lu  %s\n", app->name, app->pid, app_state(app),
		       app->stats.iterations, app->stats.held, app->what);
	}
	return 0;
}

static void app_print_summary(struct app *app, const struct app_stats *before)
{
	char extra[96] = "";

	if (app->summary)
		app->summary(app, extra, sizeof(extra));
	printk("%s: %lu iterations, %lu allocs, %lu frees, %lu failed, %lu pages held%s%s%s\n",
	       app->name, app->stats.iterations - before->iterations,
	       app->stats.allocs - before->allocs, app->stats.frees - before->frees,
	       app->stats.failures - before->failures, app->stats.held,
	       extra[0] ? " (" : "", extra, extra[0] ? ")" : "");
}

static int app_run(unsigned int mask, unsigned long iterations)
{
	struct app_stats before[ARRAY_SIZE(apps)];
	unsigned long done = 0;
	u64 t0 = ktime_get_ns(), us;

	for (unsigned int i = 0; i < ARRAY_SIZE(apps); i++) {
		app_register_ctx(apps[i]);
		before[i] = apps[i]->stats;
	}
	while (done < iterations && !console_interrupted()) {
		for (unsigned int i = 0; i < ARRAY_SIZE(apps); i++)
			if (mask & (1u << i))
				app_iterate(apps[i]);
		done++;
	}
	us = (ktime_get_ns() - t0) / NSEC_PER_USEC;
	for (unsigned int i = 0; i < ARRAY_SIZE(apps); i++)
		if (mask & (1u << i))
			app_print_summary(apps[i], &before[i]);
	printk("app: %lu of %lu iterations in %llu.%03llu ms%s\n", done, iterations,
	       (unsigned long long)(us / 1000), (unsigned long long)(us % 1000),
	       done < iterations ? " (interrupted)" : "");
	return done < iterations ? -1 : 0;
}

static int app_stop(unsigned int mask)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(apps); i++) {
		struct app *app = apps[i];
		unsigned long held = app->stats.held;
		int prev;

		if (!(mask & (1u << i)))
			continue;
		app_register_ctx(app);
		prev = app->pid >= 0 ? task_ctx_switch(app->pid) : -1;
		app->stop(app);
		if (prev >= 0)
			task_ctx_switch(prev);
		if (app->stats.held)
			printk("app: %s still holds %lu pages after stop\n", app->name,
			       app->stats.held);
		printk("%s: stopped after %lu iterations, freed %lu pages\n", app->name,
		       app->stats.iterations, held - app->stats.held);
		memset(&app->stats, 0, sizeof(app->stats));
	}
	return 0;
}

static int cmd_app(int argc, char **argv)
{
	unsigned long iterations = APP_DEFAULT_ITERATIONS;
	unsigned int mask;

	if (argc == 2 && !strcmp(argv[1], "list"))
		return app_list();
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "run")) {
		mask = app_select(argv[2]);
		if (!mask)
			return -1;
		if (argc == 4 && (parse_ulong(argv[3], &iterations) ||
				  iterations > APP_MAX_ITERATIONS)) {
			printk("app: iterations must be 0..%lu\n", APP_MAX_ITERATIONS);
			return -1;
		}
		return app_run(mask, iterations);
	}
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "stop")) {
		mask = app_select(argc == 3 ? argv[2] : NULL);
		return mask ? app_stop(mask) : -1;
	}
	return console_usage(argv[0]);
}
CONSOLE_CMD("app", "list|run|stop [name|all] [n]",
	    "demo firmware: subsystems that allocate (and one that leaks)", cmd_app,
	.args = "list\teach app: pid, state, iterations, pages held\n"
		"run <name|all> [n]\trun n iterations (default 100; all: interleaved);\n"
		"\tCtrl-C stops\n"
		"stop [name|all]\tfree what the app holds and reset it (default all)\n"
		"netrx|blkcache|httpd|sensor|all\tthe apps",
	.example = "app run all 140\napp stop sensor");
