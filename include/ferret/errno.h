/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error numbers, Linux's values (include/uapi/asm-generic/errno-base.h).
 * Functions return them negated: -EBUSY.
 */
#ifndef FERRET_ERRNO_H
#define FERRET_ERRNO_H

#define ENOENT		2	/* no such entry */
#define EINTR		4	/* interrupted (Ctrl-C) */
#define ENOMEM		12	/* out of memory */
#define EBUSY		16	/* resource busy */
#define EINVAL		22	/* invalid argument */
#define ENOSPC		28	/* no room left in a table */
#define ERANGE		34	/* out of range */

#endif
