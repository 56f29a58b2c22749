/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel side of the applications (kernel/app.c, kernel/app_heap.c): what
 * the two files share. Applications use <ferret/firmware.h>.
 */
#ifndef FERRET_APP_INTERNAL_H
#define FERRET_APP_INTERNAL_H

#include <ferret/types.h>
#include <ferret/firmware.h>
#include <ferret/libc_glue.h>
#include <ferret/sched.h>

/* Every application, in name order (the linker sorts .ferret_apps.*). */
extern const struct ferret_app __ferret_apps_start[], __ferret_apps_end[];

/* The running application's index in that table, -1 outside one. */
int app_current_index(void);
/* The index of the application called @name, -1 if none. */
int app_find(const char *name);

/* Statistics of application @app, or of all of them with FERRET_HEAP_ALL. */
#define FERRET_HEAP_ALL		(-2)
void app_heap_stats(int app, struct ferret_heap_stats *st);
void app_heap_reset_peak(int app);

#endif
