/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The image's GNU build id (ld --build-id=sha1, kept by linker.ld in .notes):
 * what names this exact build, so that a host tool resolving addresses from
 * an ELF can check the ELF is the image that sent them.
 */
#ifndef FERRET_BUILD_ID_H
#define FERRET_BUILD_ID_H

#include <ferret/types.h>

#define BUILD_ID_MAX	20	/* sha1 */

/* The build id's bytes and *@len, or NULL (*@len 0) when the image has none. */
const u8 *build_id_get(unsigned int *len);

#endif
