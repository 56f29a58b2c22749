// SPDX-License-Identifier: GPL-2.0
/* The version string (`git describe`), rebuilt whenever it changes. */
#include <ferret/boot.h>

const char ferret_version[] = FERRET_VERSION;
