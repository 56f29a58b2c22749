/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error numbers, Linux's values (include/uapi/asm-generic/errno-base.h).
 * Functions return them negated: -EBUSY.
 */
#ifndef FERRET_ERRNO_H
#define FERRET_ERRNO_H

#define ENOENT		2	/* no such entry */
#define ENOMEM		12	/* out of memory */
#define EBUSY		16	/* resource busy */
#define EINVAL		22	/* invalid argument */
#define ERANGE		34	/* out of range */

#endif
