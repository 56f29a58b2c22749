/* SPDX-License-Identifier: GPL-2.0 */
/* What the host tools check of a path given as input before reading it. */
#ifndef TOOLS_PATH_H
#define TOOLS_PATH_H

#include <stdbool.h>
#include <sys/stat.h>

/*
 * True when @path names a directory: fopen() opens one for reading on
 * Linux and the error comes only later, as a strange one ("Cannot allocate
 * memory", "Is a directory" from a read), so callers say it first.
 */
static inline bool path_is_directory(const char *path)
{
	struct stat st;

	return path && !stat(path, &st) && S_ISDIR(st.st_mode);
}

#endif
